using System.Runtime.InteropServices;

namespace Xen.Sdk.Rings;

/// <summary>
/// The 64-byte header of a shared ring page, <c>struct __name##_sring</c> of <c>DEFINE_RING_TYPES</c>
/// (xen/include/public/io/ring.h): four 32-bit indices, then padding up to the first entry at offset 64.
/// </summary>
/// <remarks>
/// <code>
/// offset  0  req_prod   written by the frontend  (requests produced)
/// offset  4  req_event  written by the backend   (notify me when req_prod passes this)
/// offset  8  rsp_prod   written by the backend   (responses produced)
/// offset 12  rsp_event  written by the frontend  (notify me when rsp_prod passes this)
/// offset 16  pvt (4 bytes: netif.smartpoll_active / tapif_user.msg / pvt_pad)
/// offset 20  __pad[44]
/// offset 64  ring[0] ... ring[size - 1]   (union of request and response)
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct SharedRingHeader
{
    /// <summary>Byte offset of <c>req_prod</c>.</summary>
    public const int RequestProducerOffset = 0;
    /// <summary>Byte offset of <c>req_event</c>.</summary>
    public const int RequestEventOffset = 4;
    /// <summary>Byte offset of <c>rsp_prod</c>.</summary>
    public const int ResponseProducerOffset = 8;
    /// <summary>Byte offset of <c>rsp_event</c>.</summary>
    public const int ResponseEventOffset = 12;
    /// <summary>Byte offset of the first ring entry (<c>offsetof(sring, ring)</c>).</summary>
    public const int EntriesOffset = 64;

    /// <summary><c>req_prod</c>: the frontend's published request producer index.</summary>
    [FieldOffset(0)] public uint RequestProducer;
    /// <summary><c>req_event</c>: the backend wants a notification once <c>req_prod</c> reaches this index.</summary>
    [FieldOffset(4)] public uint RequestEvent;
    /// <summary><c>rsp_prod</c>: the backend's published response producer index.</summary>
    [FieldOffset(8)] public uint ResponseProducer;
    /// <summary><c>rsp_event</c>: the frontend wants a notification once <c>rsp_prod</c> reaches this index.</summary>
    [FieldOffset(12)] public uint ResponseEvent;
    /// <summary><c>pvt.pvt_pad</c> as one word (protocol-private: netif smartpoll, tapif msg).</summary>
    [FieldOffset(16)] public uint Private;
}
