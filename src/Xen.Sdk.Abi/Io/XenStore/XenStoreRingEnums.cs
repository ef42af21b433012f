using System;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>Bits of <see cref="XenStoreDomainInterface.ServerFeatures"/> (<c>XENSTORE_SERVER_FEATURE_*</c>, xen/io/xs_wire.h).</summary>
[Flags]
public enum XenStoreServerFeatures : uint
{
    /// <summary>No optional feature.</summary>
    None = 0,

    /// <summary><c>XENSTORE_SERVER_FEATURE_RECONNECTION</c>: the ring can be reconnected through <see cref="XenStoreDomainInterface.Connection"/>.</summary>
    [CConstant("XENSTORE_SERVER_FEATURE_RECONNECTION", "xen/io/xs_wire.h")]
    Reconnection = 1,

    /// <summary><c>XENSTORE_SERVER_FEATURE_ERROR</c>: the page's <see cref="XenStoreDomainInterface.Error"/> field is present.</summary>
    [CConstant("XENSTORE_SERVER_FEATURE_ERROR", "xen/io/xs_wire.h")]
    Error = 2,
}

/// <summary>Values of <see cref="XenStoreDomainInterface.Connection"/> (xen/io/xs_wire.h).</summary>
public enum XenStoreConnection : uint
{
    /// <summary><c>XENSTORE_CONNECTED</c>: the steady state.</summary>
    [CConstant("XENSTORE_CONNECTED", "xen/io/xs_wire.h")]
    Connected = 0,

    /// <summary><c>XENSTORE_RECONNECT</c>: a reconnect is in progress.</summary>
    [CConstant("XENSTORE_RECONNECT", "xen/io/xs_wire.h")]
    Reconnect = 1,
}

/// <summary>Values of <see cref="XenStoreDomainInterface.Error"/> (<c>XENSTORE_ERROR_*</c>, xen/io/xs_wire.h).</summary>
public enum XenStoreRingError : uint
{
    /// <summary><c>XENSTORE_ERROR_NONE</c>: no error.</summary>
    [CConstant("XENSTORE_ERROR_NONE", "xen/io/xs_wire.h")]
    None = 0,

    /// <summary><c>XENSTORE_ERROR_COMM</c>: communication problem.</summary>
    [CConstant("XENSTORE_ERROR_COMM", "xen/io/xs_wire.h")]
    Communication = 1,

    /// <summary><c>XENSTORE_ERROR_RINGIDX</c>: invalid ring index.</summary>
    [CConstant("XENSTORE_ERROR_RINGIDX", "xen/io/xs_wire.h")]
    RingIndex = 2,

    /// <summary><c>XENSTORE_ERROR_PROTO</c>: protocol violation (payload too long).</summary>
    [CConstant("XENSTORE_ERROR_PROTO", "xen/io/xs_wire.h")]
    Protocol = 3,
}
