using System;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Rings;
using Xen.Sdk.Rings.XenStore;

namespace Xen.Sdk.Reference.Services;

/// <summary>The in-kernel xenstored's connection to one domain: the server end of the XenStore page
/// (<c>struct xenstore_domain_interface</c>, xen/include/public/io/xs_wire.h) through Xen.Sdk.Rings' ring and codec,
/// and a <see cref="XenStoreTree"/>. Requests are handled when the guest notifies the store port; a hostile ring (a
/// producer index more than the ring size ahead, an oversized header) is an error value: the server stops reading,
/// reports it in the page's <c>error</c> field (<c>XENSTORE_ERROR_RINGIDX</c> / <c>XENSTORE_ERROR_PROTO</c>, advertised
/// with <c>XENSTORE_SERVER_FEATURE_ERROR</c>) and resumes only after the guest asks for a reconnection
/// (<c>connection = XENSTORE_RECONNECT</c>, <c>XENSTORE_SERVER_FEATURE_RECONNECTION</c>), as xs_wire.h describes.</summary>
public unsafe struct XenStoreServer
{
    /// <summary>Watches per connection (<c>XS_WATCH</c> beyond it: <c>ENOSPC</c>).</summary>
    public const int MaxWatches = 8;
    /// <summary>Longest watch token.</summary>
    public const int MaxToken = 62;
    /// <summary>Watch events queued for the ring at most (more are dropped and counted).</summary>
    public const int MaxQueuedEvents = 16;
    private const int WatchRecord = 2 + XenStoreTree.MaxPath + 2 + MaxToken;      // [path len][relative][path][token len][pad][token]
    private const int EventRecord = 2 + XenStoreTree.MaxPath;                     // [watch][path len][path]
    /// <summary>Open transactions per connection (<c>XS_TRANSACTION_START</c> beyond it: <c>ENOSPC</c>).</summary>
    public const int MaxTransactions = 4;
    /// <summary>Nodes one transaction may touch (read or write; beyond it the request fails with <c>ENOSPC</c>).</summary>
    public const int MaxTransactionNodes = 32;
    private const int EntrySize = 4 + XenStoreTree.MaxPath + 2;                    // [flags][path length][pad][pad][path][pad]
    private const int TransactionSize = 2 * XenStoreTree.MemorySize + MaxTransactionNodes * EntrySize;
    private const byte EntryWritten = 1, EntrySubtree = 2, EntryFire = 4;
    /// <summary>Bytes of private memory the server needs: the request and reply buffers, the watches, the queue of
    /// watch events, and per transaction two copies of the tree (as it was at the start, and as the transaction sees
    /// it) and the list of the nodes it touched.</summary>
    public const int MemorySize = 2 * XenStoreCodec.MaxMessageSize + MaxWatches * WatchRecord + MaxQueuedEvents * EventRecord +
        MaxTransactions * TransactionSize;
    /// <summary>Most requests handled per notification (bounds the work one hypercall can cause).</summary>
    public const int MaxRequestsPerKick = 16;

    private XenStoreDomainInterface* _page;
    private byte* _requestBuffer;
    private byte* _replyBuffer;
    private ByteRingReader _requests;
    private ByteRingWriter _replies;
    private XenStoreMessageReader _reader;
    private XenStoreMessageWriter _writer;
    private ushort _domain;
    private byte* _watches;
    private byte* _events;
    private int _eventHead, _eventCount;
    /// <summary>Watch events delivered (<c>XS_WATCH_EVENT</c> messages written to the ring).</summary>
    public ulong WatchEvents;
    /// <summary>Watch events dropped because the queue was full.</summary>
    public ulong DroppedWatchEvents;
    /// <summary>The tree.</summary>
    public XenStoreTree Tree;
    /// <summary>Requests answered (including error replies).</summary>
    public ulong Requests;
    /// <summary>Requests answered with <c>XS_ERROR</c>.</summary>
    public ulong ErrorReplies;
    /// <summary>Ring errors detected (hostile indices or headers).</summary>
    public ulong RingErrors;
    /// <summary>Reconnections performed.</summary>
    public ulong Reconnects;
    /// <summary>The last ring error (sticky until a reconnection).</summary>
    public RingError Broken;
    /// <summary>Transactions started.</summary>
    public ulong TransactionsStarted;
    /// <summary>Transactions committed.</summary>
    public ulong TransactionsCommitted;
    /// <summary>Commits refused with <c>EAGAIN</c> (a node the transaction read or wrote changed meanwhile).</summary>
    public ulong TransactionConflicts;
    private byte* _transactions;
    private fixed uint _txId[MaxTransactions];
    private fixed int _txEntries[MaxTransactions];
    private fixed ulong _txGeneration[MaxTransactions];
    private uint _nextTxId;

