using System;

namespace Xen.Sdk.Abi.Metadata;

/// <summary>
/// Records a C flexible array member (<c>T name[]</c>) that follows the fixed part of a struct: it has no
/// .NET field; its elements start at byte <see cref="Offset"/>. The oracle checks <c>offsetof</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false, AllowMultiple = true)]
public sealed class CFlexibleArrayAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="designator">The C member designator.</param>
    /// <param name="offset">The byte offset of the first element.</param>
    public CFlexibleArrayAttribute(string designator, int offset)
    {
        Designator = designator;
        Offset = offset;
    }

    /// <summary>The C member designator.</summary>
    public string Designator { get; }

    /// <summary>The byte offset of the first element.</summary>
    public int Offset { get; }
}
