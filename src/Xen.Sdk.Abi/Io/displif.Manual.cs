namespace Xen.Sdk.Abi.Io;

/// <summary>String constants of <c>xen/io/displif.h</c>: XenStore node names, values and separators of the protocol.</summary>
public static partial class Displif
{
    /// <summary><c>XENDISPL_PROTOCOL_VERSION</c>: <c>"2"</c>.</summary>
    [CStringConstant("XENDISPL_PROTOCOL_VERSION", "xen/io/displif.h")]
    public const string ProtocolVersion = "2";

    /// <summary><c>XENDISPL_DRIVER_NAME</c>: <c>"vdispl"</c>.</summary>
    [CStringConstant("XENDISPL_DRIVER_NAME", "xen/io/displif.h")]
    public const string DriverName = "vdispl";

    /// <summary><c>XENDISPL_LIST_SEPARATOR</c>: <c>","</c>.</summary>
    [CStringConstant("XENDISPL_LIST_SEPARATOR", "xen/io/displif.h")]
    public const string ListSeparator = ",";

    /// <summary><c>XENDISPL_RESOLUTION_SEPARATOR</c>: <c>"x"</c>.</summary>
    [CStringConstant("XENDISPL_RESOLUTION_SEPARATOR", "xen/io/displif.h")]
    public const string ResolutionSeparator = "x";

    /// <summary><c>XENDISPL_FIELD_BE_VERSIONS</c>: <c>"versions"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_BE_VERSIONS", "xen/io/displif.h")]
    public const string FieldBeVersions = "versions";

    /// <summary><c>XENDISPL_FIELD_FE_VERSION</c>: <c>"version"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_FE_VERSION", "xen/io/displif.h")]
    public const string FieldFeVersion = "version";

    /// <summary><c>XENDISPL_FIELD_REQ_RING_REF</c>: <c>"req-ring-ref"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_REQ_RING_REF", "xen/io/displif.h")]
    public const string FieldReqRingRef = "req-ring-ref";

    /// <summary><c>XENDISPL_FIELD_REQ_CHANNEL</c>: <c>"req-event-channel"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_REQ_CHANNEL", "xen/io/displif.h")]
    public const string FieldReqChannel = "req-event-channel";

    /// <summary><c>XENDISPL_FIELD_EVT_RING_REF</c>: <c>"evt-ring-ref"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_EVT_RING_REF", "xen/io/displif.h")]
    public const string FieldEvtRingRef = "evt-ring-ref";

    /// <summary><c>XENDISPL_FIELD_EVT_CHANNEL</c>: <c>"evt-event-channel"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_EVT_CHANNEL", "xen/io/displif.h")]
    public const string FieldEvtChannel = "evt-event-channel";

    /// <summary><c>XENDISPL_FIELD_RESOLUTION</c>: <c>"resolution"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_RESOLUTION", "xen/io/displif.h")]
    public const string FieldResolution = "resolution";

    /// <summary><c>XENDISPL_FIELD_BE_ALLOC</c>: <c>"be-alloc"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_BE_ALLOC", "xen/io/displif.h")]
    public const string FieldBeAlloc = "be-alloc";

    /// <summary><c>XENDISPL_FIELD_UNIQUE_ID</c>: <c>"unique-id"</c>.</summary>
    [CStringConstant("XENDISPL_FIELD_UNIQUE_ID", "xen/io/displif.h")]
    public const string FieldUniqueId = "unique-id";
}
