using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Walking;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary>The hypervisor's in-place guest page walker (<see cref="GuestPageWalker.TryTranslate{TMemory}"/>) against
/// Xen.Sdk.Paging's architectural walker (<see cref="GuestWalker.Walk{TMem}"/>, Intel SDM Vol. 3A §4.3-§4.5) on tables
/// built by Xen.Sdk.Paging's builders: 4-level long mode (4 KiB / 2 MiB / 1 GiB), PAE (4 KiB / 2 MiB, PDPT anywhere
/// 32-byte aligned), 32-bit paging (4 KiB / 4 MiB, walked with CR4.PSE set or clear). Table frames are drawn from a
/// shuffled pool that mixes guest RAM with frames outside it (the oracle reports OutsideMemory there; the reference
/// must fail, not crash). Probes are supervisor reads (the reference ignores access rights); both must agree on
/// success and on the guest-physical address.</summary>
public sealed class GuestWalkOracleTests
{
    private const ulong K4 = 0x1000, M2 = 0x20_0000, M4 = 0x40_0000, G1 = 0x4000_0000;
    private static readonly ulong[] Top = { 0, 1, 256, 511 }, Mid = { 0, 1, 2, 511 }, Pde32 = { 0, 1, 2, 1023 };

    private static PageAttributes Attributes(ulong s) =>
        new(PageAccess.ReadWriteExecute | ((s & (1UL << 63)) != 0 ? PageAccess.User : 0), HotPathGuest.Types[(s >> 56) % 5]);

    /// <summary>Compares both walkers on one probe; returns a description of a disagreement, or null.</summary>
    /// <summary>Compares the first and the last byte of every mapping made.</summary>
    private static void CompareMappingEnds(HotPathGuest g, in VcpuState vcpu, in GuestPagingState paging, (ulong Va, ulong Size)[] placed,
        StringBuilder errors, ref int ok, ref int outside, ref int total)
    {
        foreach (var (va, size) in placed)
        {
            total += 2;
            errors.Append(Compare(g, vcpu, paging, va, ref ok, ref outside));
            errors.Append(Compare(g, vcpu, paging, va + size - 1, ref ok, ref outside));
        }
    }

    private static string? Compare(HotPathGuest g, in VcpuState vcpu, in GuestPagingState paging, ulong probe, ref int ok, ref int outside)
    {
        GuestWalkResult r = g.OracleWalk(paging, probe);
        bool mine = GuestPageWalker.TryTranslate(ref g.Memory, vcpu, probe, out ulong gpa);
        if (r.IsOk) ok++;
        if (r.Outcome == WalkOutcome.OutsideMemory) outside++;
        if (mine == r.IsOk && (!mine || gpa == r.GuestAddress.Value)) return null;
        return $"probe {probe:X}: reference {mine}/{gpa:X}, oracle {r.Outcome}/{r.GuestAddress.Value:X} (level {r.Level}); ";
    }

    private static Property Verdict(StringBuilder errors, int ok, int outside, int total) =>
        (errors.Length == 0).Label(errors.ToString())
            .Classify(ok == total, "all probes translate").Classify(outside > 0, "some table outside RAM")
            .Classify(ok > 0 && ok < total, "mixed");

