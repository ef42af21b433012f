using System.Runtime.CompilerServices;

namespace Xen.Sdk.Vmx;

/// <summary>
/// Width-typed VMCS access: a <see cref="VmcsField16"/> reads as <see cref="ushort"/> and only accepts a
/// <see cref="ushort"/>, and so on, so a width mistake is a compile error. <c>Read</c> returns 0 when the
/// access fails; use <c>TryRead</c> to see the failure.
/// </summary>
public static class VmcsAccessExtensions
{
    /// <summary>Reads a 16-bit field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <returns>The value (0 on failure).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Read<TVmcs>(this TVmcs vmcs, VmcsField16 field) where TVmcs : IVmcsAccess
    {
        vmcs.Read(field.Id, out ulong v);
        return (ushort)v;
    }

    /// <summary>Reads a 32-bit field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <returns>The value (0 on failure).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Read<TVmcs>(this TVmcs vmcs, VmcsField32 field) where TVmcs : IVmcsAccess
    {
        vmcs.Read(field.Id, out ulong v);
        return (uint)v;
    }

    /// <summary>Reads a 64-bit field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <returns>The value (0 on failure).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read<TVmcs>(this TVmcs vmcs, VmcsField64 field) where TVmcs : IVmcsAccess
    {
        vmcs.Read(field.Id, out ulong v);
        return v;
    }

    /// <summary>Reads a natural-width field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <returns>The value (0 on failure).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read<TVmcs>(this TVmcs vmcs, VmcsFieldNatural field) where TVmcs : IVmcsAccess
    {
        vmcs.Read(field.Id, out ulong v);
        return v;
    }

    /// <summary>Reads a 16-bit field, reporting failure.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMREAD result.</returns>
    public static VmxInstructionResult TryRead<TVmcs>(this TVmcs vmcs, VmcsField16 field, out ushort value) where TVmcs : IVmcsAccess
    {
        VmxInstructionResult r = vmcs.Read(field.Id, out ulong v);
        value = (ushort)v;
        return r;
    }

    /// <summary>Reads a 32-bit field, reporting failure.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMREAD result.</returns>
    public static VmxInstructionResult TryRead<TVmcs>(this TVmcs vmcs, VmcsField32 field, out uint value) where TVmcs : IVmcsAccess
    {
        VmxInstructionResult r = vmcs.Read(field.Id, out ulong v);
        value = (uint)v;
        return r;
    }

    /// <summary>Reads a 64-bit field, reporting failure.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMREAD result.</returns>
    public static VmxInstructionResult TryRead<TVmcs>(this TVmcs vmcs, VmcsField64 field, out ulong value) where TVmcs : IVmcsAccess
        => vmcs.Read(field.Id, out value);

    /// <summary>Reads a natural-width field, reporting failure.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMREAD result.</returns>
    public static VmxInstructionResult TryRead<TVmcs>(this TVmcs vmcs, VmcsFieldNatural field, out ulong value) where TVmcs : IVmcsAccess
        => vmcs.Read(field.Id, out value);

    /// <summary>Writes a 16-bit field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMWRITE result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VmxInstructionResult Write<TVmcs>(this TVmcs vmcs, VmcsField16 field, ushort value) where TVmcs : IVmcsAccess
        => vmcs.Write(field.Id, value);

    /// <summary>Writes a 32-bit field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMWRITE result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VmxInstructionResult Write<TVmcs>(this TVmcs vmcs, VmcsField32 field, uint value) where TVmcs : IVmcsAccess
        => vmcs.Write(field.Id, value);

    /// <summary>Writes a 64-bit field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMWRITE result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VmxInstructionResult Write<TVmcs>(this TVmcs vmcs, VmcsField64 field, ulong value) where TVmcs : IVmcsAccess
        => vmcs.Write(field.Id, value);

    /// <summary>Writes a natural-width field.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    /// <returns>The VMWRITE result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VmxInstructionResult Write<TVmcs>(this TVmcs vmcs, VmcsFieldNatural field, ulong value) where TVmcs : IVmcsAccess
        => vmcs.Write(field.Id, value);
}
