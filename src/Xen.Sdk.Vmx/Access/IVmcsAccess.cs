namespace Xen.Sdk.Vmx;

/// <summary>
/// Access to the fields of one VMCS. Two implementations ship: <see cref="VmcsImage"/> (an in-memory image
/// for tests, the checker, snapshots and diffs) and <see cref="HardwareVmcs{TInstructions}"/> (the real
/// VMREAD/VMWRITE of the current VMCS, through primitives the kernel supplies). Use the width-typed
/// extension methods in <see cref="VmcsAccessExtensions"/>; these raw members take any encoding.
/// </summary>
public interface IVmcsAccess
{
    /// <summary>VMREAD: reads the field; 16- and 32-bit fields are zero-extended.</summary>
    /// <param name="field">Field (full or high access).</param>
    /// <param name="value">The value, or 0 on failure.</param>
    /// <returns>Success, or the VMX failure (error 12 for an unsupported component).</returns>
    VmxInstructionResult Read(VmcsFieldId field, out ulong value);

    /// <summary>VMWRITE: writes the field; bits above the field's width are ignored.</summary>
    /// <param name="field">Field (full or high access).</param>
    /// <param name="value">Value.</param>
    /// <returns>Success, or the VMX failure.</returns>
    VmxInstructionResult Write(VmcsFieldId field, ulong value);
}
