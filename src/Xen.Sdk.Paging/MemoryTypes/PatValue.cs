namespace Xen.Sdk.Paging.MemoryTypes;

/// <summary>An IA32_PAT MSR value (0x277): eight 8-bit entries PA0..PA7, each a memory type
/// (Intel SDM Vol. 3A §12.12.2 "IA32_PAT MSR"; AMD APM Vol. 2 §7.8.1 "PAT Register"). Also the VMCB g_PAT field.</summary>
/// <param name="Value">The raw MSR value.</param>
public readonly record struct PatValue(ulong Value)
{
    /// <summary>The power-on value 0x0007040600070406: PA0=WB, PA1=WT, PA2=UC-, PA3=UC, and the same for PA4..PA7
    /// (Intel SDM Vol. 3A §12.12.4 "Programming the PAT", Table 12-12).</summary>
    public static PatValue PowerOn => new(0x0007040600070406UL);

    /// <summary>The memory type of entry <paramref name="index"/> (0..7); raw value, may be a reserved encoding.</summary>
    public MemoryType this[int index] => (MemoryType)((Value >> (index * 8)) & 0xFF);

    /// <summary>True if every entry holds a valid type (0, 1, 4, 5, 6 or 7) and bits 7:3 of each byte are zero;
    /// otherwise WRMSR (or VMRUN with this g_PAT) faults.</summary>
    public bool IsValid
    {
        get
        {
            for (int i = 0; i < 8; i++)
            {
                ulong b = (Value >> (i * 8)) & 0xFF;
                if (b == 2 || b == 3 || b > 7) return false;
            }
            return true;
        }
    }

    /// <summary>The lowest PAT index holding <paramref name="type"/>, or -1.</summary>
    public int IndexOf(MemoryType type)
    {
        for (int i = 0; i < 8; i++)
            if (this[i] == type) return i;
        return -1;
    }

    /// <summary>The PAT index selected by an entry's PAT, PCD and PWT bits: <c>4*PAT + 2*PCD + PWT</c>
    /// (Intel SDM Vol. 3A §12.12.3 "Selecting a Memory Type from the PAT").</summary>
    public static int Index(bool pat, bool pcd, bool pwt) => (pat ? 4 : 0) | (pcd ? 2 : 0) | (pwt ? 1 : 0);
}
