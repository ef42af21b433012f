using System;

namespace Xen.Sdk.Reference.Services;

/// <summary>Result of a XenStore tree operation: 0 or a XenStore error index (<c>xsd_errors</c> order, see
/// Xen.Sdk.Abi's <c>XenStoreErrors</c>).</summary>
public enum XenStoreStatus : byte
{
    /// <summary>Success.</summary>
    Ok = 255,
    /// <summary>EINVAL.</summary>
    Invalid = 0,
    /// <summary>ENOENT.</summary>
    NotFound = 4,
    /// <summary>EEXIST.</summary>
    Exists = 2,
    /// <summary>ENOSPC.</summary>
    NoSpace = 6,
    /// <summary>ENOSYS.</summary>
    NotImplemented = 9,
    /// <summary>E2BIG.</summary>
    TooBig = 14,
    /// <summary>EACCES: the connection's domain lacks the permission (<see cref="XenStorePermission"/>).</summary>
    AccessDenied = 1,
    /// <summary>EBUSY: a transaction started inside a transaction.</summary>
    Busy = 11,
    /// <summary>EAGAIN: a transaction's nodes changed since it started; the commit failed and the caller retries.</summary>
    Again = 12,
    /// <summary>EPERM: an unprivileged domain tried to give a node away.</summary>
    NotPermitted = 15,
}

/// <summary>XenStore access bits (xenstored's <c>XS_PERM_READ</c> / <c>XS_PERM_WRITE</c>).</summary>
[Flags]
public enum XenStoreAccess : byte
{
    /// <summary><c>n</c>: none.</summary>
    None = 0,
    /// <summary><c>r</c>: read.</summary>
    Read = 1,
    /// <summary><c>w</c>: write.</summary>
    Write = 2,
    /// <summary><c>b</c>: both.</summary>
    Both = 3,
}

/// <summary>One entry of a node's permission list, in the wire form of <c>XS_GET_PERMS</c> / <c>XS_SET_PERMS</c>
/// (docs/misc/xenstore.txt): a letter <c>n</c>, <c>r</c>, <c>w</c> or <c>b</c> followed by a domain id in decimal, e.g.
/// <c>n0</c>, <c>r1</c>, <c>b5</c>. The first entry of a list names the owner (which has every access) and the access
/// of every domain not listed; the others give listed domains their access.</summary>
public struct XenStorePermission
{
    /// <summary>The domain.</summary>
    public ushort Domain;
    /// <summary>Its access.</summary>
    public XenStoreAccess Access;

    /// <summary>Creates an entry.</summary>
    public XenStorePermission(ushort domain, XenStoreAccess access)
    {
        Domain = domain;
        Access = access;
    }

    /// <summary>Parses one entry (no NUL): a letter of <c>nrwb</c> and 1-5 decimal digits of at most 65535.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out XenStorePermission permission)
    {
        permission = default;
        if (text.Length < 2 || text.Length > 6) return false;
        XenStoreAccess access;
        switch (text[0])
        {
            case (byte)'n': access = XenStoreAccess.None; break;
            case (byte)'r': access = XenStoreAccess.Read; break;
            case (byte)'w': access = XenStoreAccess.Write; break;
            case (byte)'b': access = XenStoreAccess.Both; break;
            default: return false;
        }
        uint id = 0;
        for (int i = 1; i < text.Length; i++)
        {
            if (text[i] < (byte)'0' || text[i] > (byte)'9') return false;
            id = id * 10 + (uint)(text[i] - '0');
        }
        if (id > 0xFFFF) return false;
        permission = new XenStorePermission((ushort)id, access);
        return true;
    }

    /// <summary>Writes the entry's text (no NUL) into <paramref name="destination"/> (at least 6 bytes); returns its
    /// length, 0 when it does not fit.</summary>
    public readonly int Format(Span<byte> destination)
    {
        if (destination.Length < 6) return 0;
        destination[0] = Access switch
        {
            XenStoreAccess.Read => (byte)'r',
            XenStoreAccess.Write => (byte)'w',
            XenStoreAccess.Both => (byte)'b',
            _ => (byte)'n',
        };
        return 1 + XenStoreServer.WriteDecimal(Domain, destination.Slice(1));
    }
}

