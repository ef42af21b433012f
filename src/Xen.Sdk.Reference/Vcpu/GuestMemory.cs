using System;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Reference;

/// <summary>Access to a guest's physical memory. Implemented by a struct (the kernel maps guest RAM; tests use an
/// array), so calls through a generic constraint are direct. Both methods fail (return false) for any byte outside
/// guest RAM: a guest pointer is never trusted.</summary>
public unsafe interface IGuestMemory
{
    /// <summary>The host mapping of the 4 KiB guest page at <paramref name="guestPhysical"/> (page-aligned), for the
    /// pages a hypervisor service shares with the guest (shared_info, the XenStore and console rings); null when the
    /// address is not page-aligned or the page is not guest RAM. The guest may write the page at any time: users treat
    /// it as hostile shared memory (Xen.Sdk.Rings' types).</summary>
    byte* TryMapPage(ulong guestPhysical);

    /// <summary>Copies guest-physical bytes out; false if any byte is not guest RAM.</summary>
    bool TryRead(ulong guestPhysical, Span<byte> destination);

    /// <summary>Copies bytes into guest-physical memory; false if any byte is not guest RAM.</summary>
    bool TryWrite(ulong guestPhysical, ReadOnlySpan<byte> source);
}

/// <summary>Where the guest's console output goes (console_io writes and the emulated UART).</summary>
public interface IGuestConsole
{
    /// <summary>Writes guest console bytes.</summary>
    void Write(ReadOnlySpan<byte> bytes);
}

/// <summary>Guest-virtual to guest-physical translation by walking the guest's own page tables (read in place through
/// <see cref="IGuestMemory.TryMapPage"/>), for hypercall pointer arguments and instruction fetch. Supports paging off,
/// 32-bit paging (4 KiB/4 MiB, PSE-36), PAE and 4-level long mode (4 KiB/2 MiB/1 GiB); 5-level paging fails the walk (Intel SDM Vol. 3A §4.3-§4.5;
/// AMD APM Vol. 2 §5.3). It translates only: access rights, reserved bits and A/D updates are the architectural
/// walker's business (Xen.Sdk.Paging's <c>GuestWalker</c>); a table outside guest RAM fails the walk.</summary>
public static unsafe class GuestPageWalker
{
    private const ulong Present = 1, LargePage = 1UL << 7;
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;

    /// <summary>Translates <paramref name="virtualAddress"/> with the paging mode given by CR0/CR4/EFER.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryTranslate<TMemory>(ref TMemory memory, in VcpuState state, ulong virtualAddress, out ulong guestPhysical)
        where TMemory : struct, IGuestMemory
    {
        if ((state.Cr0 & (1UL << 31)) == 0)
        {
            guestPhysical = state.Mode == GuestMode.Long64 ? virtualAddress : virtualAddress & 0xFFFFFFFF;
            return true;
        }
        // Long mode (CR4.PAE and EFER.LMA): 4-level paging, the hot case, unrolled with one branch per level. 5-level
        // paging (CR4.LA57) is not walked: the translation fails rather than use the wrong structure.
        if ((state.Cr4 & (1UL << 5)) != 0 && (state.Efer & (1UL << 10)) != 0)
        {
            if ((state.Cr4 & (1UL << 12)) == 0) return TryWalkLongMode(ref memory, state.Cr3, virtualAddress, out guestPhysical, null);
            guestPhysical = 0;
            return false;
        }
        return TryTranslateLegacy(ref memory, state, virtualAddress, out guestPhysical);
    }

    /// <summary>The 4-level long-mode walk (Intel SDM Vol. 3A §4.5; AMD APM Vol. 2 §5.3.3): one branch per level, a
    /// table outside guest RAM reads as a not-present entry. With a <paramref name="trail"/> (4 slots) it records where
    /// each entry used was read (the last slot repeats the leaf for a large page), for <see cref="InstructionFetchCache"/>;
    /// callers without one pass null, which the JIT folds away once inlined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryWalkLongMode<TMemory>(ref TMemory memory, ulong cr3, ulong va, out ulong guestPhysical, ulong** trail)
        where TMemory : struct, IGuestMemory
    {
        ulong* p = EntryPointer(ref memory, cr3 & AddressMask, (va >> 39) & 511);
        ulong e = p == null ? 0 : *p;
        if (trail != null) trail[0] = p;
        if ((e & Present) != 0)
        {
            p = EntryPointer(ref memory, e & AddressMask, (va >> 30) & 511);
            e = p == null ? 0 : *p;
            if (trail != null) { trail[1] = p; trail[2] = p; trail[3] = p; }
            if ((e & (Present | LargePage)) == (Present | LargePage)) return Leaf(e, va, 30, out guestPhysical);
            if ((e & Present) != 0)
            {
                p = EntryPointer(ref memory, e & AddressMask, (va >> 21) & 511);
                e = p == null ? 0 : *p;
                if (trail != null) { trail[2] = p; trail[3] = p; }
                if ((e & (Present | LargePage)) == (Present | LargePage)) return Leaf(e, va, 21, out guestPhysical);
                if ((e & Present) != 0)
                {
                    p = EntryPointer(ref memory, e & AddressMask, (va >> 12) & 511);
                    e = p == null ? 0 : *p;
                    if (trail != null) trail[3] = p;
                    if ((e & Present) != 0) return Leaf(e, va, 12, out guestPhysical);
                }
            }
        }
        guestPhysical = 0;
        return false;
    }

