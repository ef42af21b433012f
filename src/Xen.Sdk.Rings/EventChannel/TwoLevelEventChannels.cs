using System;
using Xen.Sdk.Abi;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.EventChannel;

/// <summary>
/// The 2-level event-channel ABI of a 64-bit guest: <c>shared_info.evtchn_pending[64]</c> and
/// <c>evtchn_mask[64]</c> (one bit per port, 4096 ports) and, per vCPU, <c>vcpu_info.evtchn_pending_sel</c>
/// (one bit per pending word) and <c>evtchn_upcall_pending</c> (xen/include/public/xen.h). Guest-side and
/// hypervisor-side operations, all atomic bit operations (each a full barrier, <c>xen_mb()</c>), all
/// bounds-checked: a port outside 0..4095 is an error value, never an access.
/// </summary>
public unsafe readonly struct TwoLevelEventChannels
{
    /// <summary>Ports of the 2-level ABI for a 64-bit guest (<c>EVTCHN_2L_NR_CHANNELS</c>).</summary>
    public const uint PortCount = 4096;

    private readonly ulong* _pending;
    private readonly ulong* _mask;

    /// <summary>A view of the bitmaps of <paramref name="sharedInfo"/>.</summary>
    public TwoLevelEventChannels(SharedInfo64* sharedInfo)
    {
        _pending = sharedInfo->EvtchnPending;
        _mask = sharedInfo->EvtchnMask;
    }

    /// <summary>Whether the view is attached.</summary>
    public bool IsValid => _pending != null;

    /// <summary>Whether <paramref name="port"/> is pending (false for a port out of range).</summary>
    public bool IsPending(EventChannelPort port) => port.Value < PortCount && (Atomic.ReadAcquire(_pending + (port.Value >> 6)) & Bit(port)) != 0;

    /// <summary>Whether <paramref name="port"/> is masked (true for a port out of range: nothing may be delivered).</summary>
    public bool IsMasked(EventChannelPort port) => port.Value >= PortCount || (Atomic.ReadAcquire(_mask + (port.Value >> 6)) & Bit(port)) != 0;

    // ---- hypervisor side ----

    /// <summary>
    /// Hypervisor: marks <paramref name="port"/> pending for <paramref name="vcpu"/> (Xen's
    /// <c>evtchn_2l_set_pending</c>): set the pending bit; if it was clear and the port is unmasked, set the
    /// word's selector bit, then <c>evtchn_upcall_pending</c>. <paramref name="kick"/> is true when the vCPU
    /// must be interrupted (the upcall flag went from 0 to 1).
    /// </summary>
    public bool TrySetPending(EventChannelPort port, VcpuInfo64* vcpu, out bool kick)
    {
        kick = false;
        if (port.Value >= PortCount || vcpu == null) return false;
        uint word = port.Value >> 6;
        // Each step is a locked RMW (xen_mb()): the guest must see the pending bit before the selector bit,
        // and the selector bit before evtchn_upcall_pending, or its scan could miss the event.
        if (Atomic.TestAndSet(_pending + word, (int)(port.Value & 63))) return true;
        if ((Atomic.ReadAcquire(_mask + word) & Bit(port)) != 0) return true;
        if (Atomic.TestAndSet(&vcpu->EvtchnPendingSel, (int)word)) return true;
        kick = Atomic.Exchange(&vcpu->EvtchnUpcallPending, 1) == 0;
        return true;
    }

    /// <summary>
    /// Hypervisor: <c>EVTCHNOP_unmask</c> (Xen's <c>evtchn_2l_unmask</c>): clears the mask bit and, if the port
    /// is pending, re-raises the selector and upcall flags so the event is not lost.
    /// </summary>
    public bool TryUnmask(EventChannelPort port, VcpuInfo64* vcpu, out bool kick)
    {
        kick = false;
        if (port.Value >= PortCount || vcpu == null) return false;
        uint word = port.Value >> 6;
        // Clear the mask (locked RMW), then test pending: the guest's own clear of pending and our test are
        // ordered by the full barrier of the RMW.
        if (Atomic.TestAndClear(_mask + word, (int)(port.Value & 63))
            && (Atomic.ReadAcquire(_pending + word) & Bit(port)) != 0
            && !Atomic.TestAndSet(&vcpu->EvtchnPendingSel, (int)word))
        {
            kick = Atomic.Exchange(&vcpu->EvtchnUpcallPending, 1) == 0;
        }
        return true;
    }

    // ---- guest side ----

    /// <summary>Guest: sets the mask bit of <paramref name="port"/> (no more upcalls for it).</summary>
    public bool TryMask(EventChannelPort port)
    {
        if (port.Value >= PortCount) return false;
        Atomic.TestAndSet(_mask + (port.Value >> 6), (int)(port.Value & 63));
        return true;
    }

    /// <summary>
    /// Guest, unmasking a port bound to the current vCPU without a hypercall (Linux's <c>unmask_evtchn</c>):
    /// clears the mask and, if the port is pending, sets the selector bit and <c>evtchn_upcall_pending</c>
    /// itself. <paramref name="upcall"/> true means events must be processed now.
    /// </summary>
    public bool TryUnmaskLocal(EventChannelPort port, VcpuInfo64* vcpu, out bool upcall)
    {
        upcall = false;
        if (port.Value >= PortCount || vcpu == null) return false;
        uint word = port.Value >> 6;
        Atomic.TestAndClear(_mask + word, (int)(port.Value & 63));
        // The RMW above is a full barrier: a set_pending that raced with us either saw the mask clear (and
        // raised the flags itself) or set pending before our read here.
        if ((Atomic.ReadAcquire(_pending + word) & Bit(port)) != 0 && !Atomic.TestAndSet(&vcpu->EvtchnPendingSel, (int)word))
            upcall = Atomic.Exchange(&vcpu->EvtchnUpcallPending, 1) == 0;
        return true;
    }

    /// <summary>Guest: clears the pending bit of <paramref name="port"/>; returns whether it was pending.</summary>
    public bool ClearPending(EventChannelPort port)
        => port.Value < PortCount && Atomic.TestAndClear(_pending + (port.Value >> 6), (int)(port.Value & 63));

    /// <summary>
    /// Guest upcall handler: clears <c>evtchn_upcall_pending</c>, takes the selector word (atomic exchange
    /// with 0) and, for each selected word, delivers the pending and unmasked ports, clearing their pending
    /// bits, into <paramref name="ports"/>. Bounded by 4096 ports. When <paramref name="ports"/> fills up,
    /// the unscanned selector bits and the upcall flag are set again so nothing is lost.
    /// </summary>
    /// <returns>The number of ports written.</returns>
    public int ConsumePending(VcpuInfo64* vcpu, Span<EventChannelPort> ports)
    {
        if (vcpu == null) return 0;
        // Clear the upcall flag before taking the selector (both locked RMWs): an event raised after the
        // exchange below sets both again.
        Atomic.Exchange(&vcpu->EvtchnUpcallPending, 0);
        ulong sel = Exchange64(&vcpu->EvtchnPendingSel, 0);
        int n = 0;
        while (sel != 0)
        {
            int w = TrailingZeroCount(sel);
            ulong bits = Atomic.ReadAcquire(_pending + w) & ~Atomic.ReadAcquire(_mask + w);
            while (bits != 0)
            {
                if (n == ports.Length)
                {
                    // Out of room: hand the rest back (this word included) and re-raise the upcall.
                    Atomic.Or64(&vcpu->EvtchnPendingSel, sel);
                    Atomic.Exchange(&vcpu->EvtchnUpcallPending, 1);
                    return n;
                }
                int b = TrailingZeroCount(bits);
                bits &= bits - 1;
                if (Atomic.TestAndClear(_pending + w, b)) ports[n++] = new EventChannelPort((uint)(w * 64 + b));
            }
            sel &= sel - 1;
        }
        return n;
    }

    private static ulong Bit(EventChannelPort port) => 1UL << (int)(port.Value & 63);

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
