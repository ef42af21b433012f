using System;

namespace Xen.Sdk.Abi.Metadata;

/// <summary>
/// Names the C preprocessor macro (or enumerator) whose value a .NET constant or enum member mirrors,
/// for example <c>__HYPERVISOR_event_channel_op</c>. The oracle compares the value gcc computes.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class CConstantAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The macro or enumerator name.</param>
    /// <param name="header">The header that defines it, relative to <c>/usr/include</c>.</param>
    /// <param name="architectures">The guest bitnesses for which the value holds.</param>
    public CConstantAttribute(string name, string header, XenArchitectures architectures = XenArchitectures.All)
    {
        Name = name;
        Header = header;
        Architectures = architectures;
    }

    /// <summary>The macro or enumerator name.</summary>
    public string Name { get; }

    /// <summary>The header that defines it, relative to <c>/usr/include</c>.</summary>
    public string Header { get; }

    /// <summary>The guest bitnesses for which the value holds.</summary>
    public XenArchitectures Architectures { get; }
}
