using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.Walking;

namespace Xen.Sdk.Paging.Tests;

/// <summary>Dirty logging and the two-dimensional walk, as properties.</summary>
public unsafe class DirtyAndNestedProperties
{
    private const int RegionPages = 4096; // 16 MiB

    /// <summary>Writes made through the CPU-style walker (which sets EPT A/D flags like the CPU) are exactly what
    /// the dirty scan reports: a written 4 KiB page, or every page of a written large page; a second scan is empty.</summary>
    [Property(MaxTest = 40)]
    public Property DirtyScanReportsExactlyTheWrittenLeaves() => Prop.ForAll(
        Gen.Choose(0, RegionPages - 1).ArrayOf().Select(a => a.Take(40).ToArray()).ToArbitrary(),
        Gen.Elements(PageSize.Size4KiB, PageSize.Size2MiB).ToArbitrary(),
        (int[] writes, PageSize largest) =>
        {
            using var arena = new HostArena(8 << 20);
            var frames = arena.Frames;
            var fmt = new EptFormat(CpuModels.BochsCoreI7SkylakeX, accessedDirty: true);
            SecondLevelTables<EptFormat, ArenaFrameSource>.Create(fmt, frames, out var t);
            t.MapIdentity(new(0), (ulong)RegionPages << 12, PageAttributes.ReadWriteExecute, largest);
            var expected = new HashSet<int>();
            foreach (int w in writes)
            {
                var r = EptWalker.Walk(ref frames, fmt, t.Root, new GuestPhysicalAddress((ulong)w << 12), NestedAccess.Physical(AccessKind.Write), updateAccessedDirty: true);
                if (!r.IsOk) return false.Label($"write {w:x} faulted");
                int span = r.Level == 1 ? 1 : 512;
                for (int p = w / span * span; p < w / span * span + span; p++) expected.Add(p);
            }
            var bitmap = new ulong[RegionPages / 64];
            t.ScanAndClearAccessedDirty(new(0), (ulong)RegionPages << 12, bitmap);
            for (int p = 0; p < RegionPages; p++)
                if (((bitmap[p >> 6] >> (p & 63)) & 1) != (expected.Contains(p) ? 1UL : 0))
                    return false.Label($"page {p:x}: bitmap {((bitmap[p >> 6] >> (p & 63)) & 1)}, expected {expected.Contains(p)}");
            Array.Clear(bitmap);
            t.ScanAndClearAccessedDirty(new(0), (ulong)RegionPages << 12, bitmap);
            return bitmap.All(b => b == 0).Label("second scan not empty");
        });

    /// <summary>The 2-D walk equals the composition of the two one-dimensional lookups: when the guest tables map
    /// the address and EPT maps both the guest tables and the final page, the walk's host address is
    /// EPT(guest(va)); when the guest does not map it, a #PF; when EPT lacks the final page, an EPT violation with
    /// bit 8 set; when EPT lacks a guest table page, an EPT violation with bit 8 clear at that table's entry.</summary>
    [Property(MaxTest = 60)]
    public Property TwoDimensionalWalkIsTheComposition() => Prop.ForAll(
        Gen.Choose(0, 63).ArrayOf().Select(a => a.Take(24).ToArray()).ToArbitrary(),  // guest pages mapped (of 64)
        Gen.Choose(0, 127).ArrayOf().Select(a => a.Take(64).ToArray()).ToArbitrary(), // guest-physical pages EPT leaves out (of 128 beyond tables)
        Gen.Choose(0, 63).ToArbitrary(),
        (int[] guestPages, int[] eptHoles, int probe) =>
        {
            var caps = CpuModels.BochsCoreI7SkylakeX;
            using var guestRam = new HostArena(1 << 20, TwoPartMemory.GuestRamGpa);
            using var host = new HostArena(4 << 20);
            GuestPageTables<LongModeFormat, ArenaFrameSource>.Create(new LongModeFormat(caps), guestRam.Frames, out var g);
            const ulong VaBase = 0xFFFF_FF80_0000_0000UL, GpaData = 0x100_0000;
            foreach (int p in guestPages.Distinct())
                g.Map(new GuestVirtualAddress(VaBase + ((ulong)p << 12)), new GuestPhysicalAddress(GpaData + ((ulong)p * 3 % 128 << 12)), 0x1000, PageAttributes.ReadWriteExecute);
            var mem = new TwoPartMemory { Host = host.Frames, GuestRam = guestRam.Memory, GuestRamLength = guestRam.Length };
            SecondLevelTables<EptFormat, TwoPartMemory>.Create(new EptFormat(caps), mem, out var ept);
            ept.Map(new GuestPhysicalAddress(TwoPartMemory.GuestRamGpa), new HostPhysicalAddress(TwoPartMemory.GuestRamHpa), guestRam.Length, PageAttributes.ReadWriteExecute);
            ept.Map(new GuestPhysicalAddress(GpaData), new HostPhysicalAddress(0x5000_0000), 128 << 12, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
            var holes = eptHoles.Distinct().ToArray();
            foreach (int h in holes) ept.Unmap(new GuestPhysicalAddress(GpaData + ((ulong)h << 12)), 0x1000);
            // Also drop one guest table page from EPT when the probe is odd.
            ulong tableHole = 0;
            bool guestMapped = g.TryTranslate(new GuestVirtualAddress(VaBase + ((ulong)probe << 12)), out GuestPhysicalAddress gpa);
            if (probe % 2 == 1 && guestMapped)
            {
                tableHole = g.Root.Value;
                ept.Unmap(new GuestPhysicalAddress(tableHole), 0x1000);
            }
            var state = new GuestPagingState
            {
                Cr0 = GuestPagingState.Cr0Pg | GuestPagingState.Cr0Wp, Cr3 = g.Root.Value, Cr4 = GuestPagingState.Cr4Pae,
                Efer = GuestPagingState.EferLma | GuestPagingState.EferNxe, MaxPhysicalAddressBits = 40,
            };
            var view = new EptGuestMemory<TwoPartMemory>(mem, ept.Format, ept.Root);
            GuestWalkResult r = GuestWalker.Walk(ref view, state, new GuestVirtualAddress(VaBase + ((ulong)probe << 12) + 0x10), new GuestAccess { Kind = AccessKind.Read });
            if (tableHole != 0)
                return (r.Outcome == WalkOutcome.EptViolation && (r.Nested.Qualification.Value & 0x180) == 0x80
                        && r.GuestAddress.Value >> 12 == tableHole >> 12).Label($"table hole: {r.Outcome} {r.Nested.Qualification.Value:x} {r.GuestAddress.Value:x}");
            if (!guestMapped)
                return (r.Outcome == WalkOutcome.PageFault && r.ErrorCode.Value == 0).Label($"unmapped: {r.Outcome} {r.ErrorCode.Value:x}");
            bool eptMapped = ept.TryTranslate(gpa, out HostPhysicalAddress hpa);
            if (!eptMapped)
                return (r.Outcome == WalkOutcome.EptViolation && r.Nested.Qualification.Value == 0x181).Label($"final hole: {r.Outcome} {r.Nested.Qualification.Value:x}");
            return (r.IsOk && r.GuestAddress == gpa.Add(0x10) && r.HostAddress == hpa.Add(0x10)).Label($"mapped: {r.Outcome} {r.HostAddress.Value:x} vs {hpa.Value:x}");
        });
}
