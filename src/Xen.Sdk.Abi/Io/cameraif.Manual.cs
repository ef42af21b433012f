namespace Xen.Sdk.Abi.Io;

/// <summary>String constants of <c>xen/io/cameraif.h</c>: XenStore node names, values and separators of the protocol.</summary>
public static partial class Cameraif
{
    /// <summary><c>XENCAMERA_PROTOCOL_VERSION</c>: <c>"1"</c>.</summary>
    [CStringConstant("XENCAMERA_PROTOCOL_VERSION", "xen/io/cameraif.h")]
    public const string ProtocolVersion = "1";

    /// <summary><c>XENCAMERA_DRIVER_NAME</c>: <c>"vcamera"</c>.</summary>
    [CStringConstant("XENCAMERA_DRIVER_NAME", "xen/io/cameraif.h")]
    public const string DriverName = "vcamera";

    /// <summary><c>XENCAMERA_LIST_SEPARATOR</c>: <c>","</c>.</summary>
    [CStringConstant("XENCAMERA_LIST_SEPARATOR", "xen/io/cameraif.h")]
    public const string ListSeparator = ",";

    /// <summary><c>XENCAMERA_RESOLUTION_SEPARATOR</c>: <c>"x"</c>.</summary>
    [CStringConstant("XENCAMERA_RESOLUTION_SEPARATOR", "xen/io/cameraif.h")]
    public const string ResolutionSeparator = "x";

    /// <summary><c>XENCAMERA_FRACTION_SEPARATOR</c>: <c>"/"</c>.</summary>
    [CStringConstant("XENCAMERA_FRACTION_SEPARATOR", "xen/io/cameraif.h")]
    public const string FractionSeparator = "/";

    /// <summary><c>XENCAMERA_FIELD_BE_VERSIONS</c>: <c>"versions"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_BE_VERSIONS", "xen/io/cameraif.h")]
    public const string FieldBeVersions = "versions";

    /// <summary><c>XENCAMERA_FIELD_FE_VERSION</c>: <c>"version"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_FE_VERSION", "xen/io/cameraif.h")]
    public const string FieldFeVersion = "version";

    /// <summary><c>XENCAMERA_FIELD_REQ_RING_REF</c>: <c>"req-ring-ref"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_REQ_RING_REF", "xen/io/cameraif.h")]
    public const string FieldReqRingRef = "req-ring-ref";

    /// <summary><c>XENCAMERA_FIELD_REQ_CHANNEL</c>: <c>"req-event-channel"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_REQ_CHANNEL", "xen/io/cameraif.h")]
    public const string FieldReqChannel = "req-event-channel";

    /// <summary><c>XENCAMERA_FIELD_EVT_RING_REF</c>: <c>"evt-ring-ref"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_EVT_RING_REF", "xen/io/cameraif.h")]
    public const string FieldEvtRingRef = "evt-ring-ref";

    /// <summary><c>XENCAMERA_FIELD_EVT_CHANNEL</c>: <c>"evt-event-channel"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_EVT_CHANNEL", "xen/io/cameraif.h")]
    public const string FieldEvtChannel = "evt-event-channel";

    /// <summary><c>XENCAMERA_FIELD_MAX_BUFFERS</c>: <c>"max-buffers"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_MAX_BUFFERS", "xen/io/cameraif.h")]
    public const string FieldMaxBuffers = "max-buffers";

    /// <summary><c>XENCAMERA_FIELD_CONTROLS</c>: <c>"controls"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_CONTROLS", "xen/io/cameraif.h")]
    public const string FieldControls = "controls";

    /// <summary><c>XENCAMERA_FIELD_FORMATS</c>: <c>"formats"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_FORMATS", "xen/io/cameraif.h")]
    public const string FieldFormats = "formats";

    /// <summary><c>XENCAMERA_FIELD_FRAME_RATES</c>: <c>"frame-rates"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_FRAME_RATES", "xen/io/cameraif.h")]
    public const string FieldFrameRates = "frame-rates";

    /// <summary><c>XENCAMERA_FIELD_BE_ALLOC</c>: <c>"be-alloc"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_BE_ALLOC", "xen/io/cameraif.h")]
    public const string FieldBeAlloc = "be-alloc";

    /// <summary><c>XENCAMERA_FIELD_UNIQUE_ID</c>: <c>"unique-id"</c>.</summary>
    [CStringConstant("XENCAMERA_FIELD_UNIQUE_ID", "xen/io/cameraif.h")]
    public const string FieldUniqueId = "unique-id";

    /// <summary><c>XENCAMERA_CTRL_BRIGHTNESS_STR</c>: <c>"brightness"</c>.</summary>
    [CStringConstant("XENCAMERA_CTRL_BRIGHTNESS_STR", "xen/io/cameraif.h")]
    public const string CtrlBrightnessStr = "brightness";

    /// <summary><c>XENCAMERA_CTRL_CONTRAST_STR</c>: <c>"contrast"</c>.</summary>
    [CStringConstant("XENCAMERA_CTRL_CONTRAST_STR", "xen/io/cameraif.h")]
    public const string CtrlContrastStr = "contrast";

    /// <summary><c>XENCAMERA_CTRL_SATURATION_STR</c>: <c>"saturation"</c>.</summary>
    [CStringConstant("XENCAMERA_CTRL_SATURATION_STR", "xen/io/cameraif.h")]
    public const string CtrlSaturationStr = "saturation";

    /// <summary><c>XENCAMERA_CTRL_HUE_STR</c>: <c>"hue"</c>.</summary>
    [CStringConstant("XENCAMERA_CTRL_HUE_STR", "xen/io/cameraif.h")]
    public const string CtrlHueStr = "hue";

    /// <summary><c>XENCAMERA_FOURCC_BIGENDIAN_STR</c>: <c>"-BE"</c>.</summary>
    [CStringConstant("XENCAMERA_FOURCC_BIGENDIAN_STR", "xen/io/cameraif.h")]
    public const string FourccBigendianStr = "-BE";
}
