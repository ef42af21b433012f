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
public readonly struct VmcsField16 : System.IEquatable<VmcsField16>
{
    /// <summary>Creates the value.</summary>
    /// <param name="id">The field.</param>
    public VmcsField16(VmcsFieldId id)
    {
        Id = id;
    }

    /// <summary>The field.</summary>
    public VmcsFieldId Id { get; }

    /// <inheritdoc/>
    public bool Equals(VmcsField16 other) => Id.Equals(other.Id);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VmcsField16 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Id.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VmcsField16 left, VmcsField16 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VmcsField16 left, VmcsField16 right) => !left.Equals(right);
}

/// <summary>A 32-bit VMCS field (also the high half of a 64-bit field). Reads give <see cref="uint"/>.</summary>
public readonly struct VmcsField32 : System.IEquatable<VmcsField32>
{
    /// <summary>Creates the value.</summary>
    /// <param name="id">The field.</param>
    public VmcsField32(VmcsFieldId id)
    {
        Id = id;
    }

    /// <summary>The field.</summary>
    public VmcsFieldId Id { get; }

    /// <inheritdoc/>
    public bool Equals(VmcsField32 other) => Id.Equals(other.Id);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VmcsField32 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Id.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VmcsField32 left, VmcsField32 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VmcsField32 left, VmcsField32 right) => !left.Equals(right);
}

/// <summary>A 64-bit VMCS field. Reads give <see cref="ulong"/>; <see cref="High"/> is its upper half.</summary>
public readonly struct VmcsField64 : System.IEquatable<VmcsField64>
{
    /// <summary>Creates the value.</summary>
    /// <param name="id">The field.</param>
    public VmcsField64(VmcsFieldId id)
    {
        Id = id;
    }

    /// <summary>The field.</summary>
    public VmcsFieldId Id { get; }

    /// <inheritdoc/>
    public bool Equals(VmcsField64 other) => Id.Equals(other.Id);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VmcsField64 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Id.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VmcsField64 left, VmcsField64 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VmcsField64 left, VmcsField64 right) => !left.Equals(right);


    /// <summary>The high-32-bit access (encoding | 1) of this field (Intel SDM Vol. 3C §25.11.2).</summary>
    public VmcsField32 High => new(new VmcsFieldId(Id.Encoding | 1u, Id.Ordinal));
}

/// <summary>A natural-width VMCS field (64 bits on Intel 64 processors). Reads give <see cref="ulong"/>.</summary>
public readonly struct VmcsFieldNatural : System.IEquatable<VmcsFieldNatural>
{
    /// <summary>Creates the value.</summary>
    /// <param name="id">The field.</param>
    public VmcsFieldNatural(VmcsFieldId id)
    {
        Id = id;
    }

    /// <summary>The field.</summary>
    public VmcsFieldId Id { get; }

    /// <inheritdoc/>
    public bool Equals(VmcsFieldNatural other) => Id.Equals(other.Id);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VmcsFieldNatural other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Id.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VmcsFieldNatural left, VmcsFieldNatural right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VmcsFieldNatural left, VmcsFieldNatural right) => !left.Equals(right);
}
