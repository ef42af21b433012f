using System.Runtime.CompilerServices;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Entries;
using Xen.Sdk.Paging.MemoryTypes;

namespace Xen.Sdk.Paging.Formats;

/// <summary>Shared encoding of the x86 entry formats (long mode, PAE, NPT, and the low bits of 32-bit paging).</summary>
internal static class X64
{
    public const ulong P = X64EntryBits.Present, RW = X64EntryBits.Writable, US = X64EntryBits.User;
    public const ulong PWT = X64EntryBits.WriteThrough, PCD = X64EntryBits.CacheDisable, PS = X64EntryBits.PageSize;
    public const ulong G = X64EntryBits.Global, NX = X64EntryBits.NoExecute, A = X64EntryBits.Accessed, D = X64EntryBits.Dirty;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PatBit(int level) => level == 1 ? X64EntryBits.Pat4K : X64EntryBits.PatLarge;

    /// <summary>Encodes a leaf; <paramref name="nx"/> says whether bit 63 is available, <paramref name="userAlways"/>
    /// forces U/S (NPT), <paramref name="allowGlobal"/> whether G may be set.</summary>
    public static bool TryLeaf(int level, in PageAttributes attributes, PatValue pat, bool nx, bool userAlways, bool allowGlobal, out ulong template)
    {
        template = 0;
        PageAccess a = attributes.Access;
        if ((a & PageAccess.Read) == 0 || (a & PageAccess.UserExecute) != 0) return false;
        if ((a & PageAccess.Execute) == 0 && !nx) return false;
        if ((attributes.Flags & (PageFlags.IgnorePat | PageFlags.SuppressVe)) != 0) return false;
        if ((attributes.Flags & PageFlags.Global) != 0 && !allowGlobal) return false;
        int index = pat.IndexOf(attributes.MemoryType);
        if (index < 0) return false;
        ulong e = P
                | ((a & PageAccess.Write) != 0 ? RW : 0)
                | (userAlways || (a & PageAccess.User) != 0 ? US : 0)
                | ((a & PageAccess.Execute) == 0 ? NX : 0)
                | ((index & 1) != 0 ? PWT : 0) | ((index & 2) != 0 ? PCD : 0) | ((index & 4) != 0 ? PatBit(level) : 0)
                | ((attributes.Flags & PageFlags.Global) != 0 ? G : 0);
        if (level > 1) e |= PS;
        template = e;
        return true;
    }

    public static PageAttributes Decode(int level, ulong entry, PatValue pat, bool reportUser, bool nx)
    {
        PageAccess a = PageAccess.Read
                     | ((entry & RW) != 0 ? PageAccess.Write : 0)
                     | (reportUser && (entry & US) != 0 ? PageAccess.User : 0)
                     | (!nx || (entry & NX) == 0 ? PageAccess.Execute : 0);
        int index = ((entry & PWT) != 0 ? 1 : 0) | ((entry & PCD) != 0 ? 2 : 0) | ((entry & PatBit(level)) != 0 ? 4 : 0);
        return new PageAttributes(a, pat[index], (entry & G) != 0 && reportUser ? PageFlags.Global : PageFlags.None);
    }

    /// <summary>Reserved bits of a present long-mode entry (Intel SDM Vol. 3A §4.5.4, Tables 4-15 to 4-20;
    /// AMD APM Vol. 2 §5.3.3): 51:MAXPHYADDR; 63 without NXE; PS in a PML5E/PML4E; 1 GiB leaves 29:13, 2 MiB leaves 20:13.</summary>
    public static ulong LongModeReserved(int level, ulong entry, int maxPhys, bool nxe)
    {
        ulong r = 0x000F_FFFF_FFFF_F000UL & ~((1UL << maxPhys) - 1);
        if (!nxe) r |= NX;
        if (level >= 4) r |= PS;
        else if (level > 1 && (entry & PS) != 0) r |= ((1UL << (3 + 9 * level)) - 1) & ~0x1FFFUL;
        return entry & r;
    }
}