    [Property(MaxTest = 150)]
    public Property LongMode4LevelAgreesWithTheArchitecturalWalker(ulong[] maps, ulong[] probes, int seed, byte outsidePercent, ushort cr3Low)
    {
        var g = new HotPathGuest(1 << 20, seed, outsidePercent % 3 == 0 ? 0 : outsidePercent % 20);
        var tables = g.NewTables(new LongModeFormat(HotPathGuest.Caps, 4, nxe: true, guestPat: HotPathGuest.HighPat));
        var placed = new (ulong Va, ulong Size)[Math.Min(maps.Length, 12)];
        for (int i = 0; i < placed.Length; i++)
        {
            ulong s = HotPathGuest.Mix(maps[i] ^ HotPathGuest.Mix(((ulong)(uint)seed << 8) + (ulong)i));
            int kind = (int)(s % 3);
            ulong size = kind == 0 ? K4 : kind == 1 ? M2 : G1;
            ulong va = (Top[(s >> 2) & 3] << 39) | (Mid[(s >> 4) & 3] << 30) | (Mid[(s >> 6) & 3] << 21) | (((s >> 8) & 7) << 12);
            va = HotPathGuest.Canonical(va & ~(size - 1));
            ulong pa = (((s >> 12) & 0xFF_FFFF) << 12) & ~(size - 1);
            tables.Map(new GuestVirtualAddress(va), new GuestPhysicalAddress(pa), size, Attributes(s), (PageSize)(kind + 1));
            placed[i] = (va, size);
        }
        ulong cr3 = tables.Root.Value | (cr3Low & 0xFFFUL);
        var (vcpu, paging) = HotPathGuest.LongMode(cr3);
        var errors = new StringBuilder();
        int ok = 0, outside = 0, total = 0;
        CompareMappingEnds(g, vcpu, paging, placed, errors, ref ok, ref outside, ref total);
        foreach (ulong raw in probes ?? Array.Empty<ulong>())
        {
            ulong p = HotPathGuest.Mix(raw ^ HotPathGuest.Mix(((ulong)(uint)seed << 8) + 0x80 + (ulong)total));
            ulong probe;
            if (placed.Length == 0 || (p & 3) == 0) probe = HotPathGuest.Canonical(p >> 2);
            else
            {
                var (va, size) = placed[(int)((p >> 2) % (ulong)placed.Length)];
                probe = HotPathGuest.Canonical(va + (p >> 8) % (3 * size) - size);
            }
            total++;
            errors.Append(Compare(g, vcpu, paging, probe, ref ok, ref outside));
        }
        return Verdict(errors, ok, outside, total);
    }

    [Property(MaxTest = 150)]
    public Property PaeAgreesWithTheArchitecturalWalker(ulong[] maps, ulong[] probes, int seed, byte outsidePercent, byte layout)
    {
        var g = new HotPathGuest(1 << 20, seed, outsidePercent % 3 == 0 ? 0 : outsidePercent % 20);
        var tables = g.NewTables(new PaeFormat(HotPathGuest.Caps, nxe: true, guestPat: HotPathGuest.HighPat));
        var placed = new (ulong Va, ulong Size)[Math.Min(maps.Length, 12)];
        for (int i = 0; i < placed.Length; i++)
        {
            ulong s = HotPathGuest.Mix(maps[i] ^ HotPathGuest.Mix(((ulong)(uint)seed << 8) + (ulong)i));
            ulong size = (s & 1) == 0 ? K4 : M2;
            ulong va = (((s >> 2) & 3) << 30) | (Mid[(s >> 4) & 3] << 21) | (((s >> 8) & 7) << 12);
            va &= ~(size - 1);
            ulong pa = (((s >> 12) & 0xFF_FFFF) << 12) & ~(size - 1);
            tables.Map(new GuestVirtualAddress(va), new GuestPhysicalAddress(pa), size, Attributes(s), size == K4 ? PageSize.Size4KiB : PageSize.Size2MiB);
            placed[i] = (va, size);
        }
        // The PDPT is 32-byte aligned anywhere below 4 GiB (CR3[31:5], Intel SDM Vol. 3A §4.4.1): half the time it is
        // copied to another offset in a RAM page. CR3[4:0] (PWT, PCD, ignored bits) must not matter.
        ulong pdpt = tables.Root.Value;
        if ((layout & 1) != 0)
        {
            ulong copy = g.DataFrame(3) + (ulong)((layout >> 1) & 127) * 32;
            for (int i = 0; i < 4; i++) g.WriteEntry(copy + (ulong)i * 8, g.ReadEntry(pdpt + (ulong)i * 8, 8), 8);
            pdpt = copy;
        }
        var (vcpu, paging) = HotPathGuest.Pae(pdpt | ((ulong)(layout >> 3) & 0x1F));
        var errors = new StringBuilder();
        int ok = 0, outside = 0, total = 0;
        CompareMappingEnds(g, vcpu, paging, placed, errors, ref ok, ref outside, ref total);
        foreach (ulong raw in probes ?? Array.Empty<ulong>())
        {
            ulong p = HotPathGuest.Mix(raw ^ HotPathGuest.Mix(((ulong)(uint)seed << 8) + 0x80 + (ulong)total));
            // Bits 63:32 of the probe are garbage half the time: both walkers use the low 32 bits (legacy linear addresses).
            ulong garbage = (p & 4) != 0 ? p & 0xFFFF_FFFF_0000_0000UL : 0;
            ulong probe = placed.Length == 0 || (p & 3) == 0
                ? p >> 2
                : (placed[(int)((p >> 3) % (ulong)placed.Length)].Va + (p >> 8) % (3 * M2) - M2) & 0xFFFF_FFFF | garbage;
            total++;
            errors.Append(Compare(g, vcpu, paging, probe, ref ok, ref outside));
        }
        return Verdict(errors, ok, outside, total);
    }