    /// <summary>Attaches to the guest's XenStore page (cleared and marked connected, features advertised), the private
    /// buffers (<see cref="MemorySize"/> bytes) and the tree memory (<see cref="XenStoreTree.MemorySize"/> bytes).</summary>
    public bool Initialize(byte* page, byte* buffers, byte* treeMemory, ushort domain)
    {
        this = default;
        if (page == null || buffers == null || treeMemory == null) return false;
        _page = (XenStoreDomainInterface*)page;
        _requestBuffer = buffers;
        _replyBuffer = buffers + XenStoreCodec.MaxMessageSize;
        _watches = buffers + 2 * XenStoreCodec.MaxMessageSize;
        _events = _watches + MaxWatches * WatchRecord;
        _transactions = _events + MaxQueuedEvents * EventRecord;
        new Span<byte>(_watches, MaxWatches * WatchRecord + MaxQueuedEvents * EventRecord).Clear();
        _nextTxId = 1;
        _domain = domain;
        Tree.Initialize(treeMemory);
        new Span<byte>(page, 4096).Clear();
        _page->ServerFeatures = (uint)(XenStoreServerFeatures.Reconnection | XenStoreServerFeatures.Error);
        return Attach();
    }

    /// <summary>Whether the server is attached.</summary>
    public readonly bool IsValid => _page != null;

    private bool Attach()
    {
        _reader = default;
        _writer = default;
        Broken = RingError.None;
        return XenStoreRing.TryAttachServer(_page, out _requests, out _replies);
    }

    /// <summary>Handles the store port's notification: a reconnection request, then up to
    /// <see cref="MaxRequestsPerKick"/> complete requests. Returns true when reply bytes were published (the guest is
    /// then notified on the store port).</summary>
    public bool Kick()
    {
        if (_page == null) return false;
        // The guest may write connection at any time; one read decides this kick.
        if (System.Threading.Volatile.Read(ref _page->Connection) == (uint)XenStoreConnection.Reconnect)
        {
            // xs_wire.h: the server resets the ring indices and the error, then sets connection back to CONNECTED.
            _page->ReqCons = 0;
            _page->ReqProd = 0;
            _page->RspCons = 0;
            _page->RspProd = 0;
            _page->Error = (uint)XenStoreRingError.None;
            Attach();
            // A reconnection starts a new session: no watches, no queued events, no transactions (as XS_RESET_WATCHES).
            ClearWatchesAndTransactions();
            Reconnects++;
            // Release: the cleared indices are visible before the guest sees CONNECTED.
            System.Threading.Volatile.Write(ref _page->Connection, (uint)XenStoreConnection.Connected);
            return true;
        }
        if (Broken != RingError.None) return false;
        bool published = false;
        var requestBuffer = new Span<byte>(_requestBuffer, XenStoreCodec.MaxMessageSize);
        var replyBuffer = new Span<byte>(_replyBuffer, XenStoreCodec.MaxMessageSize);
        Span<byte> reply = stackalloc byte[XenStoreTree.MaxValue * 2 + 256];
        int requests = 0;
        // Bounded: each iteration either finishes a message (request reply or watch event) or stops.
        for (int n = 0; n < 2 * (MaxRequestsPerKick + MaxQueuedEvents); n++)
        {
            if (_writer.IsBusy)
            {
                uint before = _replies.Producer;
                RingError pe = _writer.Pump(ref _replies, replyBuffer, out bool sent);
                published |= _replies.Producer != before;
                if (pe != RingError.None) return Fail(pe) | published;
                if (!sent) break;                       // the guest must consume replies first
            }
            // Watch events queued by earlier requests go out before the next request is read (xenstored orders a
            // request's reply before the events it caused).
            if (_eventCount != 0)
            {
                BeginEvent(replyBuffer, reply);
                continue;
            }
            if (requests == MaxRequestsPerKick) break;
            RingError e = _reader.Poll(ref _requests, requestBuffer, out bool complete);
            if (e != RingError.None) return Fail(e) | published;
            if (!complete) break;
            XenStoreMessageHeader header = _reader.Header;
            ReadOnlySpan<byte> payload = _reader.GetPayload(requestBuffer);
            XenStoreMessageType type = Handle(header.MessageType, header.TransactionId, payload, reply, out int replyLength);
            Requests++;
            requests++;
            if (type == XenStoreMessageType.Error) ErrorReplies++;
            _reader.Next();
            _writer.TryBegin(type, header.RequestId, header.TransactionId, reply.Slice(0, replyLength), replyBuffer);
            uint prodBefore = _replies.Producer;
            RingError we = _writer.Pump(ref _replies, replyBuffer, out bool done);
            published |= _replies.Producer != prodBefore;
            if (we != RingError.None) return Fail(we) | published;
            if (!done) break;
        }
        return published;
    }