/// <summary>AMD nested paging: the long-mode format walked as user accesses, 4-level (or 5-level when the host runs
/// with LA57) (AMD APM Vol. 2 §15.25 "Nested Paging"). Memory types are encoded through the host PAT
/// (<see cref="Pat"/>), as the APM combines the nested entry's PAT type with the guest's (AMD APM Vol. 2 §15.25.8).</summary>
public readonly struct NptFormat : IPagingFormat
{
    private readonly byte _levels, _maxPhys;
    private readonly bool _pages1G, _nx;
    private readonly PatValue _pat;

    /// <summary>Creates the format. <paramref name="hostPat"/> is the host IA32_PAT in force while the guest runs
    /// (default: power-on value); <paramref name="levels"/> 4, or 5 with host LA57.</summary>
    public NptFormat(in PagingCapabilities capabilities, int levels = 4, PatValue? hostPat = null)
    {
        _levels = (byte)(levels == 5 ? 5 : 4);
        _maxPhys = capabilities.MaxPhysicalAddressBits;
        _pages1G = capabilities.Pages1GiB;
        _nx = capabilities.NoExecute;
        _pat = hostPat ?? PatValue.PowerOn;
    }

    /// <summary>The host PAT used to encode memory types.</summary>
    public PatValue Pat => _pat;
    /// <summary>The VMCB nCR3 value for <paramref name="root"/> (AMD APM Vol. 2 §15.25.4: nCR3 holds the root's
    /// physical address; PWT/PCD left 0).</summary>
    public static ulong MakeNestedCr3(HostPhysicalAddress root) => root.Value & X64EntryBits.AddressMask;

    /// <inheritdoc/>
    public int Levels => _levels;
    /// <inheritdoc/>
    public int EntryShift => 3;
    /// <inheritdoc/>
    public int InputBits => _levels == 5 ? 57 : 48;
    /// <inheritdoc/>
    public ulong OutputLimit => 1UL << _maxPhys;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LevelShift(int level) => 3 + 9 * level;
    /// <inheritdoc/>
    public int EntryCount(int level) => 512;
    /// <inheritdoc/>
    public bool LeafAllowed(int level) => level <= 2 || (level == 3 && _pages1G);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsPresent(ulong entry) => (entry & X64.P) != 0;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLeaf(ulong entry, int level) => level == 1 || ((level == 2 || level == 3) && (entry & X64.PS) != 0);
    /// <inheritdoc/>
    public ulong MakeTable(int level, ulong table) => (table & X64EntryBits.AddressMask) | X64.P | X64.RW | X64.US;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong TableAddress(ulong entry) => entry & X64EntryBits.AddressMask;
    /// <inheritdoc/>
    public bool TryMakeLeafTemplate(int level, in PageAttributes attributes, out ulong template)
        => X64.TryLeaf(level, attributes, _pat, _nx, userAlways: true, allowGlobal: false, out template);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong EncodeLeaf(int level, ulong template, ulong address) => template | address;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong LeafAddress(int level, ulong entry) => entry & X64EntryBits.AddressMask & ~((1UL << LevelShift(level)) - 1);
    /// <inheritdoc/>
    public bool TryDecodeLeaf(int level, ulong entry, out PageAttributes attributes)
    {
        attributes = X64.Decode(level, entry, _pat, reportUser: false, _nx);
        return IsPresent(entry);
    }
    /// <inheritdoc/>
    public ulong AccessedBit => X64.A;
    /// <inheritdoc/>
    public ulong DirtyBit => X64.D;
    /// <summary>Reserved bits set in a present entry.</summary>
    public ulong ReservedBits(int level, ulong entry)
        => X64.LongModeReserved(level, entry, _maxPhys, _nx) | (level == 3 && !_pages1G ? entry & X64.PS : 0);
    /// <inheritdoc/>
    public EntryProblem Check(int level, ulong entry)
    {
        if (level == 3 && (entry & X64.PS) != 0 && !_pages1G) return EntryProblem.LargePageUnsupported;
        if (ReservedBits(level, entry) != 0) return EntryProblem.ReservedBits;
        if ((entry & X64.US) == 0) return EntryProblem.UserBitClear;
        return EntryProblem.None;
    }
}

