using Xen.Sdk.Paging.Capabilities;

namespace Xen.Sdk.Paging.MemoryTypes;

/// <summary>Memory-type combination rules as pure functions.</summary>
public static class MemoryTypeRules
{
    /// <summary>True for the five effective types (UC, WC, WT, WP, WB).</summary>
    public static bool IsEffectiveType(MemoryType t)
        => t is MemoryType.Uncacheable or MemoryType.WriteCombining or MemoryType.WriteThrough or MemoryType.WriteProtected or MemoryType.WriteBack;

    /// <summary>The effective memory type of an MTRR type and a PAT type (Intel SDM Vol. 3A §12.5.2.2 "Selecting Memory
    /// Types for Pentium III and More Recent Processor Families", Table 12-7 "Effective Page-Level Memory Types";
    /// Intel's rule: AMD's table (AMD APM Vol. 2 §7.8.2, and §15.25.8 Table 15-20, see <see cref="CombineAmdPatMtrr"/>)
    /// reports some of these UC results as CD). Combinations the SDM marks "not
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

    /// <summary>Combines the guest PAT type (from the guest's tables through g_PAT) with the host PAT type (from the
    /// nested leaf through the host PAT) into the "combined PAT type": AMD APM Vol. 2 §15.25.8 "Combining Memory Types,
    /// MTRRs", Table 15-19 "Combining Guest and Host PAT Types". The host type plays the role of a guest MTRR (the
    /// APM's stated intent), so the table is not symmetric: a guest WC page stays WC over a host UC page, and becomes
    /// WC+ over a cacheable host page. Reserved encodings give UC.</summary>
    public static AmdMemoryType CombineNestedPat(MemoryType guestPat, MemoryType hostPat)
    {
        if (!IsPatType(guestPat) || !IsPatType(hostPat)) return AmdMemoryType.Uncacheable;
        switch (guestPat)
        {
            case MemoryType.Uncacheable:
                return AmdMemoryType.Uncacheable;
            case MemoryType.UncachedMinus:
                return hostPat switch
                {
                    MemoryType.UncachedMinus => AmdMemoryType.UncachedMinus,
                    MemoryType.WriteCombining => AmdMemoryType.WriteCombining,
                    _ => AmdMemoryType.Uncacheable,
                };
            case MemoryType.WriteCombining:
                return hostPat is MemoryType.Uncacheable or MemoryType.UncachedMinus or MemoryType.WriteCombining
                    ? AmdMemoryType.WriteCombining : AmdMemoryType.WriteCombiningPlus;
            case MemoryType.WriteProtected:
                return hostPat is MemoryType.WriteProtected or MemoryType.WriteBack ? AmdMemoryType.WriteProtected : AmdMemoryType.Uncacheable;
            case MemoryType.WriteThrough:
                return hostPat is MemoryType.WriteThrough or MemoryType.WriteBack ? AmdMemoryType.WriteThrough : AmdMemoryType.Uncacheable;
            default: // WB: the host type, except that host UC- gives UC
                return hostPat == MemoryType.UncachedMinus ? AmdMemoryType.Uncacheable : (AmdMemoryType)hostPat;
        }
    }

