using System;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// Names the C macro whose <em>string</em> value a .NET <c>const string</c> mirrors (XenStore node names and
/// protocol strings of the io/ headers). Kept apart from <see cref="CConstantAttribute"/>, whose oracle compares
/// integers; the io/ oracle test (tests/Xen.Sdk.Abi.Tests/Io) compares these with <c>printf("%s")</c> of the macro.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
internal sealed class CStringConstantAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The macro name.</param>
    /// <param name="header">The header that defines it, relative to <c>/usr/include</c>.</param>
    /// <param name="architectures">The guest bitnesses for which the value holds.</param>
    public CStringConstantAttribute(string name, string header, XenArchitectures architectures = XenArchitectures.All)
    {
        Name = name;
        Header = header;
        Architectures = architectures;
    }

    /// <summary>The macro name.</summary>
    public string Name { get; }

    /// <summary>The header that defines it, relative to <c>/usr/include</c>.</summary>
    public string Header { get; }

    /// <summary>The guest bitnesses for which the value holds.</summary>
    public XenArchitectures Architectures { get; }
}