    /// <summary>Starts the oldest queued watch event: <c>XS_WATCH_EVENT</c> with payload <c>path\0token\0</c>
    /// (the path relative when the watch was registered relative).</summary>
    private void BeginEvent(Span<byte> replyBuffer, Span<byte> scratch)
    {
        byte* e = _events + _eventHead * EventRecord;
        byte* w = _watches + e[0] * WatchRecord;
        _eventHead = (_eventHead + 1) % MaxQueuedEvents;
        _eventCount--;
        if (w[0] == 0) return;                                        // the watch was removed meanwhile
        var path = new ReadOnlySpan<byte>(e + 2, e[1]);
        if (w[1] != 0) path = Relative(path);
        var token = new ReadOnlySpan<byte>(w + 4 + XenStoreTree.MaxPath, w[2 + XenStoreTree.MaxPath]);
        int n = 0;
        XenStoreCodec.TryAppend(scratch, ref n, path, terminate: true);
        XenStoreCodec.TryAppend(scratch, ref n, token, terminate: true);
        _writer.TryBegin(XenStoreMessageType.WatchEvent, 0, 0, scratch.Slice(0, n), replyBuffer);
        WatchEvents++;
    }

    /// <summary>An absolute path under the domain's home, made relative to it (unchanged otherwise).</summary>
    private readonly ReadOnlySpan<byte> Relative(ReadOnlySpan<byte> path)
    {
        Span<byte> home = stackalloc byte[24];
        int h = HomePath(_domain, home);
        if (path.Length > h + 1 && path.Slice(0, h).SequenceEqual(home.Slice(0, h)) && path[h] == (byte)'/') return path.Slice(h + 1);
        return path;
    }

    private static bool IsUnder(ReadOnlySpan<byte> node, ReadOnlySpan<byte> ancestor) =>
        node.SequenceEqual(ancestor) || (node.Length > ancestor.Length && node.Slice(0, ancestor.Length).SequenceEqual(ancestor) &&
            (node[ancestor.Length] == (byte)'/' || (ancestor.Length == 1 && ancestor[0] == (byte)'/')));

    /// <summary>Queues an event for every watch on <paramref name="node"/> or one of its ancestors (and, for a removal,
    /// on one of its descendants).</summary>
    private void Fire(ReadOnlySpan<byte> node, bool removal)
    {
        for (int i = 0; i < MaxWatches; i++)
        {
            byte* w = _watches + i * WatchRecord;
            if (w[0] == 0) continue;
            var watched = new ReadOnlySpan<byte>(w + 2, w[0]);
            if (IsUnder(node, watched) || (removal && IsUnder(watched, node))) Queue(i, node);
        }
    }

    private void Queue(int watch, ReadOnlySpan<byte> path)
    {
        if (_eventCount == MaxQueuedEvents)
        {
            DroppedWatchEvents++;
            return;
        }
        byte* e = _events + ((_eventHead + _eventCount) % MaxQueuedEvents) * EventRecord;
        e[0] = (byte)watch;
        e[1] = (byte)path.Length;
        path.CopyTo(new Span<byte>(e + 2, XenStoreTree.MaxPath));
        _eventCount++;
    }

    private int FindWatch(ReadOnlySpan<byte> path, ReadOnlySpan<byte> token)
    {
        for (int i = 0; i < MaxWatches; i++)
        {
            byte* w = _watches + i * WatchRecord;
            if (w[0] != 0 && new ReadOnlySpan<byte>(w + 2, w[0]).SequenceEqual(path) &&
                new ReadOnlySpan<byte>(w + 4 + XenStoreTree.MaxPath, w[2 + XenStoreTree.MaxPath]).SequenceEqual(token)) return i;
        }
        return -1;
    }

    private XenStoreStatus Watch(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> path, bool add)
    {
        if (!XenStoreCodec.TryGetField(payload, 1, out ReadOnlySpan<byte> token) || token.Length == 0 || token.Length > MaxToken)
            return XenStoreStatus.Invalid;
        bool relative = payload.Length != 0 && payload[0] != (byte)'/';
        int existing = FindWatch(path, token);
        if (!add)
        {
            if (existing < 0) return XenStoreStatus.NotFound;
            _watches[existing * WatchRecord] = 0;
            return XenStoreStatus.Ok;
        }
        if (existing >= 0) return XenStoreStatus.Exists;
        for (int i = 0; i < MaxWatches; i++)
        {
            byte* w = _watches + i * WatchRecord;
            if (w[0] != 0) continue;
            w[0] = (byte)path.Length;
            w[1] = relative ? (byte)1 : (byte)0;
            path.CopyTo(new Span<byte>(w + 2, XenStoreTree.MaxPath));
            w[2 + XenStoreTree.MaxPath] = (byte)token.Length;
            token.CopyTo(new Span<byte>(w + 4 + XenStoreTree.MaxPath, MaxToken));
            Queue(i, path);                                       // xenstored fires a new watch once, at once
            return XenStoreStatus.Ok;
        }
        return XenStoreStatus.NoSpace;
    }

