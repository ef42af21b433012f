using System.Runtime.CompilerServices;

namespace Xen.Sdk.Paging.Entries;

/// <summary>Bits shared by the x86 long-mode, PAE and NPT entry formats
/// (Intel SDM Vol. 3A §4.5 "4-Level Paging and 5-Level Paging", AMD APM Vol. 2 §5.3.3 "4-Kbyte Page Translation").</summary>
public static class X64EntryBits
{
    /// <summary>Bit 0: present.</summary>
    public const ulong Present = 1UL << 0;
    /// <summary>Bit 1: read/write.</summary>
    public const ulong Writable = 1UL << 1;
    /// <summary>Bit 2: user/supervisor.</summary>
    public const ulong User = 1UL << 2;
    /// <summary>Bit 3: page-level write-through.</summary>
    public const ulong WriteThrough = 1UL << 3;
    /// <summary>Bit 4: page-level cache disable.</summary>
    public const ulong CacheDisable = 1UL << 4;
    /// <summary>Bit 5: accessed.</summary>
    public const ulong Accessed = 1UL << 5;
    /// <summary>Bit 6 of a leaf: dirty.</summary>
    public const ulong Dirty = 1UL << 6;
    /// <summary>Bit 7 of a PDPTE/PDE: page size (leaf). In a 4 KiB PTE bit 7 is the PAT bit.</summary>
    public const ulong PageSize = 1UL << 7;
    /// <summary>Bit 7 of a 4 KiB PTE: PAT index bit 2.</summary>
    public const ulong Pat4K = 1UL << 7;
    /// <summary>Bit 8 of a leaf: global.</summary>
    public const ulong Global = 1UL << 8;
    /// <summary>Bit 12 of a 2 MiB / 1 GiB leaf: PAT index bit 2.</summary>
    public const ulong PatLarge = 1UL << 12;
    /// <summary>Bit 63: execute disable (reserved unless EFER.NXE=1).</summary>
    public const ulong NoExecute = 1UL << 63;
    /// <summary>Bits 51:12: physical address.</summary>
    public const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;
}

/// <summary>One AMD nested-paging entry: the long-mode page-table format, walked with every access treated as a
/// user access, so U/S must be 1 at every level (AMD APM Vol. 2 §15.25.5 "Nested Table Walk").</summary>
/// <param name="Value">The raw entry.</param>
public readonly record struct NptEntry(ulong Value)
{
    /// <summary>Bit 0.</summary>
    public bool IsPresent => (Value & X64EntryBits.Present) != 0;
    /// <summary>Bit 1.</summary>
    public bool Writable => (Value & X64EntryBits.Writable) != 0;
    /// <summary>Bit 2 (must be set for any nested access to succeed).</summary>
    public bool User => (Value & X64EntryBits.User) != 0;
    /// <summary>Bit 63.</summary>
    public bool NoExecute => (Value & X64EntryBits.NoExecute) != 0;
    /// <summary>Bit 7 of a PDPTE/PDE.</summary>
    public bool IsLargePage => (Value & X64EntryBits.PageSize) != 0;
    /// <summary>Bit 5.</summary>
    public bool Accessed => (Value & X64EntryBits.Accessed) != 0;
    /// <summary>Bit 6.</summary>
    public bool Dirty => (Value & X64EntryBits.Dirty) != 0;
    /// <summary>Bits 51:12.</summary>
    public HostPhysicalAddress Address => new(Value & X64EntryBits.AddressMask);
    /// <summary>A non-leaf entry: present, writable, user, executable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NptEntry Table(HostPhysicalAddress table)
        => new((table.Value & X64EntryBits.AddressMask) | X64EntryBits.Present | X64EntryBits.Writable | X64EntryBits.User);
}

