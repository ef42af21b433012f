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
}

/// <summary>A minimal XenStore tree for an in-kernel xenstored: a fixed number of nodes, each an absolute path and a
/// value, in caller-provided memory (no allocation). Writing a node creates its missing ancestors with empty values, as
/// xenstored does; removing a node removes its subtree. Paths follow xenstored's rules for the characters and lengths
/// this table can hold (xen/include/public/io/xs_wire.h, docs/misc/xenstore.txt).</summary>
public unsafe struct XenStoreTree
{
    /// <summary>Nodes the tree can hold.</summary>
    public const int Capacity = 48;
    /// <summary>Longest path (bytes, without NUL).</summary>
    public const int MaxPath = 126;
    /// <summary>Longest value (bytes).</summary>
    public const int MaxValue = 126;
    /// <summary>Bytes per node record: [path length][value length][path][value].</summary>
    public const int NodeSize = 2 + MaxPath + MaxValue + 2;
    /// <summary>Bytes of memory the tree needs.</summary>
    public const int MemorySize = Capacity * NodeSize;

    private byte* _nodes;

    /// <summary>Attaches to <see cref="MemorySize"/> bytes at <paramref name="memory"/> and empties the tree (the root
    /// <c>/</c> always exists and is not stored).</summary>
    public void Initialize(byte* memory)
    {
        _nodes = memory;
        new Span<byte>(memory, MemorySize).Clear();
    }

    /// <summary>Whether the tree is attached.</summary>
    public readonly bool IsValid => _nodes != null;

    // SAFETY: callers pass 0 <= i < Capacity; the tree owns Capacity * NodeSize bytes at _nodes (Initialize), and the
    // path/value spans below stay inside the node (lengths are bounded by MaxPath/MaxValue when stored).
    private readonly byte* Node(int i) => _nodes + i * NodeSize;
    private readonly ReadOnlySpan<byte> PathOf(int i) => new ReadOnlySpan<byte>(Node(i) + 4, Node(i)[0]);
    private readonly ReadOnlySpan<byte> ValueOf(int i) => new ReadOnlySpan<byte>(Node(i) + 4 + MaxPath, Node(i)[1]);
    private readonly bool Used(int i) => Node(i)[2] != 0;

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

    /// <summary>Writes a node, creating missing ancestors (empty values).</summary>
    public XenStoreStatus Write(ReadOnlySpan<byte> path, ReadOnlySpan<byte> value)
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
            if (Find(ancestor) < 0) Store(Allocate(), ancestor, default);
        }
        int node = Find(path);
        Store(node >= 0 ? node : Allocate(), path, value);
        return XenStoreStatus.Ok;
    }

    /// <summary>Creates a node with an empty value unless it exists (<c>XS_MKDIR</c>).</summary>
    public XenStoreStatus Mkdir(ReadOnlySpan<byte> path)
    {
        if (!IsValidPath(path)) return XenStoreStatus.Invalid;
        return Exists(path) ? XenStoreStatus.Ok : Write(path, default);
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
