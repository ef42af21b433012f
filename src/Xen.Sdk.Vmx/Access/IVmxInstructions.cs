namespace Xen.Sdk.Vmx;

/// <summary>
/// The VMX instructions as primitives. The library never executes them itself: the reference kernel (or any
/// bare-metal host) implements this interface on a struct whose methods call its own native stubs (for
/// example <c>[RuntimeImport]</c> functions written in assembly), and passes that struct as the type argument
/// of <see cref="HardwareVmcs{TInstructions}"/>. A normal .NET host never needs an implementation.
/// Each method reports the instruction's RFLAGS outcome (CF = VMfailInvalid, ZF = VMfailValid)
/// (Intel SDM Vol. 3C §31.2); reading the error number is the wrapper's job.
/// </summary>
public interface IVmxInstructions
{
    /// <summary>VMREAD of the current VMCS.</summary>
    /// <param name="encoding">Field encoding.</param>
    /// <param name="value">Value read.</param>
    /// <returns>RFLAGS outcome.</returns>
    VmxInstructionStatus VmRead(ulong encoding, out ulong value);

    /// <summary>VMWRITE to the current VMCS.</summary>
    /// <param name="encoding">Field encoding.</param>
    /// <param name="value">Value.</param>
    /// <returns>RFLAGS outcome.</returns>
    VmxInstructionStatus VmWrite(ulong encoding, ulong value);

    /// <summary>VMPTRLD: makes the VMCS at this physical address current.</summary>
    /// <param name="vmcsPhysicalAddress">4 KiB-aligned physical address.</param>
    /// <returns>RFLAGS outcome.</returns>
    VmxInstructionStatus VmPtrLd(ulong vmcsPhysicalAddress);

    /// <summary>VMCLEAR of the VMCS at this physical address.</summary>
    /// <param name="vmcsPhysicalAddress">4 KiB-aligned physical address.</param>
    /// <returns>RFLAGS outcome.</returns>
    VmxInstructionStatus VmClear(ulong vmcsPhysicalAddress);

    /// <summary>
    /// VMLAUNCH. Returns <see cref="VmxInstructionStatus.Succeed"/> when the guest ran and a VM exit came
    /// back through the host RIP the stub installed, or the failure when VM entry failed as an instruction.
    /// </summary>
    /// <returns>RFLAGS outcome.</returns>
    VmxInstructionStatus VmLaunch();

    /// <summary>VMRESUME; same contract as <see cref="VmLaunch"/>.</summary>
    /// <returns>RFLAGS outcome.</returns>
    VmxInstructionStatus VmResume();
}
