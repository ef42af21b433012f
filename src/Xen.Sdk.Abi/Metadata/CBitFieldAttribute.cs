using System;

namespace Xen.Sdk.Abi.Metadata;

/// <summary>
/// Marks a .NET field as the storage unit of a C bitfield member: the C member <see cref="Designator"/>
/// occupies <see cref="BitWidth"/> bits starting at bit <see cref="BitOffset"/> of the field. The oracle
/// sets the C bitfield to all ones with gcc and checks the resulting byte image.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = true)]
public sealed class CBitFieldAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="designator">The C bitfield member designator.</param>
    /// <param name="bitOffset">The first bit, counted from bit 0 of the .NET field.</param>
    /// <param name="bitWidth">The number of bits.</param>
    public CBitFieldAttribute(string designator, int bitOffset, int bitWidth)
    {
        Designator = designator;
        BitOffset = bitOffset;
        BitWidth = bitWidth;
    }

    /// <summary>The C bitfield member designator.</summary>
    public string Designator { get; }

    /// <summary>The first bit, counted from bit 0 of the .NET field.</summary>
    public int BitOffset { get; }

    /// <summary>The number of bits.</summary>
    public int BitWidth { get; }
}