    private void ClearWatchesAndTransactions()
    {
        new Span<byte>(_watches, MaxWatches * WatchRecord + MaxQueuedEvents * EventRecord).Clear();
        _eventHead = _eventCount = 0;
        for (int t = 0; t < MaxTransactions; t++) _txId[t] = 0;
    }

    private bool Fail(RingError error)
    {
        Broken = error;
        RingErrors++;
        // XENSTORE_ERROR_RINGIDX for impossible indices, XENSTORE_ERROR_PROTO for a malformed message.
        _page->Error = (uint)(error == RingError.MalformedMessage ? XenStoreRingError.Protocol : XenStoreRingError.RingIndex);
        return false;
    }

    /// <summary>One request outside any transaction (see the overload with a transaction id).</summary>
    public XenStoreMessageType Handle(XenStoreMessageType type, ReadOnlySpan<byte> payload, Span<byte> reply, out int length) =>
        Handle(type, 0, payload, reply, out length);

    /// <summary>One request: the reply type and payload (<c>XS_ERROR</c> with the <c>xsd_errors</c> name and a NUL for
    /// failures; unknown types get <c>ENOSYS</c>, as xenstored answers them). A non-zero <paramref name="transactionId"/>
    /// runs <c>XS_READ</c>, <c>XS_WRITE</c>, <c>XS_MKDIR</c>, <c>XS_RM</c>, <c>XS_DIRECTORY</c>, <c>XS_GET_PERMS</c> and
    /// <c>XS_SET_PERMS</c> on that transaction's copy of the tree (an unknown id: <c>ENOENT</c>); its changes reach the
    /// tree, and fire watches, when <c>XS_TRANSACTION_END "T"</c> commits it. Permissions are enforced for the
    /// connection's domain (domain 0 has every access): reading needs <c>r</c>, writing or removing a node needs
    /// <c>w</c> on it, creating one needs <c>w</c> on its nearest existing ancestor (<c>EACCES</c> otherwise).</summary>
    public XenStoreMessageType Handle(XenStoreMessageType type, uint transactionId, ReadOnlySpan<byte> payload, Span<byte> reply, out int length)
    {
        length = 0;
        Span<byte> path = stackalloc byte[XenStoreTree.MaxPath + 1];
        XenStoreStatus status;
        int tx = -1;
        bool treeOp = type == XenStoreMessageType.Read || type == XenStoreMessageType.Write || type == XenStoreMessageType.Mkdir ||
            type == XenStoreMessageType.Rm || type == XenStoreMessageType.Directory || type == XenStoreMessageType.GetPerms ||
            type == XenStoreMessageType.SetPerms;
        if (transactionId != 0 && (treeOp || type == XenStoreMessageType.TransactionEnd))
        {
            tx = FindTransaction(transactionId);
            if (tx < 0) return Error(XenStoreStatus.NotFound, reply, out length);
        }
        // The tree this request works on: the store, or the transaction's copy (a view; its generation is saved below).
        XenStoreTree work = tx < 0 ? Tree : TransactionTree(tx, working: true);
        int pathLength = 0;
        if (treeOp && !TryPath(payload, 0, path, out pathLength)) return Error(XenStoreStatus.Invalid, reply, out length);
        ReadOnlySpan<byte> p = path.Slice(0, pathLength);
        switch (type)
        {
            case XenStoreMessageType.Read:
            {
                if (tx >= 0 && !Record(tx, p, 0)) { status = XenStoreStatus.NoSpace; break; }
                status = Check(work, p, XenStoreAccess.Read);
                if (status == XenStoreStatus.Ok) status = work.Read(p, reply, out length);
                break;
            }
            case XenStoreMessageType.Write:
            case XenStoreMessageType.Mkdir:
            {
                // A transaction records what it changes only once the change is made (a refused request only reads),
                // so a failed request never makes its commit copy or fire anything.
                bool mkdir = type == XenStoreMessageType.Mkdir;
                int nul = payload.IndexOf((byte)0);
                ReadOnlySpan<byte> value = mkdir || nul < 0 ? default : payload.Slice(nul + 1);
                if (!XenStoreTree.IsValidPath(p)) { status = XenStoreStatus.Invalid; break; }
                if (value.Length > XenStoreTree.MaxValue) { status = XenStoreStatus.TooBig; break; }
                bool existed = work.Exists(p);
                int nearest = existed ? p.Length : work.NearestExisting(p).Length;
                // Writing an existing node needs w on it; creating one, w on its nearest existing ancestor.
                status = Check(work, p.Slice(0, nearest), XenStoreAccess.Write);
                if (status == XenStoreStatus.Ok && mkdir && existed) status = XenStoreStatus.Ok;
                else if (status == XenStoreStatus.Ok && tx >= 0 && !HasRoom(tx, p, existed, nearest)) status = XenStoreStatus.NoSpace;
                else if (status == XenStoreStatus.Ok) status = work.Write(p, value, _domain);
                if (status != XenStoreStatus.Ok || (mkdir && existed))
                {
                    if (tx >= 0 && !Record(tx, p, 0) && status == XenStoreStatus.Ok) status = XenStoreStatus.NoSpace;
                    if (status == XenStoreStatus.Ok) length = Ok(reply);
                    break;
                }
                if (tx >= 0) RecordCreation(tx, p, existed, nearest);
                else Fire(p, false);
                length = Ok(reply);
                break;
            }
            case XenStoreMessageType.Rm:
            {
                if (!XenStoreTree.IsValidPath(p) || pathLength == 1) { status = XenStoreStatus.Invalid; break; }
                ReadOnlySpan<byte> parent = XenStoreTree.ParentOf(p);
                if (!work.Exists(p))
                {
                    // xenstored's do_rm: a node that does not exist is fine when its parent does (OK, nothing fires).
                    status = work.Exists(parent) ? XenStoreStatus.Ok : XenStoreStatus.NotFound;
                    if (tx >= 0 && (!Record(tx, p, 0) || !Record(tx, parent, 0))) status = XenStoreStatus.NoSpace;
                    if (status == XenStoreStatus.Ok) length = Ok(reply);
                    break;
                }
                status = Check(work, p, XenStoreAccess.Write);
                if (status == XenStoreStatus.Ok && tx >= 0 && !HasRoom(tx, (IsRecorded(tx, p) ? 0 : 1) + (IsRecorded(tx, parent) ? 0 : 1)))
                    status = XenStoreStatus.NoSpace;
                if (status != XenStoreStatus.Ok)
                {
                    if (tx >= 0) Record(tx, p, 0);
                    break;
                }
                status = work.Remove(p);
                if (status != XenStoreStatus.Ok) break;
                if (tx >= 0)
                {
                    Record(tx, p, EntryWritten | EntrySubtree | EntryFire);
                    Record(tx, parent, 0);
                }
                else Fire(p, true);
                length = Ok(reply);
                break;
            }
            case XenStoreMessageType.Directory:
            {
                if (tx >= 0 && !Record(tx, p, 0)) { status = XenStoreStatus.NoSpace; break; }
                status = Check(work, p, XenStoreAccess.Read);
                if (status == XenStoreStatus.Ok) status = work.Directory(p, reply, out length);
                break;
            }
            case XenStoreMessageType.GetPerms:
            {
                if (tx >= 0 && !Record(tx, p, 0)) { status = XenStoreStatus.NoSpace; break; }
                status = Check(work, p, XenStoreAccess.Read);
                if (status == XenStoreStatus.Ok) status = FormatPermissions(work, p, reply, out length);
                break;
            }
            case XenStoreMessageType.SetPerms:
            {
                status = SetPermissions(ref work, tx, p, payload);
                if (status == XenStoreStatus.Ok) length = Ok(reply);
                if (status == XenStoreStatus.Ok && tx < 0) Fire(p, false);
                break;
            }
            case XenStoreMessageType.GetDomainPath:
            {
                // Payload: a domain id in decimal; reply: "/local/domain/<id>" and a NUL (any id, as xenstored).
                if (!XenStoreCodec.TryGetField(payload, 0, out ReadOnlySpan<byte> id) || id.Length == 0 || id.Length > 5)
                    return Error(XenStoreStatus.Invalid, reply, out length);
                uint domid = 0;
                for (int i = 0; i < id.Length; i++)
                {
                    if (id[i] < (byte)'0' || id[i] > (byte)'9') return Error(XenStoreStatus.Invalid, reply, out length);
                    domid = domid * 10 + (uint)(id[i] - '0');
                }
                if (domid > 0xFFFF) return Error(XenStoreStatus.Invalid, reply, out length);
                length = HomePath((ushort)domid, reply);
                reply[length++] = 0;
                status = XenStoreStatus.Ok;
                break;
            }
            case XenStoreMessageType.Watch:
            case XenStoreMessageType.Unwatch:
            {
                if (!TryPath(payload, 0, path, out int watchLength)) return Error(XenStoreStatus.Invalid, reply, out length);
                status = Watch(payload, path.Slice(0, watchLength), type == XenStoreMessageType.Watch);
                if (status == XenStoreStatus.Ok) length = Ok(reply);
                break;
            }
            case XenStoreMessageType.ResetWatches:
                // xenstored's do_reset_watches: every watch of the connection and every open transaction go.
                ClearWatchesAndTransactions();
                length = Ok(reply);
                status = XenStoreStatus.Ok;
                break;
            case XenStoreMessageType.TransactionStart:
                status = StartTransaction(transactionId, reply, out length);
                break;
            case XenStoreMessageType.TransactionEnd:
                status = EndTransaction(tx, payload);
                if (status == XenStoreStatus.Ok) length = Ok(reply);
                break;
            default:
                status = XenStoreStatus.NotImplemented;
                break;
        }
        if (tx >= 0 && type != XenStoreMessageType.TransactionEnd) _txGeneration[tx] = work.Generation;
        else if (tx < 0) Tree = work;
        if (status != XenStoreStatus.Ok) return Error(status, reply, out length);
        return type;
    }

