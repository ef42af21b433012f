using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// The layout every shared ring made by <c>DEFINE_RING_TYPES</c> has in common (xen/io/ring.h): a 64-byte
/// header of four free-running indices, a private union and padding, followed by the entries (each entry a
/// union of one request and one response, see for example <see cref="BlkifSringEntry64"/>). The number of
/// entries is the largest power of two that fits after the header (<c>__RING_SIZE</c>); each protocol's
/// constants class records it for one 4 KiB page (for example <see cref="Blkif.RingEntries"/>).
/// </summary>
/// <remarks>
/// Offsets are the same for every protocol and both bitnesses; the oracle checks them on
/// <c>struct blkif_sring</c>. The producer/consumer protocol itself (barriers, notification with
/// <c>req_event</c>/<c>rsp_event</c>) lives in Xen.Sdk.Rings.
/// </remarks>
public static class SharedRing
{
    /// <summary>Offset of <c>req_prod</c>: requests produced by the frontend (free-running).</summary>
    [CConstant("offsetof(struct blkif_sring, req_prod)", "xen/io/blkif.h")]
    public const int ReqProdOffset = 0;

    /// <summary>Offset of <c>req_event</c>: the request index at which the backend wants a notification.</summary>
    [CConstant("offsetof(struct blkif_sring, req_event)", "xen/io/blkif.h")]
    public const int ReqEventOffset = 4;

    /// <summary>Offset of <c>rsp_prod</c>: responses produced by the backend (free-running).</summary>
    [CConstant("offsetof(struct blkif_sring, rsp_prod)", "xen/io/blkif.h")]
    public const int RspProdOffset = 8;

    /// <summary>Offset of <c>rsp_event</c>: the response index at which the frontend wants a notification.</summary>
    [CConstant("offsetof(struct blkif_sring, rsp_event)", "xen/io/blkif.h")]
    public const int RspEventOffset = 12;

    /// <summary>Offset of the 4-byte private union <c>pvt</c> (netif's <c>smartpoll_active</c>, tapif's <c>msg</c>).</summary>
    [CConstant("offsetof(struct blkif_sring, pvt)", "xen/io/blkif.h")]
    public const int PvtOffset = 16;

    /// <summary>Offset of the first entry, <c>ring[0]</c>: the size of the header.</summary>
    [CConstant("offsetof(struct blkif_sring, ring)", "xen/io/blkif.h")]
    public const int RingOffset = 64;

    /// <summary>The value <c>SHARED_RING_INIT</c> stores in <c>req_event</c> and <c>rsp_event</c> (notify on the first message).</summary>
    public const uint InitialEvent = 1;

    /// <summary>
    /// <c>__RD32</c>: rounds a 32-bit value down to a power of two (0 stays 0).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The largest power of two not above <paramref name="value"/>, or 0.</returns>
    public static uint RoundDownToPowerOfTwo(uint value)
    {
        if (value == 0)
        {
            return 0;
        }

        uint result = 1;
        while ((value >>= 1) != 0)
        {
            result <<= 1;
        }

        return result;
    }

    /// <summary>
    /// <c>__RING_SIZE</c> / <c>__CONST_RING_SIZE</c>: the number of entries of <paramref name="entrySize"/>
    /// bytes in a shared ring of <paramref name="ringBytes"/> bytes (one or more pages, header included).
    /// </summary>
    /// <param name="ringBytes">Bytes of the shared ring area (for example 4096).</param>
    /// <param name="entrySize">Size of one entry, <c>sizeof(union X_sring_entry)</c>.</param>
    /// <returns>The entry count (a power of two), or 0 when the arguments admit none.</returns>
    public static uint EntryCount(int ringBytes, int entrySize)
    {
        if (entrySize <= 0 || ringBytes <= RingOffset)
        {
            return 0;
        }

        return RoundDownToPowerOfTwo((uint)((ringBytes - RingOffset) / entrySize));
    }
}
