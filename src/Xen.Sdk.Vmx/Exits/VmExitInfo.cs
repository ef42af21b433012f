namespace Xen.Sdk.Vmx.Exits;

/// <summary>
/// Everything the processor reports about one VM exit (Intel SDM Vol. 3C §25.9, §28.2), read from the
/// VMCS in one call without allocation. Values are stored as read; the typed views decode them.
/// </summary>
public struct VmExitInfo
{
    /// <summary>Exit reason field.</summary>
    public ExitReason Reason;
    /// <summary>Exit qualification.</summary>
    public ulong Qualification;
    /// <summary>Guest-linear address (valid for some exits).</summary>
    public ulong GuestLinearAddress;
    /// <summary>Guest-physical address (EPT violations and misconfigurations).</summary>
    public ulong GuestPhysicalAddress;
    /// <summary>VM-exit interruption information.</summary>
    public InterruptionInfo Interruption;
    /// <summary>VM-exit interruption error code.</summary>
    public uint InterruptionErrorCode;
    /// <summary>IDT-vectoring information.</summary>
    public InterruptionInfo IdtVectoring;
    /// <summary>IDT-vectoring error code.</summary>
    public uint IdtVectoringErrorCode;
    /// <summary>VM-exit instruction length.</summary>
    public uint InstructionLength;
    /// <summary>VM-exit instruction information.</summary>
    public InstructionInformation InstructionInfo;
    /// <summary>VM-instruction error field (meaningful after VMfailValid).</summary>
    public VmInstructionError InstructionError;

    /// <summary>Reads the exit-information fields of a VMCS (Intel SDM Vol. 3C §25.9).</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <returns>The exit information.</returns>
    public static VmExitInfo Read<TVmcs>(TVmcs vmcs) where TVmcs : IVmcsAccess => new()
    {
        Reason = new ExitReason(vmcs.Read(VmcsFields.ExitReason)),
        Qualification = vmcs.Read(VmcsFields.ExitQualification),
        GuestLinearAddress = vmcs.Read(VmcsFields.GuestLinearAddress),
        GuestPhysicalAddress = vmcs.Read(VmcsFields.GuestPhysicalAddress),
        Interruption = new InterruptionInfo(vmcs.Read(VmcsFields.ExitInterruptionInfo)),
        InterruptionErrorCode = vmcs.Read(VmcsFields.ExitInterruptionErrorCode),
        IdtVectoring = new InterruptionInfo(vmcs.Read(VmcsFields.IdtVectoringInfo)),
        IdtVectoringErrorCode = vmcs.Read(VmcsFields.IdtVectoringErrorCode),
        InstructionLength = vmcs.Read(VmcsFields.ExitInstructionLength),
        InstructionInfo = new InstructionInformation(vmcs.Read(VmcsFields.ExitInstructionInfo)),
        InstructionError = (VmInstructionError)vmcs.Read(VmcsFields.VmInstructionError),
    };

    /// <summary>Qualification as a control-register access.</summary>
    public readonly CrAccessQualification CrAccess => new(Qualification);
    /// <summary>Qualification as MOV DR.</summary>
    public readonly MovDrQualification MovDr => new(Qualification);
    /// <summary>Qualification as an I/O instruction.</summary>
    public readonly IoQualification Io => new(Qualification);
    /// <summary>Qualification as an EPT violation.</summary>
    public readonly EptViolationQualification EptViolation => new(Qualification);
    /// <summary>Qualification as a debug exception.</summary>
    public readonly DebugExceptionQualification DebugException => new(Qualification);
    /// <summary>Qualification as a task switch.</summary>
    public readonly TaskSwitchQualification TaskSwitch => new(Qualification);
    /// <summary>Qualification as an APIC access.</summary>
    public readonly ApicAccessQualification ApicAccess => new(Qualification);
}
