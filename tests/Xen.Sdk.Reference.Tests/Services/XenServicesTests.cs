using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Reference.Services;
using Xen.Sdk.Reference.Tests.Dispatch;
using Xen.Sdk.Rings;
using Xen.Sdk.Rings.XenStore;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Services;

/// <summary>The Xen services driven through the dispatcher exactly as the kernel runs them, with a fake guest (paging
/// off, 1 MiB of RAM). Shared pages are checked at the offsets of Xen's C headers (Xen.Sdk.Abi's constants, which gcc
/// verified against xen/include/public); the XenStore client side is Xen.Sdk.Rings' client ring and codec; the expected
/// errnos are those Xen's event_channel.c / memory.c / hvm.c return for the same inputs.</summary>
public sealed unsafe class XenServicesTests : ServiceFixture
{
    private const long EINVAL = -(long)XenErrno.EINVAL, ESRCH = -(long)XenErrno.ESRCH, EFAULT = -(long)XenErrno.EFAULT,
        ENOSPC = -(long)XenErrno.ENOSPC, EPERM = -(long)XenErrno.EPERM, ENOSYS = -(long)XenErrno.ENOSYS;
    public XenServicesTests() : base("xenbus") { }

    private static uint Doms(ushort dom, ushort remote) => dom | ((uint)remote << 16);

