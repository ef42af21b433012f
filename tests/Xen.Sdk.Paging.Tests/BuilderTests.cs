using System;
using System.Runtime.CompilerServices;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Diagnostics;
using Xen.Sdk.Paging.Entries;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.MemoryTypes;
using Xen.Sdk.Paging.Validation;
using Xen.Sdk.Paging.Walking;
using Xunit;

namespace Xen.Sdk.Paging.Tests;

public unsafe class BuilderTests : IDisposable
{
    private readonly HostArena _arena = new(32 << 20);
    public void Dispose() => _arena.Dispose();

    private SecondLevelTables<EptFormat, ArenaFrameSource> Ept(PagingCapabilities caps, bool ad = false, bool merge = true)
    {
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<EptFormat, ArenaFrameSource>.Create(new EptFormat(caps, accessedDirty: ad), _arena.Frames, out var t, merge));
        return t;
    }

    [Fact]
    public void EntrySizes()
    {
        Assert.Equal(8, Unsafe.SizeOf<EptEntry>());
        Assert.Equal(8, Unsafe.SizeOf<NptEntry>());
        Assert.Equal(8, Unsafe.SizeOf<LongModeEntry>());
        Assert.Equal(8, Unsafe.SizeOf<PaePdpte>());
        Assert.Equal(4, Unsafe.SizeOf<Legacy32Entry>());
        Span<byte> page = new byte[4096];
        Assert.Equal(512, PageTableView.Ept(page).Length);
        Assert.Equal(1024, PageTableView.Legacy32(page).Length);
        Assert.Equal(4, PageTableView.PaePdpt(page).Length);
    }

    [Fact]
    public void PageSizeFollowsCapabilities()
    {
        // Skylake-X: 1 GiB pages; Sandy Bridge: 2 MiB only (Bochs model without 1 GiB pages).
        var sky = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(PagingStatus.Ok, sky.MapIdentity(new GuestPhysicalAddress(0), 2UL << 30, PageAttributes.ReadWriteExecute));
        Assert.True(sky.TryLookup(new GuestPhysicalAddress(0x4000_1000), out _, out PageSize s1, out _));
        Assert.Equal(PageSize.Size1GiB, s1);
        Assert.Equal(2, _arena.Frames.LiveFrames);
        sky.Release();
        var snb = Ept(CpuModels.BochsCoreI7SandyBridge2600K);
        Assert.Equal(PagingStatus.Ok, snb.MapIdentity(new GuestPhysicalAddress(0), 2UL << 30, PageAttributes.ReadWriteExecute));
        Assert.True(snb.TryLookup(new GuestPhysicalAddress(0x4000_1000), out _, out PageSize s2, out _));
        Assert.Equal(PageSize.Size2MiB, s2);
        Assert.Equal(4, _arena.Frames.LiveFrames); // PML4, PDPT, 2 PDs
        // Misaligned output: 4 KiB pages only.
        Assert.Equal(PagingStatus.Ok, snb.Map(new GuestPhysicalAddress(0x8000_0000), new HostPhysicalAddress(0x1000), 0x20_0000, PageAttributes.ReadWriteExecute));
        Assert.True(snb.TryLookup(new GuestPhysicalAddress(0x8000_0000), out var h, out PageSize s3, out _));
        Assert.Equal((PageSize.Size4KiB, 0x1000UL), (s3, h.Value));
        snb.Release();
        Assert.Equal(0, _arena.Frames.LiveFrames);
        Assert.False(EptFormat.Supports(CpuModels.BochsCore2PenrynT9600, 4));
        Assert.True(EptFormat.Supports(CpuModels.BochsCoreI7SkylakeX, 4));
        Assert.False(EptFormat.Supports(CpuModels.BochsCoreI7SkylakeX, 5));
    }

    [Fact]
    public void RejectedRequests()
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(PagingStatus.Misaligned, t.Map(new(0x800), new(0), 0x1000, PageAttributes.ReadWriteExecute));
        Assert.Equal(PagingStatus.OutOfRange, t.Map(new(1UL << 48), new(0), 0x1000, PageAttributes.ReadWriteExecute));
        Assert.Equal(PagingStatus.OutOfRange, t.Map(new(0), new(1UL << 40), 0x1000, PageAttributes.ReadWriteExecute)); // MAXPHYADDR 40
        Assert.Equal(PagingStatus.UnsupportedAttributes, t.Map(new(0), new(0), 0x1000, new PageAttributes(PageAccess.Write)));
        Assert.Equal(PagingStatus.UnsupportedAttributes, t.Map(new(0), new(0), 0x1000, new PageAttributes(PageAccess.Read, MemoryType.UncachedMinus)));
        var noXo = CpuModels.BochsCoreI7SkylakeX with { EptCapabilities = new EptVpidCapabilities(CpuModels.BochsCoreI7SkylakeX.EptCapabilities.Value & ~1UL) };
        var t2 = Ept(noXo);
        Assert.Equal(PagingStatus.UnsupportedAttributes, t2.Map(new(0), new(0), 0x1000, new PageAttributes(PageAccess.Execute)));
        Assert.Equal(PagingStatus.NotMapped, t.Split(new(0x5000), PageSize.Size4KiB));
        // Out of frames: a frame source with room for the root only.
        using var tiny = new HostArena(2 * 4096);
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<EptFormat, ArenaFrameSource>.Create(new EptFormat(CpuModels.BochsCoreI7SkylakeX), tiny.Frames, out var t3));
        Assert.Equal(PagingStatus.OutOfFrames, t3.Map(new(0), new(0), 0x1000, PageAttributes.ReadWriteExecute));
    }

    [Fact]
    public void FlushHints()
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(PagingStatus.Ok, t.MapIdentity(new(0), 0x10_0000, PageAttributes.ReadWriteExecute));
        FlushHint h = t.TakeFlushHint();
        Assert.False(h.Required); // not-present -> present needs no invalidation
        Assert.Equal(InveptType.None, h.ForEpt(CpuModels.BochsCoreI7SkylakeX));
        Assert.Equal(PagingStatus.Ok, t.Protect(new(0x3000), 0x2000, new PageAttributes(PageAccess.Read)));
        h = t.TakeFlushHint();
        Assert.True(h.Required);
        Assert.Equal((0x3000UL, 0x5000UL), (h.Start, h.End));
        Assert.Equal(InveptType.SingleContext, h.ForEpt(CpuModels.BochsCoreI7SkylakeX));
        Assert.Equal(InveptType.AllContext, h.ForEpt(CpuModels.BochsCoreI7SkylakeX with { EptCapabilities = new(0x04114141) }));
        Assert.Equal(NptTlbControl.FlushAll, h.ForNpt(CpuModels.QemuQemu64Svm));   // TCG: no flush-by-ASID
        Assert.Equal(NptTlbControl.FlushGuest, h.ForNpt(CpuModels.ModernAmd));
        Assert.Equal(GuestFlushKind.Invlpg, h.ForGuest());
        Assert.False(t.TakeFlushHint().Required);
    }

    [Fact]
    public void DirtyLoggingWithEptAccessedDirty()
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX, ad: true);
        Assert.Equal(PagingStatus.Ok, t.MapIdentity(new(0), 0x40_0000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB));
        Assert.Equal(PagingStatus.Ok, t.MapIdentity(new(0x40_0000), 0x20_0000, PageAttributes.ReadWriteExecute)); // one 2 MiB page
        var frames = _arena.Frames;
        foreach (ulong a in new ulong[] { 0x1000, 0x5000, 0x3F_F000, 0x50_0000 })
            Assert.True(EptWalker.Walk(ref frames, t.Format, t.Root, new(a), NestedAccess.Physical(AccessKind.Write), updateAccessedDirty: true).IsOk);
        Assert.True(EptWalker.Walk(ref frames, t.Format, t.Root, new(0x9000), NestedAccess.Physical(AccessKind.Read), updateAccessedDirty: true).IsOk);
        var bitmap = new ulong[(0x60_0000 >> 12) / 64];
        long changed = t.ScanAndClearAccessedDirty(new(0), 0x60_0000, bitmap);
        Assert.Equal(5, changed); // four dirty leaves + one accessed-only leaf
        Assert.Equal(0x22UL, bitmap[0]);                // pages 1 and 5
        Assert.Equal(1UL << 63, bitmap[15]);            // page 0x3FF
        for (int i = 16; i < 24; i++) Assert.Equal(ulong.MaxValue, bitmap[i]); // the whole 2 MiB page
        Assert.True(t.TakeFlushHint().Required);        // cleared D bits must be invalidated or the CPU will not set them again
        Array.Clear(bitmap);
        Assert.Equal(0, t.ScanAndClearAccessedDirty(new(0), 0x60_0000, bitmap));
        Assert.All(bitmap, b => Assert.Equal(0UL, b));
    }

    [Fact]
    public void PointersForVmcsAndVmcb()
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(t.Root.Value | 6 | (3 << 3), t.Format.MakeEptPointer(t.Root));
        Assert.Equal(t.Root.Value | 0 | (4 << 3), new EptFormat(CpuModels.ModernIntel, 5).MakeEptPointer(t.Root, MemoryType.Uncacheable));
        Assert.Equal(0x12_3000UL, NptFormat.MakeNestedCr3(new HostPhysicalAddress(0x12_3018)));
    }

    [Fact]
    public void ValidatorFindsEachProblemAndReportsIt()
    {
        var t = Ept(CpuModels.BochsCoreI7SandyBridge2600K);
        Assert.Equal(PagingStatus.Ok, t.MapIdentity(new(0), 0x40_0000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB));
        var issues = new ValidationIssue[8];
        Assert.Equal(0, PageTableValidator.Validate(t, issues));
        // Corrupt entries by hand: W without R, memory type 3, a reserved bit, and a 1 GiB leaf on a CPU without them.
        ulong* pml4 = (ulong*)_arena.Frames.MapFrame(t.Root);
        ulong* pdpt = (ulong*)_arena.Frames.MapFrame(new HostPhysicalAddress(pml4[0] & EptEntry.AddressMask));
        ulong* pd = (ulong*)_arena.Frames.MapFrame(new HostPhysicalAddress(pdpt[0] & EptEntry.AddressMask));
        ulong* pt = (ulong*)_arena.Frames.MapFrame(new HostPhysicalAddress(pd[0] & EptEntry.AddressMask));
        pt[1] = 0x1000 | 2 | (6 << 3);
        pt[2] = 0x2000 | 7 | (3 << 3);
        pt[3] = 0x3000 | 7 | (6 << 3) | (1UL << 44);
        pdpt[1] = 0x4000_0000 | 7 | (6 << 3) | EptEntry.LargePageBit;
        int n = PageTableValidator.Validate(t, issues);
        Assert.Equal(4, n);
        Assert.Equal(
            new[] { EntryProblem.WriteWithoutRead, EntryProblem.ReservedMemoryType, EntryProblem.ReservedBits, EntryProblem.LargePageUnsupported },
            new[] { issues[0].Problem, issues[1].Problem, issues[2].Problem, issues[3].Problem });
        string report = PageTableDump.Report(issues, n);
        Assert.Contains("level 1 entry for 0000000000001000-0000000000001fff = 0000000000001032: EPT write permission without read", report);
        Assert.Contains("reserved EPT memory type", report);
        Assert.Contains("large page at a level the CPU does not support", report);
        // The walker agrees: each is an EPT misconfiguration.
        var frames = _arena.Frames;
        foreach (ulong a in new ulong[] { 0x1000, 0x2000, 0x3000, 0x4000_0000 })
            Assert.Equal(WalkOutcome.EptMisconfiguration, EptWalker.Walk(ref frames, t.Format, t.Root, new(a), NestedAccess.Physical(AccessKind.Read)).Outcome);
    }

    [Fact]
    public void NptWithoutUserBitIsReported()
    {
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<NptFormat, ArenaFrameSource>.Create(new NptFormat(CpuModels.QemuQemu64Svm), _arena.Frames, out var t));
        Assert.Equal(PagingStatus.Ok, t.MapIdentity(new(0), 0x1000, PageAttributes.ReadWriteExecute));
        ulong* e = (ulong*)_arena.Frames.MapFrame(t.Root);
        e[0] &= ~X64EntryBits.User;
        var issues = new ValidationIssue[4];
        Assert.Equal(1, PageTableValidator.Validate(t, issues));
        Assert.Equal(EntryProblem.UserBitClear, issues[0].Problem);
        var frames = _arena.Frames;
        Assert.Equal(0x1_0000_0005UL, NptWalker.Walk(ref frames, t.Format, t.Root, new(0), NestedAccess.Physical(AccessKind.Read)).ErrorCode.Value);
    }

    [Fact]
    public void CoverageOfRam()
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(PagingStatus.Ok, t.MapIdentity(new(0), 0x1_0000_0000, PageAttributes.ReadWriteExecute));
        Assert.Equal(PagingStatus.Ok, t.Unmap(new(0xA0000), 0x60000));
        Assert.Equal(PagingStatus.Ok, t.Map(new(0x2000_0000), new(0x9000_0000), 0x20_0000, PageAttributes.ReadWriteExecute));
        PhysicalRange[] ram = [new(0, 0x1_2000_0000)];
        var issues = new ValidationIssue[8];
        int n = PageTableValidator.CheckCoverage(t, ram, requireIdentity: true, issues);
        Assert.Equal(3, n);
        Assert.Equal((IssueKind.NotCovered, 0xA0000UL, 0x60000UL), (issues[0].Kind, issues[0].Input, issues[0].Length));
        Assert.Equal((IssueKind.NotIdentity, 0x2000_0000UL, 0x20_0000UL), (issues[1].Kind, issues[1].Input, issues[1].Length));
        Assert.Equal((IssueKind.NotCovered, 0x1_0000_0000UL, 0x2000_0000UL), (issues[2].Kind, issues[2].Input, issues[2].Length));
        Assert.Contains("00000000000a0000-00000000000fffff: required range not mapped", PageTableDump.Report(issues, n));
    }

    [Fact]
    public void DumpCoalescesRanges()
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(PagingStatus.Ok, t.MapIdentity(new(0), 0x4020_0000, PageAttributes.ReadWriteExecute));
        Assert.Equal(PagingStatus.Ok, t.Map(new(0x8000_0000), new(0x1000), 0x3000, new PageAttributes(PageAccess.Read, MemoryType.Uncacheable)));
        string dump = PageTableDump.Dump(t);
        Assert.Equal(
            "0000000000000000-00000000401fffff -> 0000000000000000-00000000401fffff RWX- WB 1G x1 2M x1\n" +
            "0000000080000000-0000000080002fff -> 0000000000001000-0000000000003fff R--- UC 4K x3\n" +
            "5 leaves, 5 tables\n", dump);
    }

    [Fact]
    public void MemoryTypeMapIntoEpt()
    {
        var m = MtrrSnapshot.Uniform(MemoryType.WriteBack, 40);
        m.SetVariableRange(0, 0xC000_0000, 0x4000_0000, MemoryType.Uncacheable);
        PhysicalRange[] ram = [new(0, 0x1_0000_0000)];
        var ranges = new MemoryTypeRange[4];
        Assert.Equal(PagingStatus.Ok, MemoryTypeMap.Derive(m, ram, ranges, out int count, out _));
        var t = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(PagingStatus.Ok, MemoryTypeMap.MapIdentity(ref t, ranges.AsSpan(0, count), PageAccess.ReadWriteExecute));
        Assert.True(t.TryLookup(new(0xC000_1000), out _, out PageSize size, out PageAttributes a));
        Assert.Equal((PageSize.Size1GiB, MemoryType.Uncacheable), (size, a.MemoryType));
        Assert.True(t.TryLookup(new(0x1000), out _, out _, out a));
        Assert.Equal(MemoryType.WriteBack, a.MemoryType);
    }
}