/// <summary>x86 guest long-mode paging, 4-level or 5-level (Intel SDM Vol. 3A §4.5 "4-Level Paging and 5-Level Paging").</summary>
public readonly struct LongModeFormat : IPagingFormat
{
    private readonly byte _levels, _maxPhys;
    private readonly bool _pages1G, _nxe;
    private readonly PatValue _pat;

    /// <summary>Creates the format for a guest: <paramref name="levels"/> 4 or 5 (CR4.LA57), <paramref name="nxe"/> = EFER.NXE,
    /// <paramref name="guestPat"/> = the guest's IA32_PAT (memory types are encoded through it).</summary>
    public LongModeFormat(in PagingCapabilities capabilities, int levels = 4, bool nxe = true, PatValue? guestPat = null)
    {
        _levels = (byte)(levels == 5 ? 5 : 4);
        _maxPhys = capabilities.MaxPhysicalAddressBits;
        _pages1G = capabilities.Pages1GiB;
        _nxe = nxe && capabilities.NoExecute;
        _pat = guestPat ?? PatValue.PowerOn;
    }

    /// <summary>EFER.NXE as the format assumes it.</summary>
    public bool Nxe => _nxe;
    /// <summary>MAXPHYADDR.</summary>
    public int MaxPhysicalAddressBits => _maxPhys;
    /// <summary>The guest PAT.</summary>
    public PatValue Pat => _pat;
    /// <inheritdoc/>
    public int Levels => _levels;
    /// <inheritdoc/>
    public int EntryShift => 3;
    /// <inheritdoc/>
    public int InputBits => _levels == 5 ? 57 : 48;
    /// <inheritdoc/>
    public ulong OutputLimit => 1UL << _maxPhys;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LevelShift(int level) => 3 + 9 * level;
    /// <inheritdoc/>
    public int EntryCount(int level) => 512;
    /// <inheritdoc/>
    public bool LeafAllowed(int level) => level <= 2 || (level == 3 && _pages1G);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsPresent(ulong entry) => (entry & X64.P) != 0;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLeaf(ulong entry, int level) => level == 1 || ((level == 2 || level == 3) && (entry & X64.PS) != 0);
    /// <inheritdoc/>
    public ulong MakeTable(int level, ulong table) => (table & X64EntryBits.AddressMask) | X64.P | X64.RW | X64.US;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong TableAddress(ulong entry) => entry & X64EntryBits.AddressMask;
    /// <inheritdoc/>
    public bool TryMakeLeafTemplate(int level, in PageAttributes attributes, out ulong template)
        => X64.TryLeaf(level, attributes, _pat, _nxe, userAlways: false, allowGlobal: true, out template);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong EncodeLeaf(int level, ulong template, ulong address) => template | address;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong LeafAddress(int level, ulong entry) => entry & X64EntryBits.AddressMask & ~((1UL << LevelShift(level)) - 1);
    /// <inheritdoc/>
    public bool TryDecodeLeaf(int level, ulong entry, out PageAttributes attributes)
    {
        attributes = X64.Decode(level, entry, _pat, reportUser: true, _nxe);
        return IsPresent(entry);
    }
    /// <inheritdoc/>
    public ulong AccessedBit => X64.A;
    /// <inheritdoc/>
    public ulong DirtyBit => X64.D;
    /// <summary>Reserved bits set in a present entry.</summary>
    public ulong ReservedBits(int level, ulong entry)
        => X64.LongModeReserved(level, entry, _maxPhys, _nxe) | (level == 3 && !_pages1G ? entry & X64.PS : 0);
    /// <inheritdoc/>
    public EntryProblem Check(int level, ulong entry)
    {
        if (level == 3 && (entry & X64.PS) != 0 && !_pages1G) return EntryProblem.LargePageUnsupported;
        return ReservedBits(level, entry) != 0 ? EntryProblem.ReservedBits : EntryProblem.None;
    }
}

