using System;

namespace Xen.Sdk.Paging;

/// <summary>x86 memory types as encoded in MTRRs, PAT entries and EPT leaf bits 5:3
/// (Intel SDM Vol. 3A §12.3 "Methods of Caching Available"; Intel SDM Vol. 3A §12.12.2 "IA32_PAT MSR").</summary>
public enum MemoryType : byte
{
    /// <summary>UC, strong uncacheable (0).</summary>
    Uncacheable = 0,
    /// <summary>WC, write combining (1).</summary>
    WriteCombining = 1,
    /// <summary>WT, write-through (4).</summary>
    WriteThrough = 4,
    /// <summary>WP, write-protected (5).</summary>
    WriteProtected = 5,
    /// <summary>WB, write-back (6).</summary>
    WriteBack = 6,
    /// <summary>UC-, uncached; valid only in the PAT (7). Overridable by WC MTRRs.</summary>
    UncachedMinus = 7,
}

/// <summary>Vendor-neutral access rights of a mapping. Each format encodes what it can (see the format types).</summary>
[Flags]
public enum PageAccess : byte
{
    /// <summary>No access (the entry is not present).</summary>
    None = 0,
    /// <summary>Data reads allowed (EPT bit 0; implied by "present" in the x86/NPT formats).</summary>
    Read = 1,
    /// <summary>Data writes allowed (EPT bit 1; R/W bit 1 in x86/NPT).</summary>
    Write = 2,
    /// <summary>Instruction fetches allowed (EPT bit 2, supervisor-mode fetches with mode-based execute; NX clear in x86/NPT).</summary>
    Execute = 4,
    /// <summary>EPT only, with mode-based execute control: user-mode fetches allowed (EPT bit 10).</summary>
    UserExecute = 8,
    /// <summary>x86 guest formats: user-mode accesses allowed (U/S bit 2). NPT always sets U/S.</summary>
    User = 16,
    /// <summary>Read, write and execute.</summary>
    ReadWriteExecute = Read | Write | Execute,
}

/// <summary>Extra leaf flags.</summary>
[Flags]
public enum PageFlags : byte
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>EPT "ignore PAT" (bit 6): the EPT memory type is used as is (Intel SDM Vol. 3C §29.3.7.2).</summary>
    IgnorePat = 1,
    /// <summary>x86 guest formats: global page (bit 8), kept across CR3 loads when CR4.PGE=1.</summary>
    Global = 2,
    /// <summary>EPT: suppress #VE (bit 63).</summary>
    SuppressVe = 4,
}

/// <summary>The attributes of a leaf mapping, vendor neutral.</summary>
public readonly struct PageAttributes : IEquatable<PageAttributes>
{
    /// <summary>Access rights.</summary>
    public PageAccess Access { get; }
    /// <summary>Memory type. EPT: written to bits 5:3. NPT and x86 guest formats: encoded as a PAT index
    /// (PAT/PCD/PWT) through the format's PAT value.</summary>
    public MemoryType MemoryType { get; }
    /// <summary>Extra flags.</summary>
    public PageFlags Flags { get; }

    /// <summary>Creates attributes.</summary>
    public PageAttributes(PageAccess access, MemoryType memoryType = MemoryType.WriteBack, PageFlags flags = PageFlags.None)
    {
        Access = access;
        MemoryType = memoryType;
        Flags = flags;
    }

    /// <summary>Read/write/execute, write-back.</summary>
    public static PageAttributes ReadWriteExecute => new(PageAccess.ReadWriteExecute);

    /// <summary>The same attributes with other access rights.</summary>
    public PageAttributes WithAccess(PageAccess access) => new(access, MemoryType, Flags);
    /// <summary>The same attributes with another memory type.</summary>
    public PageAttributes WithMemoryType(MemoryType type) => new(Access, type, Flags);

    /// <inheritdoc/>
    public bool Equals(PageAttributes other) => Access == other.Access && MemoryType == other.MemoryType && Flags == other.Flags;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PageAttributes o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => (int)Access | ((int)MemoryType << 8) | ((int)Flags << 16);
    /// <summary>Equality.</summary>
    public static bool operator ==(PageAttributes a, PageAttributes b) => a.Equals(b);
    /// <summary>Inequality.</summary>
    public static bool operator !=(PageAttributes a, PageAttributes b) => !a.Equals(b);
}

/// <summary>Page sizes, named by the paging level whose entry maps them (1 = 4 KiB page-table entry).</summary>
public enum PageSize : byte
{
    /// <summary>4 KiB (level-1 leaf).</summary>
    Size4KiB = 1,
    /// <summary>2 MiB (level-2 leaf; 4 MiB in 32-bit paging with PSE).</summary>
    Size2MiB = 2,
    /// <summary>1 GiB (level-3 leaf).</summary>
    Size1GiB = 3,
}

/// <summary>Result of a builder operation. Errors are values (freestanding contract: no exceptions).</summary>
public enum PagingStatus : byte
{
    /// <summary>Done.</summary>
    Ok = 0,
    /// <summary>The frame source could not supply a page frame. The operation stopped part-way; the tables
    /// are consistent (every entry is valid) but cover only part of the request.</summary>
    OutOfFrames,
    /// <summary>An address or length is not 4 KiB aligned.</summary>
    Misaligned,
    /// <summary>The range is outside the format's input or output address width.</summary>
    OutOfRange,
    /// <summary>The attributes cannot be encoded (EPT write without read, execute-only without the capability,
    /// a memory type absent from the format's PAT, UC- in EPT ...).</summary>
    UnsupportedAttributes,
    /// <summary>The page size requested is not allowed by the format or the capability snapshot.</summary>
    UnsupportedPageSize,
    /// <summary>Nothing is mapped at the address.</summary>
    NotMapped,
    /// <summary>A caller buffer was too small; the count returned says how much was needed.</summary>
    BufferTooSmall,
}
