namespace Xen.Sdk.Vmx;

/// <summary>How a VMX instruction completed (Intel SDM Vol. 3C §31.2, "Conventions").</summary>
public enum VmxInstructionStatus : byte
{
    /// <summary>VMsucceed: CF = ZF = 0.</summary>
    Succeed = 0,
    /// <summary>VMfailInvalid: CF = 1 (no current VMCS).</summary>
    FailInvalid = 1,
    /// <summary>VMfailValid: ZF = 1, error number in the VM-instruction error field.</summary>
    FailValid = 2,
}

/// <summary>VM-instruction error numbers (Intel SDM Vol. 3C §31.4, Table 31-1).</summary>
public enum VmInstructionError : uint
{
    /// <summary>No error recorded.</summary>
    None = 0,
    /// <summary>VMCALL executed in VMX root operation.</summary>
    VmcallInRoot = 1,
    /// <summary>VMCLEAR with invalid physical address.</summary>
    VmclearInvalidAddress = 2,
    /// <summary>VMCLEAR with VMXON pointer.</summary>
    VmclearVmxonPointer = 3,
    /// <summary>VMLAUNCH with non-clear VMCS.</summary>
    VmlaunchNonClearVmcs = 4,
    /// <summary>VMRESUME with non-launched VMCS.</summary>
    VmresumeNonLaunchedVmcs = 5,
    /// <summary>VMRESUME after VMXOFF (VMXOFF and VMXON between VMLAUNCH and VMRESUME).</summary>
    VmresumeAfterVmxoff = 6,
    /// <summary>VM entry with invalid control field(s).</summary>
    EntryInvalidControlFields = 7,
    /// <summary>VM entry with invalid host-state field(s).</summary>
    EntryInvalidHostStateFields = 8,
    /// <summary>VMPTRLD with invalid physical address.</summary>
    VmptrldInvalidAddress = 9,
    /// <summary>VMPTRLD with VMXON pointer.</summary>
    VmptrldVmxonPointer = 10,
    /// <summary>VMPTRLD with incorrect VMCS revision identifier.</summary>
    VmptrldIncorrectRevision = 11,
    /// <summary>VMREAD/VMWRITE from/to unsupported VMCS component.</summary>
    UnsupportedVmcsComponent = 12,
    /// <summary>VMWRITE to read-only VMCS component.</summary>
    VmwriteReadOnlyComponent = 13,
    /// <summary>VMXON executed in VMX root operation.</summary>
    VmxonInRoot = 15,
    /// <summary>VM entry with invalid executive-VMCS pointer.</summary>
    EntryInvalidExecutiveVmcsPointer = 16,
    /// <summary>VM entry with non-launched executive VMCS.</summary>
    EntryNonLaunchedExecutiveVmcs = 17,
    /// <summary>VM entry with executive-VMCS pointer not VMXON pointer.</summary>
    EntryExecutiveVmcsPointerNotVmxon = 18,
    /// <summary>VMCALL with non-clear VMCS.</summary>
    VmcallNonClearVmcs = 19,
    /// <summary>VMCALL with invalid VM-exit control fields.</summary>
    VmcallInvalidExitControls = 20,
    /// <summary>VMCALL with incorrect MSEG revision identifier.</summary>
    VmcallIncorrectMsegRevision = 22,
    /// <summary>VMXOFF under dual-monitor treatment of SMIs and SMM.</summary>
    VmxoffUnderDualMonitor = 23,
    /// <summary>VMCALL with invalid SMM-monitor features.</summary>
    VmcallInvalidSmmMonitorFeatures = 24,
    /// <summary>VM entry with invalid VM-execution control fields in executive VMCS.</summary>
    EntryInvalidExecutiveControls = 25,
    /// <summary>VM entry with events blocked by MOV SS.</summary>
    EntryEventsBlockedByMovSs = 26,
    /// <summary>Invalid operand to INVEPT/INVVPID.</summary>
    InvalidInveptInvvpidOperand = 28,
}

/// <summary>Outcome of one VMX instruction: status plus, for VMfailValid, the VM-instruction error.</summary>
public readonly struct VmxInstructionResult : System.IEquatable<VmxInstructionResult>
{
    /// <summary>Creates the value.</summary>
    /// <param name="status">How the instruction completed.</param>
    /// <param name="error">The VM-instruction error (only meaningful for <see cref="VmxInstructionStatus.FailValid"/>).</param>
    public VmxInstructionResult(VmxInstructionStatus status, VmInstructionError error)
    {
        Status = status;
        Error = error;
    }

    /// <summary>How the instruction completed.</summary>
    public VmxInstructionStatus Status { get; }

    /// <summary>The VM-instruction error (only meaningful for <see cref="VmxInstructionStatus.FailValid"/>).</summary>
    public VmInstructionError Error { get; }

    /// <inheritdoc/>
    public bool Equals(VmxInstructionResult other) => Status == other.Status && Error == other.Error;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VmxInstructionResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(((int)Status) * 31 + ((int)Error));

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VmxInstructionResult left, VmxInstructionResult right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VmxInstructionResult left, VmxInstructionResult right) => !left.Equals(right);


    /// <summary>VMsucceed.</summary>
    public static VmxInstructionResult Success => default;

    /// <summary>VMfailInvalid.</summary>
    public static VmxInstructionResult FailInvalid => new(VmxInstructionStatus.FailInvalid, VmInstructionError.None);

    /// <summary>VMfailValid with an error number.</summary>
    /// <param name="error">Error.</param>
    /// <returns>The result.</returns>
    public static VmxInstructionResult FailValid(VmInstructionError error) => new(VmxInstructionStatus.FailValid, error);

    /// <summary>True for VMsucceed.</summary>
    public bool Succeeded => Status == VmxInstructionStatus.Succeed;
}
