using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi;

/// <summary>The Xen public interface version these types mirror.</summary>
public static class XenInterface
{
    /// <summary>
    /// <c>__XEN_LATEST_INTERFACE_VERSION__</c> of the Xen 4.17 public headers (<c>xen/xen-compat.h</c>):
    /// major version in bits 16..23, minor in bits 8..15.
    /// </summary>
    [CConstant("__XEN_LATEST_INTERFACE_VERSION__", "xen/xen-compat.h")]
    public const uint Version = 0x00040e00;
}