/// <summary>A minimal XenStore tree for an in-kernel xenstored: a fixed number of nodes, each an absolute path, a
/// value, a permission list and a generation, in caller-provided memory (no allocation). Writing a node creates its
/// missing ancestors with empty values, as xenstored does; removing a node removes its subtree. A new node inherits its
/// parent's permissions, and a node an unprivileged domain creates is owned by it (xenstored's rules; the root <c>/</c>
/// is not stored and has the fixed permissions <c>n0</c>). Every change stamps the node with the next value of the
/// tree's generation counter, and creating or removing a child also stamps the parent (its child list changed):
/// transactions compare these stamps to find conflicts. Paths follow xenstored's rules for the characters and lengths
/// this table can hold (xen/include/public/io/xs_wire.h, docs/misc/xenstore.txt).</summary>
public unsafe struct XenStoreTree
{
    /// <summary>Nodes the tree can hold.</summary>
    public const int Capacity = 48;
    /// <summary>Longest path (bytes, without NUL).</summary>
    public const int MaxPath = 126;
    /// <summary>Longest value (bytes).</summary>
    public const int MaxValue = 126;
    /// <summary>Most entries in a node's permission list (xenstored's default per-node quota; more is <c>ENOSPC</c>).</summary>
    public const int MaxPermissions = 5;
    /// <summary>Bytes per node record: [path length][value length][used][permission count][path][value][generation,
    /// 8][permissions, 4 each: domain (2), access (1), pad][pad].</summary>
    public const int NodeSize = 4 + MaxPath + MaxValue + 8 + 4 * MaxPermissions + 4;
    /// <summary>Bytes of memory the tree needs.</summary>
    public const int MemorySize = Capacity * NodeSize;
    private const int GenerationOffset = 4 + MaxPath + MaxValue;
    private const int PermissionsOffset = GenerationOffset + 8;

    private byte* _nodes;
    private ulong _generation;

    /// <summary>Attaches to <see cref="MemorySize"/> bytes at <paramref name="memory"/> and empties the tree (the root
    /// <c>/</c> always exists and is not stored).</summary>
    public void Initialize(byte* memory)
    {
        _nodes = memory;
        _generation = 0;
        new Span<byte>(memory, MemorySize).Clear();
    }

    /// <summary>Whether the tree is attached.</summary>
    public readonly bool IsValid => _nodes != null;

    /// <summary>The memory the tree is attached to.</summary>
    internal readonly byte* Memory => _nodes;

    /// <summary>Attaches to a tree already in <paramref name="memory"/> without clearing it (a transaction's copy), with
    /// its generation counter.</summary>
    internal void Attach(byte* memory, ulong generation)
    {
        _nodes = memory;
        _generation = generation;
    }

    /// <summary>The generation counter: the stamp of the latest change.</summary>
    public readonly ulong Generation => _generation;

    /// <summary>Makes this tree (attached to its own <see cref="MemorySize"/> bytes at <paramref name="memory"/>) a copy
    /// of <paramref name="source"/>: nodes, stamps and the generation counter.</summary>
    public void CopyFrom(byte* memory, in XenStoreTree source)
    {
        _nodes = memory;
        _generation = source._generation;
        // SAFETY: both trees own MemorySize bytes (distinct buffers of the caller's private memory).
        new ReadOnlySpan<byte>(source._nodes, MemorySize).CopyTo(new Span<byte>(memory, MemorySize));
    }

    // SAFETY: callers pass 0 <= i < Capacity; the tree owns Capacity * NodeSize bytes at _nodes (Initialize), and the
    // path/value/permission spans below stay inside the node (lengths are bounded by MaxPath/MaxValue/MaxPermissions
    // when stored).
    private readonly byte* Node(int i) => _nodes + i * NodeSize;
    private readonly ReadOnlySpan<byte> PathOf(int i) => new ReadOnlySpan<byte>(Node(i) + 4, Node(i)[0]);
    private readonly ReadOnlySpan<byte> ValueOf(int i) => new ReadOnlySpan<byte>(Node(i) + 4 + MaxPath, Node(i)[1]);
    private readonly bool Used(int i) => Node(i)[2] != 0;
    private readonly ulong GenerationOf(int i) => System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(Node(i) + GenerationOffset);
    private void Stamp(int i) => System.Runtime.CompilerServices.Unsafe.WriteUnaligned(Node(i) + GenerationOffset, ++_generation);
    private readonly int PermissionCount(int i) => Node(i)[3];
    private readonly XenStorePermission PermissionOf(int i, int k) =>
        new XenStorePermission((ushort)(Node(i)[PermissionsOffset + 4 * k] | (Node(i)[PermissionsOffset + 4 * k + 1] << 8)), (XenStoreAccess)Node(i)[PermissionsOffset + 4 * k + 2]);
    private readonly void StorePermissions(int i, ReadOnlySpan<XenStorePermission> permissions)
    {
        byte* n = Node(i);
        n[3] = (byte)permissions.Length;
        for (int k = 0; k < permissions.Length; k++)
        {
            n[PermissionsOffset + 4 * k] = (byte)permissions[k].Domain;
            n[PermissionsOffset + 4 * k + 1] = (byte)(permissions[k].Domain >> 8);
            n[PermissionsOffset + 4 * k + 2] = (byte)permissions[k].Access;
            n[PermissionsOffset + 4 * k + 3] = 0;
        }
    }