    /// <summary>Where the 8-byte entry <paramref name="index"/> of the table at <paramref name="table"/> is mapped, or
    /// null when the table is not guest RAM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong* EntryPointer<TMemory>(ref TMemory memory, ulong table, ulong index) where TMemory : struct, IGuestMemory
    {
        byte* page = memory.TryMapPage(table);
        // SAFETY: TryMapPage returned the whole 4 KiB page (or null); index < 512 keeps the 8-byte entry inside it. The
        // guest may change the entry at any time: callers read it once.
        return page == null ? null : (ulong*)(page + index * 8);
    }

    /// <summary>The 8-byte entry <paramref name="index"/> of the table at <paramref name="table"/>, or 0 (not present)
    /// when the table is not guest RAM.</summary>
    private static ulong Entry<TMemory>(ref TMemory memory, ulong table, ulong index) where TMemory : struct, IGuestMemory
    {
        ulong* p = EntryPointer(ref memory, table, index);
        return p == null ? 0 : *p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Leaf(ulong entry, ulong va, int shift, out ulong guestPhysical)
    {
        ulong pageMask = (1UL << shift) - 1;
        guestPhysical = (entry & AddressMask & ~pageMask) | (va & pageMask);
        return true;
    }

    /// <summary>32-bit paging and PAE (Intel SDM Vol. 3A §4.3, §4.4).</summary>
    private static bool TryTranslateLegacy<TMemory>(ref TMemory memory, in VcpuState state, ulong virtualAddress, out ulong guestPhysical)
        where TMemory : struct, IGuestMemory
    {
        guestPhysical = 0;
        ulong va = virtualAddress & 0xFFFFFFFF;
        if ((state.Cr4 & (1UL << 5)) == 0)
        {
            ulong pde = Entry32(ref memory, state.Cr3 & 0xFFFFF000, va >> 22);
            if ((pde & Present) == 0) return false;
            if ((pde & LargePage) != 0 && (state.Cr4 & (1UL << 4)) != 0)
            {
                // A 4 MiB page: PDE bits 31:22 are physical-address bits 31:22, and with PSE-36 PDE bits 20:13 are
                // physical-address bits 39:32 (Intel SDM Vol. 3A §4.3, Table 4-4; bits at or above MAXPHYADDR are
                // reserved, so an address no RAM backs simply fails to map later).
                guestPhysical = (pde & 0xFFC00000) | ((pde & 0x1FE000) << 19) | (va & 0x3FFFFF);
                return true;
            }
            ulong pte = Entry32(ref memory, pde & 0xFFFFF000, (va >> 12) & 0x3FF);
            if ((pte & Present) == 0) return false;
            guestPhysical = (pte & 0xFFFFF000) | (va & 0xFFF);
            return true;
        }
        // PAE: the 4 PDPTEs sit at CR3[31:5] (32-byte aligned, so inside one page).
        ulong pdptBase = state.Cr3 & 0xFFFFFFE0;
        ulong e = Entry(ref memory, pdptBase & ~0xFFFUL, ((pdptBase & 0xFFF) >> 3) + (va >> 30));
        if ((e & Present) == 0) return false;
        e = Entry(ref memory, e & AddressMask, (va >> 21) & 511);
        if ((e & Present) == 0) return false;
        if ((e & LargePage) != 0) return Leaf(e, va, 21, out guestPhysical);
        e = Entry(ref memory, e & AddressMask, (va >> 12) & 511);
        if ((e & Present) == 0) return false;
        return Leaf(e, va, 12, out guestPhysical);
    }

    private static ulong Entry32<TMemory>(ref TMemory memory, ulong table, ulong index) where TMemory : struct, IGuestMemory
    {
        byte* page = memory.TryMapPage(table);
        // SAFETY: as Entry, with 4-byte entries (index < 1024).
        return page == null ? 0 : *(uint*)(page + index * 4);
    }

    /// <summary>Fetches the bytes of the instruction at the guest's CS:RIP into <paramref name="code"/> (up to
    /// <see cref="InstructionLength.MaxLength"/>, fewer when the next page is not mapped). Returns the number of bytes
    /// fetched (0 when the first byte is not mapped). Used where the CPU reports no instruction length (SVM without NRIP
    /// save) and for MMIO emulation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FetchInstruction<TMemory>(ref TMemory memory, in VcpuState state, ref InstructionBytes code)
        where TMemory : struct, IGuestMemory
    {
        InstructionFetchCache none = default;
        return FetchInstruction(ref memory, state, ref code, ref none);
    }

    /// <summary><see cref="FetchInstruction{TMemory}(ref TMemory, in VcpuState, ref InstructionBytes)"/> through a
    /// one-entry translation cache for the code page (see <see cref="InstructionFetchCache"/>): on a hit the page walk
    /// is replaced by re-reading the entries it used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FetchInstruction<TMemory>(ref TMemory memory, in VcpuState state, ref InstructionBytes code, ref InstructionFetchCache cache)
        where TMemory : struct, IGuestMemory
    {
        // Outside 64-bit mode linear addresses are 32 bits wide: CS base + EIP wraps at 4 GiB (Intel SDM Vol. 3A §3.4).
        ulong linear = state.Mode == GuestMode.Long64 ? state.Rip : (state.CsBase + (state.Rip & 0xFFFFFFFF)) & 0xFFFFFFFF;
        byte* page = cache.Lookup(state, linear);
        if (page == null) page = MapCodePage(ref memory, state, linear, ref cache);
        if (page == null) return code.Length = 0;
        uint offset = (uint)(linear & 0xFFF);
        // SAFETY: page maps the whole 4 KiB guest page holding the linear address; the 16 bytes from offset lie inside it
        // when offset <= 0xFF0.
        if (offset <= 0x1000 - 16) return code.Set(*(ulong*)(page + offset), *(ulong*)(page + offset + 8), InstructionLength.MaxLength);
        return FetchAcrossPage(ref memory, state, linear, page + offset, 0x1000 - (int)offset, ref code);
    }

    /// <summary>Translates the code page the slow way and, in 4-level long mode, fills the cache.</summary>
    private static byte* MapCodePage<TMemory>(ref TMemory memory, in VcpuState state, ulong linear, ref InstructionFetchCache cache)
        where TMemory : struct, IGuestMemory
    {
        ulong gpa;
        if (InstructionFetchCache.Controls(state) == InstructionFetchCache.LongMode4)
        {
            ulong** trail = stackalloc ulong*[4];
            if (!TryWalkLongMode(ref memory, state.Cr3, linear, out gpa, trail)) return null;
            byte* code = memory.TryMapPage(gpa & ~0xFFFUL);
            if (code != null) cache.Fill(state.Cr3, linear, trail, code);
            return code;
        }
        if (!TryTranslate(ref memory, state, linear, out gpa)) return null;
        return memory.TryMapPage(gpa & ~0xFFFUL);
    }

    private static int FetchAcrossPage<TMemory>(ref TMemory memory, in VcpuState state, ulong linear, byte* first, int firstCount, ref InstructionBytes code)
        where TMemory : struct, IGuestMemory
    {
        ulong* buffer = stackalloc ulong[2];
        byte* b = (byte*)buffer;
        // SAFETY: firstCount < 16 bytes remain on the first mapped page; the rest come from the next page when mapped.
        for (int i = 0; i < firstCount; i++) b[i] = first[i];
        int count = firstCount;
        ulong next = state.Mode == GuestMode.Long64 ? linear + (ulong)firstCount : (linear + (ulong)firstCount) & 0xFFFFFFFF;
        if (TryTranslate(ref memory, state, next, out ulong gpa))
        {
            byte* page = memory.TryMapPage(gpa & ~0xFFFUL);
            if (page != null)
            {
                for (int i = firstCount; i < InstructionLength.MaxLength; i++) b[i] = page[i - firstCount];
                count = InstructionLength.MaxLength;
            }
        }
        return code.Set(buffer[0], buffer[1], count);
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at a guest-virtual address, page by page.</summary>
    public static bool TryReadVirtual<TMemory>(ref TMemory memory, in VcpuState state, ulong virtualAddress, Span<byte> destination)
        where TMemory : struct, IGuestMemory
    {
        int done = 0;
        while (done < destination.Length)
        {
            ulong va = virtualAddress + (ulong)done;
            int chunk = (int)Math.Min((ulong)(destination.Length - done), 0x1000 - (va & 0xFFF));
            if (!TryTranslate(ref memory, state, va, out ulong gpa)) return false;
            if (!memory.TryRead(gpa, destination.Slice(done, chunk))) return false;
            done += chunk;
        }
        return true;
    }

    /// <summary>Copies <paramref name="source"/> to a guest-virtual address, page by page.</summary>
    public static bool TryWriteVirtual<TMemory>(ref TMemory memory, in VcpuState state, ulong virtualAddress, ReadOnlySpan<byte> source)
        where TMemory : struct, IGuestMemory
    {
        int done = 0;
        while (done < source.Length)
        {
            ulong va = virtualAddress + (ulong)done;
            int chunk = (int)Math.Min((ulong)(source.Length - done), 0x1000 - (va & 0xFFF));
            if (!TryTranslate(ref memory, state, va, out ulong gpa)) return false;
            if (!memory.TryWrite(gpa, source.Slice(done, chunk))) return false;
            done += chunk;
        }
        return true;
    }
}

/// <summary>A one-entry cache of the translation of the guest's code page, for <see
/// cref="GuestPageWalker.FetchInstruction{TMemory}(ref TMemory, in VcpuState, ref InstructionBytes, ref InstructionFetchCache)"/>
/// on every exit of a CPU that reports no instruction length. It remembers, for one linear page in 4-level long mode,
/// where each paging entry of the walk was read and its value. A hit requires the same CR3, the same paging controls and
/// every one of those entries unchanged: the walk is a function of CR3 and the entries it reads (each entry's location
/// comes from CR3 and the entries above it), so equal inputs give the same translation, whatever the guest did to its
/// page tables meanwhile. The entries are re-read, so a hit costs four loads and one compare instead of a walk.
/// Contract: the host mapping of guest RAM (<see cref="IGuestMemory.TryMapPage"/>) does not change while the cache is
/// in use, or <see cref="Invalidate"/> is called when it does.</summary>
public unsafe struct InstructionFetchCache
{
    internal const ulong LongMode4 = (1UL << 31) | (1UL << 5) | (1UL << 10);

    private ulong* _entry0, _entry1, _entry2, _entry3;
    private ulong _value0, _value1, _value2, _value3;
    private ulong _cr3, _page;
    private byte* _code;

    /// <summary>Forgets the cached translation.</summary>
    public void Invalidate() => _code = null;

    /// <summary>CR0.PG, CR4.PAE and EFER.LMA of <paramref name="state"/> in one word (bits 31, 5, 10), with CR4.LA57
    /// (bit 12) folded in so that 5-level paging never matches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Controls(in VcpuState state) =>
        (state.Cr0 & (1UL << 31)) | (state.Cr4 & ((1UL << 5) | (1UL << 12))) | (state.Efer & (1UL << 10));

    /// <summary>The host mapping of the code page holding <paramref name="linear"/>, or null on a miss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly byte* Lookup(in VcpuState state, ulong linear)
    {
        if (_code == null) return null;
        // SAFETY: the entry pointers came from TryMapPage for pages of guest RAM, which stay mapped (the contract
        // above); each is read once. Non-short-circuit operators: one branch for the whole comparison.
        ulong differ = (state.Cr3 ^ _cr3) | ((linear & ~0xFFFUL) ^ _page) | (Controls(state) ^ LongMode4) |
                       (*_entry0 ^ _value0) | (*_entry1 ^ _value1) | (*_entry2 ^ _value2) | (*_entry3 ^ _value3);
        return differ == 0 ? _code : null;
    }

    internal void Fill(ulong cr3, ulong linear, ulong** trail, byte* code)
    {
        // SAFETY: a successful walk recorded four non-null entry pointers (the leaf repeated for a large page).
        _entry0 = trail[0]; _entry1 = trail[1]; _entry2 = trail[2]; _entry3 = trail[3];
        _value0 = *_entry0; _value1 = *_entry1; _value2 = *_entry2; _value3 = *_entry3;
        _cr3 = cr3;
        _page = linear & ~0xFFFUL;
        _code = code;
    }
}
