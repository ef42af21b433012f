namespace Xen.Sdk.Paging.MemoryTypes;

/// <summary>Memory-type combination rules as pure functions.</summary>
public static class MemoryTypeRules
{
    /// <summary>True for the five effective types (UC, WC, WT, WP, WB).</summary>
    public static bool IsEffectiveType(MemoryType t)
        => t is MemoryType.Uncacheable or MemoryType.WriteCombining or MemoryType.WriteThrough or MemoryType.WriteProtected or MemoryType.WriteBack;

    /// <summary>The effective memory type of an MTRR type and a PAT type (Intel SDM Vol. 3A §12.5.2.2 "Selecting Memory
    /// Types for Pentium III and More Recent Processor Families", Table 12-7 "Effective Page-Level Memory Types";
    /// the same table is AMD APM Vol. 2 §7.8.2 "PAT Interaction with MTRRs"). Combinations the SDM marks "not
    /// recommended" (WT MTRR with WP PAT, WP MTRR with UC- or WT PAT) return the table's value.
    /// Reserved inputs give UC.</summary>
    public static MemoryType Combine(MemoryType mtrr, MemoryType pat)
    {
        switch (pat)
        {
            case MemoryType.Uncacheable:
                return MemoryType.Uncacheable;
            case MemoryType.WriteCombining:
                return MemoryType.WriteCombining;
            case MemoryType.UncachedMinus:
                return mtrr is MemoryType.WriteCombining or MemoryType.WriteProtected ? MemoryType.WriteCombining : MemoryType.Uncacheable;
            case MemoryType.WriteThrough:
                return mtrr switch
                {
                    MemoryType.WriteThrough or MemoryType.WriteBack or MemoryType.WriteProtected => MemoryType.WriteThrough,
                    _ => MemoryType.Uncacheable,
                };
            case MemoryType.WriteProtected:
                return mtrr switch
                {
                    MemoryType.WriteThrough or MemoryType.WriteBack or MemoryType.WriteProtected => MemoryType.WriteProtected,
                    _ => MemoryType.Uncacheable,
                };
            case MemoryType.WriteBack:
                return IsEffectiveType(mtrr) ? mtrr : MemoryType.Uncacheable;
            default:
                return MemoryType.Uncacheable;
        }
    }

    /// <summary>The memory type of a guest access translated through EPT (Intel SDM Vol. 3C §29.3.7.2 "Memory Type Used
    /// for Translated Guest-Physical Addresses"): UC if guest CR0.CD = 1; the EPT type when the leaf's "ignore PAT"
    /// bit is set; otherwise the EPT type combined with the guest PAT type exactly as an MTRR type would be
    /// (<see cref="Combine"/>). With guest paging off the PAT type is WB.</summary>
    public static MemoryType EptEffective(MemoryType eptType, bool ignorePat, MemoryType guestPatType, bool guestCacheDisable = false)
    {
        if (guestCacheDisable) return MemoryType.Uncacheable;
        if (ignorePat) return eptType;
        return Combine(eptType, guestPatType);
    }

    /// <summary>The memory type of a guest access under nested paging (AMD APM Vol. 2 §15.25.8 "Combining Memory Types,
    /// MTRRs"): the guest PAT type (through g_PAT) is combined with the PAT type of the nested leaf (through the host
    /// PAT), and the result with the host MTRR type. This implementation combines the guest and host PAT types by
    /// the same precedence as an MTRR/PAT pair (host type in the MTRR role); see docs/paging.md for the status of
    /// this rule against the APM's table.</summary>
    public static MemoryType NptEffective(MemoryType guestPatType, MemoryType hostPatType, MemoryType hostMtrrType)
    {
        MemoryType pat = CombinePatTypes(guestPatType, hostPatType);
        return Combine(hostMtrrType, pat);
    }

    /// <summary>Combines two PAT-level types into one PAT-level type (UC- is kept when both sides allow it).</summary>
    public static MemoryType CombinePatTypes(MemoryType guest, MemoryType host)
    {
        if (guest == MemoryType.UncachedMinus && host == MemoryType.UncachedMinus) return MemoryType.UncachedMinus;
        if (host == MemoryType.UncachedMinus) return guest is MemoryType.WriteCombining or MemoryType.Uncacheable ? guest : MemoryType.UncachedMinus;
        return Combine(host, guest);
    }
}
