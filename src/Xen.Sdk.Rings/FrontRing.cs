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
    private byte* _sring;
    private byte* _entries;
    private uint _size;
    private uint _mask;
    private uint _reqProdPvt;
    private uint _rspCons;
    private uint _rspProdSeen;
    private RingError _error;

    /// <summary>
    /// <c>XEN_FRONT_RING_INIT</c>: initialises the shared header (<c>SHARED_RING_INIT</c>) and attaches a
    /// frontend at index 0. False when <paramref name="bytes"/> cannot hold one entry.
    /// </summary>
    public static bool TryInitialize(void* sring, nuint bytes, out FrontRing<TRequest, TResponse> ring)
    {
        if (!TryAttach(sring, bytes, 0, out ring)) return false;
        SharedRing.Initialize(sring);
        return true;
    }

    /// <summary>
    /// <c>FRONT_RING_ATTACH</c>: attaches to an already initialised shared ring with both private indices at
    /// <paramref name="index"/>. False when <paramref name="bytes"/> cannot hold one entry.
    /// </summary>
    public static bool TryAttach(void* sring, nuint bytes, uint index, out FrontRing<TRequest, TResponse> ring)
    {
        ring = default;
        int entrySize = SharedRing.EntrySize<TRequest, TResponse>();
        uint size = SharedRing.EntryCount(bytes, entrySize);
        if (sring == null || size == 0) return false;
        ring._sring = (byte*)sring;
        ring._entries = (byte*)sring + SharedRingHeader.EntriesOffset;
        ring._size = size;
        ring._mask = size - 1;
        ring._reqProdPvt = index;
        ring._rspCons = index;
        ring._rspProdSeen = index;
        return true;
    }

    /// <summary><c>RING_SIZE</c>: number of entries (a power of two).</summary>
    public readonly uint Size => _size;

    /// <summary><c>req_prod_pvt</c>: requests produced so far, published or not.</summary>
    public readonly uint RequestProducer => _reqProdPvt;

    /// <summary><c>rsp_cons</c>: responses consumed so far.</summary>
    public readonly uint ResponseConsumer => _rspCons;

    /// <summary>The first inconsistency detected in the backend's indices, or <see cref="RingError.None"/>.</summary>
    public readonly RingError Error => _error;

    /// <summary>The shared header.</summary>
    public readonly SharedRingHeader* Header => (SharedRingHeader*)_sring;

    /// <summary><c>RING_FREE_REQUESTS</c>: request slots not holding an outstanding request.</summary>
    public readonly uint FreeRequests
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _size - (_reqProdPvt - _rspCons);
    }

    /// <summary><c>RING_FULL</c>.</summary>
    public readonly bool IsFull
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _size - (_reqProdPvt - _rspCons) == 0;
    }

    /// <summary>
    /// <c>RING_GET_REQUEST</c>: the shared slot for request <paramref name="index"/> (masked into the
    /// ring), for building a request in place before <see cref="AdvanceRequests"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref TRequest GetRequest(uint index)
        // SAFETY: (index & _mask) < _size and the ring holds _size entries of _entrySize bytes.
        => ref Unsafe.AsRef<TRequest>(_entries + (nuint)(index & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>());

    /// <summary>Counts <paramref name="count"/> requests built in place as produced (<c>req_prod_pvt += count</c>); false if they do not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AdvanceRequests(uint count)
    {
        if (count > FreeRequests) return false;
        _reqProdPvt += count;
        return true;
    }

    /// <summary>Copies one request into the next free slot (<c>*RING_GET_REQUEST(r, r-&gt;req_prod_pvt++) = req</c>); false when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryProduce(in TRequest request)
    {
        uint prod = _reqProdPvt;
        if (_size - (prod - _rspCons) == 0) return false;
        // SAFETY: masked index inside the ring.
        Unsafe.Write(_entries + (nuint)(prod & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>(), request);
        _reqProdPvt = prod + 1;
        return true;
    }

    /// <summary>Produces as many of <paramref name="requests"/> as fit; returns how many.</summary>
    public int Produce(ReadOnlySpan<TRequest> requests)
    {
        uint free = FreeRequests;
        int n = requests.Length < (long)free ? requests.Length : (int)free;
        uint prod = _reqProdPvt;
        for (int i = 0; i < n; i++, prod++)
            Unsafe.Write(_entries + (nuint)(prod & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>(), requests[i]);
        _reqProdPvt = prod;
        return n;
    }

    /// <summary><c>RING_PUSH_REQUESTS</c>: publishes the produced requests without checking for a notification.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void PushRequests()
    {
        // xen_wmb(): the backend must see the request entries before the new req_prod (release store).
        Atomic.WriteRelease((uint*)(_sring + SharedRingHeader.RequestProducerOffset), _reqProdPvt);
    }

    /// <summary>
    /// <c>RING_PUSH_REQUESTS_AND_CHECK_NOTIFY</c>: publishes the produced requests and returns whether the
    /// backend asked to be notified (its <c>req_event</c> lies in the newly published range).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool PushRequestsAndCheckNotify()
    {
        uint newProd = _reqProdPvt;
        // xen_wmb() + store + xen_mb(): the exchange is a release store (the backend sees the entries before
        // req_prod) and a full fence (the backend sees the new req_prod before we read req_event below).
        // It also returns the old req_prod (our own field: the macro reads it before the store).
        uint old = Atomic.Exchange((uint*)(_sring + SharedRingHeader.RequestProducerOffset), newProd);
        uint evt = Atomic.ReadAcquire((uint*)(_sring + SharedRingHeader.RequestEventOffset));
        return newProd - evt < newProd - old;
    }

    /// <summary>
    /// Number of responses published and not consumed (<c>RING_HAS_UNCONSUMED_RESPONSES</c>), validated:
    /// a backend that claims more responses than requests outstanding yields
    /// <see cref="RingError.ProducerOverflow"/> (and 0).
    /// </summary>
    public RingError UnconsumedResponses(out uint count)
    {
        count = 0;
        if (_error != RingError.None) return _error;
        // xen_rmb() (acquire): the response entries are read only after rsp_prod.
        uint prod = Atomic.ReadAcquire((uint*)(_sring + SharedRingHeader.ResponseProducerOffset));
        uint n = prod - _rspCons;
        // More responses than requests outstanding (RING_RESPONSE_PROD_OVERFLOW, tightened), or rsp_prod moved
        // back behind a value already validated (producer indices only grow).
        if (n > _reqProdPvt - _rspCons || n < _rspProdSeen - _rspCons) return Fail(RingError.ProducerOverflow);
        _rspProdSeen = prod;
        count = n;
        return RingError.None;
    }

    /// <summary>
    /// Copy-out consumption of one response: the slot is read once into <paramref name="response"/>, which
    /// the backend can no longer change. False when none is available or the ring is in <see cref="Error"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConsume(out TResponse response)
    {
        uint cons = _rspCons;
        if (cons == _rspProdSeen)
        {
            // Everything validated so far is consumed: read rsp_prod again (acquire: entries after the
            // index), inline so the hot loop makes no call.
            uint prod = Atomic.ReadAcquire((uint*)(_sring + SharedRingHeader.ResponseProducerOffset));
            uint n = prod - cons;
            if (n == 0 || _error != RingError.None || n > _reqProdPvt - cons)
            {
                if (n != 0 && _error == RingError.None) _error = RingError.ProducerOverflow;
                response = default;
                return false;
            }
            _rspProdSeen = prod;
        }
        // SAFETY: masked index inside the ring; a single read of the slot into the caller's copy (no double fetch).
        response = Unsafe.Read<TResponse>(_entries + (nuint)(cons & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>());
        _rspCons = cons + 1;
        return true;
    }

    /// <summary>Copy-out consumption of up to <paramref name="destination"/>.Length responses.</summary>
    public RingError Consume(Span<TResponse> destination, out int count)
    {
        count = 0;
        RingError e = UnconsumedResponses(out uint avail);
        if (e != RingError.None) return e;
        int n = destination.Length < (long)avail ? destination.Length : (int)avail;
        uint cons = _rspCons;
        for (int i = 0; i < n; i++, cons++)
            destination[i] = Unsafe.Read<TResponse>(_entries + (nuint)(cons & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>());
        _rspCons = cons;
        count = n;
        return RingError.None;
    }

    /// <summary>
    /// <c>RING_FINAL_CHECK_FOR_RESPONSES</c>: if nothing is pending, asks for a notification on the next
    /// response (<c>rsp_event = rsp_cons + 1</c>) and checks again. <paramref name="moreToDo"/> true means
    /// do not go to sleep.
    /// </summary>
    public RingError FinalCheckForResponses(out bool moreToDo)
    {
        RingError e = UnconsumedResponses(out uint n);
        if (e != RingError.None || n != 0)
        {
            moreToDo = n != 0;
            return e;
        }
        // Store rsp_event, then xen_mb() (the exchange is a full fence): the backend must see the new
        // rsp_event before we re-read rsp_prod, or a response pushed in between would go unnotified.
        Atomic.Exchange((uint*)(_sring + SharedRingHeader.ResponseEventOffset), _rspCons + 1);
        e = UnconsumedResponses(out n);
        moreToDo = n != 0;
        return e;
    }

    private RingError Fail(RingError e)
    {
        _error = e;
        return e;
    }
}
