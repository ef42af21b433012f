using System;
using System.Runtime.CompilerServices;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings;

/// <summary>
/// The frontend of a Xen shared ring (<c>struct __name##_front_ring</c>, xen/include/public/io/ring.h):
/// produces requests of type <typeparamref name="TRequest"/> and consumes responses of type
/// <typeparamref name="TResponse"/> over a shared page (or several contiguous pages).
/// </summary>
/// <remarks>
/// A mutable struct: keep it in a field or a local and call its methods on that storage (never on a copy).
/// Single producer, single consumer: one thread (or one vCPU at a time) drives a given frontend.
/// Every index read from the shared page is validated; a misbehaving backend is reported through
/// <see cref="RingError"/> values and the sticky <see cref="Error"/>, after which the ring refuses to
/// consume anything.
/// </remarks>
public unsafe struct FrontRing<TRequest, TResponse>
    where TRequest : unmanaged
    where TResponse : unmanaged
{
    private const int ProducerOffset = SharedRingHeader.RequestProducerOffset;
    private const int PeerProducerOffset = SharedRingHeader.ResponseProducerOffset;
    private const int EventOffset = SharedRingHeader.ResponseEventOffset;
    private const int PeerEventOffset = SharedRingHeader.RequestEventOffset;

    // ProducerPvt = req_prod_pvt, Consumer = rsp_cons, Limit = the rsp_prod validated last. Slack 0 when
    // validating rsp_prod: the backend can never have answered more requests than were produced.
    private RingCore _core;

    private static int EntrySize
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => SharedRing.EntrySize<TRequest, TResponse>();
    }

    /// <summary>
    /// <c>XEN_FRONT_RING_INIT</c>: initialises the shared header (<c>SHARED_RING_INIT</c>) and attaches a
    /// frontend at index 0. False when <paramref name="bytes"/> cannot hold one entry.
    /// </summary>
    public static bool TryInitialize(void* sring, nuint bytes, out FrontRing<TRequest, TResponse> ring)
    {
        ring = default;
        return RingCore.TryInitialize(sring, bytes, EntrySize, out ring._core);
    }

    /// <summary>
    /// <c>FRONT_RING_ATTACH</c>: attaches to an already initialised shared ring with both private indices at
    /// <paramref name="index"/>. False when <paramref name="bytes"/> cannot hold one entry.
    /// </summary>
    public static bool TryAttach(void* sring, nuint bytes, uint index, out FrontRing<TRequest, TResponse> ring)
    {
        ring = default;
        return RingCore.TryAttach(sring, bytes, EntrySize, index, out ring._core);
    }

    /// <summary><c>RING_SIZE</c>: number of entries (a power of two).</summary>
    public readonly uint Size => _core.Size;

    /// <summary><c>req_prod_pvt</c>: requests produced so far, published or not.</summary>
    public readonly uint RequestProducer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _core.ProducerPvt;
    }

    /// <summary><c>rsp_cons</c>: responses consumed so far.</summary>
    public readonly uint ResponseConsumer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _core.Consumer;
    }

    /// <summary>The first inconsistency detected in the backend's indices, or <see cref="RingError.None"/>.</summary>
    public readonly RingError Error => _core.Error;

    /// <summary>The shared header.</summary>
    public readonly SharedRingHeader* Header => (SharedRingHeader*)_core.Sring;

    /// <summary><c>RING_FREE_REQUESTS</c>: request slots not holding an outstanding request.</summary>
    public readonly uint FreeRequests
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _core.Size - (_core.ProducerPvt - _core.Consumer);
    }

    /// <summary><c>RING_FULL</c>.</summary>
    public readonly bool IsFull
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _core.Size - (_core.ProducerPvt - _core.Consumer) == 0;
    }

    /// <summary>
    /// <c>RING_GET_REQUEST</c>: the shared slot for request <paramref name="index"/> (masked into the
    /// ring), for building a request in place before <see cref="AdvanceRequests"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref TRequest GetRequest(uint index)
        // SAFETY: the slot is masked into the ring (RingCore.Slot).
        => ref Unsafe.AsRef<TRequest>(_core.Slot(index, EntrySize));

    /// <summary>Counts <paramref name="count"/> requests built in place as produced (<c>req_prod_pvt += count</c>); false if they do not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AdvanceRequests(uint count)
    {
        if (count > FreeRequests) return false;
        _core.ProducerPvt += count;
        return true;
    }

    /// <summary>Copies one request into the next free slot (<c>*RING_GET_REQUEST(r, r-&gt;req_prod_pvt++) = req</c>); false when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryProduce(in TRequest request)
    {
        uint prod = _core.ProducerPvt;
        if (_core.Size - (prod - _core.Consumer) == 0) return false;
        // SAFETY: masked slot inside the ring.
        Unsafe.Write(_core.Slot(prod, EntrySize), request);
        _core.ProducerPvt = prod + 1;
        return true;
    }

    /// <summary>Produces as many of <paramref name="requests"/> as fit; returns how many.</summary>
    public int Produce(ReadOnlySpan<TRequest> requests)
    {
        uint free = FreeRequests;
        int n = requests.Length < (long)free ? requests.Length : (int)free;
        uint prod = _core.ProducerPvt;
        for (int i = 0; i < n; i++, prod++)
            Unsafe.Write(_core.Slot(prod, EntrySize), requests[i]);
        _core.ProducerPvt = prod;
        return n;
    }

    /// <summary><c>RING_PUSH_REQUESTS</c>: publishes the produced requests without checking for a notification.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void PushRequests() => _core.Push(ProducerOffset); // release store: entries before req_prod

    /// <summary>
    /// <c>RING_PUSH_REQUESTS_AND_CHECK_NOTIFY</c>: publishes the produced requests and returns whether the
    /// backend asked to be notified (its <c>req_event</c> lies in the newly published range).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool PushRequestsAndCheckNotify() => _core.PushAndCheckNotify(ProducerOffset, PeerEventOffset);

    /// <summary>
    /// Number of responses published and not consumed (<c>RING_HAS_UNCONSUMED_RESPONSES</c>), validated:
    /// a backend that claims more responses than requests outstanding, or moves <c>rsp_prod</c> back, yields
    /// <see cref="RingError.ProducerOverflow"/> (and 0). <c>rsp_prod</c> is read once; the responses at
    /// <see cref="ResponseConsumer"/> .. <see cref="ResponseConsumer"/> + <paramref name="count"/> - 1 may
    /// then be read with <see cref="CopyResponse"/> and released with <see cref="AdvanceResponseConsumer"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RingError UnconsumedResponses(out uint count) => _core.Refresh(PeerProducerOffset, 0, out count);

    /// <summary>
    /// <c>RING_COPY_RESPONSE</c>: one read of the slot of response <paramref name="index"/> into a private
    /// copy (masked into the ring, so any index is memory-safe; meaningful for the indices that
    /// <see cref="UnconsumedResponses"/> validated). For batch loops: validate once, copy each, advance once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TResponse CopyResponse(uint index)
        // SAFETY: masked slot inside the ring; a single read into the returned copy (no double fetch).
        => Unsafe.Read<TResponse>(_core.Slot(index, EntrySize));

    /// <summary>
    /// <c>rsp_cons += count</c> after a batch of <see cref="CopyResponse"/>; false (nothing moves) if more
    /// than the validated responses are claimed or the ring is in <see cref="Error"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AdvanceResponseConsumer(uint count) => _core.TryAdvanceConsumer(count);

    /// <summary>
    /// Copy-out consumption of one response: the slot is read once into <paramref name="response"/>, which
    /// the backend can no longer change. False when none is available or the ring is in <see cref="Error"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConsume(out TResponse response)
    {
        uint cons = _core.Consumer;
        // Everything validated so far is consumed: read and validate rsp_prod again (inline, no call).
        if (cons == _core.Limit && (_core.Refresh(PeerProducerOffset, 0, out uint n) != RingError.None || n == 0))
        {
            response = default;
            return false;
        }
        // SAFETY: masked slot inside the ring; a single read into the caller's copy (no double fetch).
        response = Unsafe.Read<TResponse>(_core.Slot(cons, EntrySize));
        _core.Consumer = cons + 1;
        return true;
    }

    /// <summary>Copy-out consumption of up to <paramref name="destination"/>.Length responses.</summary>
    public RingError Consume(Span<TResponse> destination, out int count)
    {
        count = 0;
        RingError e = UnconsumedResponses(out uint avail);
        if (e != RingError.None) return e;
        int n = destination.Length < (long)avail ? destination.Length : (int)avail;
        uint cons = _core.Consumer;
        for (int i = 0; i < n; i++, cons++)
            destination[i] = Unsafe.Read<TResponse>(_core.Slot(cons, EntrySize));
        _core.Consumer = cons;
        count = n;
        return RingError.None;
    }

    /// <summary>
    /// <c>RING_FINAL_CHECK_FOR_RESPONSES</c>: if nothing is pending, asks for a notification on the next
    /// response (<c>rsp_event = rsp_cons + 1</c>) and checks again. <paramref name="moreToDo"/> true means
    /// do not go to sleep.
    /// </summary>
    public RingError FinalCheckForResponses(out bool moreToDo) => _core.FinalCheck(PeerProducerOffset, EventOffset, 0, out moreToDo);
}
