namespace Xen.Sdk.Vmx;

/// <summary>
/// Result of fitting requested VMX controls to a capability MSR (Intel SDM Vol. 3D §A.3-§A.5): bits 31:0
/// of the MSR are the allowed 0-settings (a 1 there forces the control to 1), bits 63:32 the allowed
/// 1-settings (a 0 there forces the control to 0). Nothing is dropped silently: <see cref="Refused"/> lists
/// the requested controls the processor cannot set.
/// </summary>
/// <param name="Requested">Controls the caller asked for.</param>
/// <param name="Value">Value to write to the VMCS: requested bits the CPU allows plus bits it forces.</param>
/// <param name="Refused">Requested bits the CPU does not allow to be 1 (not in <see cref="Value"/>).</param>
/// <param name="Forced">Bits not requested that the CPU requires to be 1 (in <see cref="Value"/>).</param>
public readonly record struct ControlAdjustment(ulong Requested, ulong Value, ulong Refused, ulong Forced)
{
    /// <summary>True when every requested control is available.</summary>
    public bool IsComplete => Refused == 0;

    /// <summary>Adjusts 32-bit controls against an allowed-0/allowed-1 capability MSR.</summary>
    /// <param name="requested">Requested controls.</param>
    /// <param name="capabilityMsr">Capability MSR value.</param>
    /// <returns>The adjustment.</returns>
    public static ControlAdjustment Adjust32(uint requested, ulong capabilityMsr)
    {
        uint allowed0 = (uint)capabilityMsr;
        uint allowed1 = (uint)(capabilityMsr >> 32);
        uint value = (requested | allowed0) & allowed1;
        return new ControlAdjustment(requested, value, requested & ~allowed1, allowed0 & ~requested & allowed1);
    }

    /// <summary>
    /// Adjusts 64-bit controls against an allowed-1-only capability MSR (IA32_VMX_PROCBASED_CTLS3,
    /// IA32_VMX_EXIT_CTLS2: every bit may be 0; a set bit may be 1), Intel SDM Vol. 3D §A.3.4, §A.4.2.
    /// </summary>
    /// <param name="requested">Requested controls.</param>
    /// <param name="allowed1">Capability MSR value.</param>
    /// <returns>The adjustment.</returns>
    public static ControlAdjustment Adjust64(ulong requested, ulong allowed1)
        => new(requested, requested & allowed1, requested & ~allowed1, 0);

    /// <summary>True when a 32-bit control value respects an allowed-0/allowed-1 capability MSR.</summary>
    /// <param name="value">Control value.</param>
    /// <param name="capabilityMsr">Capability MSR value.</param>
    /// <returns>True when every forced-1 bit is 1 and no forced-0 bit is 1.</returns>
    public static bool IsValid32(uint value, ulong capabilityMsr)
    {
        uint allowed0 = (uint)capabilityMsr;
        uint allowed1 = (uint)(capabilityMsr >> 32);
        return (value & allowed0) == allowed0 && (value & ~allowed1) == 0;
    }
}