/// <summary>One x86 guest long-mode (4-level/5-level) or PAE page-directory/page-table entry (Intel SDM Vol. 3A
/// §4.5, Tables 4-15 to 4-20; §4.4.2 Tables 4-9 to 4-11 for PAE).</summary>
/// <param name="Value">The raw entry.</param>
public readonly record struct LongModeEntry(ulong Value)
{
    /// <summary>Bit 0.</summary>
    public bool IsPresent => (Value & X64EntryBits.Present) != 0;
    /// <summary>Bit 1.</summary>
    public bool Writable => (Value & X64EntryBits.Writable) != 0;
    /// <summary>Bit 2.</summary>
    public bool User => (Value & X64EntryBits.User) != 0;
    /// <summary>Bit 3.</summary>
    public bool WriteThrough => (Value & X64EntryBits.WriteThrough) != 0;
    /// <summary>Bit 4.</summary>
    public bool CacheDisable => (Value & X64EntryBits.CacheDisable) != 0;
    /// <summary>Bit 5.</summary>
    public bool Accessed => (Value & X64EntryBits.Accessed) != 0;
    /// <summary>Bit 6.</summary>
    public bool Dirty => (Value & X64EntryBits.Dirty) != 0;
    /// <summary>Bit 7 of a PDPTE/PDE.</summary>
    public bool IsLargePage => (Value & X64EntryBits.PageSize) != 0;
    /// <summary>Bit 8.</summary>
    public bool Global => (Value & X64EntryBits.Global) != 0;
    /// <summary>Bit 63.</summary>
    public bool NoExecute => (Value & X64EntryBits.NoExecute) != 0;
    /// <summary>Bits 51:12.</summary>
    public GuestPhysicalAddress Address => new(Value & X64EntryBits.AddressMask);
}

/// <summary>One PAE page-directory-pointer-table entry (one of the four PDPTEs): only P, PWT, PCD and the address
/// are defined; bits 2:1, 8:5 and 63 are reserved (Intel SDM Vol. 3A §4.4.1 "PDPTE Registers", Table 4-8).</summary>
/// <param name="Value">The raw entry.</param>
public readonly record struct PaePdpte(ulong Value)
{
    /// <summary>Reserved bits of a present PDPTE below MAXPHYADDR: 2:1, 8:5, 63.</summary>
    public const ulong ReservedMask = 0x6UL | 0x1E0UL | (1UL << 63);
    /// <summary>Bit 0.</summary>
    public bool IsPresent => (Value & 1) != 0;
    /// <summary>Bits 51:12.</summary>
    public GuestPhysicalAddress Address => new(Value & X64EntryBits.AddressMask);
}

/// <summary>One 32-bit (non-PAE) paging entry, 4 bytes (Intel SDM Vol. 3A §4.3 "32-Bit Paging", Tables 4-4 to 4-6).
/// With CR4.PSE=1 a PDE with bit 7 set maps a 4 MiB page whose address bits 39:32 sit in bits 20:13 (PSE-36).</summary>
/// <param name="Value">The raw entry.</param>
public readonly record struct Legacy32Entry(uint Value)
{
    /// <summary>Bits 31:12: address of a page table or 4 KiB page.</summary>
    public const uint AddressMask = 0xFFFF_F000u;
    /// <summary>Bit 0.</summary>
    public bool IsPresent => (Value & 1) != 0;
    /// <summary>Bit 1.</summary>
    public bool Writable => (Value & 2) != 0;
    /// <summary>Bit 2.</summary>
    public bool User => (Value & 4) != 0;
    /// <summary>Bit 5.</summary>
    public bool Accessed => (Value & 0x20) != 0;
    /// <summary>Bit 6.</summary>
    public bool Dirty => (Value & 0x40) != 0;
    /// <summary>Bit 7 of a PDE (4 MiB page when CR4.PSE=1).</summary>
    public bool IsLargePage => (Value & 0x80) != 0;
    /// <summary>The 4 MiB page address of a PSE PDE: bits 31:22 from bits 31:22, bits 39:32 from bits 20:13.</summary>
    public GuestPhysicalAddress LargePageAddress => new((Value & 0xFFC0_0000u) | ((ulong)((Value >> 13) & 0xFF) << 32));
    /// <summary>Bits 31:12.</summary>
    public GuestPhysicalAddress Address => new(Value & AddressMask);
}
