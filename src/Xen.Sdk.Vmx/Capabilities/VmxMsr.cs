namespace Xen.Sdk.Vmx;

/// <summary>Indices of the VMX capability MSRs (Intel SDM Vol. 3D Appendix A; Vol. 4 Table 2-2).</summary>
public static class VmxMsr
{
    /// <summary>IA32_FEATURE_CONTROL (3AH).</summary>
    public const uint FeatureControl = 0x3A;
    /// <summary>IA32_VMX_BASIC (480H), Intel SDM Vol. 3D §A.1.</summary>
    public const uint Basic = 0x480;
    /// <summary>IA32_VMX_PINBASED_CTLS (481H), §A.3.1.</summary>
    public const uint PinBasedControls = 0x481;
    /// <summary>IA32_VMX_PROCBASED_CTLS (482H), §A.3.2.</summary>
    public const uint ProcessorBasedControls = 0x482;
    /// <summary>IA32_VMX_EXIT_CTLS (483H), §A.4.1.</summary>
    public const uint ExitControls = 0x483;
    /// <summary>IA32_VMX_ENTRY_CTLS (484H), §A.5.</summary>
    public const uint EntryControls = 0x484;
    /// <summary>IA32_VMX_MISC (485H), §A.6.</summary>
    public const uint Misc = 0x485;
    /// <summary>IA32_VMX_CR0_FIXED0 (486H), §A.7.</summary>
    public const uint Cr0Fixed0 = 0x486;
    /// <summary>IA32_VMX_CR0_FIXED1 (487H), §A.7.</summary>
    public const uint Cr0Fixed1 = 0x487;
    /// <summary>IA32_VMX_CR4_FIXED0 (488H), §A.8.</summary>
    public const uint Cr4Fixed0 = 0x488;
    /// <summary>IA32_VMX_CR4_FIXED1 (489H), §A.8.</summary>
    public const uint Cr4Fixed1 = 0x489;
    /// <summary>IA32_VMX_VMCS_ENUM (48AH), §A.9.</summary>
    public const uint VmcsEnum = 0x48A;
    /// <summary>IA32_VMX_PROCBASED_CTLS2 (48BH), §A.3.3.</summary>
    public const uint ProcessorBasedControls2 = 0x48B;
    /// <summary>IA32_VMX_EPT_VPID_CAP (48CH), §A.10.</summary>
    public const uint EptVpidCap = 0x48C;
    /// <summary>IA32_VMX_TRUE_PINBASED_CTLS (48DH), §A.3.1.</summary>
    public const uint TruePinBasedControls = 0x48D;
    /// <summary>IA32_VMX_TRUE_PROCBASED_CTLS (48EH), §A.3.2.</summary>
    public const uint TrueProcessorBasedControls = 0x48E;
    /// <summary>IA32_VMX_TRUE_EXIT_CTLS (48FH), §A.4.1.</summary>
    public const uint TrueExitControls = 0x48F;
    /// <summary>IA32_VMX_TRUE_ENTRY_CTLS (490H), §A.5.</summary>
    public const uint TrueEntryControls = 0x490;
    /// <summary>IA32_VMX_VMFUNC (491H), §A.11.</summary>
    public const uint VmFunc = 0x491;
    /// <summary>IA32_VMX_PROCBASED_CTLS3 (492H), §A.3.4.</summary>
    public const uint ProcessorBasedControls3 = 0x492;
    /// <summary>IA32_VMX_EXIT_CTLS2 (493H), §A.4.2.</summary>
    public const uint ExitControls2 = 0x493;
}