    /// <summary>Combines a PAT-level type with the MTRR type of the system-physical address: AMD APM Vol. 2 §15.25.8,
    /// Table 15-20 "Combining PAT and MTRR Types" (the AMD64 PAT/MTRR table extended with the WC+ row). Unlike Intel's
    /// Table 12-7, uncacheable results over a cacheable MTRR are CD, not UC. <paramref name="pat"/> must be UC, UC-, WC,
    /// WC+, WP, WT or WB and <paramref name="mtrr"/> UC, WC, WP, WT or WB; anything else gives UC.</summary>
    public static AmdMemoryType CombineAmdPatMtrr(AmdMemoryType pat, MemoryType mtrr)
    {
        if (!IsEffectiveType(mtrr)) return AmdMemoryType.Uncacheable;
        bool mtrrUc = mtrr == MemoryType.Uncacheable, mtrrWc = mtrr == MemoryType.WriteCombining;
        switch (pat)
        {
            case AmdMemoryType.Uncacheable:
                return mtrrUc ? AmdMemoryType.Uncacheable : AmdMemoryType.CacheDisabled;
            case AmdMemoryType.UncachedMinus:
                return mtrrUc ? AmdMemoryType.Uncacheable : mtrrWc ? AmdMemoryType.WriteCombining : AmdMemoryType.CacheDisabled;
            case AmdMemoryType.WriteCombining:
                return AmdMemoryType.WriteCombining;
            case AmdMemoryType.WriteCombiningPlus:
                return mtrrUc || mtrrWc ? AmdMemoryType.WriteCombining : AmdMemoryType.WriteCombiningPlus;
            case AmdMemoryType.WriteProtected:
                return mtrrUc ? AmdMemoryType.Uncacheable
                     : mtrr is MemoryType.WriteProtected or MemoryType.WriteBack ? AmdMemoryType.WriteProtected : AmdMemoryType.CacheDisabled;
            case AmdMemoryType.WriteThrough:
                return mtrrUc ? AmdMemoryType.Uncacheable
                     : mtrr is MemoryType.WriteThrough or MemoryType.WriteBack ? AmdMemoryType.WriteThrough : AmdMemoryType.CacheDisabled;
            case AmdMemoryType.WriteBack:
                return (AmdMemoryType)mtrr;
            default:
                return AmdMemoryType.Uncacheable;
        }
    }

    /// <summary>The effective memory type of a guest access under nested paging (AMD APM Vol. 2 §15.25.8 "Combining
    /// Memory Types, MTRRs"): the guest and host PAT types are combined by Table 15-19, and the result with the MTRR
    /// type of the system-physical address by Table 15-20. The section ends "gCR0.CD or hCR0.CD can disable caching":
    /// with <paramref name="cacheDisable"/> (either CR0.CD set) a cacheable result (WP, WT, WB) is reported as CD and
    /// the uncacheable ones are kept (this library's reading of that sentence).</summary>
    public static AmdMemoryType NptEffective(MemoryType guestPatType, MemoryType hostPatType, MemoryType hostMtrrType, bool cacheDisable = false)
    {
        AmdMemoryType t = CombineAmdPatMtrr(CombineNestedPat(guestPatType, hostPatType), hostMtrrType);
        if (cacheDisable && t is AmdMemoryType.WriteProtected or AmdMemoryType.WriteThrough or AmdMemoryType.WriteBack)
            return AmdMemoryType.CacheDisabled;
        return t;
    }

    /// <summary>The memory type to put in a second-level leaf so that a guest sees the memory types the host firmware
    /// set in the MTRRs for that range. Intel: the MTRR type itself, with ignore-PAT clear, because the MTRRs have no
    /// effect on accesses to guest-physical addresses, the EPT type takes their place and the guest PAT then combines
    /// with it exactly as with real MTRRs (Intel SDM Vol. 3C §29.3.7.2). AMD: the host MTRRs still apply to the system-physical address (AMD APM Vol. 2 §15.25.8), so the
    /// nested type must disturb them as little as possible: WB (neutral in Table 15-19 except that guest WC becomes
    /// the coherent WC+), and WC over MTRR-WC ranges when <paramref name="hostPat"/> has a WC entry (with WB there a
    /// guest UC- page would become CD instead of WC).</summary>
    public static MemoryType SecondLevelTypeForMtrr(MemoryType mtrrType, CpuVendor vendor, PatValue hostPat)
    {
        if (vendor == CpuVendor.Intel) return mtrrType;
        if (mtrrType == MemoryType.WriteCombining && hostPat.IndexOf(MemoryType.WriteCombining) >= 0) return MemoryType.WriteCombining;
        return MemoryType.WriteBack;
    }

    /// <summary>True for the six types a PAT entry may hold (UC, WC, WT, WP, WB, UC-).</summary>
    public static bool IsPatType(MemoryType t) => IsEffectiveType(t) || t == MemoryType.UncachedMinus;
}
