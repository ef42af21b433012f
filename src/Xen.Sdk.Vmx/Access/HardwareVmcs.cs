using System.Runtime.CompilerServices;

namespace Xen.Sdk.Vmx;

/// <summary>
/// The current VMCS of this logical processor, accessed with the real VMREAD/VMWRITE supplied by
/// <typeparamref name="TInstructions"/>. On VMfailValid the error number is fetched from the VM-instruction
/// error field (encoding 4400H) so callers get one <see cref="VmxInstructionResult"/>.
/// </summary>
/// <typeparam name="TInstructions">The host's instruction primitives (a struct, so calls inline).</typeparam>
public struct HardwareVmcs<TInstructions> : IVmcsAccess where TInstructions : struct, IVmxInstructions
{
    private TInstructions _instructions;

    /// <summary>Wraps the primitives.</summary>
    /// <param name="instructions">Instruction primitives.</param>
    public HardwareVmcs(TInstructions instructions) => _instructions = instructions;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public VmxInstructionResult Read(VmcsFieldId field, out ulong value)
        => Complete(_instructions.VmRead(field.Encoding, out value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public VmxInstructionResult Write(VmcsFieldId field, ulong value)
        => Complete(_instructions.VmWrite(field.Encoding, value));

    /// <summary>VMPTRLD.</summary>
    /// <param name="vmcsPhysicalAddress">VMCS region physical address.</param>
    /// <returns>The result with its error number.</returns>
    public VmxInstructionResult Load(ulong vmcsPhysicalAddress) => Complete(_instructions.VmPtrLd(vmcsPhysicalAddress));

    /// <summary>VMCLEAR.</summary>
    /// <param name="vmcsPhysicalAddress">VMCS region physical address.</param>
    /// <returns>The result with its error number.</returns>
    public VmxInstructionResult Clear(ulong vmcsPhysicalAddress) => Complete(_instructions.VmClear(vmcsPhysicalAddress));

    /// <summary>VMLAUNCH (see <see cref="IVmxInstructions.VmLaunch"/>).</summary>
    /// <returns>The result with its error number.</returns>
    public VmxInstructionResult Launch() => Complete(_instructions.VmLaunch());

    /// <summary>VMRESUME.</summary>
    /// <returns>The result with its error number.</returns>
    public VmxInstructionResult Resume() => Complete(_instructions.VmResume());

    /// <summary>Copies every field the table knows (and the processor supports) into an image.</summary>
    /// <param name="image">Destination; unsupported fields are left absent.</param>
    public void SnapshotInto(VmcsImage image)
    {
        image.Reset(image.RevisionId);
        for (int i = 0; i < VmcsFields.Count; i++)
        {
            VmcsFieldId id = VmcsFields.IdAt(i);
            if (_instructions.VmRead(id.Encoding, out ulong v) == VmxInstructionStatus.Succeed)
            {
                image.Write(id, v);
            }
        }
    }

    /// <summary>
    /// VMWRITEs every present field of an image into the current VMCS (read-only fields only if the processor
    /// allows it, IA32_VMX_MISC bit 29). Fields the processor does not support fail and are counted, not fatal.
    /// </summary>
    /// <param name="image">Source image.</param>
    /// <returns>Number of fields whose VMWRITE failed.</returns>
    public int WriteImage(VmcsImage image)
    {
        int failed = 0;
        for (int i = 0; i < VmcsFields.Count; i++)
        {
            if (image.IsPresent(i) && _instructions.VmWrite(VmcsFields.EncodingAt(i), image.ValueAt(i)) != VmxInstructionStatus.Succeed)
            {
                failed++;
            }
        }

        return failed;
    }

    // Success and VMfailInvalid complete inline at every access; only VMfailValid reads the error field, out of line,
    // so a VMREAD/VMWRITE on the exit path costs the instruction and one compare.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private VmxInstructionResult Complete(VmxInstructionStatus status)
        => status == VmxInstructionStatus.FailValid ? ReadInstructionError() : new VmxInstructionResult(status, VmInstructionError.None);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private VmxInstructionResult ReadInstructionError()
    {
        _instructions.VmRead(VmcsFields.VmInstructionError.Id.Encoding, out ulong error);
        return VmxInstructionResult.FailValid((VmInstructionError)(uint)error);
    }
}
