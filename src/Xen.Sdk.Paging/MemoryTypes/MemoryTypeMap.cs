using System;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Paging.MemoryTypes;

/// <summary>A physical range [Start, Start + Length).</summary>
/// <param name="Start">First byte.</param>
/// <param name="Length">Length in bytes.</param>
public readonly record struct PhysicalRange(ulong Start, ulong Length)
{
    /// <summary>Exclusive end.</summary>
    public ulong End => Start + Length;
}

/// <summary>A range and its memory type.</summary>
/// <param name="Start">First byte.</param>
/// <param name="Length">Length in bytes.</param>
/// <param name="Type">Memory type.</param>
public readonly record struct MemoryTypeRange(ulong Start, ulong Length, MemoryType Type)
{
    /// <summary>Exclusive end.</summary>
    public ulong End => Start + Length;
}

/// <summary>Derives second-level memory types for RAM from an MTRR snapshot, so a hypervisor's EPT gives guests the
/// memory types the host firmware set up (a common bug in public hypervisors is mapping everything WB).</summary>
public static class MemoryTypeMap
{
    /// <summary>Splits each RAM range (4 KiB aligned) at MTRR boundaries and writes coalesced ranges with their MTRR
    /// type into <paramref name="output"/> (the EPT rule: see <see cref="Derive(in MtrrSnapshot, ReadOnlySpan{PhysicalRange}, CpuVendor, PatValue, Span{MemoryTypeRange}, out int, out int)"/>
    /// with <see cref="CpuVendor.Intel"/>). Returns the number of ranges needed; if it exceeds the buffer, returns
    /// <see cref="PagingStatus.BufferTooSmall"/> with <paramref name="count"/> = the size needed. Undefined overlaps
    /// are given UC and counted in <paramref name="undefinedOverlaps"/>.</summary>
    public static PagingStatus Derive(in MtrrSnapshot mtrr, ReadOnlySpan<PhysicalRange> ram, Span<MemoryTypeRange> output,
        out int count, out int undefinedOverlaps)
        => Derive(mtrr, ram, CpuVendor.Intel, default, output, out count, out undefinedOverlaps);

    /// <summary>Splits each RAM range (4 KiB aligned) at MTRR boundaries and writes coalesced ranges with the memory
    /// type their second-level leaves should carry for <paramref name="vendor"/>
    /// (<see cref="MemoryTypeRules.SecondLevelTypeForMtrr"/>): for EPT the MTRR type (EPT replaces the MTRRs, Intel SDM
    /// Vol. 3C §29.3.7.2); for NPT the host PAT type that leaves the host MTRRs in charge (AMD APM Vol. 2 §15.25.8),
    /// WB or, over MTRR-WC ranges, WC when <paramref name="hostPat"/> has it. Ranges are split wherever the MTRR type
    /// changes even when the leaf type does not, so no leaf straddles two MTRR types. Returns the number of ranges
    /// needed; if it exceeds the buffer, returns <see cref="PagingStatus.BufferTooSmall"/> with
    /// <paramref name="count"/> = the size needed. Undefined overlaps are taken as UC and counted in
    /// <paramref name="undefinedOverlaps"/>.</summary>
    public static PagingStatus Derive(in MtrrSnapshot mtrr, ReadOnlySpan<PhysicalRange> ram, CpuVendor vendor, PatValue hostPat,
        Span<MemoryTypeRange> output, out int count, out int undefinedOverlaps)
    {
        count = 0;
        undefinedOverlaps = 0;
        bool have = false;
        MemoryTypeRange cur = default;
        MemoryType curMtrr = MemoryType.Uncacheable;
        for (int r = 0; r < ram.Length; r++)
        {
            ulong a = ram[r].Start & ~0xFFFUL, end = (ram[r].End + 0xFFF) & ~0xFFFUL;
            while (a < end)
            {
                if (!mtrr.TryGetType(a, out MemoryType t)) undefinedOverlaps++;
                ulong next = mtrr.NextBoundary(a);
                ulong e = next < end ? next : end;
                if (have && cur.End == a && curMtrr == t) cur = cur with { Length = e - cur.Start };
                else
                {
                    if (have)
                    {
                        if (count < output.Length) output[count] = cur;
                        count++;
                    }
                    cur = new MemoryTypeRange(a, e - a, MemoryTypeRules.SecondLevelTypeForMtrr(t, vendor, hostPat));
                    curMtrr = t;
                    have = true;
                }
                a = e;
            }
        }
        if (have)
        {
            if (count < output.Length) output[count] = cur;
            count++;
        }
        return count <= output.Length ? PagingStatus.Ok : PagingStatus.BufferTooSmall;
    }

    /// <summary>Identity-maps each range into EPT with its memory type in the leaf (ignore-PAT clear, so the guest
    /// PAT still combines as it would with real MTRRs), choosing the largest pages each range allows.</summary>
    public static PagingStatus MapIdentity<TFrames>(ref SecondLevelTables<EptFormat, TFrames> ept, ReadOnlySpan<MemoryTypeRange> ranges, PageAccess access)
        where TFrames : IPageFrameSource
        => MapRanges(ref ept, ranges, access);

    /// <summary>Identity-maps each range into NPT with its memory type encoded through the format's host PAT (derive the
    /// ranges with <see cref="CpuVendor.Amd"/> and the same PAT), choosing the largest pages each range allows.</summary>
    public static PagingStatus MapIdentity<TFrames>(ref SecondLevelTables<NptFormat, TFrames> npt, ReadOnlySpan<MemoryTypeRange> ranges, PageAccess access)
        where TFrames : IPageFrameSource
        => MapRanges(ref npt, ranges, access);

    // The memory type is whatever the format encodes for ranges[i].Type (EPT: the leaf's type field; NPT: the host PAT
    // index chosen by the format), so both vendors map the same way.
    private static PagingStatus MapRanges<TFormat, TFrames>(ref SecondLevelTables<TFormat, TFrames> tables, ReadOnlySpan<MemoryTypeRange> ranges, PageAccess access)
        where TFormat : struct, IPagingFormat
        where TFrames : IPageFrameSource
    {
        for (int i = 0; i < ranges.Length; i++)
        {
            PagingStatus st = tables.MapIdentity(new GuestPhysicalAddress(ranges[i].Start), ranges[i].Length, new PageAttributes(access, ranges[i].Type));
            if (st != PagingStatus.Ok) return st;
        }
        return PagingStatus.Ok;
    }
}
