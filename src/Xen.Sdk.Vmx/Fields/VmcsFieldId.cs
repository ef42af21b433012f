using System.Runtime.CompilerServices;

namespace Xen.Sdk.Vmx;

/// <summary>
/// Identifies one VMCS field: its architectural encoding plus its ordinal in this library's field table
/// (<see cref="VmcsFields.Count"/> entries), so an in-memory image reaches the value without a lookup.
/// Ordinal <see cref="NoOrdinal"/> marks an encoding the table does not know.
/// </summary>
public readonly struct VmcsFieldId : System.IEquatable<VmcsFieldId>
{
    /// <summary>Ordinal of an encoding that is not in the field table.</summary>
    public const byte NoOrdinal = 0xFF;

    /// <summary>Creates an id from an encoding and table ordinal (generated code uses this).</summary>
    /// <param name="encoding">Architectural encoding.</param>
    /// <param name="ordinal">Ordinal in the field table, or <see cref="NoOrdinal"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public VmcsFieldId(uint encoding, byte ordinal)
    {
        Encoding = encoding;
        Ordinal = ordinal;
    }

    /// <summary>The architectural encoding passed to VMREAD/VMWRITE.</summary>
    public uint Encoding { get; }

    /// <summary>Ordinal in the field table (<see cref="NoOrdinal"/> when unknown).</summary>
    public byte Ordinal { get; }

    /// <summary>True when the field table knows this encoding (full or high access).</summary>
    public bool IsKnown => Ordinal != NoOrdinal;

    /// <summary>Width from the encoding.</summary>
    public VmcsFieldWidth Width => VmcsEncoding.GetWidth(Encoding);

    /// <summary>Group from the encoding.</summary>
    public VmcsFieldGroup Group => VmcsEncoding.GetGroup(Encoding);

    /// <summary>True for the high-32-bit access of a 64-bit field.</summary>
    public bool IsHighAccess => VmcsEncoding.IsHighAccess(Encoding);

    /// <summary>Finds the id for any encoding (unknown encodings get <see cref="NoOrdinal"/>).</summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>The id.</returns>
    public static VmcsFieldId FromEncoding(uint encoding) => new(encoding, VmcsFields.OrdinalOf(encoding));

    /// <inheritdoc/>
    public bool Equals(VmcsFieldId other) => Encoding == other.Encoding;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VmcsFieldId o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Encoding;

    /// <summary>Equality by encoding.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VmcsFieldId left, VmcsFieldId right) => left.Equals(right);

    /// <summary>Inequality by encoding.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VmcsFieldId left, VmcsFieldId right) => !left.Equals(right);
}

/// <summary>A 16-bit VMCS field. Reads give <see cref="ushort"/>, writes take <see cref="ushort"/>.</summary>
/// <param name="Id">The field.</param>
public readonly record struct VmcsField16(VmcsFieldId Id);

/// <summary>A 32-bit VMCS field (also the high half of a 64-bit field). Reads give <see cref="uint"/>.</summary>
/// <param name="Id">The field.</param>
public readonly record struct VmcsField32(VmcsFieldId Id);

/// <summary>A 64-bit VMCS field. Reads give <see cref="ulong"/>; <see cref="High"/> is its upper half.</summary>
/// <param name="Id">The field.</param>
public readonly record struct VmcsField64(VmcsFieldId Id)
{
    /// <summary>The high-32-bit access (encoding | 1) of this field (Intel SDM Vol. 3C §24.11.2).</summary>
    public VmcsField32 High => new(new VmcsFieldId(Id.Encoding | 1u, Id.Ordinal));
}

/// <summary>A natural-width VMCS field (64 bits on Intel 64 processors). Reads give <see cref="ulong"/>.</summary>
/// <param name="Id">The field.</param>
public readonly record struct VmcsFieldNatural(VmcsFieldId Id);
