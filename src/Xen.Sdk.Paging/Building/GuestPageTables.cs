using System;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Paging.Building;

/// <summary>x86 guest page tables under construction (long mode 4/5-level, PAE, 32-bit): guest-virtual to
/// guest-physical, with table frames in guest-physical memory. A mutable struct: do not copy it. Canonical
/// high-half addresses are accepted (bits above the format's width are dropped).</summary>
/// <typeparam name="TFormat"><see cref="LongModeFormat"/>, <see cref="PaeFormat"/> or <see cref="Legacy32Format"/>.</typeparam>
/// <typeparam name="TFrames">Guest frame source.</typeparam>
public struct GuestPageTables<TFormat, TFrames>
    where TFormat : struct, IPagingFormat
    where TFrames : IGuestFrameSource
{
    private PageTableEngine<TFormat, GuestTableMemory<TFrames>> _e;

    /// <summary>Allocates an empty root table.</summary>
    public static PagingStatus Create(TFormat format, TFrames frames, out GuestPageTables<TFormat, TFrames> tables, bool autoMerge = true)
    {
        tables = default;
        return tables._e.Initialize(format, new GuestTableMemory<TFrames>(frames), autoMerge);
    }

    private readonly ulong In(GuestVirtualAddress va) => va.Value & ((1UL << _e.Fmt.InputBits) - 1);

    /// <summary>The root table: the CR3 value's address part.</summary>
    public readonly GuestPhysicalAddress Root => new(_e.Root);
    /// <summary>The format.</summary>
    public readonly TFormat Format => _e.Fmt;
    /// <summary>The frame source.</summary>
    public readonly TFrames Frames => _e.Mem.Frames;
    /// <summary>Whether uniform tables are merged automatically.</summary>
    public bool AutoMerge { readonly get => _e.AutoMerge; set => _e.AutoMerge = value; }

    /// <summary>Maps [<paramref name="virtualAddress"/>, +<paramref name="length"/>) to guest-physical memory.</summary>
    public PagingStatus Map(GuestVirtualAddress virtualAddress, GuestPhysicalAddress physical, ulong length, in PageAttributes attributes, PageSize largest = PageSize.Size1GiB)
        => _e.Map(In(virtualAddress), physical.Value, length, attributes, (int)largest);
    /// <summary>Removes mappings; frees emptied tables.</summary>
    public PagingStatus Unmap(GuestVirtualAddress virtualAddress, ulong length) => _e.Unmap(In(virtualAddress), length);
    /// <summary>Changes attributes of present mappings.</summary>
    public PagingStatus Protect(GuestVirtualAddress virtualAddress, ulong length, in PageAttributes attributes) => _e.Protect(In(virtualAddress), length, attributes);
    /// <summary>Splits the leaf mapping the address down to <paramref name="target"/>.</summary>
    public PagingStatus Split(GuestVirtualAddress virtualAddress, PageSize target) => _e.Split(In(virtualAddress), (int)target);
    /// <summary>Merges uniform tables in the range.</summary>
    public int Merge(GuestVirtualAddress virtualAddress, ulong length) => _e.Merge(In(virtualAddress), length);
    /// <summary>Scans dirty pages into a bitmap and clears A/D flags (see <see cref="SecondLevelTables{TFormat, TFrames}.ScanAndClearAccessedDirty"/>).</summary>
    public long ScanAndClearAccessedDirty(GuestVirtualAddress virtualAddress, ulong length, Span<ulong> dirtyBitmap, bool clearAccessed = true, bool clearDirty = true)
        => _e.ScanAndClear(In(virtualAddress), length, clearAccessed, clearDirty, dirtyBitmap);
    /// <summary>Fast lookup without permission checks (use the walkers in Xen.Sdk.Paging.Walking for the CPU's checks).</summary>
    public readonly bool TryTranslate(GuestVirtualAddress virtualAddress, out GuestPhysicalAddress physical)
    {
        bool ok = _e.TryTranslate(In(virtualAddress), out ulong g, out _, out _);
        physical = new GuestPhysicalAddress(g);
        return ok;
    }
    /// <summary>Lookup with page size and attributes.</summary>
    public readonly bool TryLookup(GuestVirtualAddress virtualAddress, out GuestPhysicalAddress physical, out PageSize size, out PageAttributes attributes)
    {
        bool ok = _e.TryTranslate(In(virtualAddress), out ulong g, out int level, out ulong entry);
        physical = new GuestPhysicalAddress(g);
        size = (PageSize)level;
        attributes = default;
        if (ok) _e.Fmt.TryDecodeLeaf(level, entry, out attributes);
        return ok;
    }
    /// <summary>What the guest must invalidate for the changes since the last call.</summary>
    public FlushHint TakeFlushHint() => _e.TakeFlushHint();
    internal void Census(out int tables, out int emptyTables) => _e.Census(out tables, out emptyTables);

    /// <summary>Frees every table, including the root.</summary>
    public void Release() => _e.ReleaseAll();
}
