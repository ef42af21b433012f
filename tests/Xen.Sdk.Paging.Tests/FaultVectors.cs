using System;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Entries;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.Walking;
using Xunit;

namespace Xen.Sdk.Paging.Tests;

/// <summary>A host-physical space with two parts: the arena holding second-level tables, and a block standing for
/// guest RAM at host-physical <see cref="GuestRamHpa"/> (whose guest-physical base is <see cref="GuestRamGpa"/>).</summary>
internal unsafe struct TwoPartMemory : IPageFrameSource
{
    public const ulong GuestRamHpa = 0x20_0000_0000UL;
    public const ulong GuestRamGpa = 0x40_0000UL;
    public ArenaFrameSource Host;
    public byte* GuestRam;
    public ulong GuestRamLength;
    public bool TryAllocateFrame(out HostPhysicalAddress frame) => Host.TryAllocateFrame(out frame);
    public void FreeFrame(HostPhysicalAddress frame) => Host.FreeFrame(frame);
    public byte* MapFrame(HostPhysicalAddress frame)
        => frame.Value - GuestRamHpa < GuestRamLength ? GuestRam + (frame.Value - GuestRamHpa) : Host.MapFrame(frame);
}

/// <summary>Fault reporting checked against the manuals' definitions, one vector per rule.</summary>
public unsafe class FaultVectors : IDisposable
{
    private readonly HostArena _host = new(16 << 20);
    private readonly HostArena _guest = new(4 << 20, TwoPartMemory.GuestRamGpa);
    public void Dispose() { _host.Dispose(); _guest.Dispose(); }

    private static readonly GuestPhysicalAddress Page = new(0x20_0000);