    // xenstored's access check on an existing node (ENOENT when missing).
    private readonly XenStoreStatus Check(in XenStoreTree tree, ReadOnlySpan<byte> path, XenStoreAccess need)
    {
        if (!XenStoreTree.IsValidPath(path)) return XenStoreStatus.Invalid;
        if (!tree.Exists(path)) return XenStoreStatus.NotFound;
        return (tree.AccessOf(path, _domain) & need) == need ? XenStoreStatus.Ok : XenStoreStatus.AccessDenied;
    }

    private readonly XenStoreStatus FormatPermissions(in XenStoreTree tree, ReadOnlySpan<byte> path, Span<byte> reply, out int length)
    {
        length = 0;
        Span<XenStorePermission> list = stackalloc XenStorePermission[XenStoreTree.MaxPermissions];
        XenStoreStatus st = tree.GetPermissions(path, list, out int count);
        if (st != XenStoreStatus.Ok) return st;
        for (int k = 0; k < count; k++)
        {
            int n = list[k].Format(reply.Slice(length));
            if (n == 0 || reply.Length - length < n + 1) return XenStoreStatus.TooBig;
            length += n;
            reply[length++] = 0;
        }
        return XenStoreStatus.Ok;
    }

    // XS_SET_PERMS: path\0perm\0perm\0... The list must parse (EINVAL) and fit (ENOSPC); the node must exist (ENOENT)
    // and belong to the connection's domain (EACCES: only the owner, or domain 0, changes permissions); an unprivileged
    // domain may not give the node away (EPERM).
    private XenStoreStatus SetPermissions(ref XenStoreTree work, int tx, ReadOnlySpan<byte> path, ReadOnlySpan<byte> payload)
    {
        Span<XenStorePermission> list = stackalloc XenStorePermission[XenStoreTree.MaxPermissions];
        int count = 0;
        for (int field = 1; ; field++)
        {
            if (!XenStoreCodec.TryGetField(payload, field, out ReadOnlySpan<byte> text) || text.Length == 0) break;
            if (!XenStorePermission.TryParse(text, out XenStorePermission perm)) return XenStoreStatus.Invalid;
            if (count == XenStoreTree.MaxPermissions) return XenStoreStatus.NoSpace;
            list[count++] = perm;
        }
        if (count == 0 || !XenStoreTree.IsValidPath(path) || path.Length == 1) return XenStoreStatus.Invalid;
        XenStoreStatus status = XenStoreStatus.Ok;
        if (!work.Exists(path)) status = XenStoreStatus.NotFound;
        else if (_domain != 0 && work.OwnerOf(path) != _domain) status = XenStoreStatus.AccessDenied;
        else if (_domain != 0 && list[0].Domain != work.OwnerOf(path)) status = XenStoreStatus.NotPermitted;
        if (tx >= 0 && !Record(tx, path, status == XenStoreStatus.Ok ? (byte)(EntryWritten | EntryFire) : (byte)0)) return XenStoreStatus.NoSpace;
        return status != XenStoreStatus.Ok ? status : work.SetPermissions(path, list.Slice(0, count));
    }

