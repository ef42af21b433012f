namespace Xen.Sdk.Abi.Io;

/// <summary>String constants of <c>xen/io/pciif.h</c>: XenStore node names, values and separators of the protocol.</summary>
public static partial class Pciif
{
    /// <summary><c>XEN_PCI_MAGIC</c>: <c>"7"</c>.</summary>
    [CStringConstant("XEN_PCI_MAGIC", "xen/io/pciif.h")]
    public const string Magic = "7";
}