    /// <summary>The parent of an absolute path (<c>/</c> for a top-level node); the root has none (empty).</summary>
    public static ReadOnlySpan<byte> ParentOf(ReadOnlySpan<byte> path)
    {
        if (path.Length <= 1) return default;
        int slash = path.Length - 1;
        while (slash > 0 && path[slash] != (byte)'/') slash--;
        return slash <= 0 ? path.Slice(0, 1) : path.Slice(0, slash);
    }

    private static bool IsRoot(ReadOnlySpan<byte> path) => path.Length == 1 && path[0] == (byte)'/';

    /// <summary>Whether <paramref name="node"/> is <paramref name="ancestor"/> or below it.</summary>
    public static bool IsAtOrBelow(ReadOnlySpan<byte> node, ReadOnlySpan<byte> ancestor) =>
        node.SequenceEqual(ancestor) || (node.Length > ancestor.Length && node.Slice(0, ancestor.Length).SequenceEqual(ancestor) &&
            (node[ancestor.Length] == (byte)'/' || IsRoot(ancestor)));

    /// <summary>A node's permission list into <paramref name="destination"/> (at least <see cref="MaxPermissions"/>
    /// entries); the root's is <c>n0</c>.</summary>
    public readonly XenStoreStatus GetPermissions(ReadOnlySpan<byte> path, Span<XenStorePermission> destination, out int count)
    {
        count = 0;
        if (!IsValidPath(path) || destination.Length < MaxPermissions) return XenStoreStatus.Invalid;
        if (IsRoot(path))
        {
            destination[0] = new XenStorePermission(0, XenStoreAccess.None);
            count = 1;
            return XenStoreStatus.Ok;
        }
        int i = Find(path);
        if (i < 0) return XenStoreStatus.NotFound;
        count = PermissionCount(i);
        for (int k = 0; k < count; k++) destination[k] = PermissionOf(i, k);
        return XenStoreStatus.Ok;
    }

    /// <summary>Replaces a node's permission list (1 to <see cref="MaxPermissions"/> entries; more is
    /// <c>ENOSPC</c>). The root's are fixed (<c>EINVAL</c>).</summary>
    public XenStoreStatus SetPermissions(ReadOnlySpan<byte> path, ReadOnlySpan<XenStorePermission> permissions)
    {
        if (!IsValidPath(path) || IsRoot(path) || permissions.Length == 0) return XenStoreStatus.Invalid;
        if (permissions.Length > MaxPermissions) return XenStoreStatus.NoSpace;
        int i = Find(path);
        if (i < 0) return XenStoreStatus.NotFound;
        StorePermissions(i, permissions);
        Stamp(i);
        return XenStoreStatus.Ok;
    }

    /// <summary>The access <paramref name="domain"/> has to an existing node, by xenstored's rule (perm_for_conn):
    /// domain 0 and the owner (the first entry's domain) have every access; otherwise the entry naming the domain, else
    /// the first entry's access applies.</summary>
    public readonly XenStoreAccess AccessOf(ReadOnlySpan<byte> path, ushort domain)
    {
        if (domain == 0) return XenStoreAccess.Both;
        if (IsRoot(path)) return XenStoreAccess.None;
        int i = Find(path);
        if (i < 0) return XenStoreAccess.None;
        int count = PermissionCount(i);
        if (count == 0) return XenStoreAccess.None;
        if (PermissionOf(i, 0).Domain == domain) return XenStoreAccess.Both;
        for (int k = 1; k < count; k++)
        {
            XenStorePermission p = PermissionOf(i, k);
            if (p.Domain == domain) return p.Access;
        }
        return PermissionOf(i, 0).Access;
    }

