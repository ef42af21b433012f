using System;
using Xen.Sdk.Abi;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.EventChannel;

/// <summary>
/// The 2-level event-channel ABI (xen/include/public/xen.h): <c>shared_info.evtchn_pending</c> and
/// <c>evtchn_mask</c> (one bit per port) and, per vCPU, <c>vcpu_info.evtchn_pending_sel</c> (one bit per
/// pending word) and <c>evtchn_upcall_pending</c>. The words are <c>xen_ulong_t</c>: 64 bits for a 64-bit
/// guest (64 x 64 = 4096 ports, <see cref="SharedInfo64"/>/<see cref="VcpuInfo64"/>) and 32 bits for a
/// 32-bit x86 guest (32 x 32 = 1024 ports, <see cref="SharedInfo32"/>/<see cref="VcpuInfo32"/>, selector
/// word 32 bits). One algorithm serves both widths. Guest-side and hypervisor-side operations, all atomic
/// bit operations (each a full barrier, <c>xen_mb()</c>), all bounds-checked: a port outside the ABI's
/// range is an error value, never an access; a vCPU of the other width is refused.
/// </summary>
public unsafe readonly struct TwoLevelEventChannels
{
    /// <summary>Ports of the 2-level ABI for a 64-bit guest (<c>EVTCHN_2L_NR_CHANNELS</c> = 64 x 64).</summary>
    public const uint PortCount = 4096;

    /// <summary>Ports of the 2-level ABI for a 32-bit x86 guest (32 x 32: <c>xen_ulong_t</c> is 32 bits).</summary>
    public const uint PortCount32 = 1024;

    private readonly byte* _pending;
    private readonly byte* _mask;
    private readonly uint _ports;
    private readonly int _shift; // log2 of the word width: 6 (64-bit guest) or 5 (32-bit guest)

    /// <summary>A view of the bitmaps of a 64-bit guest's <paramref name="sharedInfo"/>.</summary>
    public TwoLevelEventChannels(SharedInfo64* sharedInfo)
    {
        _pending = (byte*)sharedInfo->EvtchnPending;
        _mask = (byte*)sharedInfo->EvtchnMask;
        _ports = PortCount;
        _shift = 6;
    }

    /// <summary>A view of the bitmaps of a 32-bit x86 guest's <paramref name="sharedInfo"/> (1024 ports).</summary>
    public TwoLevelEventChannels(SharedInfo32* sharedInfo)
    {
        _pending = (byte*)sharedInfo->EvtchnPending;
        _mask = (byte*)sharedInfo->EvtchnMask;
        _ports = PortCount32;
        _shift = 5;
    }

    /// <summary>Whether the view is attached.</summary>
    public bool IsValid => _pending != null;

    /// <summary>Number of ports: <see cref="PortCount"/> or <see cref="PortCount32"/>.</summary>
    public uint Ports => _ports;

    /// <summary>Bits per bitmap and selector word (<c>sizeof(xen_ulong_t) * 8</c>): 64 or 32.</summary>
    public int WordBits => 1 << _shift;

    /// <summary>Whether <paramref name="port"/> is pending (false for a port out of range).</summary>
    public bool IsPending(EventChannelPort port) => port.Value < _ports && Test(_pending, port.Value);

    /// <summary>Whether <paramref name="port"/> is masked (true for a port out of range: nothing may be delivered).</summary>
    public bool IsMasked(EventChannelPort port) => port.Value >= _ports || Test(_mask, port.Value);

    // ---- hypervisor side ----

    /// <summary>
    /// Hypervisor: marks <paramref name="port"/> pending for <paramref name="vcpu"/> (Xen's
    /// <c>evtchn_2l_set_pending</c>): set the pending bit; if it was clear and the port is unmasked, set the
    /// word's selector bit, then <c>evtchn_upcall_pending</c>. <paramref name="kick"/> is true when the vCPU
    /// must be interrupted (the upcall flag went from 0 to 1).
    /// </summary>
    public bool TrySetPending(EventChannelPort port, VcpuInfo64* vcpu, out bool kick)
        => SetPending(port.Value, Selector(vcpu), out kick);

    /// <summary><see cref="TrySetPending(EventChannelPort, VcpuInfo64*, out bool)"/> for a 32-bit guest's vCPU.</summary>
    public bool TrySetPending(EventChannelPort port, VcpuInfo32* vcpu, out bool kick)
        => SetPending(port.Value, Selector(vcpu), out kick);

    /// <summary>
    /// Hypervisor: <c>EVTCHNOP_unmask</c> (Xen's <c>evtchn_2l_unmask</c>): clears the mask bit and, if the port
    /// is pending, re-raises the selector and upcall flags so the event is not lost.
    /// </summary>
    public bool TryUnmask(EventChannelPort port, VcpuInfo64* vcpu, out bool kick)
        => Unmask(port.Value, Selector(vcpu), local: false, out kick);

    /// <summary><see cref="TryUnmask(EventChannelPort, VcpuInfo64*, out bool)"/> for a 32-bit guest's vCPU.</summary>
    public bool TryUnmask(EventChannelPort port, VcpuInfo32* vcpu, out bool kick)
        => Unmask(port.Value, Selector(vcpu), local: false, out kick);

    // ---- guest side ----

    /// <summary>Guest: sets the mask bit of <paramref name="port"/> (no more upcalls for it).</summary>
    public bool TryMask(EventChannelPort port)
    {
        if (port.Value >= _ports) return false;
        TestAndSet(_mask, port.Value);
        return true;
    }

    /// <summary>
    /// Guest, unmasking a port bound to the current vCPU without a hypercall (Linux's <c>unmask_evtchn</c>):
    /// clears the mask and, if the port is pending, sets the selector bit and <c>evtchn_upcall_pending</c>
    /// itself. <paramref name="upcall"/> true means events must be processed now.
    /// </summary>
    public bool TryUnmaskLocal(EventChannelPort port, VcpuInfo64* vcpu, out bool upcall)
        => Unmask(port.Value, Selector(vcpu), local: true, out upcall);

    /// <summary><see cref="TryUnmaskLocal(EventChannelPort, VcpuInfo64*, out bool)"/> for a 32-bit guest's vCPU.</summary>
    public bool TryUnmaskLocal(EventChannelPort port, VcpuInfo32* vcpu, out bool upcall)
        => Unmask(port.Value, Selector(vcpu), local: true, out upcall);

    /// <summary>Guest: clears the pending bit of <paramref name="port"/>; returns whether it was pending.</summary>
    public bool ClearPending(EventChannelPort port) => port.Value < _ports && TestAndClear(_pending, port.Value);

    /// <summary>
    /// Guest upcall handler: clears <c>evtchn_upcall_pending</c>, takes the selector word (atomic exchange
    /// with 0) and, for each selected word, delivers the pending and unmasked ports, clearing their pending
    /// bits, into <paramref name="ports"/>. Bounded by the port count. When <paramref name="ports"/> fills up,
    /// the unscanned selector bits and the upcall flag are set again so nothing is lost.
    /// </summary>
    /// <returns>The number of ports written.</returns>
    public int ConsumePending(VcpuInfo64* vcpu, Span<EventChannelPort> ports) => Consume(Selector(vcpu), ports);

    /// <summary><see cref="ConsumePending(VcpuInfo64*, Span{EventChannelPort})"/> for a 32-bit guest's vCPU.</summary>
    public int ConsumePending(VcpuInfo32* vcpu, Span<EventChannelPort> ports) => Consume(Selector(vcpu), ports);

    // ---- one algorithm for both widths ----

    // The vCPU's selector word and upcall byte, or (null, null) when the vCPU's width is not the view's.
    private readonly struct Sel
    {
        public readonly byte* Word;
        public readonly byte* Upcall;

        public Sel(byte* word, byte* upcall)
        {
            Word = word;
            Upcall = upcall;
        }
    }

    private Sel Selector(VcpuInfo64* v) => v == null || _shift != 6 ? default : new Sel((byte*)&v->EvtchnPendingSel, &v->EvtchnUpcallPending);

    private Sel Selector(VcpuInfo32* v) => v == null || _shift != 5 ? default : new Sel((byte*)&v->EvtchnPendingSel, &v->EvtchnUpcallPending);

    private bool SetPending(uint port, Sel v, out bool kick)
    {
        kick = false;
        if (port >= _ports || v.Word == null) return false;
        uint word = port >> _shift;
        // Each step is a locked RMW (xen_mb()): the guest must see the pending bit before the selector bit,
        // and the selector bit before evtchn_upcall_pending, or its scan could miss the event.
        if (TestAndSet(_pending, port)) return true;
        if (Test(_mask, port)) return true;
        if (TestAndSet(v.Word, word)) return true;
        kick = Atomic.Exchange(v.Upcall, 1) == 0;
        return true;
    }

    private bool Unmask(uint port, Sel v, bool local, out bool kick)
    {
        kick = false;
        if (port >= _ports || v.Word == null) return false;
        uint word = port >> _shift;
        // Clear the mask (locked RMW, a full barrier), then test pending: a set_pending that raced with us
        // either saw the mask clear (and raised the flags itself) or set pending before our read here.
        // The hypervisor (EVTCHNOP_unmask) acts only if the port was masked; the guest's local unmask always
        // looks at pending.
        bool wasMasked = TestAndClear(_mask, port);
        if ((wasMasked || local) && Test(_pending, port) && !TestAndSet(v.Word, word))
            kick = Atomic.Exchange(v.Upcall, 1) == 0;
        return true;
    }

    private int Consume(Sel v, Span<EventChannelPort> ports)
    {
        if (v.Word == null) return 0;
        // Clear the upcall flag before taking the selector (both locked RMWs): an event raised after the
        // exchange below sets both again.
        Atomic.Exchange(v.Upcall, 0);
        ulong sel = _shift == 6 ? Exchange64((ulong*)v.Word, 0) : Atomic.Exchange((uint*)v.Word, 0);
        int bits = 1 << _shift;
        int n = 0;
        while (sel != 0)
        {
            int w = TrailingZeroCount(sel);
            ulong live = ReadWord(_pending, w) & ~ReadWord(_mask, w);
            while (live != 0)
            {
                if (n == ports.Length)
                {
                    // Out of room: hand the rest back (this word included) and re-raise the upcall.
                    if (_shift == 6) Atomic.Or64((ulong*)v.Word, sel);
                    else Atomic.Or32((uint*)v.Word, (uint)sel);
                    Atomic.Exchange(v.Upcall, 1);
                    return n;
                }
                int b = TrailingZeroCount(live);
                live &= live - 1;
                uint port = (uint)(w * bits + b);
                if (TestAndClear(_pending, port)) ports[n++] = new EventChannelPort(port);
            }
            sel &= sel - 1;
        }
        return n;
    }

    // Bit operations on a bitmap of xen_ulong_t words (bit i of the map = bit i % width of word i / width),
    // or on the selector (pass the word number as the bit). The callers range-check every index.
    private bool Test(byte* map, uint bit)
        => _shift == 6
            ? (Atomic.ReadAcquire((ulong*)map + (bit >> 6)) & (1UL << (int)(bit & 63))) != 0
            : (Atomic.ReadAcquire((uint*)map + (bit >> 5)) & (1U << (int)(bit & 31))) != 0;

    private bool TestAndSet(byte* map, uint bit)
        => _shift == 6 ? Atomic.TestAndSet((ulong*)map + (bit >> 6), (int)(bit & 63)) : Atomic.TestAndSet((uint*)map + (bit >> 5), (int)(bit & 31));

    private bool TestAndClear(byte* map, uint bit)
        => _shift == 6 ? Atomic.TestAndClear((ulong*)map + (bit >> 6), (int)(bit & 63)) : Atomic.TestAndClear((uint*)map + (bit >> 5), (int)(bit & 31));

    private ulong ReadWord(byte* map, int word) => _shift == 6 ? Atomic.ReadAcquire((ulong*)map + word) : Atomic.ReadAcquire((uint*)map + word);

    private static ulong Exchange64(ulong* p, ulong v) => (ulong)System.Threading.Interlocked.Exchange(ref *(long*)p, (long)v);

    private static int TrailingZeroCount(ulong x)
    {
        int n = 0;
        while ((x & 1) == 0 && n < 64)
        {
            x >>= 1;
            n++;
        }
        return n;
    }
}