/// <summary>x86 PAE paging: a 4-entry PDPT, then 512-entry directories and tables of 8-byte entries
/// (Intel SDM Vol. 3A §4.4 "PAE Paging").</summary>
public readonly struct PaeFormat : IPagingFormat
{
    private readonly byte _maxPhys;
    private readonly bool _nxe;
    private readonly PatValue _pat;

    /// <summary>Creates the format (<paramref name="nxe"/> = EFER.NXE).</summary>
    public PaeFormat(in PagingCapabilities capabilities, bool nxe = true, PatValue? guestPat = null)
    {
        _maxPhys = capabilities.MaxPhysicalAddressBits;
        _nxe = nxe && capabilities.NoExecute;
        _pat = guestPat ?? PatValue.PowerOn;
    }

    /// <summary>EFER.NXE as assumed.</summary>
    public bool Nxe => _nxe;
    /// <summary>MAXPHYADDR.</summary>
    public int MaxPhysicalAddressBits => _maxPhys;
    /// <summary>The guest PAT.</summary>
    public PatValue Pat => _pat;
    /// <inheritdoc/>
    public int Levels => 3;
    /// <inheritdoc/>
    public int EntryShift => 3;
    /// <inheritdoc/>
    public int InputBits => 32;
    /// <inheritdoc/>
    public ulong OutputLimit => 1UL << _maxPhys;
    /// <inheritdoc/>
    public int LevelShift(int level) => 3 + 9 * level;
    /// <inheritdoc/>
    public int EntryCount(int level) => level == 3 ? 4 : 512;
    /// <inheritdoc/>
    public bool LeafAllowed(int level) => level <= 2;
    /// <inheritdoc/>
    public bool IsPresent(ulong entry) => (entry & X64.P) != 0;
    /// <inheritdoc/>
    public bool IsLeaf(ulong entry, int level) => level == 1 || (level == 2 && (entry & X64.PS) != 0);
    /// <inheritdoc/>
    public ulong MakeTable(int level, ulong table)
        => (table & X64EntryBits.AddressMask) | X64.P | (level == 3 ? 0 : X64.RW | X64.US);
    /// <inheritdoc/>
    public ulong TableAddress(ulong entry) => entry & X64EntryBits.AddressMask;
    /// <inheritdoc/>
    public bool TryMakeLeafTemplate(int level, in PageAttributes attributes, out ulong template)
    {
        template = 0;
        return level <= 2 && X64.TryLeaf(level, attributes, _pat, _nxe, userAlways: false, allowGlobal: true, out template);
    }
    /// <inheritdoc/>
    public ulong EncodeLeaf(int level, ulong template, ulong address) => template | address;
    /// <inheritdoc/>
    public ulong LeafAddress(int level, ulong entry) => entry & X64EntryBits.AddressMask & ~((1UL << LevelShift(level)) - 1);
    /// <inheritdoc/>
    public bool TryDecodeLeaf(int level, ulong entry, out PageAttributes attributes)
    {
        attributes = X64.Decode(level, entry, _pat, reportUser: true, _nxe);
        return IsPresent(entry);
    }
    /// <inheritdoc/>
    public ulong AccessedBit => X64.A;
    /// <inheritdoc/>
    public ulong DirtyBit => X64.D;
    /// <summary>Reserved bits (Intel SDM Vol. 3A §4.4.2, Tables 4-8 to 4-11): PDPTE 2:1, 8:5, 63 and 51:MAXPHYADDR;
    /// PDE/PTE 62:MAXPHYADDR, 63 without NXE, 20:13 in a 2 MiB leaf.</summary>
    public ulong ReservedBits(int level, ulong entry)
    {
        ulong above = 0x7FFF_FFFF_FFFF_F000UL & ~((1UL << _maxPhys) - 1);
        ulong r;
        if (level == 3) r = PaePdpte.ReservedMask | (above & 0x000F_FFFF_FFFF_F000UL);
        else
        {
            r = above | (_nxe ? 0 : X64.NX);
            if (level == 2 && (entry & X64.PS) != 0) r |= 0x1FE000UL;
        }
        return entry & r;
    }
    /// <inheritdoc/>
    public EntryProblem Check(int level, ulong entry) => ReservedBits(level, entry) != 0 ? EntryProblem.ReservedBits : EntryProblem.None;
}

