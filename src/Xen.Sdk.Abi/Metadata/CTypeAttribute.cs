using System;

namespace Xen.Sdk.Abi.Metadata;

/// <summary>
/// Names the C type, as spelled in Xen's public headers, that a .NET type mirrors byte for byte
/// (for example <c>struct evtchn_send</c> or <c>blkif_request_t</c>). The layout oracle compiles the
/// headers with gcc and compares <c>sizeof</c>, alignment and every <see cref="CFieldAttribute"/> offset.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum, Inherited = false, AllowMultiple = false)]
public sealed class CTypeAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The C type name, including <c>struct</c>/<c>union</c> where the header has no typedef.</param>
    /// <param name="header">The header that declares it, relative to <c>/usr/include</c> (for example <c>xen/event_channel.h</c>).</param>
    /// <param name="architectures">The guest bitnesses whose layout this .NET type reproduces.</param>
    public CTypeAttribute(string name, string header, XenArchitectures architectures = XenArchitectures.All)
    {
        Name = name;
        Header = header;
        Architectures = architectures;
    }

    /// <summary>The C type name.</summary>
    public string Name { get; }

    /// <summary>The header that declares the type, relative to <c>/usr/include</c>.</summary>
    public string Header { get; }

    /// <summary>The guest bitnesses whose layout this .NET type reproduces.</summary>
    public XenArchitectures Architectures { get; }
}