    // ---- transactions -------------------------------------------------------------------------------------------
    // Each open transaction owns a slot: the tree as it was at XS_TRANSACTION_START (pristine), the tree as the
    // transaction sees it (working), and the list of nodes it touched, each with flags (written; a subtree, for XS_RM;
    // fire a watch for it at commit). A commit fails with EAGAIN when a touched node (or, for a subtree, any node at or
    // below it) differs between the pristine copy and the store now: the generation stamps only grow, so any change
    // shows. Otherwise the written nodes are copied from the working tree into a copy of the store, which replaces the
    // store only when all of them fit (so a commit applies completely or not at all).

    private readonly int FindTransaction(uint id)
    {
        for (int t = 0; t < MaxTransactions; t++) if (_txId[t] == id && id != 0) return t;
        return -1;
    }

    // SAFETY: t < MaxTransactions; the slot is TransactionSize bytes of the server's private memory (Initialize).
    private readonly byte* Slot(int t) => _transactions + t * TransactionSize;
    private readonly byte* Entry(int t, int e) => Slot(t) + 2 * XenStoreTree.MemorySize + e * EntrySize;

    private readonly XenStoreTree TransactionTree(int t, bool working)
    {
        XenStoreTree tree = default;
        tree.Attach(Slot(t) + (working ? XenStoreTree.MemorySize : 0), working ? _txGeneration[t] : 0);
        return tree;
    }

