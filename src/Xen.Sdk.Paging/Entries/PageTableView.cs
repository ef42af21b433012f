using System;
using System.Runtime.InteropServices;
using Xen.Sdk.Paging.Entries;

namespace Xen.Sdk.Paging;

/// <summary>Typed views of one 4 KiB table page: 512 64-bit entries, or 1024 32-bit entries for 32-bit paging.</summary>
public static class PageTableView
{
    /// <summary>Bytes in a table page.</summary>
    public const int PageBytes = 4096;

    /// <summary>The page as 512 EPT entries. <paramref name="page"/> must be 4096 bytes.</summary>
    public static Span<EptEntry> Ept(Span<byte> page) => MemoryMarshal.Cast<byte, EptEntry>(page.Slice(0, PageBytes));
    /// <summary>The page as 512 NPT entries.</summary>
    public static Span<NptEntry> Npt(Span<byte> page) => MemoryMarshal.Cast<byte, NptEntry>(page.Slice(0, PageBytes));
    /// <summary>The page as 512 long-mode/PAE entries.</summary>
    public static Span<LongModeEntry> LongMode(Span<byte> page) => MemoryMarshal.Cast<byte, LongModeEntry>(page.Slice(0, PageBytes));
    /// <summary>The first 32 bytes as the four PAE PDPTEs.</summary>
    public static Span<PaePdpte> PaePdpt(Span<byte> page) => MemoryMarshal.Cast<byte, PaePdpte>(page.Slice(0, 32));
    /// <summary>The page as 1024 32-bit entries.</summary>
    public static Span<Legacy32Entry> Legacy32(Span<byte> page) => MemoryMarshal.Cast<byte, Legacy32Entry>(page.Slice(0, PageBytes));

    /// <summary>The index of <paramref name="address"/> in a table of the given level (1 = page table) for the
    /// 512-entry formats.</summary>
    public static int Index512(ulong address, int level) => (int)((address >> (12 + 9 * (level - 1))) & 511);
}
