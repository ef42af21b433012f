using System;
using System.Threading;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Rings.GrantTable;
using Xen.Sdk.Rings.Tests.Hostile;
using Xunit;

namespace Xen.Sdk.Rings.Tests.GrantTable;

public sealed unsafe class GrantTableTests
{
    private static readonly DomainId Backend = new(1), Other = new(7);

    [Fact]
    public void V1AccessLifecycle()
    {
        var entries = stackalloc GrantEntryV1[8];
        var gt = new GrantTableV1(entries, 8);
        var r = new GrantRef(3);
        Assert.True(gt.TryGrantAccess(r, Backend, 0x1234, readOnly: true));
        // Byte image of grant_entry_v1 (xen/include/public/grant_table.h): flags, domid, frame.
        Assert.Equal(new byte[] { 0x05, 0, 1, 0, 0x34, 0x12, 0, 0 }, new Span<byte>(entries + 3, 8).ToArray());
        Assert.Equal(GrantStatus.PermissionDenied, gt.TryMap(r, Backend, readOnly: false, out _));
        Assert.Equal(GrantStatus.PermissionDenied, gt.TryMap(r, Other, readOnly: true, out _));
        Assert.Equal(GrantStatus.Okay, gt.TryMap(r, Backend, readOnly: true, out uint frame));
        Assert.Equal(0x1234u, frame);
        Assert.False(gt.TryEndAccess(r)); // GTF_reading set: still in use
        Assert.True(gt.Release(r, wasWritable: false, lastReader: true));
        Assert.True(gt.TryEndAccess(r));
        Assert.Equal(GrantStatus.PermissionDenied, gt.TryMap(r, Backend, readOnly: true, out _));
        Assert.Equal(GrantStatus.BadGntref, gt.TryMap(new GrantRef(8), Backend, true, out _));
    }

    [Fact]
    public void V1TransferLifecycle()
    {
        var entries = stackalloc GrantEntryV1[4];
        var gt = new GrantTableV1(entries, 4);
        var r = new GrantRef(2);
        Assert.True(gt.TryGrantTransfer(r, Backend));
        Assert.Equal(GrantTransferState.NotTransferred, gt.TryEndTransfer(r, out _));
        Assert.True(gt.TryGrantTransfer(r, Backend));
        Assert.Equal(GrantStatus.PermissionDenied, gt.TryCommitTransfer(r, Other));
        Assert.Equal(GrantStatus.Okay, gt.TryCommitTransfer(r, Backend));
        Assert.Equal(GrantTransferState.InProgress, gt.TryEndTransfer(r, out _));
        Assert.True(gt.CompleteTransfer(r, 0xABCDE));
        Assert.Equal(GrantTransferState.Completed, gt.TryEndTransfer(r, out uint frame));
        Assert.Equal(0xABCDEu, frame);
        Assert.Equal((GrantEntryFlags)0, gt.Flags(r));
    }

    [Fact]
    public void V2AccessSubPageAndTransitive()
    {
        var entries = stackalloc GrantEntryV2[8];
        var status = stackalloc ushort[8];
        var gt = new GrantTableV2(entries, status, 8);
        var r = new GrantRef(5);
        Assert.True(gt.TryGrantSubPage(r, Backend, 0x1_0000_0001, 256, 512, readOnly: false));
        Assert.False(gt.TryGrantSubPage(r, Backend, 1, 4000, 200, false));
        Assert.Equal(GrantStatus.Okay, gt.TryMap(r, Backend, readOnly: false, out ulong frame, out ushort off, out ushort len));
        Assert.Equal((0x1_0000_0001UL, (ushort)256, (ushort)512), (frame, off, len));
        Assert.Equal((ushort)(GrantEntryFlags.Reading | GrantEntryFlags.Writing), gt.Status(r));
        Assert.False(gt.TryEndAccess(r));
        Assert.True(gt.Release(r, true, true));
        Assert.True(gt.TryEndAccess(r));
        Assert.Equal(GrantStatus.PermissionDenied, gt.TryMap(r, Backend, true, out _, out _, out _));
        Assert.True(gt.TryGrantTransitive(new GrantRef(6), Backend, Other, new GrantRef(42)));
        Assert.Equal((ushort)GrantEntryFlags.Transitive, entries[6].Hdr.Flags);
        Assert.Equal(42u, entries[6].TransitiveGref.Value);
    }

