using System.Runtime.CompilerServices;

namespace Xen.Sdk.Paging.Entries;

/// <summary>One Intel EPT paging-structure entry (PML5E/PML4E/PDPTE/PDE/PTE), one 64-bit word
/// (Intel SDM Vol. 3C §29.3.2 "EPT Translation Mechanism", Tables 29-1 to 29-6 "Format of an EPT ... Entry").</summary>
/// <param name="Value">The raw entry.</param>
public readonly record struct EptEntry(ulong Value)
{
    /// <summary>Bit 0: reads allowed.</summary>
    public const ulong ReadBit = 1UL << 0;
    /// <summary>Bit 1: writes allowed.</summary>
    public const ulong WriteBit = 1UL << 1;
    /// <summary>Bit 2: instruction fetches allowed (supervisor-mode fetches when mode-based execute control is 1).</summary>
    public const ulong ExecuteBit = 1UL << 2;
    /// <summary>Bits 5:3 of a leaf: EPT memory type.</summary>
    public const ulong MemoryTypeMask = 7UL << 3;
    /// <summary>Bit 6 of a leaf: ignore PAT.</summary>
    public const ulong IgnorePatBit = 1UL << 6;
    /// <summary>Bit 7 of a PDPTE/PDE: the entry maps a 1 GiB / 2 MiB page.</summary>
    public const ulong LargePageBit = 1UL << 7;
    /// <summary>Bit 8: accessed (when EPTP bit 6 enables accessed/dirty flags).</summary>
    public const ulong AccessedBit = 1UL << 8;
    /// <summary>Bit 9 of a leaf: dirty (when EPTP bit 6 enables accessed/dirty flags).</summary>
    public const ulong DirtyBit = 1UL << 9;
    /// <summary>Bit 10: user-mode fetches allowed (mode-based execute control for EPT).</summary>
    public const ulong UserExecuteBit = 1UL << 10;
    /// <summary>Bit 63 of a leaf: suppress #VE.</summary>
    public const ulong SuppressVeBit = 1UL << 63;
    /// <summary>Bits 51:12: the physical address of the next table or of the 4 KiB page.</summary>
    public const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;

    /// <summary>True if any of bits 2:0 is set (Intel SDM Vol. 3C §29.3.2: an entry with bits 2:0 clear is not present;
    /// with mode-based execute control bit 10 also counts).</summary>
    public bool IsPresent => (Value & 7) != 0;
    /// <summary>Bit 0.</summary>
    public bool Read => (Value & ReadBit) != 0;
    /// <summary>Bit 1.</summary>
    public bool Write => (Value & WriteBit) != 0;
    /// <summary>Bit 2.</summary>
    public bool Execute => (Value & ExecuteBit) != 0;
    /// <summary>Bit 10.</summary>
    public bool UserExecute => (Value & UserExecuteBit) != 0;
    /// <summary>Bit 7.</summary>
    public bool IsLargePage => (Value & LargePageBit) != 0;
    /// <summary>Bits 5:3 (meaningful in leaves).</summary>
    public MemoryType MemoryType => (MemoryType)((Value >> 3) & 7);
    /// <summary>Bit 6 (meaningful in leaves).</summary>
    public bool IgnorePat => (Value & IgnorePatBit) != 0;
    /// <summary>Bit 8.</summary>
    public bool Accessed => (Value & AccessedBit) != 0;
    /// <summary>Bit 9.</summary>
    public bool Dirty => (Value & DirtyBit) != 0;
    /// <summary>Bits 51:12.</summary>
    public HostPhysicalAddress Address => new(Value & AddressMask);

    /// <summary>A non-leaf entry pointing at <paramref name="table"/> with read, write and execute
    /// (and user-execute when <paramref name="userExecute"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EptEntry Table(HostPhysicalAddress table, bool userExecute = false)
        => new((table.Value & AddressMask) | ReadBit | WriteBit | ExecuteBit | (userExecute ? UserExecuteBit : 0));
}
