using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Xen.Sdk.Reference.KernelTool;

/// <summary>Hot-path alignment of the kernel image: the vCPU loop with everything inlined into it is the code of every
/// exit, and under QEMU's TCG each 4 KiB page of code it touches after a world switch costs a software TLB refill (TCG
/// flushes its TLB on VMRUN and #VMEXIT). ilc lays methods out in its own order, so the linker script pads the start of
/// the managed code by <c>__xensdk_hot_pad</c> bytes; this command reads the symbol table of a first link (pad 0) and
/// writes (to a file) the pad that puts the hot function at the start of a page. ELF64 little-endian only (System V gABI, "Symbol
/// Table").</summary>
internal static class HotAlign
{
    private const int PageSize = 4096;

    public static int Run(string elfPath, string symbolPrefix, string outPath)
    {
        byte[] elf = File.ReadAllBytes(elfPath);
        if (elf.Length < 64 || BinaryPrimitives.ReadUInt32BigEndian(elf) != 0x7F454C46 || elf[4] != 2 || elf[5] != 1)
            return Program.Fail($"{elfPath}: not an ELF64 little-endian file");
        ulong sectionHeaders = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        ulong? hot = null, hotSize = null, baseAddress = null;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> sh = elf.AsSpan((int)sectionHeaders + i * entrySize, entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh.Slice(4)) != 2) continue;          // SHT_SYMTAB
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(sh.Slice(0x18));
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(sh.Slice(0x20));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh.Slice(0x28));
            ulong symbolSize = BinaryPrimitives.ReadUInt64LittleEndian(sh.Slice(0x38));
            ReadOnlySpan<byte> strtabHeader = elf.AsSpan((int)sectionHeaders + link * entrySize, entrySize);
            int strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(strtabHeader.Slice(0x18));
            for (ulong s = 0; s + symbolSize <= size; s += symbolSize)
            {
                ReadOnlySpan<byte> sym = elf.AsSpan((int)(offset + s), (int)symbolSize);
                int nameOffset = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(sym);
                int end = Array.IndexOf(elf, (byte)0, nameOffset);
                string name = Encoding.ASCII.GetString(elf, nameOffset, end - nameOffset);
                ulong value = BinaryPrimitives.ReadUInt64LittleEndian(sym.Slice(8));
                if (name == "__xensdk_managed_base") baseAddress = value;
                else if (name.StartsWith(symbolPrefix, StringComparison.Ordinal) && (sym[4] & 0xF) == 2)   // STT_FUNC
                {
                    if (hot is not null && hot != value) return Program.Fail($"more than one function starts with '{symbolPrefix}'");
                    hot = value;
                    hotSize = BinaryPrimitives.ReadUInt64LittleEndian(sym.Slice(16));
                }
            }
        }
        if (baseAddress is null) return Program.Fail($"{elfPath}: no __xensdk_managed_base symbol (linker script)");
        if (hot is null) return Program.Fail($"{elfPath}: no function starts with '{symbolPrefix}'");
        ulong pad = (PageSize - (hot.Value - baseAddress.Value) % PageSize) % PageSize;
        if (hotSize > PageSize)
            // Plain text on purpose: MSBuild would turn a line with "error"/"warning" followed by a colon into a diagnostic.
            Console.WriteLine($"KernelTool hotalign: the hot function is {hotSize} bytes, larger than a page; only its first page starts aligned");
        File.WriteAllText(outPath, pad.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }
}
