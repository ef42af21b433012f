using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.EventChannel;

/// <summary>
/// The hypervisor's side of one vCPU's FIFO event queues: the guest-shared control block
/// (<c>struct evtchn_fifo_control_block</c>: READY bitmap and one HEAD per priority) plus the private tail of
/// each of the 16 queues. <see cref="SetPending"/> follows Xen's <c>evtchn_fifo_set_pending</c>: mark
/// PENDING, and if the event is neither MASKED nor LINKED, set LINKED and append it to its queue by writing
/// the old tail's LINK field (a bounded compare-exchange that uses BUSY), or by writing HEAD and the READY bit
/// when the tail has already been consumed.
/// </summary>
/// <remarks>A mutable struct (keeps the tails): one instance per vCPU, allocated once, used under the vCPU's event lock.</remarks>
public unsafe struct FifoHypervisorQueues
{
    private uint* _controlBlock;
    private fixed uint _tails[16];

    /// <summary>Attaches to a guest-registered control block (<c>EVTCHNOP_init_control</c>); all queues empty.</summary>
    public FifoHypervisorQueues(EvtchnFifoControlBlock* controlBlock)
    {
        _controlBlock = (uint*)controlBlock;
    }

    /// <summary>The private tail of queue <paramref name="priority"/> (0 when empty or out of range).</summary>
    public readonly uint Tail(uint priority) => priority < 16 ? _tails[priority] : 0;

    /// <summary>
    /// Raises <paramref name="port"/> on queue <paramref name="priority"/>. <paramref name="kick"/> is true when
    /// the queue's READY bit went from 0 to 1 (the vCPU must get an upcall). Errors: port or priority out of
    /// range (<see cref="RingError.InvalidSize"/>), or a tail word the guest kept changing
    /// (<see cref="RingError.Contended"/>; the event is then put at the head, as Xen does after warning).
    /// </summary>
    public RingError SetPending(in FifoEventArray events, EventChannelPort port, uint priority, out bool kick)
    {
        kick = false;
        uint* word = events.WordOf(port.Value);
        if (word == null || port.Value == 0 || priority >= 16 || _controlBlock == null) return RingError.InvalidSize;
        // Locked RMW (xen_mb()): PENDING is visible before LINKED/LINK/HEAD are.
        uint w = Atomic.Or32(word, FifoEventArray.PendingBit);
        if ((w & (FifoEventArray.MaskedBit | FifoEventArray.LinkedBit)) != 0) return RingError.None;
        if ((Atomic.Or32(word, FifoEventArray.LinkedBit) & FifoEventArray.LinkedBit) != 0) return RingError.None;

        // If this event is still some queue's tail, that queue is empty now (the guest unlinked it): forget
        // the tail, or linking to it would make the event point at itself (Xen does the same).
        for (int q = 0; q < 16; q++)
            if (_tails[q] == port.Value) _tails[q] = 0;

        RingError result = RingError.None;
        bool linked = false;
        uint tail = _tails[priority];
        uint* tailWord = tail != 0 ? events.WordOf(tail) : null;
        if (tailWord != null)
        {
            linked = TrySetLink(tailWord, port.Value, out bool contended);
            if (contended) result = RingError.Contended;
        }
        if (!linked)
        {
            // HEAD is written after LINKED (release store): the guest that reads HEAD finds a linked word.
            Atomic.WriteRelease(_controlBlock + 2 + priority, port.Value);
        }
        _tails[priority] = port.Value;
        if (!linked) kick = !Atomic.TestAndSet(_controlBlock, (int)priority);
        return result;
    }

    /// <summary>
    /// Hypervisor: <c>EVTCHNOP_unmask</c> for the FIFO ABI: clears MASKED and, if the event is pending,
    /// links it as <see cref="SetPending"/> would.
    /// </summary>
    public RingError Unmask(in FifoEventArray events, EventChannelPort port, uint priority, out bool kick)
    {
        kick = false;
        if (!events.TryClear(port, FifoEventArray.MaskedBit, out uint old)) return RingError.InvalidSize;
        if ((old & FifoEventArray.PendingBit) == 0) return RingError.None;
        return SetPending(events, port, priority, out kick);
    }

    // Xen's evtchn_fifo_set_link: replace LINK in a word that is still LINKED; after a first failed
    // compare-exchange, set BUSY so the guest backs off, and give up after MaxRetries attempts.
    private static bool TrySetLink(uint* word, uint link, out bool contended)
    {
        contended = false;
        uint w = Atomic.ReadAcquire(word);
        for (int attempt = 0; attempt <= FifoEventArray.MaxRetries; attempt++)
        {
            if ((w & FifoEventArray.LinkedBit) == 0)
            {
                if (attempt > 0) Atomic.And32(word, ~FifoEventArray.BusyBit);
                return false; // the guest consumed the tail: the new event starts the queue again
            }
            uint updated = (w & ~(FifoEventArray.BusyBit | FifoEventArray.LinkMask)) | link;
            uint seen = Atomic.CompareExchange(word, updated, w);
            if (seen == w) return true; // BUSY cleared by the same store
            if (attempt == 0) Atomic.Or32(word, FifoEventArray.BusyBit);
            w = Atomic.ReadAcquire(word) | FifoEventArray.BusyBit;
        }
        Atomic.And32(word, ~FifoEventArray.BusyBit);
        contended = true;
        return false;
    }
}
