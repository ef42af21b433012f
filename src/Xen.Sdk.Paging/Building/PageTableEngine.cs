using System;
using System.Runtime.CompilerServices;
using Xen.Sdk.Paging.Formats;

namespace Xen.Sdk.Paging.Building;

/// <summary>The vendor-neutral page-table editor behind every builder: raw input/output addresses, a format, and a
/// table memory. Recursion depth is at most the number of levels (5). No allocation other than table frames, no
/// exceptions.</summary>
internal unsafe struct PageTableEngine<TFormat, TMem>
    where TFormat : struct, IPagingFormat
    where TMem : struct, ITableMemory
{
    public TFormat Fmt;
    public TMem Mem;
    public ulong Root;
    public bool AutoMerge;
    public bool HasRoot;
    private bool _flush, _flushGlobal;
    private ulong _flushStart, _flushEnd;

    private struct Templates
    {
        public ulong L1, L2, L3;
        public bool Ok2, Ok3;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly ulong For(int level) => level == 1 ? L1 : level == 2 ? L2 : L3;
    }

    public PagingStatus Initialize(TFormat format, TMem memory, bool autoMerge)
    {
        Fmt = format;
        Mem = memory;
        AutoMerge = autoMerge;
        if (!Mem.TryAllocate(out Root)) return PagingStatus.OutOfFrames;
        // 32-bit and PAE roots are addressed by CR3 bits 31:12 / 31:5.
        if (Fmt.InputBits == 32 && Root >= (1UL << 32))
        {
            Mem.Free(Root);
            return PagingStatus.OutOfRange;
        }
        HasRoot = true;
        return PagingStatus.Ok;
    }

    // ---- entry access -------------------------------------------------------------------------------------
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ulong Read(byte* table, int index)
        // SAFETY: table maps a whole 4 KiB frame and index < EntryCount(level), so the access stays inside it.
        => Fmt.EntryShift == 3 ? ((ulong*)table)[index] : ((uint*)table)[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Write(byte* table, int index, ulong value)
    {
        // SAFETY: as Read. Entries are written with one aligned store, so a concurrent hardware walker sees the old
        // or the new entry, never a torn one.
        if (Fmt.EntryShift == 3) ((ulong*)table)[index] = value;
        else ((uint*)table)[index] = (uint)value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Index(ulong input, int level) => (int)((input >> Fmt.LevelShift(level)) & (ulong)(Fmt.EntryCount(level) - 1));

    private void Note(ulong start, ulong end, ulong oldEntry)
    {
        if (!_flush) { _flushStart = start; _flushEnd = end; _flush = true; }
        else
        {
            if (start < _flushStart) _flushStart = start;
            if (end > _flushEnd) _flushEnd = end;
        }
        if ((oldEntry & 0x100) != 0 && Fmt.AccessedBit == 0x20) _flushGlobal = true; // x86 G bit (guest formats)
    }

    public FlushHint TakeFlushHint()
    {
        var h = new FlushHint(_flush, _flushStart, _flushEnd, _flushGlobal);
        _flush = false;
        _flushGlobal = false;
        return h;
    }

    private readonly PagingStatus CheckRange(ulong input, ulong output, ulong length, bool checkOutput)
    {
        if (((input | output | length) & 0xFFF) != 0) return PagingStatus.Misaligned;
        ulong inLimit = 1UL << Fmt.InputBits;
        if (length == 0) return PagingStatus.Ok;
        if (input >= inLimit || length > inLimit - input) return PagingStatus.OutOfRange;
        if (checkOutput && (output >= Fmt.OutputLimit || length > Fmt.OutputLimit - output)) return PagingStatus.OutOfRange;
        return PagingStatus.Ok;
    }

    private readonly PagingStatus MakeTemplates(in PageAttributes attributes, int maxLevel, out Templates t)
    {
        t = default;
        if (!Fmt.TryMakeLeafTemplate(1, attributes, out t.L1)) return PagingStatus.UnsupportedAttributes;
        t.Ok2 = maxLevel >= 2 && Fmt.LeafAllowed(2) && Fmt.TryMakeLeafTemplate(2, attributes, out t.L2);
        t.Ok3 = maxLevel >= 3 && Fmt.LeafAllowed(3) && Fmt.TryMakeLeafTemplate(3, attributes, out t.L3);
        return PagingStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool LeafOk(in Templates t, int level) => level == 1 || (level == 2 && t.Ok2) || (level == 3 && t.Ok3);

    // ---- map ----------------------------------------------------------------------------------------------
    public PagingStatus Map(ulong input, ulong output, ulong length, in PageAttributes attributes, int maxLevel)
    {
        PagingStatus st = CheckRange(input, output, length, true);
        if (st != PagingStatus.Ok || length == 0) return st;
        st = MakeTemplates(attributes, maxLevel, out Templates t);
        if (st != PagingStatus.Ok) return st;
        return MapLevel(Root, Fmt.Levels, input, input + length, output - input, t, false);
    }

    private PagingStatus MapLevel(ulong table, int level, ulong start, ulong end, ulong delta, in Templates t, bool fresh)
    {
        byte* p = Mem.Map(table);
        int idx = Index(start, level);
        if (level == 1)
        {
            ulong tmpl = t.L1;
            ulong o = start + delta;
            int n = (int)((end - start) >> 12);
            if (fresh && Fmt.EntryShift == 3)
            {
                // SAFETY: [idx, idx + n) lies inside this 512-entry table: the caller clipped [start, end) to it.
                ulong* q = (ulong*)p + idx;
                for (int i = 0; i < n; i++)
                {
                    q[i] = Fmt.EncodeLeaf(1, tmpl, o);
                    o += 4096;
                }
                return PagingStatus.Ok;
            }
            for (int i = 0; i < n; i++, idx++, o += 4096)
            {
                ulong old = Read(p, idx);
                if (Fmt.IsPresent(old)) Note(start + ((ulong)i << 12), start + ((ulong)i << 12) + 4096, old);
                Write(p, idx, Fmt.EncodeLeaf(1, tmpl, o));
            }
            return PagingStatus.Ok;
        }

        ulong span = 1UL << Fmt.LevelShift(level);
        ulong a = start;
        while (a < end)
        {
            ulong slotStart = a & ~(span - 1);
            ulong slotEnd = slotStart + span;
            ulong e = slotEnd < end ? slotEnd : end;
            bool full = a == slotStart && e == slotEnd;
            ulong old = fresh ? 0 : Read(p, idx);
            if (full && LeafOk(t, level) && ((a + delta) & (span - 1)) == 0)
            {
                if (Fmt.IsPresent(old))
                {
                    if (!Fmt.IsLeaf(old, level)) FreeSubtree(Fmt.TableAddress(old), level - 1);
                    Note(a, e, old);
                }
                Write(p, idx, Fmt.EncodeLeaf(level, t.For(level), a + delta));
            }
            else
            {
                ulong child;
                bool childFresh = false;
                if (!Fmt.IsPresent(old))
                {
                    if (!TryAllocateTable(level, out child, out PagingStatus why)) return why;
                    Write(p, idx, Fmt.MakeTable(level, child));
                    childFresh = true;
                }
                else if (Fmt.IsLeaf(old, level))
                {
                    if (!TrySplitEntry(p, idx, level, slotStart, out child)) return PagingStatus.OutOfFrames;
                }
                else child = Fmt.TableAddress(old);
                PagingStatus st = MapLevel(child, level - 1, a, e, delta, t, childFresh);
                if (st != PagingStatus.Ok) return st;
                if (AutoMerge && !childFresh && LeafOk(t, level)) TryMergeSlot(p, idx, level, slotStart);
            }
            a = e;
            idx++;
        }
        return PagingStatus.Ok;
    }

    /// <summary>Allocates a table for an entry at <paramref name="level"/>, refusing a frame the entry cannot
    /// address (e.g. above 4 GiB for 32-bit paging).</summary>
    private bool TryAllocateTable(int level, out ulong table, out PagingStatus why)
    {
        if (!Mem.TryAllocate(out table)) { why = PagingStatus.OutOfFrames; return false; }
        if (Fmt.TableAddress(Fmt.MakeTable(level, table)) != table || table >= Fmt.OutputLimit)
        {
            Mem.Free(table);
            why = PagingStatus.OutOfRange;
            return false;
        }
        why = PagingStatus.Ok;
        return true;
    }

    // ---- split / merge ------------------------------------------------------------------------------------
    /// <summary>Replaces the leaf at p[idx] (level) by a table of leaves one level down with the same attributes
    /// and accessed/dirty bits.</summary>
    private bool TrySplitEntry(byte* p, int idx, int level, ulong slotStart, out ulong child)
    {
        ulong old = Read(p, idx);
        if (!TryAllocateTable(level, out child, out _)) return false;
        Fmt.TryDecodeLeaf(level, old, out PageAttributes attrs);
        Fmt.TryMakeLeafTemplate(level - 1, attrs, out ulong tmpl);
        tmpl |= old & (Fmt.AccessedBit | Fmt.DirtyBit);
        ulong baseOut = Fmt.LeafAddress(level, old);
        ulong cspan = 1UL << Fmt.LevelShift(level - 1);
        byte* c = Mem.Map(child);
        int n = Fmt.EntryCount(level - 1);
        for (int i = 0; i < n; i++) Write(c, i, Fmt.EncodeLeaf(level - 1, tmpl, baseOut + (ulong)i * cspan));
        Write(p, idx, Fmt.MakeTable(level, child));
        // The page size of present translations changed: invalidate (Intel SDM Vol. 3A §4.10.2.3).
        Note(slotStart, slotStart + (1UL << Fmt.LevelShift(level)), old);
        return true;
    }

    /// <summary>If the table under p[idx] holds leaves that are contiguous, aligned and identical in attributes,
    /// replaces it by one leaf at <paramref name="level"/> and frees it.</summary>
    private bool TryMergeSlot(byte* p, int idx, int level, ulong slotStart)
    {
        if (!Fmt.LeafAllowed(level)) return false;
        ulong entry = Read(p, idx);
        if (!Fmt.IsPresent(entry) || Fmt.IsLeaf(entry, level)) return false;
        ulong child = Fmt.TableAddress(entry);
        byte* c = Mem.Map(child);
        ulong first = Read(c, 0);
        int cl = level - 1;
        if (!Fmt.IsPresent(first) || !Fmt.IsLeaf(first, cl)) return false;
        ulong baseOut = Fmt.LeafAddress(cl, first);
        if ((baseOut & ((1UL << Fmt.LevelShift(level)) - 1)) != 0) return false;
        Fmt.TryDecodeLeaf(cl, first, out PageAttributes attrs);
        if (!Fmt.TryMakeLeafTemplate(cl, attrs, out ulong ctmpl)) return false;
        if (!Fmt.TryMakeLeafTemplate(level, attrs, out ulong ptmpl)) return false;
        ulong ad = Fmt.AccessedBit | Fmt.DirtyBit;
        ulong cspan = 1UL << Fmt.LevelShift(cl);
        ulong acc = 0;
        int n = Fmt.EntryCount(cl);
        for (int i = 0; i < n; i++)
        {
            ulong e = Read(c, i);
            if ((e & ~ad) != Fmt.EncodeLeaf(cl, ctmpl, baseOut + (ulong)i * cspan)) return false;
            acc |= e & ad;
        }
        Write(p, idx, Fmt.EncodeLeaf(level, ptmpl, baseOut) | acc);
        Mem.Free(child);
        Note(slotStart, slotStart + (1UL << Fmt.LevelShift(level)), entry);
        return true;
    }

    public PagingStatus Split(ulong input, int targetLevel)
    {
        PagingStatus st = CheckRange(input & ~0xFFFUL, 0, 4096, false);
        if (st != PagingStatus.Ok) return st;
        ulong table = Root;
        for (int level = Fmt.Levels; level > targetLevel; level--)
        {
            byte* p = Mem.Map(table);
            int idx = Index(input, level);
            ulong e = Read(p, idx);
            if (!Fmt.IsPresent(e)) return PagingStatus.NotMapped;
            if (Fmt.IsLeaf(e, level))
            {
                ulong span = 1UL << Fmt.LevelShift(level);
                if (!TrySplitEntry(p, idx, level, input & ~(span - 1), out table)) return PagingStatus.OutOfFrames;
            }
            else table = Fmt.TableAddress(e);
        }
        return PagingStatus.Ok;
    }

    public int Merge(ulong input, ulong length)
    {
        if (CheckRange(input, 0, length, false) != PagingStatus.Ok || length == 0) return 0;
        return MergeLevel(Root, Fmt.Levels, input, input + length);
    }

    private int MergeLevel(ulong table, int level, ulong start, ulong end)
    {
        if (level == 1) return 0;
        byte* p = Mem.Map(table);
        ulong span = 1UL << Fmt.LevelShift(level);
        int idx = Index(start, level);
        int merged = 0;
        for (ulong a = start; a < end; idx++)
        {
            ulong slotStart = a & ~(span - 1);
            ulong e = slotStart + span < end ? slotStart + span : end;
            ulong entry = Read(p, idx);
            if (Fmt.IsPresent(entry) && !Fmt.IsLeaf(entry, level))
            {
                merged += MergeLevel(Fmt.TableAddress(entry), level - 1, a, e);
                if (TryMergeSlot(p, idx, level, slotStart)) merged++;
            }
            a = e;
        }
        return merged;
    }

    // ---- unmap --------------------------------------------------------------------------------------------
    public PagingStatus Unmap(ulong input, ulong length)
    {
        PagingStatus st = CheckRange(input, 0, length, false);
        if (st != PagingStatus.Ok || length == 0) return st;
        UnmapLevel(Root, Fmt.Levels, input, input + length, ref st);
        return st;
    }

    /// <summary>Clears [start, end) in the table; returns true if the table is left with no present entry.</summary>
    private bool UnmapLevel(ulong table, int level, ulong start, ulong end, ref PagingStatus st)
    {
        byte* p = Mem.Map(table);
        ulong span = 1UL << Fmt.LevelShift(level);
        int idx = Index(start, level);
        for (ulong a = start; a < end; idx++)
        {
            ulong slotStart = a & ~(span - 1);
            ulong e = slotStart + span < end ? slotStart + span : end;
            ulong old = Read(p, idx);
            if (Fmt.IsPresent(old))
            {
                bool full = a == slotStart && e == slotStart + span;
                if (full)
                {
                    if (!Fmt.IsLeaf(old, level)) FreeSubtree(Fmt.TableAddress(old), level - 1);
                    Write(p, idx, 0);
                    Note(a, e, old);
                }
                else
                {
                    ulong child;
                    if (Fmt.IsLeaf(old, level))
                    {
                        if (!TrySplitEntry(p, idx, level, slotStart, out child)) { st = PagingStatus.OutOfFrames; return false; }
                    }
                    else child = Fmt.TableAddress(old);
                    bool empty = UnmapLevel(child, level - 1, a, e, ref st);
                    if (st != PagingStatus.Ok) return false;
                    if (empty)
                    {
                        Write(p, idx, 0);
                        Mem.Free(child);
                    }
                }
            }
            a = e;
        }
        return IsEmpty(p, level);
    }

    private readonly bool IsEmpty(byte* p, int level)
    {
        int n = Fmt.EntryCount(level);
        for (int i = 0; i < n; i++)
            if (Fmt.IsPresent(Read(p, i))) return false;
        return true;
    }

    private void FreeSubtree(ulong table, int level)
    {
        if (level > 1)
        {
            byte* p = Mem.Map(table);
            int n = Fmt.EntryCount(level);
            for (int i = 0; i < n; i++)
            {
                ulong e = Read(p, i);
                if (Fmt.IsPresent(e) && !Fmt.IsLeaf(e, level)) FreeSubtree(Fmt.TableAddress(e), level - 1);
            }
        }
        Mem.Free(table);
    }

    /// <summary>Frees every table including the root.</summary>
    public void ReleaseAll()
    {
        if (HasRoot) FreeSubtree(Root, Fmt.Levels);
        HasRoot = false;
        Root = 0;
    }

    // ---- protect ------------------------------------------------------------------------------------------
    public PagingStatus Protect(ulong input, ulong length, in PageAttributes attributes)
    {
        PagingStatus st = CheckRange(input, 0, length, false);
        if (st != PagingStatus.Ok || length == 0) return st;
        st = MakeTemplates(attributes, 3, out Templates t);
        if (st != PagingStatus.Ok) return st;
        // Every level that may hold an existing leaf must be encodable.
        for (int level = 2; level <= 3 && level <= Fmt.Levels; level++)
            if (Fmt.LeafAllowed(level) && !LeafOk(t, level)) return PagingStatus.UnsupportedAttributes;
        return ProtectLevel(Root, Fmt.Levels, input, input + length, t);
    }

    private PagingStatus ProtectLevel(ulong table, int level, ulong start, ulong end, in Templates t)
    {
        byte* p = Mem.Map(table);
        ulong span = 1UL << Fmt.LevelShift(level);
        int idx = Index(start, level);
        ulong ad = Fmt.AccessedBit | Fmt.DirtyBit;
        for (ulong a = start; a < end; idx++)
        {
            ulong slotStart = a & ~(span - 1);
            ulong e = slotStart + span < end ? slotStart + span : end;
            ulong old = Read(p, idx);
            if (Fmt.IsPresent(old))
            {
                bool full = a == slotStart && e == slotStart + span;
                bool leaf = Fmt.IsLeaf(old, level);
                if (leaf && full)
                {
                    ulong ne = Fmt.EncodeLeaf(level, t.For(level), Fmt.LeafAddress(level, old)) | (old & ad);
                    if (ne != old)
                    {
                        Write(p, idx, ne);
                        Note(a, e, old);
                    }
                }
                else
                {
                    ulong child;
                    if (leaf)
                    {
                        if (!TrySplitEntry(p, idx, level, slotStart, out child)) return PagingStatus.OutOfFrames;
                    }
                    else child = Fmt.TableAddress(old);
                    PagingStatus st = ProtectLevel(child, level - 1, a, e, t);
                    if (st != PagingStatus.Ok) return st;
                    if (AutoMerge) TryMergeSlot(p, idx, level, slotStart);
                }
            }
            a = e;
        }
        return PagingStatus.Ok;
    }

    // ---- accessed / dirty ---------------------------------------------------------------------------------
    /// <summary>Clears accessed and/or dirty bits of leaves in the range; sets bits in <paramref name="dirtyBitmap"/>
    /// (bit i = 4 KiB page i of the range) for leaves that were dirty before. Returns leaves changed.</summary>
    public long ScanAndClear(ulong input, ulong length, bool clearAccessed, bool clearDirty, Span<ulong> dirtyBitmap)
    {
        if (CheckRange(input, 0, length, false) != PagingStatus.Ok || length == 0) return 0;
        ulong mask = (clearAccessed ? Fmt.AccessedBit : 0) | (clearDirty ? Fmt.DirtyBit : 0);
        return AdLevel(Root, Fmt.Levels, input, input + length, input, mask, dirtyBitmap);
    }

    private long AdLevel(ulong table, int level, ulong start, ulong end, ulong origin, ulong mask, Span<ulong> bitmap)
    {
        byte* p = Mem.Map(table);
        ulong span = 1UL << Fmt.LevelShift(level);
        int idx = Index(start, level);
        long changed = 0;
        ulong dirty = Fmt.DirtyBit;
        for (ulong a = start; a < end; idx++)
        {
            ulong slotStart = a & ~(span - 1);
            ulong e = slotStart + span < end ? slotStart + span : end;
            ulong old = Read(p, idx);
            if (Fmt.IsPresent(old))
            {
                if (Fmt.IsLeaf(old, level))
                {
                    if (dirty != 0 && (old & dirty) != 0 && !bitmap.IsEmpty)
                    {
                        for (ulong pg = (a - origin) >> 12, last = (e - origin) >> 12; pg < last; pg++)
                            if ((int)(pg >> 6) < bitmap.Length) bitmap[(int)(pg >> 6)] |= 1UL << (int)(pg & 63);
                    }
                    if ((old & mask) != 0)
                    {
                        Write(p, idx, old & ~mask);
                        Note(slotStart, slotStart + span, old);
                        changed++;
                    }
                }
                else changed += AdLevel(Fmt.TableAddress(old), level - 1, a, e, origin, mask, bitmap);
            }
            a = e;
        }
        return changed;
    }

    // ---- census (tests) -----------------------------------------------------------------------------------
    /// <summary>Counts reachable tables (root included) and non-root tables with no present entry.</summary>
    public void Census(out int tables, out int emptyTables)
    {
        tables = 0;
        emptyTables = 0;
        if (HasRoot) CensusLevel(Root, Fmt.Levels, true, ref tables, ref emptyTables);
    }

    private void CensusLevel(ulong table, int level, bool root, ref int tables, ref int empty)
    {
        tables++;
        byte* p = Mem.Map(table);
        if (!root && IsEmpty(p, level)) empty++;
        int n = Fmt.EntryCount(level);
        for (int i = 0; i < n && level > 1; i++)
        {
            ulong e = Read(p, i);
            if (Fmt.IsPresent(e) && !Fmt.IsLeaf(e, level)) CensusLevel(Fmt.TableAddress(e), level - 1, false, ref tables, ref empty);
        }
    }

    // ---- lookup -------------------------------------------------------------------------------------------
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTranslate(ulong input, out ulong output, out int leafLevel, out ulong leafEntry)
    {
        ulong table = Root;
        for (int level = Fmt.Levels; level >= 1; level--)
        {
            ulong e = Read(Mem.Map(table), Index(input, level));
            if (!Fmt.IsPresent(e)) break;
            if (Fmt.IsLeaf(e, level))
            {
                output = Fmt.LeafAddress(level, e) + (input & ((1UL << Fmt.LevelShift(level)) - 1));
                leafLevel = level;
                leafEntry = e;
                return true;
            }
            table = Fmt.TableAddress(e);
        }
        output = 0;
        leafLevel = 0;
        leafEntry = 0;
        return false;
    }
}
