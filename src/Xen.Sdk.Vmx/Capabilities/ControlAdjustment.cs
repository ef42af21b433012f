namespace Xen.Sdk.Vmx;

/// <summary>
/// Result of fitting requested VMX controls to a capability MSR (Intel SDM Vol. 3D §A.3-§A.5): bits 31:0
/// of the MSR are the allowed 0-settings (a 1 there forces the control to 1), bits 63:32 the allowed
/// 1-settings (a 0 there forces the control to 0). Nothing is dropped silently: <see cref="Refused"/> lists
/// the requested controls the processor cannot set.
/// </summary>
public readonly struct ControlAdjustment : System.IEquatable<ControlAdjustment>
{
    /// <summary>Creates the value.</summary>
    /// <param name="requested">Controls the caller asked for.</param>
    /// <param name="value">Value to write to the VMCS: requested bits the CPU allows plus bits it forces.</param>
    /// <param name="refused">Requested bits the CPU does not allow to be 1 (not in <see cref="Value"/>).</param>
    /// <param name="forced">Bits not requested that the CPU requires to be 1 (in <see cref="Value"/>).</param>
    public ControlAdjustment(ulong requested, ulong value, ulong refused, ulong forced)
    {
        Requested = requested;
        Value = value;
        Refused = refused;
        Forced = forced;
    }

    /// <summary>Controls the caller asked for.</summary>
    public ulong Requested { get; }

    /// <summary>Value to write to the VMCS: requested bits the CPU allows plus bits it forces.</summary>
    public ulong Value { get; }

    /// <summary>Requested bits the CPU does not allow to be 1 (not in <see cref="Value"/>).</summary>
    public ulong Refused { get; }

    /// <summary>Bits not requested that the CPU requires to be 1 (in <see cref="Value"/>).</summary>
    public ulong Forced { get; }

    /// <inheritdoc/>
    public bool Equals(ControlAdjustment other) => Requested == other.Requested && Value == other.Value && Refused == other.Refused && Forced == other.Forced;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ControlAdjustment other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((Requested.GetHashCode()) * 31 + (Value.GetHashCode()) * 31 + (Refused.GetHashCode()) * 31 + (Forced.GetHashCode()));

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(ControlAdjustment left, ControlAdjustment right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(ControlAdjustment left, ControlAdjustment right) => !left.Equals(right);


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
