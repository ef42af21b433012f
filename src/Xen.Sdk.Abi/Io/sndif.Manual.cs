namespace Xen.Sdk.Abi.Io;

/// <summary>String constants of <c>xen/io/sndif.h</c>: XenStore node names, values and separators of the protocol.</summary>
public static partial class Sndif
{
    /// <summary><c>XENSND_DRIVER_NAME</c>: <c>"vsnd"</c>.</summary>
    [CStringConstant("XENSND_DRIVER_NAME", "xen/io/sndif.h")]
    public const string DriverName = "vsnd";

    /// <summary><c>XENSND_LIST_SEPARATOR</c>: <c>","</c>.</summary>
    [CStringConstant("XENSND_LIST_SEPARATOR", "xen/io/sndif.h")]
    public const string ListSeparator = ",";

    /// <summary><c>XENSND_FIELD_BE_VERSIONS</c>: <c>"versions"</c>.</summary>
    [CStringConstant("XENSND_FIELD_BE_VERSIONS", "xen/io/sndif.h")]
    public const string FieldBeVersions = "versions";

    /// <summary><c>XENSND_FIELD_FE_VERSION</c>: <c>"version"</c>.</summary>
    [CStringConstant("XENSND_FIELD_FE_VERSION", "xen/io/sndif.h")]
    public const string FieldFeVersion = "version";

    /// <summary><c>XENSND_FIELD_VCARD_SHORT_NAME</c>: <c>"short-name"</c>.</summary>
    [CStringConstant("XENSND_FIELD_VCARD_SHORT_NAME", "xen/io/sndif.h")]
    public const string FieldVcardShortName = "short-name";

    /// <summary><c>XENSND_FIELD_VCARD_LONG_NAME</c>: <c>"long-name"</c>.</summary>
    [CStringConstant("XENSND_FIELD_VCARD_LONG_NAME", "xen/io/sndif.h")]
    public const string FieldVcardLongName = "long-name";

    /// <summary><c>XENSND_FIELD_RING_REF</c>: <c>"ring-ref"</c>.</summary>
    [CStringConstant("XENSND_FIELD_RING_REF", "xen/io/sndif.h")]
    public const string FieldRingRef = "ring-ref";

    /// <summary><c>XENSND_FIELD_EVT_CHNL</c>: <c>"event-channel"</c>.</summary>
    [CStringConstant("XENSND_FIELD_EVT_CHNL", "xen/io/sndif.h")]
    public const string FieldEvtChnl = "event-channel";

    /// <summary><c>XENSND_FIELD_EVT_RING_REF</c>: <c>"evt-ring-ref"</c>.</summary>
    [CStringConstant("XENSND_FIELD_EVT_RING_REF", "xen/io/sndif.h")]
    public const string FieldEvtRingRef = "evt-ring-ref";

    /// <summary><c>XENSND_FIELD_EVT_EVT_CHNL</c>: <c>"evt-event-channel"</c>.</summary>
    [CStringConstant("XENSND_FIELD_EVT_EVT_CHNL", "xen/io/sndif.h")]
    public const string FieldEvtEvtChnl = "evt-event-channel";

    /// <summary><c>XENSND_FIELD_DEVICE_NAME</c>: <c>"name"</c>.</summary>
    [CStringConstant("XENSND_FIELD_DEVICE_NAME", "xen/io/sndif.h")]
    public const string FieldDeviceName = "name";

    /// <summary><c>XENSND_FIELD_TYPE</c>: <c>"type"</c>.</summary>
    [CStringConstant("XENSND_FIELD_TYPE", "xen/io/sndif.h")]
    public const string FieldType = "type";

    /// <summary><c>XENSND_FIELD_STREAM_UNIQUE_ID</c>: <c>"unique-id"</c>.</summary>
    [CStringConstant("XENSND_FIELD_STREAM_UNIQUE_ID", "xen/io/sndif.h")]
    public const string FieldStreamUniqueId = "unique-id";

    /// <summary><c>XENSND_FIELD_CHANNELS_MIN</c>: <c>"channels-min"</c>.</summary>
    [CStringConstant("XENSND_FIELD_CHANNELS_MIN", "xen/io/sndif.h")]
    public const string FieldChannelsMin = "channels-min";

    /// <summary><c>XENSND_FIELD_CHANNELS_MAX</c>: <c>"channels-max"</c>.</summary>
    [CStringConstant("XENSND_FIELD_CHANNELS_MAX", "xen/io/sndif.h")]
    public const string FieldChannelsMax = "channels-max";

    /// <summary><c>XENSND_FIELD_SAMPLE_RATES</c>: <c>"sample-rates"</c>.</summary>
    [CStringConstant("XENSND_FIELD_SAMPLE_RATES", "xen/io/sndif.h")]
    public const string FieldSampleRates = "sample-rates";

    /// <summary><c>XENSND_FIELD_SAMPLE_FORMATS</c>: <c>"sample-formats"</c>.</summary>
    [CStringConstant("XENSND_FIELD_SAMPLE_FORMATS", "xen/io/sndif.h")]
    public const string FieldSampleFormats = "sample-formats";

    /// <summary><c>XENSND_FIELD_BUFFER_SIZE</c>: <c>"buffer-size"</c>.</summary>
    [CStringConstant("XENSND_FIELD_BUFFER_SIZE", "xen/io/sndif.h")]
    public const string FieldBufferSize = "buffer-size";