    [Property(MaxTest = 150)]
    public Property Legacy32AgreesWithTheArchitecturalWalker(ulong[] maps, ulong[] probes, int seed, byte outsidePercent, bool walkWithPse, ushort cr3Low)
    {
        var g = new HotPathGuest(1 << 20, seed, outsidePercent % 3 == 0 ? 0 : outsidePercent % 20);
        var tables = g.NewTables(new Legacy32Format(HotPathGuest.Caps, pse: true, guestPat: HotPathGuest.HighPat));
        var placed = new (ulong Va, ulong Size)[Math.Min(maps.Length, 12)];
        for (int i = 0; i < placed.Length; i++)
        {
            ulong s = HotPathGuest.Mix(maps[i] ^ HotPathGuest.Mix(((ulong)(uint)seed << 8) + (ulong)i));
            ulong size = (s & 1) == 0 ? K4 : M4;
            ulong va = (Pde32[(s >> 2) & 3] << 22) | (((s >> 8) & 7) << 12);
            va &= ~(size - 1);
            // A quarter of the 4 MiB pages start at 0: walked with CR4.PSE clear, such a PDE points at a table in RAM.
            ulong pa = (s & 6) == 0 ? 0 : (((s >> 12) & 0xF_FFFF) << 12) & ~(size - 1);
            tables.Map(new GuestVirtualAddress(va), new GuestPhysicalAddress(pa), size, Attributes(s), size == K4 ? PageSize.Size4KiB : PageSize.Size2MiB);
            placed[i] = (va, size);
        }
        var (vcpu, paging) = HotPathGuest.Legacy32(tables.Root.Value | (cr3Low & 0xFFFUL), walkWithPse);
        var errors = new StringBuilder();
        int ok = 0, outside = 0, total = 0;
        CompareMappingEnds(g, vcpu, paging, placed, errors, ref ok, ref outside, ref total);
        foreach (ulong raw in probes ?? Array.Empty<ulong>())
        {
            ulong p = HotPathGuest.Mix(raw ^ HotPathGuest.Mix(((ulong)(uint)seed << 8) + 0x80 + (ulong)total));
            ulong probe = placed.Length == 0 || (p & 3) == 0
                ? p >> 2
                : (placed[(int)((p >> 2) % (ulong)placed.Length)].Va + (p >> 8) % (3 * M4) - M4) & 0xFFFF_FFFF;
            total++;
            errors.Append(Compare(g, vcpu, paging, probe, ref ok, ref outside));
        }
        return Verdict(errors, ok, outside, total);
    }