/// <summary>x86 32-bit paging: 1024 4-byte entries per table, 4 MiB pages with CR4.PSE (Intel SDM Vol. 3A §4.3
/// "32-Bit Paging"). The builder maps outputs below 4 GiB; the walker also decodes PSE-36 4 MiB pages above.</summary>
public readonly struct Legacy32Format : IPagingFormat
{
    private readonly byte _maxPhys;
    private readonly bool _pse;
    private readonly PatValue _pat;

    /// <summary>Creates the format (<paramref name="pse"/> = CR4.PSE). 4 MiB pages need both CR4.PSE and a CPU with PSE
    /// (<see cref="PagingCapabilities.Pse"/>, CPUID 1 EDX[3]): CR4.PSE cannot be set on a CPU without it (Intel SDM Vol. 3A
    /// §2.5, §4.3), so the format ignores <paramref name="pse"/> there and uses 4 KiB pages only.</summary>
    public Legacy32Format(in PagingCapabilities capabilities, bool pse = true, PatValue? guestPat = null)
    {
        _maxPhys = capabilities.MaxPhysicalAddressBits;
        _pse = pse && capabilities.Pse;
        _pat = guestPat ?? PatValue.PowerOn;
    }

    /// <summary>4 MiB pages in use: CR4.PSE as given, on a CPU with PSE.</summary>
    public bool Pse => _pse;
    /// <summary>MAXPHYADDR.</summary>
    public int MaxPhysicalAddressBits => _maxPhys;
    /// <inheritdoc/>
    public int Levels => 2;
    /// <inheritdoc/>
    public int EntryShift => 2;
    /// <inheritdoc/>
    public int InputBits => 32;
    /// <inheritdoc/>
    public ulong OutputLimit => 1UL << 32;
    /// <inheritdoc/>
    public int LevelShift(int level) => level == 1 ? 12 : 22;
    /// <inheritdoc/>
    public int EntryCount(int level) => 1024;
    /// <inheritdoc/>
    public bool LeafAllowed(int level) => level == 1 || (level == 2 && _pse);
    /// <inheritdoc/>
    public bool IsPresent(ulong entry) => (entry & X64.P) != 0;
    /// <inheritdoc/>
    public bool IsLeaf(ulong entry, int level) => level == 1 || (_pse && (entry & X64.PS) != 0);
    /// <inheritdoc/>
    public ulong MakeTable(int level, ulong table) => (table & 0xFFFF_F000UL) | X64.P | X64.RW | X64.US;
    /// <inheritdoc/>
    public ulong TableAddress(ulong entry) => entry & 0xFFFF_F000UL;
    /// <inheritdoc/>
    public bool TryMakeLeafTemplate(int level, in PageAttributes attributes, out ulong template)
    {
        template = 0;
        if ((attributes.Access & PageAccess.Execute) == 0) return false;
        if (!X64.TryLeaf(level, attributes, _pat, nx: false, userAlways: false, allowGlobal: true, out template)) return false;
        return true;
    }
    /// <inheritdoc/>
    public ulong EncodeLeaf(int level, ulong template, ulong address)
        => template | (address & 0xFFFF_F000UL) | (level == 2 ? ((address >> 32) & 0xFF) << 13 : 0);
    /// <inheritdoc/>
    public ulong LeafAddress(int level, ulong entry)
        => level == 1 ? entry & 0xFFFF_F000UL : (entry & 0xFFC0_0000UL) | (((entry >> 13) & 0xFF) << 32);
    /// <inheritdoc/>
    public bool TryDecodeLeaf(int level, ulong entry, out PageAttributes attributes)
    {
        attributes = X64.Decode(level, entry, _pat, reportUser: true, nx: false);
        return IsPresent(entry);
    }
    /// <inheritdoc/>
    public ulong AccessedBit => X64.A;
    /// <inheritdoc/>
    public ulong DirtyBit => X64.D;
    /// <summary>Reserved bits (Intel SDM Vol. 3A §4.3, Table 4-4): in a 4 MiB PDE bit 21, and bits 20:13 that would
    /// give address bits at or above min(MAXPHYADDR, 40).</summary>
    public ulong ReservedBits(int level, ulong entry)
    {
        if (level != 2 || !_pse || (entry & X64.PS) == 0) return 0;
        int m = _maxPhys < 40 ? _maxPhys : 40;
        ulong r = (1UL << 21) | (0xFFUL << 13 & ~(((1UL << (m - 32)) - 1) << 13));
        return entry & r;
    }
    /// <inheritdoc/>
    public EntryProblem Check(int level, ulong entry) => ReservedBits(level, entry) != 0 ? EntryProblem.ReservedBits : EntryProblem.None;
}
