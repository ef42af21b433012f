using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.EventChannel;

/// <summary>
/// The guest's side of one vCPU's FIFO event queues: the control block it registered plus a private HEAD
/// per queue (Linux's <c>consume_one_event</c>). Events come off a queue by clearing LINKED and LINK of the
/// head word in one compare-exchange and following LINK. A hostile or buggy hypervisor cannot make it read
/// outside the event array (ports are range-checked) nor loop forever (every loop is bounded; a queue longer
/// than the array is a cycle, <see cref="RingError.LoopDetected"/>).
/// </summary>
/// <remarks>A mutable struct: one per vCPU, allocated once.</remarks>
public unsafe struct FifoGuestQueues
{
    private uint* _controlBlock;
    private fixed uint _heads[16];

    /// <summary>Attaches to the control block this vCPU registered; all private heads 0.</summary>
    public FifoGuestQueues(EvtchnFifoControlBlock* controlBlock)
    {
        _controlBlock = (uint*)controlBlock;
    }

    /// <summary>The READY bitmap (one bit per queue with events).</summary>
    public readonly uint Ready => _controlBlock == null ? 0 : Atomic.ReadAcquire(_controlBlock);

    /// <summary>Takes the READY bitmap (atomic exchange with 0), as the upcall handler does first.</summary>
    public readonly uint TakeReady() => _controlBlock == null ? 0 : Atomic.Exchange(_controlBlock, 0);

    /// <summary>
    /// Takes the next event off queue <paramref name="priority"/> (Linux's <c>consume_one_event</c>): follows
    /// the private head, or HEAD from the control block when the previous walk reached the tail (only valid
    /// because the queue's bit is set in <paramref name="ready"/>: Xen sets READY only after writing a fresh
    /// HEAD). Clears the queue's bit in <paramref name="ready"/> when this was the tail. <paramref name="deliver"/>
    /// says whether the event was pending and unmasked (PENDING is then cleared and the caller handles it).
    /// </summary>
    public RingError ConsumeOne(in FifoEventArray events, uint priority, ref uint ready, out EventChannelPort port, out bool deliver)
    {
        port = default;
        deliver = false;
        if (priority >= 16 || _controlBlock == null) return RingError.InvalidSize;
        uint head = _heads[priority];
        // xen_rmb() (acquire): the event word is read after HEAD.
        if (head == 0) head = Atomic.ReadAcquire(_controlBlock + 2 + priority);
        uint* word = events.WordOf(head);
        if (word == null || head == 0)
        {
            _heads[priority] = 0;
            ready &= ~(1u << (int)priority);
            return head == 0 ? RingError.None : RingError.InvalidSize;
        }
        // Clear LINKED and LINK in one compare-exchange (Linux's clear_linked), bounded against a peer that
        // keeps changing the word.
        uint w = Atomic.ReadAcquire(word);
        bool done = false;
        for (int i = 0; i <= FifoEventArray.MaxRetries * 16; i++)
        {
            uint seen = Atomic.CompareExchange(word, w & ~(FifoEventArray.LinkedBit | FifoEventArray.LinkMask), w);
            if (seen == w)
            {
                done = true;
                break;
            }
            w = seen;
        }
        if (!done) return RingError.Contended;
        uint next = w & FifoEventArray.LinkMask;
        if (next == head) next = 0; // a self-link would repeat forever
        if (next == 0) ready &= ~(1u << (int)priority);
        _heads[priority] = next;
        port = new EventChannelPort(head);
        if ((w & FifoEventArray.MaskedBit) == 0 && (w & FifoEventArray.PendingBit) != 0)
            deliver = (Atomic.And32(word, ~FifoEventArray.PendingBit) & FifoEventArray.PendingBit) != 0;
        return RingError.None;
    }

    /// <summary>
    /// The upcall handler: takes READY, then repeatedly consumes one event from the highest-priority (lowest
    /// numbered) ready queue, re-reading READY after each step (Linux's <c>__evtchn_fifo_handle_events</c>),
    /// writing delivered ports to <paramref name="ports"/>. At most as many steps as the array has ports plus
    /// 16; a longer walk is a LINK cycle (<see cref="RingError.LoopDetected"/>). When <paramref name="ports"/>
    /// fills up, the unfinished READY bits are handed back to the control block.
    /// </summary>
    public RingError Drain(in FifoEventArray events, System.Span<EventChannelPort> ports, out int count)
    {
        count = 0;
        uint ready = TakeReady();
        for (uint steps = 0; steps <= events.Count + 16; steps++)
        {
            if (ready == 0) return RingError.None;
            if (count == ports.Length)
            {
                Atomic.Or32(_controlBlock, ready);
                return RingError.None;
            }
            uint q = LowestBit(ready);
            RingError e = ConsumeOne(events, q, ref ready, out EventChannelPort p, out bool deliver);
            if (e != RingError.None)
            {
                if (ready != 0) Atomic.Or32(_controlBlock, ready);
                return e;
            }
            if (deliver) ports[count++] = p;
            ready |= TakeReady();
        }
        return RingError.LoopDetected;
    }

    private static uint LowestBit(uint x)
    {
        uint n = 0;
        while ((x & 1) == 0 && n < 32)
        {
            x >>= 1;
            n++;
        }
        return n;
    }
}