    /// <summary>The owner of an existing node (the first permission entry's domain; 0 for the root or a missing node).</summary>
    public readonly ushort OwnerOf(ReadOnlySpan<byte> path)
    {
        int i = IsRoot(path) ? -1 : Find(path);
        return i < 0 || PermissionCount(i) == 0 ? (ushort)0 : PermissionOf(i, 0).Domain;
    }

    /// <summary>The nearest existing ancestor-or-self of a valid path (the root when nothing else exists).</summary>
    public readonly ReadOnlySpan<byte> NearestExisting(ReadOnlySpan<byte> path)
    {
        ReadOnlySpan<byte> p = path;
        while (p.Length > 1 && Find(p) < 0) p = ParentOf(p);
        return p;
    }

    /// <summary>A node's generation stamp; false when it does not exist (the root: true, stamp 0).</summary>
    public readonly bool TryGetGeneration(ReadOnlySpan<byte> path, out ulong generation)
    {
        generation = 0;
        if (IsRoot(path)) return true;
        int i = Find(path);
        if (i < 0) return false;
        generation = GenerationOf(i);
        return true;
    }

    /// <summary>The nodes at or below <paramref name="path"/>: how many, and their highest generation stamp. Any change
    /// below it (a write, a creation, a removal) changes one of the two, because stamps only grow.</summary>
    public readonly void SubtreeState(ReadOnlySpan<byte> path, out int count, out ulong maxGeneration)
    {
        count = 0;
        maxGeneration = 0;
        for (int i = 0; i < Capacity; i++)
        {
            if (!Used(i) || !IsAtOrBelow(PathOf(i), path)) continue;
            count++;
            ulong g = GenerationOf(i);
            if (g > maxGeneration) maxGeneration = g;
        }
    }

    /// <summary>Makes <paramref name="path"/> (valid, not the root) hold exactly what it holds in
    /// <paramref name="source"/>: removed when absent there, else written with its value and permission list (missing
    /// ancestors created). Returns <c>ENOSPC</c> when the tree is full.</summary>
    public XenStoreStatus CopyNodeFrom(ReadOnlySpan<byte> path, in XenStoreTree source)
    {
        if (IsRoot(path)) return XenStoreStatus.Ok;
        int s = source.Find(path);
        if (s < 0)
        {
            if (Find(path) >= 0) Remove(path);
            return XenStoreStatus.Ok;
        }
        XenStoreStatus st = Write(path, source.ValueOf(s), 0);
        if (st != XenStoreStatus.Ok) return st;
        int i = Find(path);
        // SAFETY: s and i index used nodes of their trees; the permission bytes are copied inside the two records.
        new ReadOnlySpan<byte>(source.Node(s) + PermissionsOffset, 4 * MaxPermissions).CopyTo(new Span<byte>(Node(i) + PermissionsOffset, 4 * MaxPermissions));
        Node(i)[3] = source.Node(s)[3];
        return XenStoreStatus.Ok;
    }

    /// <summary>Makes the subtree at <paramref name="path"/> equal to <paramref name="source"/>'s: removed here, then
    /// every node at or below it in the source copied (<see cref="CopyNodeFrom"/>).</summary>
    public XenStoreStatus CopySubtreeFrom(ReadOnlySpan<byte> path, in XenStoreTree source)
    {
        if (!IsRoot(path) && Find(path) >= 0) Remove(path);
        for (int i = 0; i < Capacity; i++)
        {
            if (!source.Used(i) || !IsAtOrBelow(source.PathOf(i), path)) continue;
            XenStoreStatus st = CopyNodeFrom(source.PathOf(i), source);
            if (st != XenStoreStatus.Ok) return st;
        }
        return XenStoreStatus.Ok;
    }

