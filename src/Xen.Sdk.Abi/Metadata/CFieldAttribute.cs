using System;

namespace Xen.Sdk.Abi.Metadata;

/// <summary>
/// Names the C member a .NET field mirrors, as a designator usable in <c>offsetof</c>
/// (for example <c>port</c>, <c>u.rw.nr_segments</c> or <c>seg[0]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class CFieldAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="designator">The C member designator.</param>
    public CFieldAttribute(string designator) => Designator = designator;

    /// <summary>The C member designator.</summary>
    public string Designator { get; }
}
