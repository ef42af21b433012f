using System;

namespace Xen.Sdk.Paging.MemoryTypes;

/// <summary>The MTRR state of a CPU as data (Intel SDM Vol. 3A §12.11 "Memory Type Range Registers (MTRRs)"):
/// IA32_MTRRCAP, IA32_MTRR_DEF_TYPE, the 11 fixed-range MSRs, up to 16 variable pairs and SMRR. A mutable struct
/// without references (freestanding-safe); fill it from RDMSR or by hand.</summary>
public unsafe struct MtrrSnapshot
{
    /// <summary>Variable ranges storable.</summary>
    public const int MaxVariableRanges = 16;
    /// <summary>IA32_MTRR_FIX64K_00000 (0x250), FIX16K_80000 (0x258), FIX16K_A0000 (0x259), FIX4K_C0000..F8000 (0x268-0x26F).</summary>
    public static ReadOnlySpan<ushort> FixedMsrs => [0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F];

    private fixed ulong _fixed[11];
    private fixed ulong _base[MaxVariableRanges];
    private fixed ulong _mask[MaxVariableRanges];

    /// <summary>IA32_MTRRCAP (0xFE): VCNT bits 7:0, FIX bit 8, WC bit 10, SMRR bit 11.</summary>
    public ulong Capabilities { get; set; }
    /// <summary>IA32_MTRR_DEF_TYPE (0x2FF): type bits 7:0, FE bit 10, E bit 11.</summary>
    public ulong DefaultType { get; set; }
    /// <summary>IA32_SMRR_PHYSBASE (0x1F2): type bits 7:0, base bits 31:12.</summary>
    public ulong SmrrBase { get; set; }
    /// <summary>IA32_SMRR_PHYSMASK (0x1F3): valid bit 11, mask bits 31:12.</summary>
    public ulong SmrrMask { get; set; }
    /// <summary>MAXPHYADDR (the width of the variable-range masks).</summary>
    public byte MaxPhysicalAddressBits { get; set; }

    /// <summary>A snapshot with MTRRs enabled, fixed ranges off and no variable ranges: everything is <paramref name="defaultType"/>.</summary>
    public static MtrrSnapshot Uniform(MemoryType defaultType, byte maxPhysicalAddressBits)
        => new() { Capabilities = 0x508, DefaultType = (1UL << 11) | (byte)defaultType, MaxPhysicalAddressBits = maxPhysicalAddressBits };

    /// <summary>Variable ranges the CPU has (VCNT).</summary>
    public readonly int VariableCount => (int)(Capabilities & 0xFF) < MaxVariableRanges ? (int)(Capabilities & 0xFF) : MaxVariableRanges;
    /// <summary>MTRRs enabled (DEF_TYPE.E).</summary>
    public readonly bool Enabled => (DefaultType & (1UL << 11)) != 0;
    /// <summary>Fixed ranges enabled (DEF_TYPE.FE and MTRRCAP.FIX).</summary>
    public readonly bool FixedEnabled => (DefaultType & (1UL << 10)) != 0 && (Capabilities & (1UL << 8)) != 0;

    /// <summary>Gets fixed-range MSR <paramref name="index"/> (0..10, in the order of <see cref="FixedMsrs"/>).</summary>
    public readonly ulong GetFixed(int index) => (uint)index < 11 ? _fixed[index] : 0;
    /// <summary>Sets fixed-range MSR <paramref name="index"/>.</summary>
    public void SetFixed(int index, ulong value) { if ((uint)index < 11) _fixed[index] = value; }
    /// <summary>Sets every fixed-range byte to one type.</summary>
    public void SetAllFixed(MemoryType type)
    {
        ulong v = 0x0101010101010101UL * (byte)type;
        for (int i = 0; i < 11; i++) _fixed[i] = v;
    }
    /// <summary>Gets variable pair <paramref name="index"/>: IA32_MTRR_PHYSBASEn (type 7:0, base 51:12), IA32_MTRR_PHYSMASKn (valid 11, mask 51:12).</summary>
    public readonly void GetVariable(int index, out ulong physBase, out ulong physMask)
    {
        physBase = (uint)index < MaxVariableRanges ? _base[index] : 0;
        physMask = (uint)index < MaxVariableRanges ? _mask[index] : 0;
    }
    /// <summary>Sets variable pair <paramref name="index"/> (raw MSR values).</summary>
    public void SetVariable(int index, ulong physBase, ulong physMask)
    {
        if ((uint)index >= MaxVariableRanges) return;
        _base[index] = physBase;
        _mask[index] = physMask;
    }
    /// <summary>Sets variable pair <paramref name="index"/> to cover [<paramref name="start"/>, +<paramref name="size"/>)
    /// (size a power of two, start aligned to it).</summary>
    public void SetVariableRange(int index, ulong start, ulong size, MemoryType type)
    {
        ulong width = (1UL << MaxPhysicalAddressBits) - 1;
        SetVariable(index, start | (byte)type, (~(size - 1) & width & ~0xFFFUL) | (1UL << 11));
    }

