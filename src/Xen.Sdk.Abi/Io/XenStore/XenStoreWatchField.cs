using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// <c>enum xs_watch_type</c>: the index of each NUL-terminated string in an
/// <see cref="XenStoreMessageType.WatchEvent"/> payload (xen/io/xs_wire.h).
/// </summary>
[CType("enum xs_watch_type", "xen/io/xs_wire.h")]
public enum XenStoreWatchField : uint
{
    /// <summary><c>XS_WATCH_PATH</c>: the first string, the path that changed.</summary>
    [CConstant("XS_WATCH_PATH", "xen/io/xs_wire.h")]
    Path = 0,

    /// <summary><c>XS_WATCH_TOKEN</c>: the second string, the token given to <see cref="XenStoreMessageType.Watch"/>.</summary>
    [CConstant("XS_WATCH_TOKEN", "xen/io/xs_wire.h")]
    Token = 1,
}
