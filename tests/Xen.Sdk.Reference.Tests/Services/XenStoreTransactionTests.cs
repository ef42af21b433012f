using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Reference.Services;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Services;

/// <summary>XenStore transactions and permissions on the in-kernel xenstored (<see cref="XenStoreServer.Handle(XenStoreMessageType, uint, ReadOnlySpan{byte}, Span{byte}, out int)"/>),
/// connection of domain 1, the tree seeded as <see cref="XenDomain"/> seeds it (home <c>n0 r1</c>, data and device
/// <c>n1</c>). Expected behaviour is xenstored's (docs/misc/xenstore.txt; tools/xenstored: perm_for_conn, do_set_perms,
/// transaction_start/end): error names from xsd_errors, EAGAIN when a node the transaction read or wrote changed since it
/// started.</summary>
public sealed unsafe class XenStoreTransactionTests : IDisposable
{
    private readonly byte* _memory = (byte*)NativeMemory.AllocZeroed((nuint)XenDomain.MemorySize + 2 * 4096);
    private XenDomain _xen;

    public XenStoreTransactionTests()
    {
        Assert.True(_xen.Initialize(_memory, _memory + XenDomain.MemorySize, 0xFE, _memory + XenDomain.MemorySize + 4096, 0xFF, "xstx"u8));
    }

    public void Dispose() => NativeMemory.Free(_memory);

    private (XenStoreMessageType Type, string Payload) Do(XenStoreMessageType type, string payload, uint tx = 0)
    {
        Span<byte> reply = stackalloc byte[XenStoreTree.MaxValue * 2 + 256];
        XenStoreMessageType t = _xen.Store.Handle(type, tx, Encoding.ASCII.GetBytes(payload), reply, out int n);
        return (t, Encoding.ASCII.GetString(reply.Slice(0, n)));
    }

    private static (XenStoreMessageType, string) Err(string name) => (XenStoreMessageType.Error, name + "\0");
    private static (XenStoreMessageType, string) Ok(XenStoreMessageType t) => (t, "OK\0");

    private uint Start()
    {
        var (t, p) = Do(XenStoreMessageType.TransactionStart, "\0");
        Assert.Equal(XenStoreMessageType.TransactionStart, t);
        return uint.Parse(p.TrimEnd('\0'));
    }

