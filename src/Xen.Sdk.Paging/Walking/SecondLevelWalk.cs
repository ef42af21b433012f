namespace Xen.Sdk.Paging.Walking;

/// <summary>The result of an EPT or NPT walk: the translation, or the exact fault the CPU would report.</summary>
public readonly struct SecondLevelWalk
{
    /// <summary>Ok, EPT violation, EPT misconfiguration or nested page fault.</summary>
    public WalkOutcome Outcome { get; init; }
    /// <summary>The translated host-physical address (when <see cref="WalkOutcome.Ok"/>).</summary>
    public HostPhysicalAddress HostAddress { get; init; }
    /// <summary>The guest-physical address walked (the VMCS guest-physical-address field / EXITINFO2 on a fault).</summary>
    public GuestPhysicalAddress GuestAddress { get; init; }
    /// <summary>The level of the leaf, or of the entry where the walk stopped.</summary>
    public int Level { get; init; }
    /// <summary>The leaf entry, or the entry where the walk stopped.</summary>
    public ulong Entry { get; init; }
    /// <summary>EPT violation exit qualification.</summary>
    public EptViolationQualification Qualification { get; init; }
    /// <summary>NPF EXITINFO1.</summary>
    public NpfErrorCode ErrorCode { get; init; }
    /// <summary>The effective rights of the translation (AND over the levels).</summary>
    public PageAttributes Attributes { get; init; }

    /// <summary>True when translated.</summary>
    public bool IsOk => Outcome == WalkOutcome.Ok;
}