    /// <summary>Whether <paramref name="path"/> is a valid absolute path: starts with <c>/</c>, no empty component, no
    /// trailing <c>/</c> (except the root), characters <c>[A-Za-z0-9-/_@]</c>.</summary>
    public static bool IsValidPath(ReadOnlySpan<byte> path)
    {
        if (path.Length == 0 || path[0] != (byte)'/' || path.Length > MaxPath) return false;
        if (path.Length == 1) return true;
        if (path[path.Length - 1] == (byte)'/') return false;
        for (int i = 1; i < path.Length; i++)
        {
            byte c = path[i];
            if (c == (byte)'/' && path[i - 1] == (byte)'/') return false;
            bool ok = (c >= (byte)'a' && c <= (byte)'z') || (c >= (byte)'A' && c <= (byte)'Z') || (c >= (byte)'0' && c <= (byte)'9') ||
                      c == (byte)'-' || c == (byte)'/' || c == (byte)'_' || c == (byte)'@';
            if (!ok) return false;
        }
        return true;
    }

    private readonly int Find(ReadOnlySpan<byte> path)
    {
        for (int i = 0; i < Capacity; i++)
            if (Used(i) && PathOf(i).SequenceEqual(path)) return i;
        return -1;
    }

    /// <summary>Whether a node exists (the root always does).</summary>
    public readonly bool Exists(ReadOnlySpan<byte> path) => (path.Length == 1 && path[0] == (byte)'/') || Find(path) >= 0;

    /// <summary>Reads a node's value into <paramref name="value"/> (at least <see cref="MaxValue"/> bytes).</summary>
    public readonly XenStoreStatus Read(ReadOnlySpan<byte> path, Span<byte> value, out int length)
    {
        length = 0;
        if (!IsValidPath(path)) return XenStoreStatus.Invalid;
        if (path.Length == 1) return XenStoreStatus.Ok;
        int i = Find(path);
        if (i < 0) return XenStoreStatus.NotFound;
        ReadOnlySpan<byte> v = ValueOf(i);
        if (v.Length > value.Length) return XenStoreStatus.TooBig;
        v.CopyTo(value);
        length = v.Length;
        return XenStoreStatus.Ok;
    }

    /// <summary>Writes a node, creating missing ancestors (empty values), as domain 0 (created nodes inherit their
    /// parent's permissions).</summary>
    public XenStoreStatus Write(ReadOnlySpan<byte> path, ReadOnlySpan<byte> value) => Write(path, value, 0);

    /// <summary>Writes a node for <paramref name="creator"/>, creating missing ancestors (empty values): a created node
    /// inherits its parent's permission list, and when <paramref name="creator"/> is not domain 0 it becomes the owner
    /// (xenstored: domains own what they create). The caller checks the creator's access.</summary>
    public XenStoreStatus Write(ReadOnlySpan<byte> path, ReadOnlySpan<byte> value, ushort creator)
    {
        if (!IsValidPath(path)) return XenStoreStatus.Invalid;
        if (value.Length > MaxValue) return XenStoreStatus.TooBig;
        if (path.Length == 1) return XenStoreStatus.Invalid;       // the root holds no value here
        // Ancestors first: every prefix ending before a '/' (after the leading one).
        int missing = 0;
        for (int end = 1; end <= path.Length; end++)
        {
            if (end < path.Length && path[end] != (byte)'/') continue;
            if (Find(path.Slice(0, end)) < 0) missing++;
        }
        if (missing > FreeCount()) return XenStoreStatus.NoSpace;
        for (int end = 1; end < path.Length; end++)
        {
            if (path[end] != (byte)'/') continue;
            ReadOnlySpan<byte> ancestor = path.Slice(0, end);
            if (Find(ancestor) < 0) Create(ancestor, default, creator);
        }
        int node = Find(path);
        if (node < 0)
        {
            Create(path, value, creator);
            return XenStoreStatus.Ok;
        }
        Store(node, path, value);
        Stamp(node);
        return XenStoreStatus.Ok;
    }