    private XenStoreStatus StartTransaction(uint current, Span<byte> reply, out int length)
    {
        length = 0;
        if (current != 0) return XenStoreStatus.Busy;                      // no nested transactions
        int t = 0;
        while (t < MaxTransactions && _txId[t] != 0) t++;
        if (t == MaxTransactions) return XenStoreStatus.NoSpace;
        XenStoreTree copy = default;
        copy.CopyFrom(Slot(t), Tree);
        copy.CopyFrom(Slot(t) + XenStoreTree.MemorySize, Tree);
        _txGeneration[t] = Tree.Generation;
        _txEntries[t] = 0;
        uint id = _nextTxId++;
        if (_nextTxId == 0) _nextTxId = 1;
        _txId[t] = id;
        TransactionsStarted++;
        length = WriteDecimal(id, reply);
        reply[length++] = 0;
        return XenStoreStatus.Ok;
    }

    // Records that transaction t touched path (flags OR-ed into an existing record). A path at or below a recorded
    // subtree is covered by it. False when the list is full.
    private bool Record(int t, ReadOnlySpan<byte> path, byte flags)
    {
        if (path.Length <= 1) return true;                                   // the root never changes
        int n = _txEntries[t];
        for (int e = 0; e < n; e++)
        {
            byte* r = Entry(t, e);
            var recorded = new ReadOnlySpan<byte>(r + 4, r[1]);
            if (recorded.SequenceEqual(path)) { r[0] |= flags; return true; }
            if ((r[0] & EntrySubtree) != 0 && XenStoreTree.IsAtOrBelow(path, recorded)) return true;
        }
        if (n == MaxTransactionNodes) return false;
        byte* entry = Entry(t, n);
        entry[0] = flags;
        entry[1] = (byte)path.Length;
        path.CopyTo(new Span<byte>(entry + 4, XenStoreTree.MaxPath));
        _txEntries[t] = n + 1;
        return true;
    }

    // Whether transaction t can record every node RecordCreation will record for this change: checked before the
    // change, so the records after it always fit.
    private readonly bool HasRoom(int t, ReadOnlySpan<byte> path, bool existed, int nearest)
    {
        int needed = IsRecorded(t, path) ? 0 : 1;
        if (!existed)
        {
            if (!IsRecorded(t, path.Slice(0, nearest))) needed++;
            for (int end = nearest + 1; end < path.Length; end++)
                if (path[end] == (byte)'/' && !IsRecorded(t, path.Slice(0, end))) needed++;
        }
        return HasRoom(t, needed);
    }

    private readonly bool HasRoom(int t, int entries) => MaxTransactionNodes - _txEntries[t] >= entries;

    // Whether Record(t, path, ...) would find a record (the path's own, or a subtree covering it): it then needs no slot.
    private readonly bool IsRecorded(int t, ReadOnlySpan<byte> path)
    {
        if (path.Length <= 1) return true;
        for (int e = 0; e < _txEntries[t]; e++)
        {
            byte* r = Entry(t, e);
            var recorded = new ReadOnlySpan<byte>(r + 4, r[1]);
            if (recorded.SequenceEqual(path) || ((r[0] & EntrySubtree) != 0 && XenStoreTree.IsAtOrBelow(path, recorded))) return true;
        }
        return false;
    }

    // A write or mkdir made in transaction t: the node is written (and fires its watches at commit); when it was
    // created, the nearest ancestor that existed (the first nearest bytes of path) is read (its child list changed) and
    // every ancestor created on the way is written.
    private void RecordCreation(int t, ReadOnlySpan<byte> path, bool existed, int nearest)
    {
        if (!existed)
        {
            Record(t, path.Slice(0, nearest), 0);
            for (int end = nearest + 1; end < path.Length; end++)
                if (path[end] == (byte)'/') Record(t, path.Slice(0, end), EntryWritten);
        }
        Record(t, path, EntryWritten | EntryFire);
    }

