using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary><c>enum usb_spec_version</c> (xen/io/usbif.h): the USB version a usbif backend's root hub reports.</summary>
[CType("enum usb_spec_version", "xen/io/usbif.h")]
public enum UsbSpecVersion : uint
{
    /// <summary><c>USB_VER_UNKNOWN</c>.</summary>
    [CConstant("USB_VER_UNKNOWN", "xen/io/usbif.h")]
    Unknown = 0,

    /// <summary><c>USB_VER_USB11</c>: USB 1.1.</summary>
    [CConstant("USB_VER_USB11", "xen/io/usbif.h")]
    Usb11 = 1,

    /// <summary><c>USB_VER_USB20</c>: USB 2.0.</summary>
    [CConstant("USB_VER_USB20", "xen/io/usbif.h")]
    Usb20 = 2,

    /// <summary><c>USB_VER_USB30</c>: USB 3.0 (not supported yet by the protocol).</summary>
    [CConstant("USB_VER_USB30", "xen/io/usbif.h")]
    Usb30 = 3,
}
