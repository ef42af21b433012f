namespace Xen.Sdk.Rings;

/// <summary>
/// What a ring operation found wrong in the shared state. A peer can write any value to any shared byte
/// at any time, so these are values, never exceptions: the caller decides whether to disconnect.
/// </summary>
public enum RingError
{
    /// <summary>The shared state is consistent.</summary>
    None = 0,

    /// <summary>
    /// The peer's producer index claims more entries (or bytes) than can exist: <c>prod - cons &gt; size</c>
    /// (<c>RING_REQUEST_PROD_OVERFLOW</c>/<c>RING_RESPONSE_PROD_OVERFLOW</c>, xen/include/public/io/ring.h),
    /// or more responses than requests outstanding, or a producer index that moved back behind a
    /// value already validated.
    /// </summary>
    ProducerOverflow = 1,

    /// <summary>
    /// The peer moved its consumer index to an impossible place: behind the previous value, or past what
    /// this side has produced.
    /// </summary>
    ConsumerOverflow = 2,

    /// <summary>The ring memory is too small for one entry, or a size/order read from shared memory is invalid.</summary>
    InvalidSize = 3,

    /// <summary>A message read from the ring is malformed (e.g. a XenStore length above the payload limit).</summary>
    MalformedMessage = 4,

    /// <summary>A peer-controlled chain (e.g. a FIFO event queue) did not terminate within its bound.</summary>
    LoopDetected = 5,

    /// <summary>A shared entry changed under an atomic operation more often than the retry bound allows.</summary>
    Contended = 6,
}
