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
    private byte* _sring;
    private byte* _entries;
    private uint _size;
    private uint _mask;
    private uint _rspProdPvt;
    private uint _reqCons;
    private uint _reqLimit;
    private uint _reqProdSeen;
    private RingError _error;

    /// <summary>
    /// <c>SHARED_RING_INIT</c> + <c>BACK_RING_INIT</c> (for a backend that owns the page set-up, e.g. in tests).
    /// </summary>
    public static bool TryInitialize(void* sring, nuint bytes, out BackRing<TRequest, TResponse> ring)
    {
        if (!TryAttach(sring, bytes, 0, out ring)) return false;
        SharedRing.Initialize(sring);
        return true;
    }

    /// <summary><c>BACK_RING_ATTACH</c>: both private indices at <paramref name="index"/>.</summary>
    public static bool TryAttach(void* sring, nuint bytes, uint index, out BackRing<TRequest, TResponse> ring)
    {
        ring = default;
        int entrySize = SharedRing.EntrySize<TRequest, TResponse>();
        uint size = SharedRing.EntryCount(bytes, entrySize);
        if (sring == null || size == 0) return false;
        ring._sring = (byte*)sring;
        ring._entries = (byte*)sring + SharedRingHeader.EntriesOffset;
        ring._size = size;
        ring._mask = size - 1;
        ring._rspProdPvt = index;
        ring._reqCons = index;
        ring._reqLimit = index;
        ring._reqProdSeen = index;
        return true;
    }

    /// <summary><c>RING_SIZE</c>.</summary>
    public readonly uint Size => _size;

    /// <summary><c>rsp_prod_pvt</c>: responses produced so far, published or not.</summary>
    public readonly uint ResponseProducer => _rspProdPvt;

    /// <summary><c>req_cons</c>: requests consumed so far.</summary>
    public readonly uint RequestConsumer => _reqCons;

    /// <summary>The first inconsistency detected in the frontend's indices, or <see cref="RingError.None"/>.</summary>
    public readonly RingError Error => _error;

    /// <summary>The shared header.</summary>
    public readonly SharedRingHeader* Header => (SharedRingHeader*)_sring;

    /// <summary>Requests consumed and not yet answered (the slots a response may be written to).</summary>
    public readonly uint PendingResponses => _reqCons - _rspProdPvt;

    /// <summary>
    /// <c>RING_HAS_UNCONSUMED_REQUESTS</c>, validated: <c>min(req_prod - req_cons, size - (req_cons - rsp_prod_pvt))</c>,
    /// or <see cref="RingError.ProducerOverflow"/> when <c>req_prod - rsp_prod_pvt &gt; size</c>
    /// (<c>RING_REQUEST_PROD_OVERFLOW</c>).
    /// </summary>
    public RingError UnconsumedRequests(out uint count)
    {
        count = 0;
        if (_error != RingError.None) return _error;
        // xen_rmb() (acquire): request entries are read only after req_prod.
        uint prod = Atomic.ReadAcquire((uint*)(_sring + SharedRingHeader.RequestProducerOffset));
        // RING_REQUEST_PROD_OVERFLOW, plus req_prod behind req_cons or behind a value already validated
        // (producer indices only grow).
        if (prod - _rspProdPvt > _size || prod - _reqCons > _size || prod - _reqCons < _reqProdSeen - _reqCons)
            return Fail(RingError.ProducerOverflow);
        _reqProdSeen = prod;
        uint req = prod - _reqCons;
        uint rsp = _size - (_reqCons - _rspProdPvt);
        count = req < rsp ? req : rsp;
        _reqLimit = _reqCons + count;
        return RingError.None;
    }

    /// <summary>
    /// Copy-out consumption of one request (<c>RING_COPY_REQUEST</c>, then <c>req_cons++</c>). False when
    /// none is available or the ring is in <see cref="Error"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConsume(out TRequest request)
    {
        uint cons = _reqCons;
        if (cons == _reqLimit)
        {
            // Inline re-read of req_prod (acquire) with the same validation as UnconsumedRequests.
            uint prod = Atomic.ReadAcquire((uint*)(_sring + SharedRingHeader.RequestProducerOffset));
            uint req = prod - cons;
            uint rsp = _size - (cons - _rspProdPvt);
            uint count = req < rsp ? req : rsp;
            if (_error != RingError.None || prod - _rspProdPvt > _size || req > _size || req < _reqProdSeen - cons)
            {
                _error = _error != RingError.None ? _error : RingError.ProducerOverflow;
                request = default;
                return false;
            }
            _reqProdSeen = prod;
            _reqLimit = cons + count;
            if (count == 0)
            {
                request = default;
                return false;
            }
        }
        // SAFETY: masked index inside the ring; one read of the slot into the private copy (no double fetch).
        request = Unsafe.Read<TRequest>(_entries + (nuint)(cons & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>());
        _reqCons = cons + 1;
        return true;
    }

    /// <summary>Copy-out consumption of up to <paramref name="destination"/>.Length requests.</summary>
    public RingError Consume(Span<TRequest> destination, out int count)
    {
        count = 0;
        RingError e = UnconsumedRequests(out uint avail);
        if (e != RingError.None) return e;
        int n = destination.Length < (long)avail ? destination.Length : (int)avail;
        uint cons = _reqCons;
        for (int i = 0; i < n; i++, cons++)
            destination[i] = Unsafe.Read<TRequest>(_entries + (nuint)(cons & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>());
        _reqCons = cons;
        count = n;
        return RingError.None;
    }

    /// <summary><c>RING_GET_RESPONSE</c>: the shared slot for response <paramref name="index"/>, for building in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref TResponse GetResponse(uint index)
        // SAFETY: masked index inside the ring.
        => ref Unsafe.AsRef<TResponse>(_entries + (nuint)(index & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>());

    /// <summary>Counts <paramref name="count"/> responses built in place as produced; false if fewer requests are pending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AdvanceResponses(uint count)
    {
        if (count > PendingResponses) return false;
        _rspProdPvt += count;
        return true;
    }

    /// <summary>
    /// Writes one response into the next slot (<c>*RING_GET_RESPONSE(r, r-&gt;rsp_prod_pvt++) = rsp</c>).
    /// False when every consumed request already has its response (the slot would overwrite an unread request).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryProduce(in TResponse response)
    {
        uint prod = _rspProdPvt;
        if (prod == _reqCons) return false;
        Unsafe.Write(_entries + (nuint)(prod & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>(), response);
        _rspProdPvt = prod + 1;
        return true;
    }

    /// <summary>Produces as many of <paramref name="responses"/> as there are pending requests; returns how many.</summary>
    public int Produce(ReadOnlySpan<TResponse> responses)
    {
        uint pending = PendingResponses;
        int n = responses.Length < (long)pending ? responses.Length : (int)pending;
        uint prod = _rspProdPvt;
        for (int i = 0; i < n; i++, prod++)
            Unsafe.Write(_entries + (nuint)(prod & _mask) * (nuint)SharedRing.EntrySize<TRequest, TResponse>(), responses[i]);
        _rspProdPvt = prod;
        return n;
    }

    /// <summary><c>RING_PUSH_RESPONSES</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void PushResponses()
    {
        // xen_wmb(): the frontend must see the response entries before the new rsp_prod (release store).
        Atomic.WriteRelease((uint*)(_sring + SharedRingHeader.ResponseProducerOffset), _rspProdPvt);
    }

    /// <summary><c>RING_PUSH_RESPONSES_AND_CHECK_NOTIFY</c>: publishes and returns whether the frontend asked to be notified.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool PushResponsesAndCheckNotify()
    {
        uint newProd = _rspProdPvt;
        // xen_wmb() + store + xen_mb(): release (entries before rsp_prod) and full fence (rsp_prod visible
        // before rsp_event is read), in one locked exchange that also yields the old rsp_prod.
        uint old = Atomic.Exchange((uint*)(_sring + SharedRingHeader.ResponseProducerOffset), newProd);
        uint evt = Atomic.ReadAcquire((uint*)(_sring + SharedRingHeader.ResponseEventOffset));
        return newProd - evt < newProd - old;
    }

    /// <summary>
    /// <c>RING_FINAL_CHECK_FOR_REQUESTS</c>: if nothing is pending, sets <c>req_event = req_cons + 1</c>
    /// and checks again; <paramref name="moreToDo"/> true means do not sleep.
    /// </summary>
    public RingError FinalCheckForRequests(out bool moreToDo)
    {
        RingError e = UnconsumedRequests(out uint n);
        if (e != RingError.None || n != 0)
        {
            moreToDo = n != 0;
            return e;
        }
        // Store req_event, then xen_mb() (locked exchange): the frontend must see req_event before we
        // re-read req_prod, or a request pushed in between would not be notified.
        Atomic.Exchange((uint*)(_sring + SharedRingHeader.RequestEventOffset), _reqCons + 1);
        e = UnconsumedRequests(out n);
        moreToDo = n != 0;
        return e;
    }

    private RingError Fail(RingError e)
    {
        _error = e;
        return e;
    }
}