    private XenStoreStatus EndTransaction(int t, ReadOnlySpan<byte> payload)
    {
        if (t < 0) return XenStoreStatus.NotFound;                          // XS_TRANSACTION_END outside a transaction
        if (!XenStoreCodec.TryGetField(payload, 0, out ReadOnlySpan<byte> verdict) || verdict.Length != 1 ||
            (verdict[0] != (byte)'T' && verdict[0] != (byte)'F')) return XenStoreStatus.Invalid;
        _txId[t] = 0;                                                        // ended either way
        if (verdict[0] == (byte)'F') return XenStoreStatus.Ok;
        XenStoreTree pristine = TransactionTree(t, working: false);
        XenStoreTree working = TransactionTree(t, working: true);
        int n = _txEntries[t];
        for (int e = 0; e < n; e++)
        {
            byte* r = Entry(t, e);
            var path = new ReadOnlySpan<byte>(r + 4, r[1]);
            bool same;
            if ((r[0] & EntrySubtree) != 0)
            {
                pristine.SubtreeState(path, out int c0, out ulong g0);
                Tree.SubtreeState(path, out int c1, out ulong g1);
                same = c0 == c1 && g0 == g1;
            }
            else
            {
                bool e0 = pristine.TryGetGeneration(path, out ulong g0), e1 = Tree.TryGetGeneration(path, out ulong g1);
                same = e0 == e1 && g0 == g1;
            }
            if (!same)
            {
                TransactionConflicts++;
                return XenStoreStatus.Again;
            }
        }
        // Apply to a copy of the store (the pristine slot is free now), then make it the store.
        XenStoreTree next = default;
        next.CopyFrom(Slot(t), Tree);
        for (int e = 0; e < n; e++)
        {
            byte* r = Entry(t, e);
            if ((r[0] & EntryWritten) == 0) continue;
            var path = new ReadOnlySpan<byte>(r + 4, r[1]);
            XenStoreStatus st = (r[0] & EntrySubtree) != 0 ? next.CopySubtreeFrom(path, working) : next.CopyNodeFrom(path, working);
            if (st != XenStoreStatus.Ok) return st;
        }
        byte* store = Tree.Memory;
        Tree.CopyFrom(store, next);
        TransactionsCommitted++;
        for (int e = 0; e < n; e++)
        {
            byte* r = Entry(t, e);
            if ((r[0] & EntryFire) == 0) continue;
            var path = new ReadOnlySpan<byte>(r + 4, r[1]);
            Fire(path, (r[0] & EntrySubtree) != 0 || !Tree.Exists(path));
        }
        return XenStoreStatus.Ok;
    }

    private static int Ok(Span<byte> reply)
    {
        reply[0] = (byte)'O';
        reply[1] = (byte)'K';
        reply[2] = 0;
        return 3;
    }

    private static XenStoreMessageType Error(XenStoreStatus status, Span<byte> reply, out int length)
    {
        ReadOnlySpan<byte> name = XenStoreErrors.GetName((int)status);
        name.CopyTo(reply);
        reply[name.Length] = 0;
        length = name.Length + 1;
        return XenStoreMessageType.Error;
    }

    /// <summary>The request's path argument (field <paramref name="index"/>), made absolute: a relative path is relative
    /// to the domain's home <c>/local/domain/&lt;domid&gt;</c>, as xenstored resolves it.</summary>
    private readonly bool TryPath(ReadOnlySpan<byte> payload, int index, Span<byte> path, out int length)
    {
        length = 0;
        if (!XenStoreCodec.TryGetField(payload, index, out ReadOnlySpan<byte> field) || field.Length == 0) return false;
        if (field[0] == (byte)'/')
        {
            if (field.Length > XenStoreTree.MaxPath) return false;
            field.CopyTo(path);
            length = field.Length;
            return true;
        }
        int n = HomePath(_domain, path);
        if (n < 0 || path.Length - n < field.Length + 1) return false;
        path[n] = (byte)'/';
        field.CopyTo(path.Slice(n + 1));
        length = n + 1 + field.Length;
        return length <= XenStoreTree.MaxPath;
    }

    /// <summary>Writes <c>/local/domain/&lt;domid&gt;</c>; returns its length (-1 when it does not fit).</summary>
    public static int HomePath(ushort domain, Span<byte> destination)
    {
        ReadOnlySpan<byte> prefix = "/local/domain/"u8;
        if (destination.Length < prefix.Length + 5) return -1;
        prefix.CopyTo(destination);
        return prefix.Length + WriteDecimal(domain, destination.Slice(prefix.Length));
    }

    /// <summary>Writes a decimal number (no allocation); returns the digits written.</summary>
    public static int WriteDecimal(uint value, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[10];
        int n = 0;
        do { digits[n++] = (byte)('0' + value % 10); value /= 10; } while (value != 0);
        if (destination.Length < n) return 0;
        for (int i = 0; i < n; i++) destination[i] = digits[n - 1 - i];
        return n;
    }
}