    [Fact]
    public void PermissionsFollowXenstoredsRules()
    {
        Assert.Equal((XenStoreMessageType.GetPerms, "n0\0r1\0"), Do(XenStoreMessageType.GetPerms, "/local/domain/1\0"));
        Assert.Equal((XenStoreMessageType.GetPerms, "n1\0"), Do(XenStoreMessageType.GetPerms, "data\0"));
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.Read, "/local/domain\0"));          // inherited n0 from the root
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.Directory, "/\0"));
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.Read, "data/none\0"));
        Assert.Equal(Ok(XenStoreMessageType.Rm), Do(XenStoreMessageType.Rm, "data/none\0"));          // missing, parent exists: OK (do_rm)
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.Rm, "data/none/deeper\0"));              // parent missing too
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.Write, "x\0v"));                      // create under n0 r1
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.Mkdir, "name\0"));                    // mkdir of an existing, unwritable node
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.Rm, "name\0"));
        Assert.Equal(Ok(XenStoreMessageType.Mkdir), Do(XenStoreMessageType.Mkdir, "data\0"));     // existing and writable: OK
        Assert.Equal(Ok(XenStoreMessageType.Write), Do(XenStoreMessageType.Write, "data/a/b\0v"));
        Assert.Equal((XenStoreMessageType.GetPerms, "n1\0"), Do(XenStoreMessageType.GetPerms, "data/a\0"));
        // Give domain 5 write access only, keep the owner; then another domain's view through the tree.
        Assert.Equal(Ok(XenStoreMessageType.SetPerms), Do(XenStoreMessageType.SetPerms, "data/a\0n1\0w5\0r0\0"));
        Assert.Equal((XenStoreMessageType.GetPerms, "n1\0w5\0r0\0"), Do(XenStoreMessageType.GetPerms, "data/a\0"));
        var tree = _xen.Store.Tree;
        Assert.Equal(XenStoreAccess.Write, tree.AccessOf("/local/domain/1/data/a"u8, 5));
        Assert.Equal(XenStoreAccess.None, tree.AccessOf("/local/domain/1/data/a"u8, 6));         // the first entry's n
        Assert.Equal(XenStoreAccess.Both, tree.AccessOf("/local/domain/1/data/a"u8, 1));         // the owner
        Assert.Equal(XenStoreAccess.Both, tree.AccessOf("/local/domain/1/data/a"u8, 0));         // domain 0
        Assert.Equal(XenStoreAccess.Read, tree.AccessOf("/local/domain/1/data/a"u8, 0) & XenStoreAccess.Read);
        // Errors of XS_SET_PERMS.
        Assert.Equal(Err("EPERM"), Do(XenStoreMessageType.SetPerms, "data/a\0b2\0"));             // giving it away
        Assert.Equal(Err("EINVAL"), Do(XenStoreMessageType.SetPerms, "data/a\0"));                // an empty list
        Assert.Equal(Err("EINVAL"), Do(XenStoreMessageType.SetPerms, "data/a\0q1\0"));
        Assert.Equal(Err("EINVAL"), Do(XenStoreMessageType.SetPerms, "data/a\0r70000\0"));
        Assert.Equal(Err("ENOSPC"), Do(XenStoreMessageType.SetPerms, "data/a\0n1\0r2\0r3\0r4\0r5\0r6\0"));
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.SetPerms, "data/zz\0n1\0"));
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.SetPerms, "domid\0n1\0"));
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.GetPerms, "/local\0"));
        // A node that only grants read to the others: its owner may still write it.
        Assert.Equal(Ok(XenStoreMessageType.Write), Do(XenStoreMessageType.Write, "data/a\0w"));
    }

    /// <summary>Any list of 1-5 entries the owner sets (keeping itself as owner) is stored and read back by XS_GET_PERMS as
    /// the same strings, and then decides another domain's access by xenstored's rule (the entry naming it, else the
    /// first entry's access).</summary>
    [Property(MaxTest = 200)]
    public void SetPermsThenGetPermsRoundTripsAndDecidesAccess(NonEmptyArray<ushort> domains, byte[] letters, ushort probe)
    {
        using var t = new XenStoreTransactionTests();
        Assert.Equal(Ok(XenStoreMessageType.Write), t.Do(XenStoreMessageType.Write, "data/p\0v"));
        int n = Math.Min(domains.Get.Length, XenStoreTree.MaxPermissions - 1);
        var list = new List<string> { "n1".Replace('n', "nrwb"[(letters.Length > 0 ? letters[0] : 0) % 4]) };
        for (int i = 0; i < n; i++) list.Add("nrwb"[(letters.Length > i + 1 ? letters[i + 1] : i) % 4] + domains.Get[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        string joined = string.Join("\0", list) + "\0";
        Assert.Equal(Ok(XenStoreMessageType.SetPerms), t.Do(XenStoreMessageType.SetPerms, "data/p\0" + joined));
        Assert.Equal((XenStoreMessageType.GetPerms, joined), t.Do(XenStoreMessageType.GetPerms, "data/p\0"));
        if (probe == 0 || probe == 1) return;                                              // domain 0 and the owner: everything
        char expected = list[0][0];
        for (int i = 1; i < list.Count; i++)
            if (ushort.Parse(list[i].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) == probe) { expected = list[i][0]; break; }
        var access = t._xen.Store.Tree.AccessOf("/local/domain/1/data/p"u8, probe);
        Assert.Equal("nrwb".IndexOf(expected), (int)access);
    }

    /// <summary>Hostile request sequences (any tree or transaction type, random transaction ids, payloads from path and
    /// permission fragments): every reply is the request's type or XS_ERROR with one of xsd_errors' names, the tree stays
    /// well formed (every node's ancestors exist) and the seeded read-only nodes keep their values.</summary>
    [Property(MaxTest = 150)]
    public void HostileRequestSequencesGetXenErrorsAndKeepTheTreeWellFormed(NonEmptyArray<byte> script)
    {
        using var t = new XenStoreTransactionTests();
        string[] paths = { "data", "data/a", "data/a/b", "device/x", "name", "/local", "/", "bad//p", "data/" + new string('z', 130), "/local/domain/1/data/c" };
        string[] extras = { "", "v", "n1", "r0", "b1", "n0", "q", "T", "F", "w70000", "n1\0r2\0r3\0r4\0r5\0r6" };
        XenStoreMessageType[] types =
        {
            XenStoreMessageType.Read, XenStoreMessageType.Write, XenStoreMessageType.Mkdir, XenStoreMessageType.Rm,
            XenStoreMessageType.Directory, XenStoreMessageType.GetPerms, XenStoreMessageType.SetPerms,
            XenStoreMessageType.TransactionStart, XenStoreMessageType.TransactionEnd, (XenStoreMessageType)99,
        };
        var names = new HashSet<string>();
        for (int i = 0; i < 16; i++) names.Add(Encoding.ASCII.GetString(XenStoreErrors.GetName(i)) + "\0");
        for (int i = 0; i + 2 < script.Get.Length; i += 3)
        {
            var type = types[script.Get[i] % types.Length];
            string payload = type == XenStoreMessageType.TransactionEnd ? extras[script.Get[i + 1] % extras.Length] + "\0"
                : paths[script.Get[i + 1] % paths.Length] + "\0" + extras[script.Get[i + 2] % extras.Length];
            uint tx = (uint)(script.Get[i + 2] % 5);
            var (reply, text) = t.Do(type, payload, tx);
            Assert.True(reply == type || (reply == XenStoreMessageType.Error && names.Contains(text)), $"{type} {payload} tx {tx}: {reply} {text}");
        }
        Assert.Equal((XenStoreMessageType.Read, "xstx"), t.Do(XenStoreMessageType.Read, "name\0"));
        Assert.Equal((XenStoreMessageType.Read, "1"), t.Do(XenStoreMessageType.Read, "domid\0"));
        var tree = t._xen.Store.Tree;
        foreach (string node in new[] { "/local/domain/1/data/a/b", "/local/domain/1/device/x", "/local/domain/1/data/c" })
            if (tree.Exists(Encoding.ASCII.GetBytes(node)))
                Assert.True(tree.Exists(XenStoreTree.ParentOf(Encoding.ASCII.GetBytes(node))), node + " without its parent");
    }

    [Property(MaxTest = 300)]
    public void PermissionStringsRoundTrip(ushort domain, byte letter)
    {
        var p = new XenStorePermission(domain, (XenStoreAccess)(letter % 4));
        Span<byte> text = stackalloc byte[8];
        int n = p.Format(text);
        Assert.True(n >= 2);
        Assert.Equal("nrwb"[letter % 4], (char)text[0]);
        Assert.Equal(domain.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(text.Slice(1, n - 1)));
        Assert.True(XenStorePermission.TryParse(text.Slice(0, n), out var back));
        Assert.Equal(p.Domain, back.Domain);
        Assert.Equal(p.Access, back.Access);
    }

    [Property(MaxTest = 300)]
    public void PermissionParsingAcceptsExactlyTheWireForm(string? s)
    {
        s ??= "";
        bool expected = s.Length is >= 2 and <= 6 && "nrwb".IndexOf(s[0]) >= 0 && IsDigits(s.AsSpan(1)) && uint.Parse(s.AsSpan(1)) <= 0xFFFF;
        byte[] bytes = Encoding.Latin1.GetBytes(s);
        Assert.Equal(expected && bytes.Length == s.Length, XenStorePermission.TryParse(bytes, out var p) && bytes.Length == s.Length);
        if (expected) Assert.Equal(uint.Parse(s.AsSpan(1)), p.Domain);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s) if (c < '0' || c > '9') return false;
        return s.Length > 0;
    }

    [Fact]
    public void TransactionsAreIsolatedCommitAbortAndConflict()
    {
        uint a = Start();
        Assert.Equal(Ok(XenStoreMessageType.Write), Do(XenStoreMessageType.Write, "data/x\0in-tx", a));
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.Read, "data/x\0"));
        Assert.Equal((XenStoreMessageType.Read, "in-tx"), Do(XenStoreMessageType.Read, "data/x\0", a));
        Assert.Equal((XenStoreMessageType.Directory, "x\0"), Do(XenStoreMessageType.Directory, "data\0", a));
        Assert.Equal(Ok(XenStoreMessageType.TransactionEnd), Do(XenStoreMessageType.TransactionEnd, "T\0", a));
        Assert.Equal((XenStoreMessageType.Read, "in-tx"), Do(XenStoreMessageType.Read, "data/x\0"));
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.TransactionEnd, "T\0", a));           // ended
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.Read, "data/x\0", 999));
        // Abort.
        uint b = Start();
        Assert.Equal(Ok(XenStoreMessageType.Rm), Do(XenStoreMessageType.Rm, "data/x\0", b));
        Assert.Equal(Err("EINVAL"), Do(XenStoreMessageType.TransactionEnd, "maybe\0", b));
        Assert.Equal(Ok(XenStoreMessageType.TransactionEnd), Do(XenStoreMessageType.TransactionEnd, "F\0", b));
        Assert.Equal((XenStoreMessageType.Read, "in-tx"), Do(XenStoreMessageType.Read, "data/x\0"));
        // A removal whose subtree changed meanwhile conflicts; the store keeps the concurrent change.
        uint c = Start();
        Assert.Equal(Ok(XenStoreMessageType.Rm), Do(XenStoreMessageType.Rm, "data/x\0", c));
        Assert.Equal(Ok(XenStoreMessageType.Write), Do(XenStoreMessageType.Write, "data/x/child\01"));
        Assert.Equal(Err("EAGAIN"), Do(XenStoreMessageType.TransactionEnd, "T\0", c));
        Assert.Equal((XenStoreMessageType.Read, "1"), Do(XenStoreMessageType.Read, "data/x/child\0"));
        // The same removal without interference commits the whole subtree away.
        uint d = Start();
        Assert.Equal(Ok(XenStoreMessageType.Rm), Do(XenStoreMessageType.Rm, "data/x\0", d));
        Assert.Equal(Ok(XenStoreMessageType.TransactionEnd), Do(XenStoreMessageType.TransactionEnd, "T\0", d));
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.Read, "data/x/child\0"));
        Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.Read, "data/x\0"));
        Assert.Equal(2UL, _xen.Store.TransactionsCommitted);
        Assert.Equal(1UL, _xen.Store.TransactionConflicts);
    }

    [Fact]
    public void TransactionLimitsAndErrors()
    {
        var ids = new List<uint>();
        for (int i = 0; i < XenStoreServer.MaxTransactions; i++) ids.Add(Start());
        Assert.Equal(Err("ENOSPC"), Do(XenStoreMessageType.TransactionStart, "\0"));
        Assert.Equal(Err("EBUSY"), Do(XenStoreMessageType.TransactionStart, "\0", ids[0]));
        Assert.Equal(Ok(XenStoreMessageType.TransactionEnd), Do(XenStoreMessageType.TransactionEnd, "F\0", ids[1]));
        uint again = Start();
        Assert.NotEqual(ids[1], again);                                                          // ids are not reused at once
        // Touching more nodes than a transaction may track: ENOSPC for the request, the transaction goes on.
        for (int i = 0; i < XenStoreServer.MaxTransactionNodes - 1; i++)
            Assert.Equal(Err("ENOENT"), Do(XenStoreMessageType.Read, "data/n" + i + "\0", again));
        Assert.Equal(Ok(XenStoreMessageType.Write), Do(XenStoreMessageType.Write, "data/n0\0v", again));   // + data (its child list): full
        Assert.Equal(Err("ENOSPC"), Do(XenStoreMessageType.Read, "data/m\0", again));
        Assert.Equal(Ok(XenStoreMessageType.TransactionEnd), Do(XenStoreMessageType.TransactionEnd, "T\0", again));
        Assert.Equal((XenStoreMessageType.Read, "v"), Do(XenStoreMessageType.Read, "data/n0\0"));
        // A reconnection-free server keeps the others open; permissions apply inside a transaction too.
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.Write, "domid\0x", ids[0]));
        Assert.Equal(Err("EACCES"), Do(XenStoreMessageType.SetPerms, "name\0n1\0", ids[0]));
    }

    [Fact]
    public void ACommitThatDoesNotFitAppliesNothing()
    {
        uint t = Start();
        int i = 0;
        // Fill the transaction's copy of the tree; the store stays as it was.
        while (Do(XenStoreMessageType.Write, "data/f" + i + "\0v", t).Type == XenStoreMessageType.Write && i < XenStoreTree.Capacity) i++;
        Assert.True(i > 5);
        // Meanwhile the store fills up with other nodes, so the commit no longer fits.
        int j = 0;
        while (Do(XenStoreMessageType.Write, "device/g" + j + "\0v").Type == XenStoreMessageType.Write && j < XenStoreTree.Capacity) j++;
        Assert.True(j > 5);
        var before = Do(XenStoreMessageType.Directory, "data\0");
        var end = Do(XenStoreMessageType.TransactionEnd, "T\0", t);
        Assert.Equal(Err("ENOSPC"), end);
        Assert.Equal(before, Do(XenStoreMessageType.Directory, "data\0"));
    }

    private enum Op { OutsideWrite, Start, Read, Write, Commit, Abort }

    /// <summary>Random interleavings of two transactions and outside writes on four existing nodes, against a model
    /// written from the rule alone: a transaction sees the store as it was at its start plus its own writes; a commit
    /// fails with EAGAIN exactly when a node it read or wrote was changed by someone else (an outside write or another
    /// commit) after it started, and then changes nothing; otherwise its writes land and every other node keeps its
    /// current value.</summary>
    [Property(MaxTest = 200)]
    public void TransactionsMatchTheModel(NonEmptyArray<byte> script)
    {
        using var t = new XenStoreTransactionTests();
        const int Keys = 4;
        var store = new string[Keys];
        var changedAt = new int[Keys];                            // step of the last committed change of each key
        for (int k = 0; k < Keys; k++)
        {
            store[k] = "v" + k;
            Assert.Equal(Ok(XenStoreMessageType.Write), t.Do(XenStoreMessageType.Write, $"data/k{k}\0{store[k]}"));
        }
        var id = new uint[2];
        var open = new bool[2];
        var startStep = new int[2];
        var view = new string[2][];
        var touched = new HashSet<int>[2] { new(), new() };
        var written = new HashSet<int>[2] { new(), new() };
        int step = 1, value = 0;
        foreach (byte b in script.Get)
        {
            step++;
            var op = (Op)(b % 6);
            int x = (b >> 3) & 1, k = (b >> 4) % Keys;
            string v = "w" + value++;
            switch (op)
            {
                case Op.OutsideWrite:
                    Assert.Equal(Ok(XenStoreMessageType.Write), t.Do(XenStoreMessageType.Write, $"data/k{k}\0{v}"));
                    store[k] = v;
                    changedAt[k] = step;
                    break;
                case Op.Start when !open[x]:
                    id[x] = t.Start();
                    open[x] = true;
                    startStep[x] = step;
                    view[x] = (string[])store.Clone();
                    touched[x].Clear();
                    written[x].Clear();
                    break;
                case Op.Read when open[x]:
                    Assert.Equal((XenStoreMessageType.Read, view[x][k]), t.Do(XenStoreMessageType.Read, $"data/k{k}\0", id[x]));
                    touched[x].Add(k);
                    break;
                case Op.Write when open[x]:
                    Assert.Equal(Ok(XenStoreMessageType.Write), t.Do(XenStoreMessageType.Write, $"data/k{k}\0{v}", id[x]));
                    view[x][k] = v;
                    touched[x].Add(k);
                    written[x].Add(k);
                    break;
                case Op.Commit when open[x]:
                {
                    bool conflict = false;
                    foreach (int n in touched[x]) conflict |= changedAt[n] > startStep[x];
                    var reply = t.Do(XenStoreMessageType.TransactionEnd, "T\0", id[x]);
                    Assert.Equal(conflict ? Err("EAGAIN") : Ok(XenStoreMessageType.TransactionEnd), reply);
                    if (!conflict)
                        foreach (int n in written[x])
                        {
                            store[n] = view[x][n];
                            changedAt[n] = step;
                        }
                    open[x] = false;
                    break;
                }
                case Op.Abort when open[x]:
                    Assert.Equal(Ok(XenStoreMessageType.TransactionEnd), t.Do(XenStoreMessageType.TransactionEnd, "F\0", id[x]));
                    open[x] = false;
                    break;
            }
            for (int n = 0; n < Keys; n++)
                Assert.Equal((XenStoreMessageType.Read, store[n]), t.Do(XenStoreMessageType.Read, $"data/k{n}\0"));
        }
    }
}
