using System;
using System.Runtime.CompilerServices;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings;

/// <summary>
/// The backend of a Xen shared ring (<c>struct __name##_back_ring</c>, xen/include/public/io/ring.h):
/// consumes requests of type <typeparamref name="TRequest"/> and produces responses of type
/// <typeparamref name="TResponse"/>.
/// </summary>
/// <remarks>
/// A mutable struct: call its methods on the storage that holds it. Requests are consumed by copy-out
/// only (each slot read once into a private copy), so a frontend rewriting a slot after publishing it
/// cannot change what the backend validated. A frontend whose <c>req_prod</c> runs more than
/// <see cref="Size"/> ahead of the responses is reported as <see cref="RingError.ProducerOverflow"/>.
/// </remarks>
public unsafe struct BackRing<TRequest, TResponse>
    where TRequest : unmanaged
    where TResponse : unmanaged
{
    private const int ProducerOffset = SharedRingHeader.ResponseProducerOffset;
    private const int PeerProducerOffset = SharedRingHeader.RequestProducerOffset;
    private const int EventOffset = SharedRingHeader.RequestEventOffset;
    private const int PeerEventOffset = SharedRingHeader.ResponseEventOffset;

    // ProducerPvt = rsp_prod_pvt, Consumer = req_cons, Limit = the req_prod validated last. Slack Size when
    // validating req_prod: RING_REQUEST_PROD_OVERFLOW, req_prod - rsp_prod_pvt <= size.
    private RingCore _core;

    private static int EntrySize
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => SharedRing.EntrySize<TRequest, TResponse>();
    }

    /// <summary>
    /// <c>SHARED_RING_INIT</c> + <c>BACK_RING_INIT</c> (for a backend that owns the page set-up, e.g. in tests).
    /// </summary>
    public static bool TryInitialize(void* sring, nuint bytes, out BackRing<TRequest, TResponse> ring)
    {
        ring = default;
        return RingCore.TryInitialize(sring, bytes, EntrySize, out ring._core);
    }

    /// <summary><c>BACK_RING_ATTACH</c>: both private indices at <paramref name="index"/>.</summary>
    public static bool TryAttach(void* sring, nuint bytes, uint index, out BackRing<TRequest, TResponse> ring)
    {
        ring = default;
        return RingCore.TryAttach(sring, bytes, EntrySize, index, out ring._core);
    }

    /// <summary><c>RING_SIZE</c>.</summary>
    public readonly uint Size => _core.Size;

    /// <summary><c>rsp_prod_pvt</c>: responses produced so far, published or not.</summary>
    public readonly uint ResponseProducer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _core.ProducerPvt;
    }

    /// <summary><c>req_cons</c>: requests consumed so far.</summary>
    public readonly uint RequestConsumer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _core.Consumer;
    }

    /// <summary>The first inconsistency detected in the frontend's indices, or <see cref="RingError.None"/>.</summary>
    public readonly RingError Error => _core.Error;

    /// <summary>The shared header.</summary>
    public readonly SharedRingHeader* Header => (SharedRingHeader*)_core.Sring;

    /// <summary>Requests consumed and not yet answered (the slots a response may be written to).</summary>
    public readonly uint PendingResponses
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _core.Consumer - _core.ProducerPvt;
    }

    /// <summary>
    /// <c>RING_HAS_UNCONSUMED_REQUESTS</c>, validated: <c>min(req_prod - req_cons, size - (req_cons - rsp_prod_pvt))</c>
    /// (the two agree once validated), or <see cref="RingError.ProducerOverflow"/> when
    /// <c>req_prod - rsp_prod_pvt &gt; size</c> (<c>RING_REQUEST_PROD_OVERFLOW</c>) or <c>req_prod</c> moved
    /// back. <c>req_prod</c> is read once; the requests at <see cref="RequestConsumer"/> ..
    /// <see cref="RequestConsumer"/> + <paramref name="count"/> - 1 may then be read with
    /// <see cref="CopyRequest"/> and released with <see cref="AdvanceRequestConsumer"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RingError UnconsumedRequests(out uint count) => _core.Refresh(PeerProducerOffset, _core.Size, out count);

    /// <summary>
    /// <c>RING_COPY_REQUEST</c>: one read of the slot of request <paramref name="index"/> into a private copy
    /// (masked into the ring, so any index is memory-safe; meaningful for the indices that
    /// <see cref="UnconsumedRequests"/> validated). Validate and use only the copy: the frontend may rewrite
    /// the slot at any time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TRequest CopyRequest(uint index)
        // SAFETY: masked slot inside the ring; a single read into the returned copy (no double fetch).
        => Unsafe.Read<TRequest>(_core.Slot(index, EntrySize));

    /// <summary>
    /// <c>req_cons += count</c> after a batch of <see cref="CopyRequest"/>; false (nothing moves) if more
    /// than the validated requests are claimed or the ring is in <see cref="Error"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AdvanceRequestConsumer(uint count) => _core.TryAdvanceConsumer(count);

    /// <summary>
    /// Copy-out consumption of one request (<c>RING_COPY_REQUEST</c>, then <c>req_cons++</c>). False when
    /// none is available or the ring is in <see cref="Error"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConsume(out TRequest request)
    {
        uint cons = _core.Consumer;
        // Everything validated so far is consumed: read and validate req_prod again (inline, no call).
        if (cons == _core.Limit && (_core.Refresh(PeerProducerOffset, _core.Size, out uint n) != RingError.None || n == 0))
        {
            request = default;
            return false;
        }
        // SAFETY: masked slot inside the ring; one read of the slot into the private copy (no double fetch).
        request = Unsafe.Read<TRequest>(_core.Slot(cons, EntrySize));
        _core.Consumer = cons + 1;
        return true;
    }

    /// <summary>Copy-out consumption of up to <paramref name="destination"/>.Length requests.</summary>
    public RingError Consume(Span<TRequest> destination, out int count)
    {
        count = 0;
        RingError e = UnconsumedRequests(out uint avail);
        if (e != RingError.None) return e;
        int n = destination.Length < (long)avail ? destination.Length : (int)avail;
        uint cons = _core.Consumer;
        for (int i = 0; i < n; i++, cons++)
            destination[i] = Unsafe.Read<TRequest>(_core.Slot(cons, EntrySize));
        _core.Consumer = cons;
        count = n;
        return RingError.None;
    }

    /// <summary><c>RING_GET_RESPONSE</c>: the shared slot for response <paramref name="index"/>, for building in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref TResponse GetResponse(uint index)
        // SAFETY: masked slot inside the ring.
        => ref Unsafe.AsRef<TResponse>(_core.Slot(index, EntrySize));

    /// <summary>Counts <paramref name="count"/> responses built in place as produced; false if fewer requests are pending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AdvanceResponses(uint count)
    {
        if (count > PendingResponses) return false;
        _core.ProducerPvt += count;
        return true;
    }

    /// <summary>
    /// Writes one response into the next slot (<c>*RING_GET_RESPONSE(r, r-&gt;rsp_prod_pvt++) = rsp</c>).
    /// False when every consumed request already has its response (the slot would overwrite an unread request).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryProduce(in TResponse response)
    {
        uint prod = _core.ProducerPvt;
        if (prod == _core.Consumer) return false;
        Unsafe.Write(_core.Slot(prod, EntrySize), response);
        _core.ProducerPvt = prod + 1;
        return true;
    }

    /// <summary>Produces as many of <paramref name="responses"/> as there are pending requests; returns how many.</summary>
    public int Produce(ReadOnlySpan<TResponse> responses)
    {
        uint pending = PendingResponses;
        int n = responses.Length < (long)pending ? responses.Length : (int)pending;
        uint prod = _core.ProducerPvt;
        for (int i = 0; i < n; i++, prod++)
            Unsafe.Write(_core.Slot(prod, EntrySize), responses[i]);
        _core.ProducerPvt = prod;
        return n;
    }

    /// <summary><c>RING_PUSH_RESPONSES</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void PushResponses() => _core.Push(ProducerOffset); // release store: entries before rsp_prod

    /// <summary><c>RING_PUSH_RESPONSES_AND_CHECK_NOTIFY</c>: publishes and returns whether the frontend asked to be notified.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool PushResponsesAndCheckNotify() => _core.PushAndCheckNotify(ProducerOffset, PeerEventOffset);

    /// <summary>
    /// <c>RING_FINAL_CHECK_FOR_REQUESTS</c>: if nothing is pending, sets <c>req_event = req_cons + 1</c>
    /// and checks again; <paramref name="moreToDo"/> true means do not sleep.
    /// </summary>
    public RingError FinalCheckForRequests(out bool moreToDo) => _core.FinalCheck(PeerProducerOffset, EventOffset, _core.Size, out moreToDo);
}