    private long HvmParam(int op, ushort dom, uint index, ulong value)
    {
        Ram.Slice((int)Arg, 16).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg), dom);
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 4), index);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), value);
        return Call(34, (ulong)op, Arg);
    }

    private ulong ArgQword(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(Ram.Slice((int)Arg + offset));

    private long AddToPhysmap(ushort dom, uint space, ulong idx, ulong gpfn)
    {
        // struct xen_add_to_physmap, x86_64: domid 0, size 2, space 4, idx 8, gpfn 16 (Xen.Sdk.Abi, gcc-checked).
        Ram.Slice((int)Arg, XenAddToPhysmap64Size).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg), dom);
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 4), space);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), idx);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 16), gpfn);
        return Call(12, 7, Arg);
    }

    private const int XenAddToPhysmap64Size = Xen.Sdk.Abi.Memory.XenAddToPhysmap64.Size;

    private void MapSharedInfoWithVectorCallback(byte vector = 0xF3)
    {
        Assert.Equal(0, HvmParam(0, DomainIds.Self, 0, (2UL << 56) | vector));
        Assert.Equal(0, AddToPhysmap(DomainIds.Self, 0, 0, SharedGfn));
    }

    private ReadOnlySpan<byte> SharedPage => Ram.Slice((int)(SharedGfn << 12), 4096);
    private static int PendingWordOffset => (int)Marshal.OffsetOf<SharedInfo64>(nameof(SharedInfo64.EvtchnPending));
    private static int MaskWordOffset => (int)Marshal.OffsetOf<SharedInfo64>(nameof(SharedInfo64.EvtchnMask));
    private ulong PendingWord0 => BinaryPrimitives.ReadUInt64LittleEndian(SharedPage.Slice(PendingWordOffset));
    private byte UpcallPending => SharedPage[(int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnUpcallPending))];
    private ulong PendingSel => BinaryPrimitives.ReadUInt64LittleEndian(SharedPage.Slice((int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnPendingSel))));

    [Fact]
    public void LoopbackSendSetsPendingSelectorAndUpcallAndQueuesTheCallbackVector()
    {
        MapSharedInfoWithVectorCallback();
        Assert.Equal(0, Evtchn(6, Doms(DomainIds.Self, DomainIds.Self)));
        uint a = ArgDword(1);
        Assert.Equal(3u, a);                                         // 0 reserved, 1 store, 2 console
        Assert.Equal(0, Evtchn(0, DomainIds.Self, a));               // bind_interdomain(DOMID_SELF, a)
        uint b = ArgDword(2);
        Assert.Equal(4u, b);
        Assert.False(_s.InterruptPending);
        Assert.Equal(0, Evtchn(4, b));                                // send on b -> a pending
        Assert.Equal(1UL << (int)a, PendingWord0);
        Assert.Equal(1UL, PendingSel);
        Assert.Equal(1, UpcallPending);
        Assert.True(_s.InterruptPending);
        Assert.Equal(0xF3, _s.InterruptVector);
        // A second send while evtchn_upcall_pending is still 1: pending stays set, no second upcall edge. With
        // RFLAGS.IF = 0 the level is not re-asserted at this exit; with IF = 1 it is (counted apart from upcalls).
        _s.InterruptPending = false;
        Assert.Equal(0, Evtchn(4, b));
        Assert.False(_s.InterruptPending);
        Assert.Equal(1UL, _d.Xen.Upcalls);
        _s.Rflags |= 1 << 9;
        Assert.Equal(0, Evtchn(4, b));
        Assert.True(_s.InterruptPending);
        Assert.Equal(1UL, _d.Xen.Upcalls);
        Assert.Equal(1UL, _d.Xen.UpcallReasserts);
        _s.Rflags = 2;
        // Status (struct evtchn_status: status at 8, u.interdomain.dom 16, .port 20).
        Assert.Equal(0, Evtchn(5, Doms(DomainIds.Self, 0), a));
        Assert.Equal(2u, ArgDword(2));                                // EVTCHNSTAT_interdomain
        Assert.Equal(b, ArgDword(5));
        // Close b: a reverts to unbound (Xen's __evtchn_close).
        Assert.Equal(0, Evtchn(3, b));
        Assert.Equal(0, Evtchn(5, Doms(DomainIds.Self, 0), a));
        Assert.Equal(1u, ArgDword(2));                                // EVTCHNSTAT_unbound
        Assert.Equal(0, Evtchn(5, Doms(DomainIds.Self, 0), b));
        Assert.Equal(0u, ArgDword(2));                                // EVTCHNSTAT_closed
    }

    [Fact]
    public void IpiPortRaisesItself()
    {
        MapSharedInfoWithVectorCallback();
        Assert.Equal(-(long)XenErrno.ENOENT, Evtchn(7, 1));           // EVTCHNOP_bind_ipi on vCPU 1: no such vCPU
        Assert.Equal(0, Evtchn(7, 0));
        uint p = ArgDword(1);
        Assert.Equal(3u, p);
        Assert.Equal(0, Evtchn(5, Doms(DomainIds.Self, 0), p));
        Assert.Equal(5u, ArgDword(2));                                // EVTCHNSTAT_ipi
        Assert.Equal(0, Evtchn(4, p));
        Assert.Equal(1UL << (int)p, PendingWord0);
        Assert.True(_s.InterruptPending);
        Assert.Equal(0, Evtchn(3, p));
        Assert.Equal(0UL, PendingWord0);                              // closing clears the pending bit
    }

    [Fact]
    public void SharedInfoMovesToTheGuestFrameWithItsContents()
    {
        Assert.Equal(0, HvmParam(0, DomainIds.Self, 0, (2UL << 56) | 0x40));
        Assert.Equal(0, Evtchn(6, Doms(DomainIds.Self, DomainIds.Self)));
        Assert.Equal(0, Evtchn(0, DomainIds.Self, 3));
        Assert.Equal(0, Evtchn(4, 4));                                // raised before the guest mapped shared_info
        Assert.True(_s.InterruptPending);
        Assert.Equal(0, AddToPhysmap(DomainIds.Self, 0, 0, SharedGfn));
        Assert.Equal(1UL << 3, PendingWord0);                         // the hypervisor's copy moved into the frame
        // Re-setting the callback while evtchn_upcall_pending is set raises the vector again (hvm_assert_evtchn_irq).
        _s.InterruptPending = false;
        Assert.Equal(0, HvmParam(0, DomainIds.Self, 0, (2UL << 56) | 0x41));
        Assert.True(_s.InterruptPending);
        Assert.Equal(0x41, _s.InterruptVector);
        Assert.Equal(1, UpcallPending);
        Assert.Equal(EINVAL, AddToPhysmap(DomainIds.Self, 0, 0, RamSize >> 12));    // first frame outside RAM
        Assert.Equal(EINVAL, AddToPhysmap(DomainIds.Self, 0, 0, 1UL << 52));
        Assert.Equal(EINVAL, AddToPhysmap(DomainIds.Self, 0, 1, SharedGfn));        // idx must be 0
        Assert.Equal(EINVAL, AddToPhysmap(DomainIds.Self, 2, 0, SharedGfn));        // XENMAPSPACE_gmfn: not offered
        Assert.Equal(ESRCH, AddToPhysmap(9, 0, 0, SharedGfn));
        Assert.Equal(EFAULT, Call(12, 7, RamSize + 0x1000UL));
        Assert.Equal(ENOSYS, Call(12, 99, Arg));
    }

    [Fact]
    public void MaskedPortStaysPendingUntilUnmask()
    {
        MapSharedInfoWithVectorCallback();
        Evtchn(6, Doms(DomainIds.Self, DomainIds.Self));
        Evtchn(0, DomainIds.Self, 3);
        var page = new Span<byte>(_d.Memory.TryMapPage(SharedGfn << 12), 4096);
        page[MaskWordOffset] |= 1 << 3;                               // guest masks port 3
        Assert.Equal(0, Evtchn(4, 4));
        Assert.Equal(1UL << 3, PendingWord0);
        Assert.Equal(0UL, PendingSel);
        Assert.False(_s.InterruptPending);
        Assert.Equal(0, Evtchn(9, 3));                                // EVTCHNOP_unmask
        Assert.Equal(0, page[MaskWordOffset] & (1 << 3));
        Assert.Equal(1UL, PendingSel);
        Assert.True(_s.InterruptPending);
    }

    [Fact]
    public void HvmParamsExposeTheStoreAndConsoleAndRejectWhatXenRejects()
    {
        Assert.Equal(0, HvmParam(1, DomainIds.Self, 1, 0)); Assert.Equal(StorePfn, ArgQword(8));
        Assert.Equal(0, HvmParam(1, DomainIds.Self, 2, 0)); Assert.Equal(1UL, ArgQword(8));
        Assert.Equal(0, HvmParam(1, DomainIds.Self, 17, 0)); Assert.Equal(ConsolePfn, ArgQword(8));
        Assert.Equal(0, HvmParam(1, XenDomain.DefaultDomainId, 18, 0)); Assert.Equal(2UL, ArgQword(8));
        Assert.Equal(EINVAL, HvmParam(1, DomainIds.Self, 39, 0));     // HVM_NR_PARAMS
        Assert.Equal(ESRCH, HvmParam(1, 5, 1, 0));
        Assert.Equal(EPERM, HvmParam(0, DomainIds.Self, 1, 0x10));
        Assert.Equal(EINVAL, HvmParam(0, DomainIds.Self, 0, 5));      // GSI type
        Assert.Equal(EINVAL, HvmParam(0, DomainIds.Self, 0, (2UL << 56) | 14));
        Assert.Equal(0, HvmParam(0, DomainIds.Self, 0, 0));           // 0 disables
        Assert.Equal(ENOSYS, Call(34, 5, Arg));
    }

    /// <summary>An independent model of the port states of Xen's event_channel.c for one domain talking to itself:
    /// every operation's result and the final pending bits must match.</summary>
    [Property(MaxTest = 200)]
    public bool RandomEventChannelOperationsFollowXensRules(byte[] ops)
    {
        using var t = new XenServicesTests();
        t.MapSharedInfoWithVectorCallback();
        // 0 free, 1 unbound, 2 interdomain, 3 service, 4 reserved. Ports become valid 64 at a time (Xen's buckets):
        // when ports 0-63 are all in use, the next allocation is port 64 and makes 64-127 valid.
        var state = new int[EventChannelTable.Capacity];
        var peer = new uint[EventChannelTable.Capacity];
        int validPorts = 64;
        int LowestFree()
        {
            int f = Array.IndexOf(state, 0, 0, validPorts);
            return f >= 0 ? f : validPorts;
        }
        state[0] = 4; state[1] = 3; state[2] = 3;
        bool greeted = false;
        ulong pending = 0;
        foreach (byte op in ops ?? Array.Empty<byte>())
        {
            uint port = (uint)(op & 0x1F);
            if ((op & 0xC0) == 0xC0 && (op & 1) != 0) port += 5000;   // sometimes far out of range
            int kind = (op >> 5) % 5;
            long expected, got;
            bool valid = port < validPorts;
            switch (kind)
            {
                case 0: // alloc_unbound
                {
                    int free = LowestFree();
                    expected = 0;
                    got = t.Evtchn(6, Doms(DomainIds.Self, DomainIds.Self));
                    if (t.ArgDword(1) != (uint)free) return false;
                    state[free] = 1;
                    if (free == validPorts) validPorts += 64;
                    break;
                }
                case 1: // bind_interdomain to port
                {
                    int free = LowestFree();
                    expected = !valid || state[port] != 1 ? EINVAL : 0;
                    got = t.Evtchn(0, DomainIds.Self, port);
                    if (expected == 0)
                    {
                        uint l = t.ArgDword(2);
                        if (l != (uint)free) return false;
                        state[l] = 2; peer[l] = port; state[port] = 2; peer[port] = l;
                        if (free == validPorts) validPorts += 64;
                    }
                    break;
                }
                case 2: // send
                    expected = !valid || state[port] == 0 || state[port] == 4 ? EINVAL : 0;
                    got = t.Evtchn(4, port);
                    if (expected == 0 && state[port] == 2 && peer[port] < 64) pending |= 1UL << (int)peer[port];
                    // The console backend's first notification writes its input greeting and raises the console port.
                    if (expected == 0 && state[port] == 3 && port == XenDomain.ConsolePortNumber && !greeted)
                    {
                        pending |= 1UL << (int)port;
                        greeted = true;
                    }
                    break;
                case 3: // close
                    expected = !valid || state[port] == 0 || state[port] == 4 ? EINVAL : 0;
                    got = t.Evtchn(3, port);
                    if (expected == 0)
                    {
                        if (state[port] == 2) { state[peer[port]] = 1; }
                        state[port] = 0;
                        if (port < 64) pending &= ~(1UL << (int)port);
                    }
                    break;
                default: // status
                    expected = !valid ? EINVAL : 0;
                    got = t.Evtchn(5, Doms(DomainIds.Self, 0), port);
                    if (expected == 0)
                    {
                        uint want = state[port] switch { 1 => 1u, 2 or 3 => 2u, _ => 0u };
                        if (t.ArgDword(2) != want) return false;
                    }
                    break;
            }
            if (got != expected) return false;
        }
        return t.PendingWord0 == pending;
    }

    // ---- XenStore through the ring, the client side being Xen.Sdk.Rings' ----

    private XenStoreDomainInterface* StorePage => (XenStoreDomainInterface*)_d.Memory.TryMapPage(StorePfn << 12);

    private (XenStoreMessageHeader Header, byte[] Payload) Xs(XenStoreMessageType type, uint id, string payload)
    {
        Assert.True(XenStoreRing.TryAttachClient(StorePage, out ByteRingWriter requests, out ByteRingReader replies));
        var wbuf = new byte[XenStoreCodec.MaxMessageSize];
        var rbuf = new byte[XenStoreCodec.MaxMessageSize];
        var writer = new XenStoreMessageWriter();
        Assert.True(writer.TryBegin(type, id, 0, Encoding.ASCII.GetBytes(payload), wbuf));
        Assert.Equal(RingError.None, writer.Pump(ref requests, wbuf, out bool sent));
        Assert.True(sent);
        Assert.Equal(0, Evtchn(4, XenDomain.StorePortNumber));
        var reader = new XenStoreMessageReader();
        Assert.Equal(RingError.None, reader.Poll(ref replies, rbuf, out bool complete));
        Assert.True(complete);
        return (reader.Header, reader.GetPayload(rbuf).ToArray());
    }

    [Fact]
    public void XenStoreAnswersTheSeededKeysAndKeepsATree()
    {
        MapSharedInfoWithVectorCallback();
        var (h, p) = Xs(XenStoreMessageType.Read, 7, "name\0");
        Assert.Equal(XenStoreMessageType.Read, h.MessageType);
        Assert.Equal(7u, h.RequestId);
        Assert.Equal("xenbus", Encoding.ASCII.GetString(p));
        Assert.Equal(1UL << 1, PendingWord0);                         // the reply raised the store port
        Assert.True(_s.InterruptPending);
        Assert.Equal("1", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Read, 8, "/local/domain/1/domid\0").Payload));
        Assert.Equal("/vm/00000000-0000-0000-0000-000000000001", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Read, 9, "vm\0").Payload));
        Assert.Equal("OK\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Write, 10, "device/vif/0/state\04").Payload));
        Assert.Equal("4", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Read, 11, "device/vif/0/state\0").Payload));
        Assert.Equal("0\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Directory, 12, "device/vif\0").Payload));
        var dir = Encoding.ASCII.GetString(Xs(XenStoreMessageType.Directory, 13, "/local/domain/1\0").Payload).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { "console", "data", "device", "domid", "name", "vm" }, SortedCopy(dir));
        Assert.Equal("OK\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Rm, 14, "device\0").Payload));
        var (eh, ep) = Xs(XenStoreMessageType.Read, 15, "device/vif/0/state\0");
        Assert.Equal(XenStoreMessageType.Error, eh.MessageType);
        Assert.Equal("ENOENT\0", Encoding.ASCII.GetString(ep));
        Assert.True(XenStoreCodec.TryGetErrno(eh, ep, out int errno) && errno == 2);
        Assert.Equal("1\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.TransactionStart, 16, "\0").Payload));
        Assert.Equal("EACCES\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Write, 20, "domid\02").Payload));   // n0 r1
        Assert.Equal("EINVAL\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Read, 17, "bad//path\0").Payload));
        Assert.Equal("/local/domain/7\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.GetDomainPath, 18, "7\0").Payload));
        Assert.Equal("EINVAL\0", Encoding.ASCII.GetString(Xs(XenStoreMessageType.GetDomainPath, 19, "x1\0").Payload));
    }

    /// <summary>All reply-ring messages after one request (the reply, then any XS_WATCH_EVENTs).</summary>
    private List<(XenStoreMessageType Type, string Payload)> XsAll(XenStoreMessageType type, uint id, string payload, uint tx = 0)
    {
        Assert.True(XenStoreRing.TryAttachClient(StorePage, out ByteRingWriter requests, out ByteRingReader replies));
        var wbuf = new byte[XenStoreCodec.MaxMessageSize];
        var rbuf = new byte[XenStoreCodec.MaxMessageSize];
        var writer = new XenStoreMessageWriter();
        Assert.True(writer.TryBegin(type, id, tx, Encoding.ASCII.GetBytes(payload), wbuf));
        Assert.Equal(RingError.None, writer.Pump(ref requests, wbuf, out bool sent));
        Assert.True(sent);
        Assert.Equal(0, Evtchn(4, XenDomain.StorePortNumber));
        var reader = new XenStoreMessageReader();
        var all = new List<(XenStoreMessageType, string)>();
        while (reader.Poll(ref replies, rbuf, out bool complete) == RingError.None && complete)
        {
            all.Add((reader.Header.MessageType, Encoding.ASCII.GetString(reader.GetPayload(rbuf))));
            reader.Next();
        }
        return all;
    }

    [Fact]
    public void WatchesFireOnRegistrationOnWritesBelowAndOnRemovalOfAnAncestor()
    {
        var r = XsAll(XenStoreMessageType.Watch, 1, "data/vbd/51712\0front\0");  // relative: reported relative
        Assert.Equal(new[] { (XenStoreMessageType.Watch, "OK\0"), (XenStoreMessageType.WatchEvent, "data/vbd/51712\0front\0") }, r);
        r = XsAll(XenStoreMessageType.Watch, 2, "/local/domain/1/name\0abs\0");
        Assert.Equal((XenStoreMessageType.WatchEvent, "/local/domain/1/name\0abs\0"), r[1]);
        Assert.Equal((XenStoreMessageType.Error, "EEXIST\0"), XsAll(XenStoreMessageType.Watch, 3, "data/vbd/51712\0front\0")[0]);
        r = XsAll(XenStoreMessageType.Write, 4, "data/vbd/51712/state\01");
        Assert.Equal(new[] { (XenStoreMessageType.Write, "OK\0"), (XenStoreMessageType.WatchEvent, "data/vbd/51712/state\0front\0") }, r);
        r = XsAll(XenStoreMessageType.Write, 5, "device\0x");                    // not under any watch
        Assert.Single(r);
        Assert.Equal(XenStoreMessageType.Write, r[0].Type);
        r = XsAll(XenStoreMessageType.Rm, 6, "data/vbd\0");                      // removes an ancestor of the watched node
        Assert.Equal(new[] { (XenStoreMessageType.Rm, "OK\0"), (XenStoreMessageType.WatchEvent, "data/vbd\0front\0") }, r);
        Assert.Equal((XenStoreMessageType.Unwatch, "OK\0"), XsAll(XenStoreMessageType.Unwatch, 7, "data/vbd/51712\0front\0")[0]);
        Assert.Equal((XenStoreMessageType.Error, "ENOENT\0"), XsAll(XenStoreMessageType.Unwatch, 8, "data/vbd/51712\0front\0")[0]);
        r = XsAll(XenStoreMessageType.Write, 9, "data/vbd/51712/x\0y");        // no watch left there
        Assert.Equal(new[] { (XenStoreMessageType.Write, "OK\0") }, r);
        for (int i = 0; i < XenStoreServer.MaxWatches - 1; i++)
            Assert.Equal(XenStoreMessageType.Watch, XsAll(XenStoreMessageType.Watch, 10, "w" + i + "\0t\0")[0].Type);
        Assert.Equal((XenStoreMessageType.Error, "ENOSPC\0"), XsAll(XenStoreMessageType.Watch, 11, "full\0t\0")[0]);
        Assert.Equal(4UL + XenStoreServer.MaxWatches - 1, _d.Xen.Store.WatchEvents);   // 2 registrations, 1 write, 1 for the rm, 7 registrations
    }

    /// <summary>A transaction's changes fire watches once, after the commit's reply (with the reply's tx_id), and a
    /// request the transaction was refused (or one that changed nothing) fires nothing at the commit; an aborted or
    /// conflicting transaction fires nothing.</summary>
    [Fact]
    public void TransactionWatchEventsComeAtTheCommitAndOnlyForRealChanges()
    {
        Assert.Equal(2, XsAll(XenStoreMessageType.Watch, 1, "data\0tok\0").Count);                 // OK + the first event
        var start = XsAll(XenStoreMessageType.TransactionStart, 2, "\0");
        Assert.Equal((XenStoreMessageType.TransactionStart, "1\0"), start[0]);
        Assert.Single(XsAll(XenStoreMessageType.Write, 3, "data/a\01", tx: 1));                       // no event yet
        Assert.Equal((XenStoreMessageType.Error, "EACCES\0"), XsAll(XenStoreMessageType.Write, 4, "name\0x", tx: 1)[0]);
        Assert.Single(XsAll(XenStoreMessageType.Mkdir, 5, "data\0", tx: 1));                          // exists: no change
        Assert.Equal((XenStoreMessageType.Error, "EPERM\0"), XsAll(XenStoreMessageType.SetPerms, 6, "data\0n0\0", tx: 1)[0]);
        var commit = XsAll(XenStoreMessageType.TransactionEnd, 7, "T\0", tx: 1);
        Assert.Equal(new[] { (XenStoreMessageType.TransactionEnd, "OK\0"), (XenStoreMessageType.WatchEvent, "data/a\0tok\0") }, commit);
        Assert.Equal((XenStoreMessageType.TransactionStart, "2\0"), XsAll(XenStoreMessageType.TransactionStart, 8, "\0")[0]);
        Assert.Single(XsAll(XenStoreMessageType.Write, 9, "data/b\01", tx: 2));
        Assert.Equal(new[] { (XenStoreMessageType.TransactionEnd, "OK\0") }, XsAll(XenStoreMessageType.TransactionEnd, 10, "F\0", tx: 2));
        Assert.Equal(2UL, _d.Xen.Store.WatchEvents);   // the registration and the commit of transaction 1; nothing for the abort
    }

    /// <summary>XS_RESET_WATCHES (xenstored's do_reset_watches): every watch and every open transaction of the
    /// connection go; the store keeps its nodes.</summary>
    [Fact]
    public void ResetWatchesDropsWatchesAndTransactions()
    {
        Assert.Equal(2, XsAll(XenStoreMessageType.Watch, 1, "data\0tok\0").Count);
        Assert.Equal((XenStoreMessageType.TransactionStart, "1\0"), XsAll(XenStoreMessageType.TransactionStart, 2, "\0")[0]);
        Assert.Single(XsAll(XenStoreMessageType.Write, 3, "data/t\0x", tx: 1));
        Assert.Equal(new[] { (XenStoreMessageType.ResetWatches, "OK\0") }, XsAll(XenStoreMessageType.ResetWatches, 4, "\0"));
        Assert.Equal(new[] { (XenStoreMessageType.Write, "OK\0") }, XsAll(XenStoreMessageType.Write, 5, "data/w\0x"));     // no watch left
        Assert.Equal((XenStoreMessageType.Error, "ENOENT\0"), XsAll(XenStoreMessageType.TransactionEnd, 6, "T\0", tx: 1)[0]);
        Assert.Equal((XenStoreMessageType.Error, "ENOENT\0"), XsAll(XenStoreMessageType.Read, 7, "data/t\0")[0]);
        Assert.Equal((XenStoreMessageType.Read, "x"), XsAll(XenStoreMessageType.Read, 8, "data/w\0")[0]);
    }

    private static string[] SortedCopy(string[] a) { var c = (string[])a.Clone(); Array.Sort(c, StringComparer.Ordinal); return c; }

    [Fact]
    public void HostileStoreIndicesAreReportedInThePageAndRecoveredByReconnect()
    {
        var page = StorePage;
        page->ReqProd = page->ReqCons + 5000;                         // prod - cons > XENSTORE_RING_SIZE
        Assert.Equal(0, Evtchn(4, XenDomain.StorePortNumber));
        Assert.Equal((uint)XenStoreRingError.RingIndex, page->Error);
        Assert.Equal(1UL, _d.Xen.Store.RingErrors);
        Assert.Equal(0, Evtchn(4, XenDomain.StorePortNumber));        // ignored while broken
        Assert.Equal(1UL, _d.Xen.Store.RingErrors);
        page->Connection = (uint)XenStoreConnection.Reconnect;
        Assert.Equal(0, Evtchn(4, XenDomain.StorePortNumber));
        Assert.Equal((uint)XenStoreConnection.Connected, page->Connection);
        Assert.Equal(0u, page->Error);
        Assert.Equal(0u, page->ReqProd);
        Assert.Equal("1", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Read, 1, "domid\0").Payload));
    }

    [Property(MaxTest = 300)]
    public bool GarbageStorePagesNeverFaultTheServer(byte[] bytes, uint reqCons, uint reqProd, uint rspCons, uint rspProd)
    {
        using var t = new XenServicesTests();
        var page = (byte*)t.StorePage;
        var src = bytes ?? Array.Empty<byte>();
        for (int i = 0; i < 2048; i++) page[i] = src.Length == 0 ? (byte)0 : src[i % src.Length];
        var p = (XenStoreDomainInterface*)page;
        p->ReqCons = reqCons; p->ReqProd = reqProd; p->RspCons = rspCons; p->RspProd = rspProd;
        long r = t.Evtchn(4, XenDomain.StorePortNumber);
        // Either it processed well-formed requests, or it stopped with an error value in the page; never anything else.
        return r == 0 && (p->Error == 0 || p->Error == (uint)XenStoreRingError.RingIndex || p->Error == (uint)XenStoreRingError.Protocol);
    }

    [Fact]
    public void ConsoleRingIsDrainedToTheConsoleOnANotify()
    {
        var page = (ConsoleInterface*)_d.Memory.TryMapPage(ConsolePfn << 12);
        byte[] text = Encoding.ASCII.GetBytes("hello ring\n");
        for (int i = 0; i < text.Length; i++) ((byte*)page)[ConsoleInterface.OutOffset + i] = text[i];
        page->OutProd = (uint)text.Length;
        Assert.Equal(0, Evtchn(4, XenDomain.ConsolePortNumber));
        Assert.Equal("hello ring\n", _console.ToString());
        Assert.Equal((uint)text.Length, page->OutCons);
        page->OutProd = page->OutCons + 100000;
        Assert.Equal(0, Evtchn(4, XenDomain.ConsolePortNumber));
        Assert.Equal(1UL, _d.Xen.ConsoleRingErrors);
    }

    /// <summary>GNTTABOP_copy through a v1 grant the guest wrote at the offsets of <c>grant_entry_v1_t</c> (flags 0,
    /// domid 2, frame 4) with the <c>GTF_*</c> values of grant_table.h; GNTST_* values as Xen defines them.</summary>
    [Fact]
    public void GrantCopyValidatesTheEntryAndReleasesItsPins()
    {
        Assert.Equal(0, AddToPhysmap(DomainIds.Self, 1, 0, 0x46));            // XENMAPSPACE_grant_table
        var entry = Ram.Slice(0x46000 + 8 * 8, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(4), 0x47);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(2), XenDomain.DefaultDomainId);
        BinaryPrimitives.WriteUInt16LittleEndian(entry, 1 | 4);                 // GTF_permit_access | GTF_readonly
        for (int i = 0; i < 32; i++) Ram[0x47010 + i] = (byte)(0xA0 + i);
        short Copy(uint srcRef, ushort flags, ulong dst, ushort len = 32, ushort srcOffset = 16)
        {
            Ram.Slice((int)Arg, 40).Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg), srcRef);
            BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg + 8), DomainIds.Self);
            BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg + 10), srcOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 16), dst);
            BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg + 24), DomainIds.Self);
            BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg + 32), len);
            BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg + 34), flags);
            _s.Gprs.Rdx = 1;
            _s.Exit = default; _s.Exit.Reason = ExitReason.Hypercall; _s.Exit.InstructionLength = 3;
            _s.Gprs.Rax = 20; _s.Gprs.Rdi = 5; _s.Gprs.Rsi = Arg;
            _d.Dispatch(ref _s);
            Assert.Equal(0L, (long)_s.Gprs.Rax);
            return BinaryPrimitives.ReadInt16LittleEndian(Ram.Slice((int)Arg + 36));
        }
        Assert.Equal(0, Copy(8, 1, 0x48));
        Assert.True(Ram.Slice(0x48000, 32).SequenceEqual(Ram.Slice(0x47010, 32)));
        Assert.Equal(1 | 4, BinaryPrimitives.ReadUInt16LittleEndian(entry));  // GTF_reading released
        Assert.Equal(-8, Copy(9, 1, 0x48));                                     // GNTST_permission_denied
        Assert.Equal(-3, Copy(512, 1, 0x48));                                   // GNTST_bad_gntref (512 entries per frame)
        Assert.Equal(-8, Copy(8, 3, 8));                                        // destination through a read-only grant
        Assert.Equal(-10, Copy(8, 1, 0x48, len: 100, srcOffset: 4050));        // GNTST_bad_copy_arg
        Assert.Equal(-9, Copy(0x47, 0, 0x4000));                                // GNTST_bad_page: frame outside RAM
        BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(2), 5);            // granted to another domain
        Assert.Equal(-8, Copy(8, 1, 0x48));
    }

    [Fact]
    public void XenStoreMessagesLargerThanTheRingAreStreamedAcrossNotifications()
    {
        // A 2000-byte XS_WRITE (more than the 1024-byte ring): the client pumps what fits and notifies; the server
        // consumes a partial message each time and answers once it is complete (E2BIG: values hold 126 bytes here).
        Assert.True(XenStoreRing.TryAttachClient(StorePage, out ByteRingWriter requests, out ByteRingReader replies));
        var wbuf = new byte[XenStoreCodec.MaxMessageSize];
        var rbuf = new byte[XenStoreCodec.MaxMessageSize];
        var writer = new XenStoreMessageWriter();
        var payload = new byte[2000];
        Encoding.ASCII.GetBytes("data/big\0").CopyTo(payload, 0);
        for (int i = 9; i < payload.Length; i++) payload[i] = (byte)'x';
        Assert.True(writer.TryBegin(XenStoreMessageType.Write, 77, 0, payload, wbuf));
        int kicks = 0;
        bool sent;
        do
        {
            Assert.Equal(RingError.None, writer.Pump(ref requests, wbuf, out sent));
            Assert.Equal(0, Evtchn(4, XenDomain.StorePortNumber));
            kicks++;
        } while (!sent && kicks < 10);
        Assert.True(sent);
        Assert.True(kicks >= 2);
        var reader = new XenStoreMessageReader();
        Assert.Equal(RingError.None, reader.Poll(ref replies, rbuf, out bool complete));
        Assert.True(complete);
        Assert.Equal(77u, reader.Header.RequestId);
        Assert.Equal("E2BIG\0", Encoding.ASCII.GetString(reader.GetPayload(rbuf)));
        Assert.Equal("1", Encoding.ASCII.GetString(Xs(XenStoreMessageType.Read, 78, "domid\0").Payload));
    }

    [Fact]
    public void ThirtyTwoBitGuestsUseTheirOwnAddToPhysmapLayout()
    {
        // struct xen_add_to_physmap, x86_32: domid 0, size 2, space 4, idx 8 (4 bytes), gpfn 12 (4 bytes); 32-bit
        // hypercall registers ebx, ecx (xen-x86_32.h).
        Ram.Slice((int)Arg, 16).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg), DomainIds.Self);
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 12), (uint)SharedGfn);
        var s = new VcpuState { PendingVector = -1, Mode = GuestMode.Protected32, Rip = 0x1000 };
        s.Exit.Reason = ExitReason.Hypercall; s.Exit.InstructionLength = 3;
        s.Gprs.Rax = 12; s.Gprs.Rbx = 7; s.Gprs.Rcx = Arg;
        _d.Dispatch(ref s);
        Assert.Equal(0u, (uint)s.Gprs.Rax);
        Assert.Equal(SharedGfn << 12, _d.Xen.SharedInfoAddress);
    }

    /// <summary>Any hypercall number, sub-command and argument (pointers into RAM, past it, unmapped) gets a value back:
    /// 0, a positive result or a Xen errno; the dispatcher never throws and the guest keeps running.</summary>
    [Property(MaxTest = 500)]
    public bool ArbitraryServiceHypercallsNeverFaultTheHypervisor(byte which, uint command, ulong pointer, byte[] argBytes, ushort count)
    {
        using var t = new XenServicesTests();
        int[] numbers = { 12, 20, 32, 34, 24, 15 };
        t._d.Xen.Clock.Configure(1_000_000_000, FixedCpu.Tsc);
        var arg = argBytes ?? Array.Empty<byte>();
        arg.AsSpan(0, Math.Min(arg.Length, 64)).CopyTo(t.Ram.Slice((int)Arg));
        ulong ptr = (pointer % 3) switch { 0 => Arg, 1 => pointer, _ => (ulong)RamSize - (pointer % 64) };
        t._s.Exit = default; t._s.Exit.Reason = ExitReason.Hypercall; t._s.Exit.InstructionLength = 3;
        t._s.Gprs.Rax = (ulong)numbers[which % 6]; t._s.Gprs.Rdi = command % 16; t._s.Gprs.Rsi = ptr; t._s.Gprs.Rdx = (ulong)(count % 4);
        if (t._d.Dispatch(ref t._s) != ExitAction.Resume) return false;
        long r = (long)t._s.Gprs.Rax;
        return r >= 0 || r == EINVAL || r == EFAULT || r == ESRCH || r == ENOSPC || r == EPERM || r == ENOSYS || r == -(long)XenErrno.ENOENT
            || r == -(long)XenErrno.EEXIST || r == -(long)XenErrno.EOPNOTSUPP || r == -(long)XenErrno.ETIME;
    }

    [Fact]
    public void ServicesAnswerEnosysUntilConfigured()
    {
        var d = new ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension>(
            ArrayMemory.Pinned(RamSize), new TextConsole { Text = new StringBuilder() }, new FixedCpu(), new NoExtension(), HypercallInstruction.Vmmcall);
        var s = new VcpuState { PendingVector = -1, Mode = GuestMode.Long64, Rip = 0x1000 };
        foreach (int nr in new[] { 12, 32, 34 })
        {
            s.Exit = default; s.Exit.Reason = ExitReason.Hypercall; s.Exit.InstructionLength = 3;
            s.Gprs.Rax = (ulong)nr; s.Gprs.Rdi = 4; s.Gprs.Rsi = Arg;
            d.Dispatch(ref s);
            Assert.Equal(ENOSYS, (long)s.Gprs.Rax);
        }
    }
}