    /// <summary>Each paging structure of one translation, in turn, placed outside guest RAM: the oracle reports
    /// OutsideMemory and the reference walk fails (without touching the outside buffer), while a second mapping whose
    /// tables are all in RAM still translates.</summary>
    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(2)] [InlineData(3)]
    public void LongModeTableOutsideRamFailsTheWalk(int outsideLevelIndex)
    {
        var g = new HotPathGuest(1 << 20, 1, 0);
        // Allocation order of the builder: root, then PDPT, PD, PT of the first mapping, then the second mapping's.
        var frames = g.Frames.Pool.Frames;
        frames[outsideLevelIndex] = HotPathGuest.OutsideBase;
        var tables = g.NewTables(new LongModeFormat(HotPathGuest.Caps));
        const ulong va = 0x0000_7F12_3456_7000UL, other = 0x0000_0012_3000_0000UL;
        Assert.Equal(PagingStatus.Ok, tables.Map(new GuestVirtualAddress(va), new GuestPhysicalAddress(0x5000), K4, PageAttributes.ReadWriteExecute, PageSize.Size4KiB));
        Assert.Equal(PagingStatus.Ok, tables.Map(new GuestVirtualAddress(other), new GuestPhysicalAddress(0x6000), K4, PageAttributes.ReadWriteExecute, PageSize.Size4KiB));
        var (vcpu, paging) = HotPathGuest.LongMode(tables.Root.Value);
        Assert.Equal(WalkOutcome.OutsideMemory, g.OracleWalk(paging, va + 0x123).Outcome);
        Assert.False(GuestPageWalker.TryTranslate(ref g.Memory, vcpu, va + 0x123, out _));
        GuestWalkResult second = g.OracleWalk(paging, other + 8);
        bool translated = GuestPageWalker.TryTranslate(ref g.Memory, vcpu, other + 8, out ulong gpa);
        Assert.Equal(second.IsOk, translated);
        Assert.Equal(outsideLevelIndex > 0, translated);          // the root is shared; the lower tables are not
        if (translated) Assert.Equal(0x6008UL, gpa);
    }
}

/// <summary>32-bit paging 4 MiB pages above 4 GiB (PSE-36): with CR4.PSE = 1 and PDE.PS = 1 "bits 39:32 [of the
/// physical address] are bits 20:13 of the PDE" (those at or above MAXPHYADDR are reserved) (Intel SDM Vol. 3A §4.3,
/// Table 4-4). Probes a random such PDE (MAXPHYADDR 40) against the architectural walker. Fails on c6c6b76: the
/// reference walker keeps only PDE bits 31:22 and translates to an address below 4 GiB.</summary>
public sealed class GuestWalkPse36Tests
{
    [Property(MaxTest = 50)]
    public Property Legacy32LargePageAbove4GiB(byte high, ushort base31_22, uint offset)
    {
        var g = new HotPathGuest(1 << 20, 7, 0);
        var tables = g.NewTables(new Legacy32Format(HotPathGuest.Caps, pse: true));
        const ulong va = 0x4000_0000;
        Assert.Equal(PagingStatus.Ok, tables.Map(new GuestVirtualAddress(va), new GuestPhysicalAddress(0x40_0000), 0x40_0000, PageAttributes.ReadWriteExecute, PageSize.Size2MiB));
        ulong pdeAddress = tables.Root.Value + (va >> 22) * 4;
        ulong pde = g.ReadEntry(pdeAddress, 4);
        Assert.Equal(0x80UL, pde & 0x80);                                          // the builder made a 4 MiB leaf
        pde = (pde & 0x3FFFFFUL & ~(0xFFUL << 13)) | ((ulong)(base31_22 & 0x3FF) << 22) | ((ulong)(byte)(high | 1) << 13);
        g.WriteEntry(pdeAddress, pde, 4);
        var (vcpu, paging) = HotPathGuest.Legacy32(tables.Root.Value, pse: true);
        ulong probe = va + (offset & 0x3F_FFFF);
        GuestWalkResult r = g.OracleWalk(paging, probe);
        bool ok = GuestPageWalker.TryTranslate(ref g.Memory, vcpu, probe, out ulong gpa);
        return (r.IsOk && ok && gpa == r.GuestAddress.Value)
            .Label($"PDE {pde:X8}: oracle {r.Outcome}/{r.GuestAddress.Value:X}, reference {ok}/{gpa:X}");
    }
}
