using System;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Paging.Building;

/// <summary>EPT or NPT tables under construction: guest-physical to host-physical, over a page-frame source.
/// A mutable struct: keep one instance (a field or a local) and do not copy it.</summary>
/// <typeparam name="TFormat"><see cref="EptFormat"/> or <see cref="NptFormat"/>.</typeparam>
/// <typeparam name="TFrames">The frame source (a struct for direct calls).</typeparam>
/// <remarks>Page sizes are chosen per range: the largest page the format and capability snapshot allow, that
/// the largest argument permits, and to which both addresses and the remaining length are aligned. A large
/// page is split when a sub-range changes; with auto-merge, a table whose entries became uniform is merged back.
/// Emptied tables are freed. Every operation records what must be invalidated (<see cref="TakeFlushHint"/>).</remarks>
public struct SecondLevelTables<TFormat, TFrames>
    where TFormat : struct, IPagingFormat
    where TFrames : IPageFrameSource
{
    private PageTableEngine<TFormat, HostTableMemory<TFrames>> _e;

    /// <summary>Allocates an empty root table. Returns <see cref="PagingStatus.OutOfFrames"/> if none is available.</summary>
    /// <param name="format">The format (capability-derived settings).</param>
    /// <param name="frames">Where table frames come from.</param>
    /// <param name="tables">The new tables.</param>
    /// <param name="autoMerge">Merge uniform tables back into large pages after protect/map.</param>
    public static PagingStatus Create(TFormat format, TFrames frames, out SecondLevelTables<TFormat, TFrames> tables, bool autoMerge = true)
    {
        tables = default;
        return tables._e.Initialize(format, new HostTableMemory<TFrames>(frames), autoMerge);
    }

    /// <summary>The root table (for the EPTP or nCR3; see <see cref="EptFormat.MakeEptPointer"/>, <see cref="NptFormat.MakeNestedCr3"/>).</summary>
    public readonly HostPhysicalAddress Root => new(_e.Root);
    /// <summary>The format.</summary>
    public readonly TFormat Format => _e.Fmt;
    /// <summary>The frame source.</summary>
    public readonly TFrames Frames => _e.Mem.Frames;
    /// <summary>Whether uniform tables are merged automatically.</summary>
    public bool AutoMerge { readonly get => _e.AutoMerge; set => _e.AutoMerge = value; }

    /// <summary>Maps [<paramref name="guest"/>, +<paramref name="length"/>) to [<paramref name="host"/>, ...),
    /// replacing what was there.</summary>
    public PagingStatus Map(GuestPhysicalAddress guest, HostPhysicalAddress host, ulong length, in PageAttributes attributes, PageSize largest = PageSize.Size1GiB)
        => _e.Map(guest.Value, host.Value, length, attributes, (int)largest);

    /// <summary>Maps guest-physical addresses onto the same host-physical addresses.</summary>
    public PagingStatus MapIdentity(GuestPhysicalAddress start, ulong length, in PageAttributes attributes, PageSize largest = PageSize.Size1GiB)
        => _e.Map(start.Value, start.Value, length, attributes, (int)largest);

    /// <summary>Removes every mapping in the range; frees tables left empty.</summary>
    public PagingStatus Unmap(GuestPhysicalAddress guest, ulong length) => _e.Unmap(guest.Value, length);

    /// <summary>Changes access rights / memory type of the present mappings in the range (splitting large pages
    /// that straddle its ends); addresses are kept.</summary>
    public PagingStatus Protect(GuestPhysicalAddress guest, ulong length, in PageAttributes attributes) => _e.Protect(guest.Value, length, attributes);

    /// <summary>Splits the leaf mapping <paramref name="guest"/> until its page is no larger than <paramref name="target"/>.</summary>
    public PagingStatus Split(GuestPhysicalAddress guest, PageSize target) => _e.Split(guest.Value, (int)target);

    /// <summary>Merges every uniform table in the range into a large page where allowed; returns how many merged.</summary>
    public int Merge(GuestPhysicalAddress guest, ulong length) => _e.Merge(guest.Value, length);

    /// <summary>Dirty logging: sets bit i of <paramref name="dirtyBitmap"/> for each dirty 4 KiB page i of the range
    /// and clears the accessed/dirty flags selected. Returns the number of leaves changed. EPT needs A/D enabled in
    /// the format (EPTP bit 6).</summary>
    public long ScanAndClearAccessedDirty(GuestPhysicalAddress guest, ulong length, Span<ulong> dirtyBitmap, bool clearAccessed = true, bool clearDirty = true)
        => _e.ScanAndClear(guest.Value, length, clearAccessed, clearDirty, dirtyBitmap);

    /// <summary>Fast lookup without permission checks.</summary>
    public readonly bool TryTranslate(GuestPhysicalAddress guest, out HostPhysicalAddress host)
    {
        bool ok = _e.TryTranslate(guest.Value, out ulong h, out _, out _);
        host = new HostPhysicalAddress(h);
        return ok;
    }

    /// <summary>Lookup with the leaf's page size and attributes.</summary>
    public readonly bool TryLookup(GuestPhysicalAddress guest, out HostPhysicalAddress host, out PageSize size, out PageAttributes attributes)
    {
        bool ok = _e.TryTranslate(guest.Value, out ulong h, out int level, out ulong entry);
        host = new HostPhysicalAddress(h);
        size = (PageSize)level;
        attributes = default;
        if (ok) _e.Fmt.TryDecodeLeaf(level, entry, out attributes);
        return ok;
    }

    /// <summary>What must be invalidated for the changes since the last call; resets the record.</summary>
    public FlushHint TakeFlushHint() => _e.TakeFlushHint();

    internal void Census(out int tables, out int emptyTables) => _e.Census(out tables, out emptyTables);

    /// <summary>Frees every table, including the root.</summary>
    public void Release() => _e.ReleaseAll();
}
