namespace Xen.Sdk.Paging.Walking;

/// <summary>The kind of memory access being translated.</summary>
public enum AccessKind : byte
{
    /// <summary>Data read.</summary>
    Read,
    /// <summary>Data write.</summary>
    Write,
    /// <summary>Instruction fetch.</summary>
    Execute,
}

/// <summary>Why the second level is being walked: for a guest-physical access with no linear address, for a guest
/// paging-structure entry during a guest walk, or for the final guest-physical address of a linear access.</summary>
public enum NestedOrigin : byte
{
    /// <summary>A guest-physical access without a linear address (guest paging off, or a physical access).</summary>
    Physical,
    /// <summary>Reading or updating a guest paging-structure entry during a guest-virtual walk.</summary>
    GuestPagingStructure,
    /// <summary>The access to the guest-physical address a linear address translated to.</summary>
    GuestFinal,
}

/// <summary>An access presented to a second-level (EPT/NPT) walk.</summary>
public readonly struct NestedAccess
{
    /// <summary>Read, write or fetch.</summary>
    public AccessKind Kind { get; init; }
    /// <summary>Guest CPL 3 (EPT mode-based execute chooses bit 10 over bit 2 for user-mode fetches).</summary>
    public bool UserMode { get; init; }
    /// <summary>Why the walk happens.</summary>
    public NestedOrigin Origin { get; init; }
    /// <summary>The guest linear address (when <see cref="Origin"/> is not <see cref="NestedOrigin.Physical"/>).</summary>
    public GuestVirtualAddress LinearAddress { get; init; }
    /// <summary>For <see cref="NestedOrigin.GuestFinal"/>: the guest translation allowed user accesses (advanced EPT exit information bit 9).</summary>
    public bool LinearUser { get; init; }
    /// <summary>For <see cref="NestedOrigin.GuestFinal"/>: the guest translation allowed writes (bit 10).</summary>
    public bool LinearWritable { get; init; }
    /// <summary>For <see cref="NestedOrigin.GuestFinal"/>: the guest translation was execute-disable (bit 11).</summary>
    public bool LinearExecuteDisable { get; init; }

    /// <summary>A plain guest-physical access.</summary>
    public static NestedAccess Physical(AccessKind kind, bool userMode = false) => new() { Kind = kind, UserMode = userMode };
}

/// <summary>The outcome of a translation.</summary>
public enum WalkOutcome : byte
{
    /// <summary>Translated.</summary>
    Ok,
    /// <summary>EPT violation (VM exit reason 48).</summary>
    EptViolation,
    /// <summary>EPT misconfiguration (VM exit reason 49).</summary>
    EptMisconfiguration,
    /// <summary>Nested page fault (#VMEXIT_NPF, exit code 400h).</summary>
    NestedPageFault,
    /// <summary>Guest page fault (#PF, vector 14) to inject into the guest.</summary>
    PageFault,
    /// <summary>Guest linear address not canonical (#GP or #SS in the guest; no walk happens).</summary>
    NonCanonical,
    /// <summary>A guest-physical address the memory view does not back (no CPU fault; the caller decides, e.g. MMIO).</summary>
    OutsideMemory,
}