    private SecondLevelTables<EptFormat, ArenaFrameSource> Ept(PagingCapabilities caps, bool ad = false)
    {
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<EptFormat, ArenaFrameSource>.Create(new EptFormat(caps, accessedDirty: ad), _host.Frames, out var t));
        return t;
    }

    private SecondLevelWalk WalkEpt(in SecondLevelTables<EptFormat, ArenaFrameSource> t, ulong gpa, in NestedAccess a)
    {
        var frames = _host.Frames;
        return EptWalker.Walk(ref frames, t.Format, t.Root, new GuestPhysicalAddress(gpa), a);
    }

    // Intel SDM Vol. 3C §28.2.1, Table 28-7 "Exit Qualification for EPT Violations".
    [Theory]
    [InlineData(PageAccess.Read, AccessKind.Write, 0x0AUL)]                     // bit 1 write; bit 3 readable
    [InlineData(PageAccess.Read | PageAccess.Write, AccessKind.Execute, 0x1CUL)] // bit 2 fetch; bits 3,4
    [InlineData(PageAccess.Execute, AccessKind.Read, 0x21UL)]                  // execute-only page read: bit 0; bit 5
    [InlineData(PageAccess.Read | PageAccess.Execute, AccessKind.Write, 0x2AUL)]
    public void EptPermissionViolation(PageAccess rights, AccessKind kind, ulong qualification)
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(PagingStatus.Ok, t.Map(Page, new HostPhysicalAddress(0x80_0000), 0x1000, new PageAttributes(rights)));
        SecondLevelWalk w = WalkEpt(t, Page.Value + 0x10, NestedAccess.Physical(kind));
        Assert.Equal(WalkOutcome.EptViolation, w.Outcome);
        Assert.Equal(qualification, w.Qualification.Value);
        Assert.Equal(Page.Value + 0x10, w.GuestAddress.Value);
    }

    [Fact]
    public void EptNotPresentAndLinearAddressBits()
    {
        var t = Ept(CpuModels.ModernIntel);
        // Not present, plain read: only bit 0 (bits 5:3 clear = not present).
        Assert.Equal(0x1UL, WalkEpt(t, 0x5000, NestedAccess.Physical(AccessKind.Read)).Qualification.Value);
        // Final translation of a linear access (bits 7 and 8), with advanced information (bits 9-11) on a CPU that has it.
        var final = new NestedAccess { Kind = AccessKind.Write, Origin = NestedOrigin.GuestFinal, LinearAddress = new(0xFFFF_8000_0000_1000),
                                       LinearUser = true, LinearWritable = true, LinearExecuteDisable = true };
        Assert.Equal(0x2UL | 0x80 | 0x100 | 0x200 | 0x400 | 0x800, WalkEpt(t, 0x5000, final).Qualification.Value);
        // Guest paging-structure access: bit 7 set, bit 8 clear.
        var gps = new NestedAccess { Kind = AccessKind.Read, Origin = NestedOrigin.GuestPagingStructure };
        Assert.Equal(0x81UL, WalkEpt(t, 0x5000, gps).Qualification.Value);
    }

    /// <summary>Intel SDM Vol. 3C §29.3.3.2 and Table 28-7 note: with EPT A/D enabled, guest paging-structure
    /// accesses are writes, and a violation sets both bits 0 and 1.</summary>
    [Fact]
    public void EptAccessedDirtyMakesGuestTableAccessesWrites()
    {
        var t = Ept(CpuModels.BochsCoreI7SkylakeX, ad: true);
        Assert.Equal(PagingStatus.Ok, t.Map(Page, new HostPhysicalAddress(0x80_0000), 0x1000, new PageAttributes(PageAccess.Read | PageAccess.Execute)));
        var gps = new NestedAccess { Kind = AccessKind.Read, Origin = NestedOrigin.GuestPagingStructure };
        SecondLevelWalk w = WalkEpt(t, Page.Value, gps);
        Assert.Equal(WalkOutcome.EptViolation, w.Outcome);
        Assert.Equal(0x3UL | 0x08 | 0x20 | 0x80, w.Qualification.Value);
        Assert.Equal(0x40UL | 0x1E | 6, t.Format.MakeEptPointer(t.Root) & 0xFFF); // EPTP: WB, walk length 4, A/D
    }

    [Fact]
    public void EptMisconfigurations()
    {
        // Intel SDM Vol. 3C §29.3.3.1: write without read, reserved memory type, reserved bits.
        foreach (ulong bad in new[] { 0x2UL | (6 << 3), 0x7UL | (2 << 3), 0x7UL | (6 << 3) | (1UL << 45) })
        {
            var t = Ept(CpuModels.BochsCoreI7SkylakeX);
            Assert.Equal(PagingStatus.Ok, t.Map(Page, new HostPhysicalAddress(0x80_0000), 0x1000, PageAttributes.ReadWriteExecute));
            SetLeaf4K(t, Page.Value, (bad & ~EptEntry.AddressMask) | 0x80_0000 | (bad & (1UL << 45)));
            SecondLevelWalk w = WalkEpt(t, Page.Value, NestedAccess.Physical(AccessKind.Read));
            Assert.Equal(WalkOutcome.EptMisconfiguration, w.Outcome);
            t.Release();
        }
    }

    private void SetLeaf4K<TFormat>(in SecondLevelTables<TFormat, ArenaFrameSource> t, ulong gpa, ulong value) where TFormat : struct, IPagingFormat
    {
        ulong table = t.Root.Value;
        for (int level = t.Format.Levels; level > 1; level--)
        {
            ulong* p = (ulong*)_host.Frames.MapFrame(new HostPhysicalAddress(table));
            table = p[(gpa >> (3 + 9 * level)) & 511] & EptEntry.AddressMask;
        }
        ((ulong*)_host.Frames.MapFrame(new HostPhysicalAddress(table)))[(gpa >> 12) & 511] = value;
    }

    // AMD APM Vol. 2 §15.25.6: EXITINFO1 = #PF-style error code, bit 32 final translation, bit 33 guest table.
    [Theory]
    [InlineData(false, PageAccess.Read, AccessKind.Read, NestedOrigin.GuestFinal, 0x1_0000_0004UL)]
    [InlineData(true, PageAccess.Read | PageAccess.Execute, AccessKind.Write, NestedOrigin.GuestFinal, 0x1_0000_0007UL)]
    [InlineData(true, PageAccess.Read | PageAccess.Write, AccessKind.Execute, NestedOrigin.Physical, 0x1_0000_0015UL)]
    [InlineData(false, PageAccess.Read, AccessKind.Read, NestedOrigin.GuestPagingStructure, 0x2_0000_0004UL)]
    [InlineData(true, PageAccess.Read | PageAccess.Execute, AccessKind.Write, NestedOrigin.GuestPagingStructure, 0x2_0000_0007UL)]
    public void NestedPageFaultErrorCode(bool mapped, PageAccess rights, AccessKind kind, NestedOrigin origin, ulong exitInfo1)
    {
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<NptFormat, ArenaFrameSource>.Create(new NptFormat(CpuModels.BochsRyzen), _host.Frames, out var t));
        if (mapped) Assert.Equal(PagingStatus.Ok, t.Map(Page, new HostPhysicalAddress(0x80_0000), 0x1000, new PageAttributes(rights)));
        var frames = _host.Frames;
        SecondLevelWalk w = NptWalker.Walk(ref frames, t.Format, t.Root, Page, new NestedAccess { Kind = kind, Origin = origin });
        Assert.Equal(WalkOutcome.NestedPageFault, w.Outcome);
        Assert.Equal(exitInfo1, w.ErrorCode.Value);
        Assert.Equal(Page, w.GuestAddress); // EXITINFO2
    }

    [Fact]
    public void NestedPageFaultReservedBit()
    {
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<NptFormat, ArenaFrameSource>.Create(new NptFormat(CpuModels.BochsRyzen), _host.Frames, out var t));
        Assert.Equal(PagingStatus.Ok, t.Map(Page, new HostPhysicalAddress(0x80_0000), 0x1000, PageAttributes.ReadWriteExecute));
        SetLeaf4K(t, Page.Value, 0x80_0000 | 7 | (1UL << 42)); // above MAXPHYADDR 40
        var frames = _host.Frames;
        SecondLevelWalk w = NptWalker.Walk(ref frames, t.Format, t.Root, Page, NestedAccess.Physical(AccessKind.Read));
        Assert.Equal(0x1_0000_000DUL, w.ErrorCode.Value); // P | U/S | RSV, final
    }

    // ---- guest walks: Intel SDM Vol. 3A §4.6 (access rights) and §4.7 (#PF error code) ----------------------------

    private const ulong Cr0 = GuestPagingState.Cr0Pg | GuestPagingState.Cr0Wp;

    private (GuestPageTables<LongModeFormat, ArenaFrameSource> tables, GuestPagingState state) LongModeGuest(PageAttributes leaf, bool nxe = true)
    {
        var caps = CpuModels.BochsCoreI7SkylakeX;
        Assert.Equal(PagingStatus.Ok, GuestPageTables<LongModeFormat, ArenaFrameSource>.Create(new LongModeFormat(caps, 4, nxe: true), _guest.Frames, out var g));
        Assert.Equal(PagingStatus.Ok, g.Map(new GuestVirtualAddress(0x40_0000), new GuestPhysicalAddress(0x60_0000), 0x1000, leaf));
        var state = new GuestPagingState
        {
            Cr0 = Cr0, Cr3 = g.Root.Value, Cr4 = GuestPagingState.Cr4Pae | GuestPagingState.Cr4Smep | GuestPagingState.Cr4Smap,
            Efer = GuestPagingState.EferLma | (nxe ? GuestPagingState.EferNxe : 0), MaxPhysicalAddressBits = 40, Pages1GiB = true,
        };
        return (g, state);
    }

    private GuestWalkResult GuestWalk(in GuestPagingState state, ulong va, GuestAccess access)
    {
        var mem = new IdentityGuestMemory<ArenaFrameSource>(_guest.Frames, _guest.Frames.BaseAddress, _guest.Length);
        return GuestWalker.Walk(ref mem, state, new GuestVirtualAddress(va), access);
    }

    [Theory]
    // leaf rights, access kind, user, EFLAGS.AC, implicit, CR0.WP, expected (-1 = success, else #PF error code)
    [InlineData(PageAccess.Read | PageAccess.Write, AccessKind.Read, true, false, false, true, 0x5)]          // user read of supervisor page: P|U
    [InlineData(PageAccess.Read | PageAccess.User, AccessKind.Write, true, false, false, true, 0x7)]         // user write of read-only page: P|W|U
    [InlineData(PageAccess.Read, AccessKind.Write, false, false, false, true, 0x3)]                           // supervisor write, WP=1: P|W
    [InlineData(PageAccess.Read, AccessKind.Write, false, false, false, false, -1)]                           // WP=0: allowed
    [InlineData(PageAccess.ReadWriteExecute | PageAccess.User, AccessKind.Execute, false, false, false, true, 0x11)] // SMEP: P|I/D
    [InlineData(PageAccess.ReadWriteExecute | PageAccess.User, AccessKind.Read, false, false, false, true, 0x1)]     // SMAP, AC=0
    [InlineData(PageAccess.ReadWriteExecute | PageAccess.User, AccessKind.Read, false, true, false, true, -1)]       // SMAP, AC=1: allowed
    [InlineData(PageAccess.ReadWriteExecute | PageAccess.User, AccessKind.Read, false, true, true, true, 0x1)]        // implicit: SMAP regardless of AC
    [InlineData(PageAccess.Read | PageAccess.Write | PageAccess.User, AccessKind.Execute, true, false, false, true, 0x15)] // NX fetch by user: P|U|I/D
    [InlineData(PageAccess.Read | PageAccess.Write | PageAccess.User, AccessKind.Write, true, false, false, true, -1)]
    public void GuestAccessRights(PageAccess rights, AccessKind kind, bool user, bool ac, bool @implicit, bool wp, int expected)
    {
        var (g, state) = LongModeGuest(new PageAttributes(rights));
        if (!wp) state = state with { Cr0 = GuestPagingState.Cr0Pg };
        GuestWalkResult r = GuestWalk(state, 0x40_0123, new GuestAccess { Kind = kind, User = user, AlignmentCheck = ac, Implicit = @implicit });
        if (expected < 0)
        {
            Assert.Equal(WalkOutcome.Ok, r.Outcome);
            Assert.Equal(0x60_0123UL, r.GuestAddress.Value);
        }
        else
        {
            Assert.Equal(WalkOutcome.PageFault, r.Outcome);
            Assert.Equal((uint)expected, r.ErrorCode.Value);
        }
        g.Release();
    }

    [Fact]
    public void GuestNotPresentReservedAndNonCanonical()
    {
        var (g, state) = LongModeGuest(PageAttributes.ReadWriteExecute);
        Assert.Equal(0x2u, GuestWalk(state, 0x80_0000, new GuestAccess { Kind = AccessKind.Write }).ErrorCode.Value); // not present: W only
        Assert.Equal(0x14u, GuestWalk(state, 0x80_0000, new GuestAccess { Kind = AccessKind.Execute, User = true }).ErrorCode.Value); // U|I/D
        Assert.Equal(WalkOutcome.NonCanonical, GuestWalk(state, 0x0000_8000_0000_0000UL, default).Outcome);
        // EFER.NXE=0 makes bit 63 reserved: the leaf (mapped with NX) now faults with RSVD.
        var (g2, s2) = LongModeGuest(new PageAttributes(PageAccess.Read | PageAccess.Write), nxe: false);
        GuestWalkResult r = GuestWalk(s2, 0x40_0000, default);
        Assert.Equal(0x9u, r.ErrorCode.Value); // P | RSVD
        Assert.Equal(1, r.Level);
        g.Release();
        g2.Release();
    }

    [Fact]
    public void GuestAccessedDirtyUpdates()
    {
        var (g, state) = LongModeGuest(PageAttributes.ReadWriteExecute);
        Assert.True(GuestWalk(state, 0x40_0000, new GuestAccess { Kind = AccessKind.Write, SetAccessedDirty = true }).IsOk);
        Span<ulong> bitmap = stackalloc ulong[1];
        Assert.Equal(1, g.ScanAndClearAccessedDirty(new GuestVirtualAddress(0x40_0000), 0x1000, bitmap));
        Assert.Equal(1UL, bitmap[0]);
        g.Release();
    }

    [Fact]
    public void Legacy32WithAndWithoutPse()
    {
        var caps = CpuModels.BochsRyzen;
        using var low = new HostArena(1 << 20, 0x10_0000);
        Assert.Equal(PagingStatus.Ok, GuestPageTables<Legacy32Format, ArenaFrameSource>.Create(new Legacy32Format(caps, pse: true), low.Frames, out var g));
        Assert.Equal(PagingStatus.Ok, g.Map(new GuestVirtualAddress(0xC000_0000), new GuestPhysicalAddress(0x40_0000), 0x40_0000, PageAttributes.ReadWriteExecute));
        Assert.True(g.TryLookup(new GuestVirtualAddress(0xC012_3456), out var gpa, out var size, out _));
        Assert.Equal(0x52_3456UL, gpa.Value);
        Assert.Equal(PageSize.Size2MiB, size); // a 4 MiB PDE
        var mem = new IdentityGuestMemory<ArenaFrameSource>(low.Frames, low.Frames.BaseAddress, low.Length);
        var state = new GuestPagingState { Cr0 = Cr0, Cr3 = g.Root.Value, Cr4 = GuestPagingState.Cr4Pse, MaxPhysicalAddressBits = 40 };
        GuestWalkResult r = GuestWalker.Walk(ref mem, state, new GuestVirtualAddress(0xC012_3456), default);
        Assert.True(r.IsOk);
        Assert.Equal(0x52_3456UL, r.GuestAddress.Value);
        // CR4.PSE=0: bit 7 of the PDE is ignored, the PDE's address is taken as a page table (Intel SDM Vol. 3A §4.3).
        r = GuestWalker.Walk(ref mem, state with { Cr4 = 0 }, new GuestVirtualAddress(0xC012_3456), default);
        Assert.Equal(WalkOutcome.OutsideMemory, r.Outcome);
        Assert.Equal(0x40_0000UL + 0x123 * 4, r.GuestAddress.Value); // the 'page table' at 0x400000, entry 0x123
        // PSE-36: a 4 MiB PDE with bits 20:13 = address bits 39:32.
        Assert.Equal(0x3_0040_0000UL, new Legacy32Entry(0x0040_0000u | (3u << 13) | 0x83u).LargePageAddress.Value);
    }

    /// <summary>A CPU without PSE (CPUID 1 EDX[3] clear) cannot set CR4.PSE (Intel SDM Vol. 3A §2.5), so the format
    /// refuses 4 MiB pages whatever its <c>pse</c> argument: the builder maps the same range with 4 KiB pages and a
    /// lookup reports them.</summary>
    [Fact]
    public void Legacy32OnACpuWithoutPseUsesSmallPagesOnly()
    {
        var caps = CpuModels.BochsRyzen with { Pse = false };
        var format = new Legacy32Format(caps, pse: true);
        Assert.False(format.Pse);
        Assert.False(format.LeafAllowed(2));
        Assert.False(format.IsLeaf(0x0040_0083u, 2));   // PS set in a PDE: still a table pointer
        using var low = new HostArena(1 << 20, 0x10_0000);
        Assert.Equal(PagingStatus.Ok, GuestPageTables<Legacy32Format, ArenaFrameSource>.Create(format, low.Frames, out var g));
        Assert.Equal(PagingStatus.Ok, g.Map(new GuestVirtualAddress(0xC000_0000), new GuestPhysicalAddress(0x40_0000), 0x40_0000, PageAttributes.ReadWriteExecute));
        Assert.True(g.TryLookup(new GuestVirtualAddress(0xC012_3456), out var gpa, out var size, out _));
        Assert.Equal(0x52_3456UL, gpa.Value);
        Assert.Equal(PageSize.Size4KiB, size);
        Assert.True(new Legacy32Format(CpuModels.BochsRyzen, pse: true).Pse);
    }

    /// <summary>The two-dimensional walk: guest tables in guest RAM behind EPT. Removing the EPT mapping of the page
    /// that holds the guest's page table gives an EPT violation for the guest paging-structure access (bit 7 set,
    /// bit 8 clear) at that table entry's guest-physical address.</summary>
    [Fact]
    public void TwoDimensionalWalkThroughEpt()
    {
        var caps = CpuModels.BochsCoreI7SkylakeX;
        Assert.Equal(PagingStatus.Ok, GuestPageTables<LongModeFormat, ArenaFrameSource>.Create(new LongModeFormat(caps), _guest.Frames, out var g));
        Assert.Equal(PagingStatus.Ok, g.Map(new GuestVirtualAddress(0xFFFF_8000_0000_0000), new GuestPhysicalAddress(0x60_0000), 0x1000, PageAttributes.ReadWriteExecute));
        var mem2 = new TwoPartMemory { Host = _host.Frames, GuestRam = _guest.Memory, GuestRamLength = _guest.Length };
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<EptFormat, TwoPartMemory>.Create(new EptFormat(caps), mem2, out var ept));
        Assert.Equal(PagingStatus.Ok, ept.Map(new GuestPhysicalAddress(TwoPartMemory.GuestRamGpa), new HostPhysicalAddress(TwoPartMemory.GuestRamHpa),
            _guest.Length, PageAttributes.ReadWriteExecute));
        Assert.Equal(PagingStatus.Ok, ept.Map(new GuestPhysicalAddress(0x60_0000), new HostPhysicalAddress(0x7777_0000), 0x1000, PageAttributes.ReadWriteExecute));
        var state = new GuestPagingState
        {
            Cr0 = Cr0, Cr3 = g.Root.Value, Cr4 = GuestPagingState.Cr4Pae, Efer = GuestPagingState.EferLma | GuestPagingState.EferNxe,
            MaxPhysicalAddressBits = 40,
        };
        var view = new EptGuestMemory<TwoPartMemory>(mem2, ept.Format, ept.Root);
        GuestWalkResult r = GuestWalker.Walk(ref view, state, new GuestVirtualAddress(0xFFFF_8000_0000_0042), new GuestAccess { Kind = AccessKind.Read });
        Assert.True(r.IsOk);
        Assert.Equal(0x60_0042UL, r.GuestAddress.Value);
        Assert.Equal(0x7777_0042UL, r.HostAddress.Value);

        // Unmap the guest frame holding the PML4 from EPT.
        Assert.Equal(PagingStatus.Ok, ept.Unmap(new GuestPhysicalAddress(g.Root.Value), 0x1000));
        r = GuestWalker.Walk(ref view, state, new GuestVirtualAddress(0xFFFF_8000_0000_0042), new GuestAccess { Kind = AccessKind.Read });
        Assert.Equal(WalkOutcome.EptViolation, r.Outcome);
        Assert.Equal(0x81UL, r.Nested.Qualification.Value);          // data read, linear valid, paging-structure access
        Assert.Equal(g.Root.Value + 256 * 8, r.GuestAddress.Value);   // PML4 entry 256
        // Final access denied by EPT: bit 8 set.
        Assert.Equal(PagingStatus.Ok, ept.Map(new GuestPhysicalAddress(g.Root.Value), new HostPhysicalAddress(TwoPartMemory.GuestRamHpa + (g.Root.Value - TwoPartMemory.GuestRamGpa)), 0x1000, PageAttributes.ReadWriteExecute));
        Assert.Equal(PagingStatus.Ok, ept.Protect(new GuestPhysicalAddress(0x60_0000), 0x1000, new PageAttributes(PageAccess.Read)));
        r = GuestWalker.Walk(ref view, state, new GuestVirtualAddress(0xFFFF_8000_0000_0042), new GuestAccess { Kind = AccessKind.Write });
        Assert.Equal(WalkOutcome.EptViolation, r.Outcome);
        Assert.Equal(0x2UL | 0x8 | 0x80 | 0x100, r.Nested.Qualification.Value);
    }
}
