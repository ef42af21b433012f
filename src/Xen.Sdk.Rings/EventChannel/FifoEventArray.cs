using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.EventChannel;

/// <summary>
/// The FIFO event-channel ABI's event array: one 32-bit <c>event_word_t</c> per port
/// (xen/include/public/event_channel.h): bit 31 PENDING, 30 MASKED, 29 LINKED, 28 BUSY, bits 0..16 LINK
/// (the next port on the same queue). The words are shared with the other side, so every change is an
/// atomic read-modify-write with a bounded number of retries, and every port is range-checked.
/// </summary>
public unsafe readonly struct FifoEventArray
{
    /// <summary><c>1 &lt;&lt; EVTCHN_FIFO_PENDING</c>.</summary>
    public const uint PendingBit = 1u << EventChannelFifo.Pending;
    /// <summary><c>1 &lt;&lt; EVTCHN_FIFO_MASKED</c>.</summary>
    public const uint MaskedBit = 1u << EventChannelFifo.Masked;
    /// <summary><c>1 &lt;&lt; EVTCHN_FIFO_LINKED</c>.</summary>
    public const uint LinkedBit = 1u << EventChannelFifo.Linked;
    /// <summary><c>1 &lt;&lt; EVTCHN_FIFO_BUSY</c>.</summary>
    public const uint BusyBit = 1u << EventChannelFifo.Busy;
    /// <summary><c>EVTCHN_FIFO_LINK_MASK</c>.</summary>
    public const uint LinkMask = EventChannelFifo.LinkMask;
    /// <summary>Retries of a compare-exchange against a peer that keeps changing the word (Xen uses 4).</summary>
    public const int MaxRetries = 4;

    /// <summary>Event words in one 4 KiB event-array page (<c>XEN_PAGE_SIZE / sizeof(event_word_t)</c>).</summary>
    public const uint WordsPerPage = SharedRing.PageSize / sizeof(uint);

    /// <summary>Event-array pages needed for every port (<c>EVTCHN_FIFO_NR_CHANNELS / WordsPerPage</c> = 128).</summary>
    public const uint MaxPages = (uint)EventChannelFifo.NrChannels / WordsPerPage;

    private readonly uint* _words;   // contiguous words, or null when _pages is used
    private readonly uint** _pages;  // private page list (not shared with the guest), or null
    private readonly uint _count;

    /// <summary>
    /// A view of <paramref name="count"/> event words at <paramref name="words"/> (the event-array pages mapped
    /// contiguously; 1024 words per page), at most <c>EVTCHN_FIFO_NR_CHANNELS</c>.
    /// </summary>
    public FifoEventArray(uint* words, uint count)
    {
        _words = words;
        _pages = null;
        _count = count > (uint)EventChannelFifo.NrChannels ? (uint)EventChannelFifo.NrChannels : count;
    }

    /// <summary>
    /// A view of an event array made of separately mapped pages, as Xen builds it: <c>EVTCHNOP_init_control</c>
    /// maps nothing, and each <c>EVTCHNOP_expand_array</c> maps one more page (struct evtchn_expand_array,
    /// xen/include/public/event_channel.h), wherever it lands. <paramref name="pages"/> is this side's private
    /// list of page addresses (at most <see cref="MaxPages"/>; not shared memory, so a guest cannot change it);
    /// page i holds ports <c>i * 1024</c> .. <c>i * 1024 + 1023</c>. After an expansion, store the new page at
    /// <c>pages[pageCount]</c> and create a new view with <c>pageCount + 1</c>. A null entry makes its ports
    /// out of range.
    /// </summary>
    public FifoEventArray(uint** pages, uint pageCount)
    {
        _words = null;
        _pages = pages;
        _count = (pageCount > MaxPages ? MaxPages : pageCount) * WordsPerPage;
    }

    /// <summary>Number of ports covered.</summary>
    public uint Count => _count;

    /// <summary>Number of 4 KiB pages covered (the last one partly, for a contiguous view of an odd count).</summary>
    public uint PageCount => (_count + WordsPerPage - 1) / WordsPerPage;

    /// <summary>The word of <paramref name="port"/>, or null when the port is outside the array.</summary>
    public uint* WordOf(uint port)
    {
        if (port >= _count) return null;
        if (_pages == null) return _words + port;
        // SAFETY: port < _count <= MaxPages * WordsPerPage, so port / WordsPerPage indexes the caller's list of
        // at least that many entries, and port % WordsPerPage stays inside the 4 KiB page.
        uint* page = _pages[port / WordsPerPage];
        return page == null ? null : page + (port % WordsPerPage);
    }

    /// <summary>Reads the word of <paramref name="port"/> (acquire); false when out of range.</summary>
    public bool TryRead(EventChannelPort port, out uint word)
    {
        uint* w = WordOf(port.Value);
        word = w == null ? 0 : Atomic.ReadAcquire(w);
        return w != null;
    }

    /// <summary>Atomically sets <paramref name="bits"/> in the word of <paramref name="port"/>; returns the old word (0 when out of range).</summary>
    public bool TrySet(EventChannelPort port, uint bits, out uint old)
    {
        uint* w = WordOf(port.Value);
        old = w == null ? 0 : Atomic.Or32(w, bits);
        return w != null;
    }

    /// <summary>Atomically clears <paramref name="bits"/> in the word of <paramref name="port"/>; returns the old word.</summary>
    public bool TryClear(EventChannelPort port, uint bits, out uint old)
    {
        uint* w = WordOf(port.Value);
        old = w == null ? 0 : Atomic.And32(w, ~bits);
        return w != null;
    }

    /// <summary>
    /// Guest: clears MASKED unless the event is pending (Linux's <c>clear_masked_cond</c>). Returns
    /// <see cref="RingError.None"/> with <paramref name="needsHypercall"/> true when the event is pending: the
    /// guest must then issue <c>EVTCHNOP_unmask</c> so Xen links it. Bounded retries.
    /// </summary>
    public RingError GuestUnmask(EventChannelPort port, out bool needsHypercall)
    {
        needsHypercall = false;
        uint* w = WordOf(port.Value);
        if (w == null) return RingError.InvalidSize;
        uint old = Atomic.ReadAcquire(w);
        for (int i = 0; i <= MaxRetries * 4; i++)
        {
            if ((old & MaskedBit) == 0) return RingError.None;
            if ((old & PendingBit) != 0)
            {
                needsHypercall = true;
                return RingError.None;
            }
            uint seen = Atomic.CompareExchange(w, old & ~MaskedBit, old);
            if (seen == old) return RingError.None;
            old = seen;
        }
        return RingError.Contended;
    }
}
