using System.Runtime.CompilerServices;

namespace Xen.Sdk.Rings.Internal;

/// <summary>
/// The part of an <c>io/ring.h</c> ring end that the frontend and the backend share
/// (xen/include/public/io/ring.h): the mapping, the two private indices of this side (what it produced,
/// what it consumed), the peer's producer index last validated, and the sticky error.
/// <see cref="FrontRing{TRequest, TResponse}"/> produces requests and consumes responses,
/// <see cref="BackRing{TRequest, TResponse}"/> the reverse; both are this core plus the header offsets of
/// their direction.
/// </summary>
/// <remarks>
/// <code>
///                     own producer (pvt)   own consumer   peer producer (shared)   own event   peer event
///  frontend:          req_prod_pvt         rsp_cons       rsp_prod  (offset 8)     rsp_event   req_event
///  backend:           rsp_prod_pvt         req_cons       req_prod  (offset 0)     req_event   rsp_event
/// </code>
/// One validation serves both directions: the peer's producer may be at most <c>slack</c> entries ahead of
/// this side's own producer, measured from the consumer:
/// <c>prod - cons &lt;= (producerPvt + slack) - cons</c>. The frontend passes slack 0 (no more responses
/// than requests outstanding); the backend passes <see cref="Size"/> (<c>RING_REQUEST_PROD_OVERFLOW</c>:
/// <c>req_prod - rsp_prod_pvt &lt;= size</c>). A producer index behind the last validated one is rejected
/// too (producer indices only grow). All arithmetic is unsigned 32-bit, so the checks hold across 2^32.
/// The private indices live in this struct, never in shared memory; the shared header is only read for the
/// peer's producer and event and only written for this side's producer and event.
/// </remarks>
internal unsafe struct RingCore
{
    /// <summary>The shared header (<c>struct __name##_sring</c>).</summary>
    public byte* Sring;
    /// <summary>The first entry (<c>sring-&gt;ring</c>).</summary>
    public byte* Entries;
    /// <summary><c>RING_SIZE</c>, a power of two.</summary>
    public uint Size;
    /// <summary><c>Size - 1</c>: <c>index &amp; Mask</c> is the slot.</summary>
    public uint Mask;
    /// <summary>This side's producer: <c>req_prod_pvt</c> (frontend) or <c>rsp_prod_pvt</c> (backend).</summary>
    public uint ProducerPvt;
    /// <summary>This side's consumer: <c>rsp_cons</c> (frontend) or <c>req_cons</c> (backend).</summary>
    public uint Consumer;
    /// <summary>The peer's producer index as last validated: entries below it may be consumed.</summary>
    public uint Limit;
    /// <summary>The first inconsistency found in the peer's indices (sticky).</summary>
    public RingError Error;

    /// <summary><c>SHARED_RING_INIT</c> + attach at index 0 (<c>XEN_FRONT_RING_INIT</c>/<c>BACK_RING_INIT</c>).</summary>
    public static bool TryInitialize(void* sring, nuint bytes, int entrySize, out RingCore core)
    {
        if (!TryAttach(sring, bytes, entrySize, 0, out core)) return false;
        SharedRing.Initialize(sring);
        return true;
    }

    /// <summary><c>FRONT_RING_ATTACH</c>/<c>BACK_RING_ATTACH</c>: both private indices at <paramref name="index"/>.</summary>
    public static bool TryAttach(void* sring, nuint bytes, int entrySize, uint index, out RingCore core)
    {
        core = default;
        uint size = SharedRing.EntryCount(bytes, entrySize);
        if (sring == null || size == 0) return false;
        core.Sring = (byte*)sring;
        core.Entries = (byte*)sring + SharedRingHeader.EntriesOffset;
        core.Size = size;
        core.Mask = size - 1;
        core.ProducerPvt = index;
        core.Consumer = index;
        core.Limit = index;
        return true;
    }

    /// <summary>The slot of <paramref name="index"/> (<c>RING_GET_REQUEST/RESPONSE</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly byte* Slot(uint index, int entrySize)
        // SAFETY: (index & Mask) < Size and the mapping holds Size entries of entrySize bytes after the header.
        => Entries + (nuint)(index & Mask) * (nuint)entrySize;

    /// <summary>
    /// Reads the peer's producer index once (acquire: <c>xen_rmb()</c>, the entries below it are read only
    /// after it) and validates it. On success <see cref="Limit"/> moves to it and <paramref name="count"/> is
    /// the number of entries that may be consumed; on failure the ring faults (sticky) and count is 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RingError Refresh(int peerProducerOffset, uint slack, out uint count)
    {
        count = 0;
        if (Error != RingError.None) return Error;
        uint prod = Atomic.ReadAcquire((uint*)(Sring + peerProducerOffset));
        uint cons = Consumer;
        uint n = prod - cons;
        // Too far ahead (RING_*_PROD_OVERFLOW), or moved back behind a value already validated.
        if (n > ProducerPvt + slack - cons || n < Limit - cons)
        {
            // Written inline: a call taking `this` would make the caller's ring struct address-exposed and
            // keep its indices in memory in every loop around it.
            Error = RingError.ProducerOverflow;
            return RingError.ProducerOverflow;
        }
        Limit = prod;
        count = n;
        return RingError.None;
    }

    /// <summary>
    /// Moves the consumer by <paramref name="count"/> inside the validated window
    /// (<c>cons += count</c>); false (nothing moves) if the window is smaller or the ring is faulted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdvanceConsumer(uint count)
    {
        uint cons = Consumer;
        if (count > Limit - cons || Error != RingError.None) return false;
        Consumer = cons + count;
        return true;
    }

    /// <summary><c>RING_PUSH_*</c>: publishes <see cref="ProducerPvt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Push(int ownProducerOffset)
    {
        // xen_wmb(): the peer must see the entries written before this index (release store).
        Atomic.WriteRelease((uint*)(Sring + ownProducerOffset), ProducerPvt);
    }

    /// <summary><c>RING_PUSH_*_AND_CHECK_NOTIFY</c>: publishes and says whether the peer's event lies in the published range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool PushAndCheckNotify(int ownProducerOffset, int peerEventOffset)
    {
        uint newProd = ProducerPvt;
        // xen_wmb() + store + xen_mb(): the exchange is a release store (the peer sees the entries before the
        // index) and a full fence (the peer sees the new index before we read its event index below, or a
        // peer going to sleep in between would miss its notification). The old value it returns is our own
        // previous producer (the macro reads it before the store).
        uint old = Atomic.Exchange((uint*)(Sring + ownProducerOffset), newProd);
        uint evt = Atomic.ReadAcquire((uint*)(Sring + peerEventOffset));
        return newProd - evt < newProd - old;
    }

    /// <summary>
    /// <c>RING_FINAL_CHECK_FOR_*</c>: if nothing is pending, asks for a notification on the next entry
    /// (own event = <c>cons + 1</c>) and checks again.
    /// </summary>
    public RingError FinalCheck(int peerProducerOffset, int ownEventOffset, uint slack, out bool moreToDo)
    {
        RingError e = Refresh(peerProducerOffset, slack, out uint n);
        if (e != RingError.None || n != 0)
        {
            moreToDo = n != 0;
            return e;
        }
        // Store the event index, then xen_mb() (the locked exchange is a full fence): the peer must see the
        // new event index before we re-read its producer, or an entry pushed in between would go unnotified.
        Atomic.Exchange((uint*)(Sring + ownEventOffset), Consumer + 1);
        e = Refresh(peerProducerOffset, slack, out n);
        moreToDo = n != 0;
        return e;
    }
}
