using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// <c>enum xenbus_state</c> (xen/io/xenbus.h): the connection state each end of a split device publishes in
/// its XenStore <c>state</c> node, as a decimal string. The usual handshake is frontend
/// Initialising → Initialised → Connected while the backend goes InitWait → Connected; either end closes with
/// Closing → Closed.
/// </summary>
[CType("enum xenbus_state", "xen/io/xenbus.h")]
public enum XenbusState : uint
{
    /// <summary><c>XenbusStateUnknown</c>: no state published yet.</summary>
    [CConstant("XenbusStateUnknown", "xen/io/xenbus.h")]
    Unknown = 0,

    /// <summary><c>XenbusStateInitialising</c>: the end is starting up.</summary>
    [CConstant("XenbusStateInitialising", "xen/io/xenbus.h")]
    Initialising = 1,

    /// <summary><c>XenbusStateInitWait</c>: early initialisation done; waiting for the peer or hotplug scripts.</summary>
    [CConstant("XenbusStateInitWait", "xen/io/xenbus.h")]
    InitWait = 2,

    /// <summary><c>XenbusStateInitialised</c>: ring and event channel published; waiting for the peer to connect.</summary>
    [CConstant("XenbusStateInitialised", "xen/io/xenbus.h")]
    Initialised = 3,

    /// <summary><c>XenbusStateConnected</c>: the device is in use.</summary>
    [CConstant("XenbusStateConnected", "xen/io/xenbus.h")]
    Connected = 4,

    /// <summary><c>XenbusStateClosing</c>: closing because of an error or an unplug request.</summary>
    [CConstant("XenbusStateClosing", "xen/io/xenbus.h")]
    Closing = 5,

    /// <summary><c>XenbusStateClosed</c>: closed; resources released.</summary>
    [CConstant("XenbusStateClosed", "xen/io/xenbus.h")]
    Closed = 6,

    /// <summary><c>XenbusStateReconfiguring</c>: the device is being reconfigured.</summary>
    [CConstant("XenbusStateReconfiguring", "xen/io/xenbus.h")]
    Reconfiguring = 7,

    /// <summary><c>XenbusStateReconfigured</c>: reconfiguration finished.</summary>
    [CConstant("XenbusStateReconfigured", "xen/io/xenbus.h")]
    Reconfigured = 8,
}
