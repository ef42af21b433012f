namespace Xen.Sdk.Abi.Io;

/// <summary>String constants of <c>xen/io/kbdif.h</c>: XenStore node names, values and separators of the protocol.</summary>
public static partial class Kbdif
{
    /// <summary><c>XENKBD_DRIVER_NAME</c>: <c>"vkbd"</c>.</summary>
    [CStringConstant("XENKBD_DRIVER_NAME", "xen/io/kbdif.h")]
    public const string DriverName = "vkbd";

    /// <summary><c>XENKBD_FIELD_FEAT_DSBL_KEYBRD</c>: <c>"feature-disable-keyboard"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_FEAT_DSBL_KEYBRD", "xen/io/kbdif.h")]
    public const string FieldFeatDsblKeybrd = "feature-disable-keyboard";

    /// <summary><c>XENKBD_FIELD_FEAT_DSBL_POINTER</c>: <c>"feature-disable-pointer"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_FEAT_DSBL_POINTER", "xen/io/kbdif.h")]
    public const string FieldFeatDsblPointer = "feature-disable-pointer";

    /// <summary><c>XENKBD_FIELD_FEAT_ABS_POINTER</c>: <c>"feature-abs-pointer"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_FEAT_ABS_POINTER", "xen/io/kbdif.h")]
    public const string FieldFeatAbsPointer = "feature-abs-pointer";

    /// <summary><c>XENKBD_FIELD_FEAT_RAW_POINTER</c>: <c>"feature-raw-pointer"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_FEAT_RAW_POINTER", "xen/io/kbdif.h")]
    public const string FieldFeatRawPointer = "feature-raw-pointer";

    /// <summary><c>XENKBD_FIELD_FEAT_MTOUCH</c>: <c>"feature-multi-touch"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_FEAT_MTOUCH", "xen/io/kbdif.h")]
    public const string FieldFeatMtouch = "feature-multi-touch";

    /// <summary><c>XENKBD_FIELD_REQ_ABS_POINTER</c>: <c>"request-abs-pointer"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_REQ_ABS_POINTER", "xen/io/kbdif.h")]
    public const string FieldReqAbsPointer = "request-abs-pointer";

    /// <summary><c>XENKBD_FIELD_REQ_RAW_POINTER</c>: <c>"request-raw-pointer"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_REQ_RAW_POINTER", "xen/io/kbdif.h")]
    public const string FieldReqRawPointer = "request-raw-pointer";

    /// <summary><c>XENKBD_FIELD_REQ_MTOUCH</c>: <c>"request-multi-touch"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_REQ_MTOUCH", "xen/io/kbdif.h")]
    public const string FieldReqMtouch = "request-multi-touch";

    /// <summary><c>XENKBD_FIELD_RING_GREF</c>: <c>"page-gref"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_RING_GREF", "xen/io/kbdif.h")]
    public const string FieldRingGref = "page-gref";

    /// <summary><c>XENKBD_FIELD_EVT_CHANNEL</c>: <c>"event-channel"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_EVT_CHANNEL", "xen/io/kbdif.h")]
    public const string FieldEvtChannel = "event-channel";

    /// <summary><c>XENKBD_FIELD_WIDTH</c>: <c>"width"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_WIDTH", "xen/io/kbdif.h")]
    public const string FieldWidth = "width";

    /// <summary><c>XENKBD_FIELD_HEIGHT</c>: <c>"height"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_HEIGHT", "xen/io/kbdif.h")]
    public const string FieldHeight = "height";

    /// <summary><c>XENKBD_FIELD_MT_WIDTH</c>: <c>"multi-touch-width"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_MT_WIDTH", "xen/io/kbdif.h")]
    public const string FieldMtWidth = "multi-touch-width";

    /// <summary><c>XENKBD_FIELD_MT_HEIGHT</c>: <c>"multi-touch-height"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_MT_HEIGHT", "xen/io/kbdif.h")]
    public const string FieldMtHeight = "multi-touch-height";

    /// <summary><c>XENKBD_FIELD_MT_NUM_CONTACTS</c>: <c>"multi-touch-num-contacts"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_MT_NUM_CONTACTS", "xen/io/kbdif.h")]
    public const string FieldMtNumContacts = "multi-touch-num-contacts";

    /// <summary><c>XENKBD_FIELD_UNIQUE_ID</c>: <c>"unique-id"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_UNIQUE_ID", "xen/io/kbdif.h")]
    public const string FieldUniqueId = "unique-id";

    /// <summary><c>XENKBD_FIELD_RING_REF</c>: <c>"page-ref"</c>.</summary>
    [CStringConstant("XENKBD_FIELD_RING_REF", "xen/io/kbdif.h")]
    public const string FieldRingRef = "page-ref";
}