    // A new node: the parent's permissions (the root's: n0), owned by an unprivileged creator; stamped, and its parent
    // stamped (its child list changed). The caller checked that a slot is free.
    private void Create(ReadOnlySpan<byte> path, ReadOnlySpan<byte> value, ushort creator)
    {
        int i = Allocate();
        if (i < 0) return;
        Store(i, path, value);
        ReadOnlySpan<byte> parent = ParentOf(path);
        int p = IsRoot(parent) ? -1 : Find(parent);
        if (p < 0)
        {
            Span<XenStorePermission> root = stackalloc XenStorePermission[1];
            root[0] = new XenStorePermission(0, XenStoreAccess.None);
            StorePermissions(i, root);
        }
        else
        {
            // SAFETY: i and p are distinct used records; the permission bytes stay inside them.
            new ReadOnlySpan<byte>(Node(p) + PermissionsOffset, 4 * MaxPermissions).CopyTo(new Span<byte>(Node(i) + PermissionsOffset, 4 * MaxPermissions));
            Node(i)[3] = Node(p)[3];
            Stamp(p);
        }
        if (creator != 0 && Node(i)[3] != 0)
        {
            Node(i)[PermissionsOffset] = (byte)creator;
            Node(i)[PermissionsOffset + 1] = (byte)(creator >> 8);
        }
        Stamp(i);
    }

    /// <summary>Creates a node with an empty value unless it exists (<c>XS_MKDIR</c>), as domain 0.</summary>
    public XenStoreStatus Mkdir(ReadOnlySpan<byte> path) => Mkdir(path, 0);

    /// <summary>Creates a node with an empty value unless it exists (<c>XS_MKDIR</c>) for <paramref name="creator"/>.</summary>
    public XenStoreStatus Mkdir(ReadOnlySpan<byte> path, ushort creator)
    {
        if (!IsValidPath(path)) return XenStoreStatus.Invalid;
        return Exists(path) ? XenStoreStatus.Ok : Write(path, default, creator);
    }

    /// <summary>Removes a node and its subtree (<c>XS_RM</c>).</summary>
    public XenStoreStatus Remove(ReadOnlySpan<byte> path)
    {
        if (!IsValidPath(path) || path.Length == 1) return XenStoreStatus.Invalid;
        if (Find(path) < 0) return XenStoreStatus.NotFound;
        for (int i = 0; i < Capacity; i++)
        {
            if (!Used(i)) continue;
            ReadOnlySpan<byte> p = PathOf(i);
            if (p.SequenceEqual(path) || (p.Length > path.Length && p.Slice(0, path.Length).SequenceEqual(path) && p[path.Length] == (byte)'/'))
                Node(i)[2] = 0;
        }
        ReadOnlySpan<byte> parent = ParentOf(path);
        int at = IsRoot(parent) ? -1 : Find(parent);
        if (at >= 0) Stamp(at);                                     // its child list changed
        return XenStoreStatus.Ok;
    }

    /// <summary>The names of a node's children, each followed by a NUL (the <c>XS_DIRECTORY</c> reply), into
    /// <paramref name="output"/>.</summary>
    public readonly XenStoreStatus Directory(ReadOnlySpan<byte> path, Span<byte> output, out int length)
    {
        length = 0;
        if (!IsValidPath(path)) return XenStoreStatus.Invalid;
        if (!Exists(path)) return XenStoreStatus.NotFound;
        int prefix = path.Length == 1 ? 1 : path.Length + 1;
        for (int i = 0; i < Capacity; i++)
        {
            if (!Used(i)) continue;
            ReadOnlySpan<byte> p = PathOf(i);
            if (p.Length <= prefix || !p.Slice(0, prefix - 1).SequenceEqual(path.Slice(0, prefix - 1)) || p[prefix - 1] != (byte)'/') continue;
            ReadOnlySpan<byte> rest = p.Slice(prefix);
            if (rest.IndexOf((byte)'/') >= 0) continue;               // a grandchild
            if (output.Length - length < rest.Length + 1) return XenStoreStatus.TooBig;
            rest.CopyTo(output.Slice(length));
            output[length + rest.Length] = 0;
            length += rest.Length + 1;
        }
        return XenStoreStatus.Ok;
    }

    private readonly int FreeCount()
    {
        int n = 0;
        for (int i = 0; i < Capacity; i++) if (!Used(i)) n++;
        return n;
    }

    private readonly int Allocate()
    {
        for (int i = 0; i < Capacity; i++) if (!Used(i)) return i;
        return -1;
    }

    private readonly void Store(int i, ReadOnlySpan<byte> path, ReadOnlySpan<byte> value)
    {
        if (i < 0) return;
        byte* n = Node(i);
        n[0] = (byte)path.Length;
        n[1] = (byte)value.Length;
        n[2] = 1;
        path.CopyTo(new Span<byte>(n + 4, MaxPath));
        value.CopyTo(new Span<byte>(n + 4 + MaxPath, MaxValue));
    }
}