    /// <summary>The MTRR memory type of a physical address, following Intel SDM Vol. 3A §12.11.4.1 "MTRR Precedences":
    /// UC if disabled; the fixed range below 1 MiB when enabled; otherwise the matching variable ranges (one match:
    /// its type; several: UC if any is UC, WT if they are WT and WB only, the common type if all agree); else the
    /// default type. Outside SMM an address in a valid SMRR range is UC (Intel SDM Vol. 3C §32.4.2.1 "SMRR").
    /// Returns false (with UC) for an overlap the SDM leaves undefined.</summary>
    public readonly bool TryGetType(ulong address, out MemoryType type, bool inSmm = false)
    {
        type = MemoryType.Uncacheable;
        if (!Enabled) return true;
        if ((Capabilities & (1UL << 11)) != 0 && (SmrrMask & (1UL << 11)) != 0
            && (address & SmrrMask & 0xFFFF_F000UL) == (SmrrBase & SmrrMask & 0xFFFF_F000UL) && address < (1UL << 32))
        {
            type = inSmm ? (MemoryType)(SmrrBase & 0xFF) : MemoryType.Uncacheable;
            return true;
        }
        if (address < 0x100000 && FixedEnabled)
        {
            int msr, sub;
            if (address < 0x80000) { msr = 0; sub = (int)(address >> 16); }
            else if (address < 0xC0000) { msr = 1 + (int)((address - 0x80000) >> 17); sub = (int)((address >> 14) & 7); }
            else { msr = 3 + (int)((address - 0xC0000) >> 15); sub = (int)((address >> 12) & 7); }
            type = (MemoryType)((_fixed[msr] >> (sub * 8)) & 0xFF);
            return true;
        }
        ulong width = ((1UL << MaxPhysicalAddressBits) - 1) & ~0xFFFUL;
        int matches = 0;
        bool uc = false, allSame = true, onlyWtWb = true;
        MemoryType first = MemoryType.Uncacheable;
        for (int i = 0; i < VariableCount; i++)
        {
            ulong m = _mask[i];
            if ((m & (1UL << 11)) == 0) continue;
            ulong mask = m & width;
            if ((address & mask) != (_base[i] & mask)) continue;
            var t = (MemoryType)(_base[i] & 0xFF);
            if (matches++ == 0) first = t;
            else if (t != first) allSame = false;
            if (t == MemoryType.Uncacheable) uc = true;
            if (t is not (MemoryType.WriteThrough or MemoryType.WriteBack)) onlyWtWb = false;
        }
        if (matches == 0) { type = (MemoryType)(DefaultType & 0xFF); return true; }
        if (uc) { type = MemoryType.Uncacheable; return true; }
        if (allSame) { type = first; return true; }
        if (onlyWtWb) { type = MemoryType.WriteThrough; return true; }
        type = MemoryType.Uncacheable;
        return false;
    }

    /// <summary>The next address above <paramref name="address"/> where the MTRR type might change (a fixed-range,
    /// 1 MiB, variable-range or SMRR boundary); 4 KiB steps inside a non-contiguous variable mask.</summary>
    public readonly ulong NextBoundary(ulong address)
    {
        ulong next = ulong.MaxValue;
        if (address < 0x100000)
        {
            ulong g = address < 0x80000 ? 0x10000UL : address < 0xC0000 ? 0x4000UL : 0x1000UL;
            next = (address & ~(g - 1)) + g;
        }
        ulong width = ((1UL << MaxPhysicalAddressBits) - 1) & ~0xFFFUL;
        for (int i = 0; i < VariableCount; i++)
        {
            ulong m = _mask[i];
            if ((m & (1UL << 11)) == 0) continue;
            ulong mask = m & width;
            ulong size = (~mask & width) + 0x1000;
            bool contiguous = (size & (size - 1)) == 0 && ((mask | (size - 1)) & width) == width;
            if (!contiguous) { ulong s = (address & ~0xFFFUL) + 0x1000; if (s < next) next = s; continue; }
            ulong start = _base[i] & mask;
            ulong end = start + size;
            if (address < start && start < next) next = start;
            else if (address >= start && address < end && end < next) next = end;
        }
        if ((Capabilities & (1UL << 11)) != 0 && (SmrrMask & (1UL << 11)) != 0)
        {
            ulong mask = SmrrMask & 0xFFFF_F000UL;
            ulong start = SmrrBase & mask;
            ulong end = start + ((~mask & 0xFFFF_F000UL) + 0x1000);
            if (address < start && start < next) next = start;
            else if (address >= start && address < end && end < next) next = end;
        }
        return next;
    }
}