    /// <summary><c>XENSND_STREAM_TYPE_PLAYBACK</c>: <c>"p"</c>.</summary>
    [CStringConstant("XENSND_STREAM_TYPE_PLAYBACK", "xen/io/sndif.h")]
    public const string StreamTypePlayback = "p";

    /// <summary><c>XENSND_STREAM_TYPE_CAPTURE</c>: <c>"c"</c>.</summary>
    [CStringConstant("XENSND_STREAM_TYPE_CAPTURE", "xen/io/sndif.h")]
    public const string StreamTypeCapture = "c";

    /// <summary><c>XENSND_PCM_FORMAT_S8_STR</c>: <c>"s8"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_S8_STR", "xen/io/sndif.h")]
    public const string PcmFormatS8Str = "s8";

    /// <summary><c>XENSND_PCM_FORMAT_U8_STR</c>: <c>"u8"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_U8_STR", "xen/io/sndif.h")]
    public const string PcmFormatU8Str = "u8";

    /// <summary><c>XENSND_PCM_FORMAT_S16_LE_STR</c>: <c>"s16_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_S16_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatS16LeStr = "s16_le";

    /// <summary><c>XENSND_PCM_FORMAT_S16_BE_STR</c>: <c>"s16_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_S16_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatS16BeStr = "s16_be";

    /// <summary><c>XENSND_PCM_FORMAT_U16_LE_STR</c>: <c>"u16_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_U16_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatU16LeStr = "u16_le";

    /// <summary><c>XENSND_PCM_FORMAT_U16_BE_STR</c>: <c>"u16_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_U16_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatU16BeStr = "u16_be";

    /// <summary><c>XENSND_PCM_FORMAT_S24_LE_STR</c>: <c>"s24_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_S24_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatS24LeStr = "s24_le";

    /// <summary><c>XENSND_PCM_FORMAT_S24_BE_STR</c>: <c>"s24_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_S24_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatS24BeStr = "s24_be";

    /// <summary><c>XENSND_PCM_FORMAT_U24_LE_STR</c>: <c>"u24_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_U24_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatU24LeStr = "u24_le";

    /// <summary><c>XENSND_PCM_FORMAT_U24_BE_STR</c>: <c>"u24_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_U24_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatU24BeStr = "u24_be";

    /// <summary><c>XENSND_PCM_FORMAT_S32_LE_STR</c>: <c>"s32_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_S32_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatS32LeStr = "s32_le";

    /// <summary><c>XENSND_PCM_FORMAT_S32_BE_STR</c>: <c>"s32_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_S32_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatS32BeStr = "s32_be";

    /// <summary><c>XENSND_PCM_FORMAT_U32_LE_STR</c>: <c>"u32_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_U32_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatU32LeStr = "u32_le";

    /// <summary><c>XENSND_PCM_FORMAT_U32_BE_STR</c>: <c>"u32_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_U32_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatU32BeStr = "u32_be";

    /// <summary><c>XENSND_PCM_FORMAT_F32_LE_STR</c>: <c>"float_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_F32_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatF32LeStr = "float_le";

    /// <summary><c>XENSND_PCM_FORMAT_F32_BE_STR</c>: <c>"float_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_F32_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatF32BeStr = "float_be";

    /// <summary><c>XENSND_PCM_FORMAT_F64_LE_STR</c>: <c>"float64_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_F64_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatF64LeStr = "float64_le";

    /// <summary><c>XENSND_PCM_FORMAT_F64_BE_STR</c>: <c>"float64_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_F64_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatF64BeStr = "float64_be";

    /// <summary><c>XENSND_PCM_FORMAT_IEC958_SUBFRAME_LE_STR</c>: <c>"iec958_subframe_le"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_IEC958_SUBFRAME_LE_STR", "xen/io/sndif.h")]
    public const string PcmFormatIec958SubframeLeStr = "iec958_subframe_le";

    /// <summary><c>XENSND_PCM_FORMAT_IEC958_SUBFRAME_BE_STR</c>: <c>"iec958_subframe_be"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_IEC958_SUBFRAME_BE_STR", "xen/io/sndif.h")]
    public const string PcmFormatIec958SubframeBeStr = "iec958_subframe_be";

    /// <summary><c>XENSND_PCM_FORMAT_MU_LAW_STR</c>: <c>"mu_law"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_MU_LAW_STR", "xen/io/sndif.h")]
    public const string PcmFormatMuLawStr = "mu_law";

    /// <summary><c>XENSND_PCM_FORMAT_A_LAW_STR</c>: <c>"a_law"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_A_LAW_STR", "xen/io/sndif.h")]
    public const string PcmFormatALawStr = "a_law";

    /// <summary><c>XENSND_PCM_FORMAT_IMA_ADPCM_STR</c>: <c>"ima_adpcm"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_IMA_ADPCM_STR", "xen/io/sndif.h")]
    public const string PcmFormatImaAdpcmStr = "ima_adpcm";

    /// <summary><c>XENSND_PCM_FORMAT_MPEG_STR</c>: <c>"mpeg"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_MPEG_STR", "xen/io/sndif.h")]
    public const string PcmFormatMpegStr = "mpeg";

    /// <summary><c>XENSND_PCM_FORMAT_GSM_STR</c>: <c>"gsm"</c>.</summary>
    [CStringConstant("XENSND_PCM_FORMAT_GSM_STR", "xen/io/sndif.h")]
    public const string PcmFormatGsmStr = "gsm";
}
