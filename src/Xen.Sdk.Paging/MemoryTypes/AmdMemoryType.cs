namespace Xen.Sdk.Paging.MemoryTypes;

/// <summary>An effective memory type as AMD defines them for nested paging (AMD APM Vol. 2 §15.25.8 "Combining Memory
/// Types, MTRRs", Tables 15-19 and 15-20; the types are described in AMD APM Vol. 2 §7.4 "Memory Types"). Besides the
/// PAT/MTRR encodings it has two types that no register can hold: CD (cache disabled: uncacheable, but the access
/// still probes the caches) and WC+ (write-combining that also probes all caches, used when guest and host types
/// disagree about cacheability). Their values 8 and 9 are this library's, not an architectural encoding.</summary>
public enum AmdMemoryType : byte
{
    /// <summary>UC (0).</summary>
    Uncacheable = 0,
    /// <summary>WC (1).</summary>
    WriteCombining = 1,
    /// <summary>WT (4).</summary>
    WriteThrough = 4,
    /// <summary>WP (5).</summary>
    WriteProtected = 5,
    /// <summary>WB (6).</summary>
    WriteBack = 6,
    /// <summary>UC- (7; the APM also calls the PAT type "CD" in some tables). Only a combined PAT type (Table 15-19),
    /// never an effective type.</summary>
    UncachedMinus = 7,
    /// <summary>CD, cache disabled (not an encoding; value chosen by this library).</summary>
    CacheDisabled = 8,
    /// <summary>WC+, write-combining with cache probes (not an encoding; value chosen by this library).</summary>
    WriteCombiningPlus = 9,
}
