namespace Xen.Sdk.Paging.Capabilities;

/// <summary>The IA32_VMX_EPT_VPID_CAP MSR (0x48C) as data (Intel SDM Vol. 3D Appendix A.10 "VPID and EPT Capabilities").</summary>
/// <param name="Value">The raw MSR value.</param>
public readonly record struct EptVpidCapabilities(ulong Value)
{
    private bool Bit(int n) => (Value & (1UL << n)) != 0;
    /// <summary>Bit 0: execute-only translations allowed.</summary>
    public bool ExecuteOnly => Bit(0);
    /// <summary>Bit 6: 4-level page walk.</summary>
    public bool PageWalk4 => Bit(6);
    /// <summary>Bit 7: 5-level page walk.</summary>
    public bool PageWalk5 => Bit(7);
    /// <summary>Bit 8: EPT paging structures may be UC.</summary>
    public bool MemoryTypeUncacheable => Bit(8);
    /// <summary>Bit 14: EPT paging structures may be WB.</summary>
    public bool MemoryTypeWriteBack => Bit(14);
    /// <summary>Bit 16: 2 MiB leaves (PDE bit 7).</summary>
    public bool Pages2MiB => Bit(16);
    /// <summary>Bit 17: 1 GiB leaves (PDPTE bit 7).</summary>
    public bool Pages1GiB => Bit(17);
    /// <summary>Bit 20: INVEPT.</summary>
    public bool Invept => Bit(20);
    /// <summary>Bit 21: accessed and dirty flags.</summary>
    public bool AccessedDirty => Bit(21);
    /// <summary>Bit 22: advanced VM-exit information for EPT violations.</summary>
    public bool AdvancedExitInformation => Bit(22);
    /// <summary>Bit 23: supervisor shadow-stack control.</summary>
    public bool SupervisorShadowStack => Bit(23);
    /// <summary>Bit 25: single-context INVEPT.</summary>
    public bool InveptSingleContext => Bit(25);
    /// <summary>Bit 26: all-context INVEPT.</summary>
    public bool InveptAllContext => Bit(26);
    /// <summary>Bit 32: INVVPID.</summary>
    public bool Invvpid => Bit(32);
    /// <summary>Bit 40: individual-address INVVPID (type 0).</summary>
    public bool InvvpidIndividualAddress => Bit(40);
    /// <summary>Bit 41: single-context INVVPID (type 1).</summary>
    public bool InvvpidSingleContext => Bit(41);
    /// <summary>Bit 42: all-context INVVPID (type 2).</summary>
    public bool InvvpidAllContext => Bit(42);
    /// <summary>Bit 43: single-context-retaining-globals INVVPID (type 3).</summary>
    public bool InvvpidSingleContextRetainingGlobals => Bit(43);
}

/// <summary>CPU vendor of a snapshot.</summary>
public enum CpuVendor : byte
{
    /// <summary>Intel (VMX/EPT).</summary>
    Intel,
    /// <summary>AMD (SVM/NPT).</summary>
    Amd,
}
