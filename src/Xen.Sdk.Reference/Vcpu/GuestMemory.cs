using System;
using System.Buffers.Binary;

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

/// <summary>Guest-virtual to guest-physical translation by walking the guest's own page tables (read through
/// <see cref="IGuestMemory"/>), for hypercall pointer arguments and instruction fetch. Supports paging off,
/// 32-bit paging (4 KiB/4 MiB), PAE and 4-level long mode (4 KiB/2 MiB/1 GiB) (Intel SDM Vol. 3A §4.3-§4.5;
/// AMD APM Vol. 2 §5.3).</summary>
public static class GuestPageWalker
{
    private const ulong Present = 1, LargePage = 1UL << 7;
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;

    /// <summary>Translates <paramref name="virtualAddress"/> with the paging mode given by CR0/CR4/EFER.</summary>
    public static bool TryTranslate<TMemory>(ref TMemory memory, in VcpuState state, ulong virtualAddress, out ulong guestPhysical)
        where TMemory : struct, IGuestMemory
    {
        guestPhysical = 0;
        if ((state.Cr0 & (1UL << 31)) == 0)
        {
            guestPhysical = state.Mode == GuestMode.Long64 ? virtualAddress : virtualAddress & 0xFFFFFFFF;
            return true;
        }
        bool pae = (state.Cr4 & (1UL << 5)) != 0;
        bool longMode = (state.Efer & (1UL << 10)) != 0;
        Span<byte> buf = stackalloc byte[8];
        if (!pae)
        {
            ulong va = virtualAddress & 0xFFFFFFFF;
            ulong pdeAddr = (state.Cr3 & 0xFFFFF000) + ((va >> 22) << 2);
            if (!memory.TryRead(pdeAddr, buf.Slice(0, 4))) return false;
            ulong pde = BinaryPrimitives.ReadUInt32LittleEndian(buf);
            if ((pde & Present) == 0) return false;
            if ((pde & LargePage) != 0 && (state.Cr4 & (1UL << 4)) != 0)
            {
                guestPhysical = (pde & 0xFFC00000) | (va & 0x3FFFFF);
                return true;
            }
            ulong pteAddr = (pde & 0xFFFFF000) + (((va >> 12) & 0x3FF) << 2);
            if (!memory.TryRead(pteAddr, buf.Slice(0, 4))) return false;
            ulong pte = BinaryPrimitives.ReadUInt32LittleEndian(buf);
            if ((pte & Present) == 0) return false;
            guestPhysical = (pte & 0xFFFFF000) | (va & 0xFFF);
            return true;
        }
        int levels = longMode ? 4 : 3;
        ulong table = longMode ? state.Cr3 & AddressMask : state.Cr3 & 0xFFFFFFE0;
        ulong addr = longMode ? virtualAddress : virtualAddress & 0xFFFFFFFF;
        for (int level = levels; level >= 1; level--)
        {
            int shift = 12 + 9 * (level - 1);
            ulong index = (addr >> shift) & (level == 3 && !longMode ? 3UL : 511UL);
            if (!memory.TryRead(table + index * 8, buf)) return false;
            ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(buf);
            if ((entry & Present) == 0) return false;
            if (level == 1 || ((level == 2 || (level == 3 && longMode)) && (entry & LargePage) != 0))
            {
                ulong pageMask = (1UL << shift) - 1;
                guestPhysical = (entry & AddressMask & ~pageMask) | (addr & pageMask);
                return true;
            }
            table = entry & AddressMask;
        }
        return false;
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
