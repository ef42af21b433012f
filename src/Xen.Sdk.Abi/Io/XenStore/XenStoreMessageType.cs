using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// <c>enum xsd_sockmsg_type</c>: the operation a XenStore message carries in
/// <see cref="XenStoreMessageHeader.Type"/> (xen/io/xs_wire.h). Requests and their replies use the same
/// type; a failed request is answered with <see cref="Error"/> and an error-name payload
/// (<see cref="XenStoreErrors"/>).
/// </summary>
[CType("enum xsd_sockmsg_type", "xen/io/xs_wire.h")]
public enum XenStoreMessageType : uint
{
    /// <summary><c>XS_CONTROL</c>: implementation-specific control command (formerly <c>XS_DEBUG</c>).</summary>
    [CConstant("XS_CONTROL", "xen/io/xs_wire.h")]
    Control = 0,

    /// <summary><c>XS_DEBUG</c>: the old name of <see cref="Control"/>.</summary>
    [CConstant("XS_DEBUG", "xen/io/xs_wire.h")]
    Debug = Control,

    /// <summary><c>XS_DIRECTORY</c>: list the children of a node.</summary>
    [CConstant("XS_DIRECTORY", "xen/io/xs_wire.h")]
    Directory = 1,

    /// <summary><c>XS_READ</c>: read a node's value.</summary>
    [CConstant("XS_READ", "xen/io/xs_wire.h")]
    Read = 2,

    /// <summary><c>XS_GET_PERMS</c>: read a node's permissions.</summary>
    [CConstant("XS_GET_PERMS", "xen/io/xs_wire.h")]
    GetPerms = 3,

    /// <summary><c>XS_WATCH</c>: watch a path (payload: path, token).</summary>
    [CConstant("XS_WATCH", "xen/io/xs_wire.h")]
    Watch = 4,

    /// <summary><c>XS_UNWATCH</c>: remove a watch (payload: path, token).</summary>
    [CConstant("XS_UNWATCH", "xen/io/xs_wire.h")]
    Unwatch = 5,

    /// <summary><c>XS_TRANSACTION_START</c>: open a transaction; the reply carries its id.</summary>
    [CConstant("XS_TRANSACTION_START", "xen/io/xs_wire.h")]
    TransactionStart = 6,

    /// <summary><c>XS_TRANSACTION_END</c>: commit (<c>"T"</c>) or abort (<c>"F"</c>) a transaction.</summary>
    [CConstant("XS_TRANSACTION_END", "xen/io/xs_wire.h")]
    TransactionEnd = 7,

    /// <summary><c>XS_INTRODUCE</c>: introduce a domain's XenStore ring (privileged).</summary>
    [CConstant("XS_INTRODUCE", "xen/io/xs_wire.h")]
    Introduce = 8,

    /// <summary><c>XS_RELEASE</c>: forget a domain (privileged).</summary>
    [CConstant("XS_RELEASE", "xen/io/xs_wire.h")]
    Release = 9,

    /// <summary><c>XS_GET_DOMAIN_PATH</c>: the home path of a domain (<c>/local/domain/&lt;domid&gt;</c>).</summary>
    [CConstant("XS_GET_DOMAIN_PATH", "xen/io/xs_wire.h")]
    GetDomainPath = 10,

    /// <summary><c>XS_WRITE</c>: write a node's value (payload: path, value without terminator).</summary>
    [CConstant("XS_WRITE", "xen/io/xs_wire.h")]
    Write = 11,

    /// <summary><c>XS_MKDIR</c>: create a node.</summary>
    [CConstant("XS_MKDIR", "xen/io/xs_wire.h")]
    Mkdir = 12,

    /// <summary><c>XS_RM</c>: remove a node and its children.</summary>
    [CConstant("XS_RM", "xen/io/xs_wire.h")]
    Rm = 13,

    /// <summary><c>XS_SET_PERMS</c>: set a node's permissions.</summary>
    [CConstant("XS_SET_PERMS", "xen/io/xs_wire.h")]
    SetPerms = 14,

    /// <summary><c>XS_WATCH_EVENT</c>: an asynchronous watch notification (payload: path, token; see <see cref="XenStoreWatchField"/>).</summary>
    [CConstant("XS_WATCH_EVENT", "xen/io/xs_wire.h")]
    WatchEvent = 15,

    /// <summary><c>XS_ERROR</c>: a failed request's reply; the payload is an error name from <see cref="XenStoreErrors"/>.</summary>
    [CConstant("XS_ERROR", "xen/io/xs_wire.h")]
    Error = 16,

    /// <summary><c>XS_IS_DOMAIN_INTRODUCED</c>: whether a domain has been introduced (privileged).</summary>
    [CConstant("XS_IS_DOMAIN_INTRODUCED", "xen/io/xs_wire.h")]
    IsDomainIntroduced = 17,

    /// <summary><c>XS_RESUME</c>: clear a domain's shutdown flag (privileged).</summary>
    [CConstant("XS_RESUME", "xen/io/xs_wire.h")]
    Resume = 18,

    /// <summary><c>XS_SET_TARGET</c>: let a domain act on behalf of another (privileged).</summary>
    [CConstant("XS_SET_TARGET", "xen/io/xs_wire.h")]
    SetTarget = 19,

    /// <summary><c>XS_RESET_WATCHES</c>: drop all of the caller's watches and transactions. Value 20 (<c>XS_RESTRICT</c>) was removed.</summary>
    [CConstant("XS_RESET_WATCHES", "xen/io/xs_wire.h")]
    ResetWatches = 21,

    /// <summary><c>XS_DIRECTORY_PART</c>: list a directory in parts (for directories larger than one payload).</summary>
    [CConstant("XS_DIRECTORY_PART", "xen/io/xs_wire.h")]
    DirectoryPart = 22,

    /// <summary><c>XS_TYPE_COUNT</c>: one past the highest valid type (not a message type).</summary>
    [CConstant("XS_TYPE_COUNT", "xen/io/xs_wire.h")]
    TypeCount = 23,

    /// <summary><c>XS_INVALID</c>: guaranteed to remain an invalid type.</summary>
    [CConstant("XS_INVALID", "xen/io/xs_wire.h")]
    Invalid = 0xffff,
}