    /// <summary>
    /// Hostile guest, 10^6 random v1 and v2 entries: the hypervisor's map succeeds exactly when the model
    /// says the entry permits it, never reads outside the table (guard pages) and never loops.
    /// </summary>
    [Fact]
    public void HostileEntriesFuzz()
    {
        // Layout: v2 entries (8 KiB) at the start, v2 status after them, v1 entries ending at the guard page.
        using var mem = new GuardedPages(4);
        var rnd = new Random(31337);
        const uint n = 512;
        var v1 = (GrantEntryV1*)mem.EndAligned((int)n * 8);
        var v2 = (GrantEntryV2*)mem.Start;
        var st = (ushort*)(mem.Start + n * 16);
        var t1 = new GrantTableV1(v1, n);
        var t2 = new GrantTableV2(v2, st, n);
        long ok = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            uint gref = (uint)rnd.Next(0, (int)n + 8);
            bool ro = rnd.Next(2) == 0;
            var mapper = new DomainId((ushort)rnd.Next(0, 3));
            ushort flags = (ushort)(rnd.Next(4) == 0 ? rnd.Next() : rnd.Next(0, 8));
            ushort dom = (ushort)rnd.Next(0, 3);
            if (gref < n)
            {
                v1[gref].Flags = flags;
                v1[gref].Domid = new DomainId(dom);
                v1[gref].Frame = (uint)rnd.Next();
                v2[gref].Hdr.Flags = flags;
                v2[gref].Hdr.Domid = new DomainId(dom);
                v2[gref].SubPagePageOff = (ushort)rnd.Next(0, 5000);
                v2[gref].SubPageLength = (ushort)rnd.Next(0, 5000);
                st[gref] = 0;
            }
            bool valid = gref < n && (flags & 3) == 1 && dom == mapper.Value && (ro || (flags & 4) == 0);
            GrantStatus s1 = t1.TryMap(new GrantRef(gref), mapper, ro, out _);
            Assert.Equal(valid, s1 == GrantStatus.Okay);
            if (gref >= n) Assert.Equal(GrantStatus.BadGntref, s1);
            GrantStatus s2 = t2.TryMap(new GrantRef(gref), mapper, ro, out _, out ushort off, out ushort len);
            bool subOk = (flags & 0x100) == 0 || v2[gref < n ? gref : 0].SubPagePageOff + v2[gref < n ? gref : 0].SubPageLength <= 4096;
            Assert.Equal(valid && subOk, s2 == GrantStatus.Okay);
            if (s2 == GrantStatus.Okay) { Assert.True(off + len <= 4096); ok++; }
        }
        Assert.True(ok > 10_000);
    }

    /// <summary>
    /// Guest revokes while the hypervisor keeps mapping and unmapping on another thread: once TryEndAccess
    /// succeeded, no map may succeed (v1: one compare-exchange word; v2: status then re-check).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RevocationRacesWithMapping(int version)
    {
        var e1 = new GrantEntryV1[1];
        var e2 = new GrantEntryV2[1];
        var st = new ushort[2];
        fixed (GrantEntryV1* p1 = e1)
        fixed (GrantEntryV2* p2 = e2)
        fixed (ushort* ps = st)
        {
            var t1 = new GrantTableV1(p1, 1);
            var t2 = new GrantTableV2(p2, ps, 1);
            GrantEntryV1* a1 = p1; GrantEntryV2* a2 = p2; ushort* a3 = ps;
            for (int round = 0; round < 2000; round++)
            {
                var r = new GrantRef(0);
                if (version == 1) t1.TryGrantAccess(r, Backend, 9, false); else t2.TryGrantAccess(r, Backend, 9, false);
                int revoked = 0, mappedAfter = 0;
                var hv = new Thread(() =>
                {
                    var h1 = new GrantTableV1(a1, 1);
                    var h2 = new GrantTableV2(a2, a3, 1);
                    for (int k = 0; k < 200; k++)
                    {
                        bool wasRevoked = Volatile.Read(ref revoked) != 0;
                        bool mapped = version == 1 ? h1.TryMap(r, Backend, false, out _) == GrantStatus.Okay
                                                   : h2.TryMap(r, Backend, false, out _, out _, out _) == GrantStatus.Okay;
                        if (mapped)
                        {
                            if (wasRevoked) Interlocked.Increment(ref mappedAfter);
                            if (version == 1) h1.Release(r, true, true); else h2.Release(r, true, true);
                        }
                    }
                });
                hv.Start();
                bool ended = false;
                for (int k = 0; k < 100_000 && !ended; k++)
                    ended = version == 1 ? t1.TryEndAccess(r) : t2.TryEndAccess(r);
                if (ended) Volatile.Write(ref revoked, 1);
                hv.Join();
                Assert.Equal(0, mappedAfter);
            }
        }
    }
}
