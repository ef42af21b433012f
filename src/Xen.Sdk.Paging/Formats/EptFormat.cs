using System.Runtime.CompilerServices;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Entries;

namespace Xen.Sdk.Paging.Formats;

/// <summary>Intel EPT, 4-level or 5-level (Intel SDM Vol. 3C §29.3 "The Extended Page Table Mechanism (EPT)").</summary>
public readonly struct EptFormat : IPagingFormat
{
    private readonly byte _levels, _maxPhys;
    private readonly bool _pages2M, _pages1G, _executeOnly, _modeBased, _accessedDirty, _advanced;

    /// <summary>Creates the format for a CPU. <paramref name="levels"/> is 4, or 5 when the CPU reports 5-level walks;
    /// <paramref name="accessedDirty"/> says whether EPTP bit 6 will enable A/D flags (requires the capability);
    /// <paramref name="modeBasedExecute"/> whether the "mode-based execute control for EPT" control will be set.</summary>
    public EptFormat(in PagingCapabilities capabilities, int levels = 4, bool accessedDirty = false, bool modeBasedExecute = false)
    {
        _levels = (byte)(levels == 5 ? 5 : 4);
        _maxPhys = capabilities.MaxPhysicalAddressBits;
        var cap = capabilities.EptCapabilities;
        _pages2M = cap.Pages2MiB;
        _pages1G = cap.Pages1GiB;
        _executeOnly = cap.ExecuteOnly;
        _accessedDirty = accessedDirty && cap.AccessedDirty;
        _modeBased = modeBasedExecute && capabilities.EptModeBasedExecute;
        _advanced = cap.AdvancedExitInformation;
    }

    /// <summary>True if the CPU supports this walk length (IA32_VMX_EPT_VPID_CAP bit 6 or 7).</summary>
    public static bool Supports(in PagingCapabilities capabilities, int levels)
        => capabilities.Ept && (levels == 5 ? capabilities.EptCapabilities.PageWalk5 : capabilities.EptCapabilities.PageWalk4);

    /// <summary>Accessed/dirty flags are in use (EPTP bit 6).</summary>
    public bool AccessedDirtyEnabled => _accessedDirty;
    /// <summary>Mode-based execute control is in use (bit 10 = user-execute).</summary>
    public bool ModeBasedExecute => _modeBased;
    /// <summary>Execute-only leaves are allowed.</summary>
    public bool ExecuteOnlyAllowed => _executeOnly;
    /// <summary>MAXPHYADDR.</summary>
    public int MaxPhysicalAddressBits => _maxPhys;
    /// <summary>The CPU reports advanced VM-exit information for EPT violations (exit-qualification bits 9-11).</summary>
    public bool AdvancedExitInformation => _advanced;

    /// <summary>The EPTP VMCS field value for <paramref name="root"/> (Intel SDM Vol. 3C §25.6.11 "Extended-Page-Table
    /// Pointer (EPTP)"): bits 2:0 paging-structure memory type (UC or WB), bits 5:3 walk length minus 1, bit 6 A/D enable.</summary>
    public ulong MakeEptPointer(HostPhysicalAddress root, MemoryType structureType = MemoryType.WriteBack)
        => (root.Value & EptEntry.AddressMask) | (ulong)structureType | ((ulong)(_levels - 1) << 3) | (_accessedDirty ? 1UL << 6 : 0);

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
    public bool LeafAllowed(int level) => level == 1 || (level == 2 && _pages2M) || (level == 3 && _pages1G);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsPresent(ulong entry) => (entry & (_modeBased ? 0x407UL : 7UL)) != 0;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLeaf(ulong entry, int level) => level == 1 || ((level == 2 || level == 3) && (entry & EptEntry.LargePageBit) != 0);
    /// <inheritdoc/>
    public ulong MakeTable(int level, ulong table)
        => (table & EptEntry.AddressMask) | 7UL | (_modeBased ? EptEntry.UserExecuteBit : 0);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong TableAddress(ulong entry) => entry & EptEntry.AddressMask;

    /// <inheritdoc/>
    public bool TryMakeLeafTemplate(int level, in PageAttributes attributes, out ulong template)
    {
        template = 0;
        PageAccess a = attributes.Access;
        if ((a & PageAccess.User) != 0) return false;
        if ((a & PageAccess.UserExecute) != 0 && !_modeBased) return false;
        if ((a & (PageAccess.Read | PageAccess.Write | PageAccess.Execute | PageAccess.UserExecute)) == 0) return false;
        if ((a & PageAccess.Write) != 0 && (a & PageAccess.Read) == 0) return false;
        if ((a & PageAccess.Read) == 0 && !_executeOnly) return false;
        MemoryType t = attributes.MemoryType;
        if (t is not (MemoryType.Uncacheable or MemoryType.WriteCombining or MemoryType.WriteThrough or MemoryType.WriteProtected or MemoryType.WriteBack))
            return false;
        if ((attributes.Flags & PageFlags.Global) != 0) return false;
        ulong e = ((a & PageAccess.Read) != 0 ? EptEntry.ReadBit : 0)
                | ((a & PageAccess.Write) != 0 ? EptEntry.WriteBit : 0)
                | ((a & PageAccess.Execute) != 0 ? EptEntry.ExecuteBit : 0)
                | ((a & PageAccess.UserExecute) != 0 ? EptEntry.UserExecuteBit : 0)
                | ((ulong)t << 3)
                | ((attributes.Flags & PageFlags.IgnorePat) != 0 ? EptEntry.IgnorePatBit : 0)
                | ((attributes.Flags & PageFlags.SuppressVe) != 0 ? EptEntry.SuppressVeBit : 0);
        if (level > 1) e |= EptEntry.LargePageBit;
        template = e;
        return true;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong EncodeLeaf(int level, ulong template, ulong address) => template | address;
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong LeafAddress(int level, ulong entry) => entry & EptEntry.AddressMask & ~((1UL << LevelShift(level)) - 1);

    /// <inheritdoc/>
    public bool TryDecodeLeaf(int level, ulong entry, out PageAttributes attributes)
    {
        PageAccess a = ((entry & EptEntry.ReadBit) != 0 ? PageAccess.Read : 0)
                     | ((entry & EptEntry.WriteBit) != 0 ? PageAccess.Write : 0)
                     | ((entry & EptEntry.ExecuteBit) != 0 ? PageAccess.Execute : 0)
                     | (_modeBased && (entry & EptEntry.UserExecuteBit) != 0 ? PageAccess.UserExecute : 0);
        PageFlags f = ((entry & EptEntry.IgnorePatBit) != 0 ? PageFlags.IgnorePat : 0)
                    | ((entry & EptEntry.SuppressVeBit) != 0 ? PageFlags.SuppressVe : 0);
        attributes = new PageAttributes(a, (MemoryType)((entry >> 3) & 7), f);
        return IsPresent(entry);
    }

    /// <inheritdoc/>
    public ulong AccessedBit => _accessedDirty ? EptEntry.AccessedBit : 0;
    /// <inheritdoc/>
    public ulong DirtyBit => _accessedDirty ? EptEntry.DirtyBit : 0;

    /// <summary>Reserved bits of a present entry (Intel SDM Vol. 3C §29.3.3.1 "EPT Misconfigurations"):
    /// bits 51:MAXPHYADDR; bits 7:3 of a PML5E/PML4E and of a non-leaf PDPTE/PDE; bits 29:12 of a 1 GiB leaf and
    /// 20:12 of a 2 MiB leaf.</summary>
    public ulong ReservedBits(int level, ulong entry)
    {
        ulong r = 0x000F_FFFF_FFFF_F000UL & ~((1UL << _maxPhys) - 1);
        if (level >= 4) r |= 0xF8;
        else if (level > 1)
        {
            if ((entry & EptEntry.LargePageBit) == 0) r |= 0x78;
            else r |= ((1UL << LevelShift(level)) - 1) & ~0xFFFUL;
        }
        return entry & r;
    }

    /// <inheritdoc/>
    public EntryProblem Check(int level, ulong entry)
    {
        if (ReservedBits(level, entry) != 0) return EntryProblem.ReservedBits;
        if ((entry & 3) == 2) return EntryProblem.WriteWithoutRead;
        if ((entry & 7) == 4 && !_executeOnly) return EntryProblem.ExecuteOnlyUnsupported;
        if (IsLeaf(entry, level))
        {
            if (level > 1 && !LeafAllowed(level)) return EntryProblem.LargePageUnsupported;
            ulong t = (entry >> 3) & 7;
            if (t == 2 || t == 3 || t == 7) return EntryProblem.ReservedMemoryType;
        }
        return EntryProblem.None;
    }
}
