using System;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Hvm;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Rings;
using Xen.Sdk.Rings.Console;
using Xen.Sdk.Rings.EventChannel;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Abi.EventChannel;

namespace Xen.Sdk.Reference.Services;

/// <summary>The Xen services of one HVM domain with one vCPU: shared_info (kept in hypervisor memory until the guest
/// maps it with <c>XENMEM_add_to_physmap(XENMAPSPACE_shared_info)</c>, then in the guest frame it named), the 2-level
/// event channels (Xen.Sdk.Rings' <see cref="TwoLevelEventChannels"/> as hypervisor), the HVM callback
/// (<c>HVM_PARAM_CALLBACK_IRQ</c>, vector type), an in-kernel xenstored (<see cref="XenStoreServer"/>) and the console
/// backend (Xen.Sdk.Rings' <see cref="ConsoleRing"/>) on pages the hypervisor owns in guest RAM. No allocation: the
/// caller provides <see cref="MemorySize"/> bytes of private memory once.</summary>
public unsafe struct XenDomain
{
    /// <summary>The domain id this kernel gives its guest (a Xen toolstack's first guest).</summary>
    public const ushort DefaultDomainId = 1;
    /// <summary>The event-channel port the XenStore page is bound to (<c>HVM_PARAM_STORE_EVTCHN</c>).</summary>
    public const uint StorePortNumber = 1;
    /// <summary>The event-channel port of the console page (<c>HVM_PARAM_CONSOLE_EVTCHN</c>).</summary>
    public const uint ConsolePortNumber = 2;
    /// <summary>Private memory needed: the hypervisor's shared_info page, the grant-table frame, the XenStore buffers
    /// and tree, the event-array page list and the port table (<see cref="EventChannelTable.MemorySize"/>).</summary>
    public const int MemorySize = 4096 + 4096 + XenStoreServer.MemorySize + XenStoreTree.MemorySize + EventArrayListSize
        + EventChannelTable.MemorySize;
    /// <summary>Bytes of private memory holding the event-array page list (one host pointer per
    /// <c>EVTCHNOP_expand_array</c> page, <see cref="MaxEventArrayPages"/> of them).</summary>
    public const int EventArrayListSize = (int)MaxEventArrayPages * 8;
    /// <summary>Grant-table frames per domain (v1: 512 entries of 8 bytes per frame); also the maximum.</summary>
    public const uint GrantFrames = 1;

    /// <summary>Whether the services are configured (otherwise their hypercalls answer <c>-ENOSYS</c>).</summary>
    public bool Enabled;
    /// <summary>This domain's id.</summary>
    public ushort Id;
    /// <summary>The shared_info page in use: the private one, or the guest frame after add_to_physmap.</summary>
    public byte* SharedInfo;
    /// <summary>The hypervisor's own shared_info page (before the guest maps it).</summary>
    public byte* PrivateSharedInfo;
    /// <summary>Guest-physical address of the mapped shared_info, or <see cref="ulong.MaxValue"/>.</summary>
    public ulong SharedInfoAddress;
    /// <summary>The raw <c>HVM_PARAM_CALLBACK_IRQ</c> value (0: no upcall).</summary>
    public ulong CallbackVia;
    /// <summary>The callback vector when <see cref="CallbackVia"/> is of the vector type, else 0 (the per-exit level
    /// check reads only this byte when no callback is set). Set with <see cref="SetCallbackVia"/>.</summary>
    public byte CallbackVector;
    /// <summary>(Declared next to <see cref="CallbackVector"/>: both are read on every exit.) Whether one of vCPU 0's
    /// timers (single-shot or periodic) is armed: the dispatcher checks the deadlines at every exit while it is set. Kept
    /// equal to <see cref="SingleShotArmed"/> || <see cref="PeriodicPeriod"/> != 0 by <see cref="ArmTimer"/>,
    /// <see cref="StopSingleShotTimer"/>, <see cref="SetPeriodicTimer"/> and <see cref="CheckTimer"/>.</summary>
    public bool TimerArmed;

    /// <summary>Sets <c>HVM_PARAM_CALLBACK_IRQ</c> (and <see cref="CallbackVector"/>).</summary>
    public void SetCallbackVia(ulong value)
    {
        CallbackVia = value;
        var via = new HvmCallbackVia(value);
        CallbackVector = via.IsDisabled || via.Type != HvmCallbackType.Vector ? (byte)0 : (byte)value;
    }
    /// <summary>Ports.</summary>
    public EventChannelTable Ports;

    /// <summary>Ports the current ABI lets this domain allocate (Xen's <c>max_evtchns</c>, capped by
    /// <see cref="EventChannelTable.Capacity"/>): FIFO 4096 here; 2-level the square of the bits of a shared_info word in
    /// the layout in use (x86_64: 4096). An allocation at or above it is <c>-ENOSPC</c>.</summary>
    public readonly uint PortLimit => EventChannelTable.AbiPortLimit(Fifo, Events.Ports == TwoLevelEventChannels.PortCount32);
    /// <summary>The grant-table frame in use (v1 entries): private until the guest maps it with
    /// <c>XENMAPSPACE_grant_table</c>, then the guest frame.</summary>
    public byte* GrantTable;
    /// <summary>Guest-physical address of the mapped grant-table frame, or <see cref="ulong.MaxValue"/>.</summary>
    public ulong GrantTableAddress;
    /// <summary>Bytes copied through grant references (<c>GNTTABOP_copy</c>).</summary>
    public ulong GrantCopyBytes;
    /// <summary>Guest frame number of the XenStore page (<c>HVM_PARAM_STORE_PFN</c>).</summary>
    public ulong StorePfn;
    /// <summary>Guest frame number of the console page (<c>HVM_PARAM_CONSOLE_PFN</c>).</summary>
    public ulong ConsolePfn;
    /// <summary>The xenstored connection.</summary>
    public XenStoreServer Store;
    private ByteRingReader _consoleOut;
    private ByteRingWriter _consoleIn;
    /// <summary>Whether the console input (<see cref="ConsoleGreeting"/>) was written into <c>in[]</c>.</summary>
    public bool ConsoleGreeted;
    /// <summary>Bytes written into the console ring's <c>in[]</c>.</summary>
    public ulong ConsoleInputBytes;
    /// <summary>The console input the backend gives the guest, once, at its first notification of the console port (as
    /// a console daemon forwards what a user typed once the guest is connected).</summary>
    public static ReadOnlySpan<byte> ConsoleGreeting => "hello from the xensdk console\n"u8;
    /// <summary>Console-ring bytes drained to the console.</summary>
    public ulong ConsoleBytes;
    /// <summary>Console-ring errors (hostile indices).</summary>
    public ulong ConsoleRingErrors;
    /// <summary>Events set pending by the hypervisor (sends, unmasks, service replies).</summary>
    public ulong EventsRaised;
    /// <summary>Upcalls raised (the callback vector queued on the vCPU).</summary>
    public ulong Upcalls;
    /// <summary>Times the callback vector was asserted again because <c>evtchn_upcall_pending</c> was still set at an
    /// exit (level semantics; depends on where exits fall, so not a vendor-neutral figure).</summary>
    public ulong UpcallReasserts;
    /// <summary>Xen system time (<c>vcpu_time_info</c>).</summary>
    public XenClock Clock;
    /// <summary>Whether vCPU 0's single-shot timer is armed.</summary>
    public bool SingleShotArmed;
    /// <summary>Deadline of the armed single-shot timer (system time, ns).</summary>
    public ulong TimerDeadline;
    /// <summary>Single-shot timers that expired (each sets the <c>VIRQ_TIMER</c> port pending when one is bound).</summary>
    public ulong TimersFired;
    /// <summary>Period of vCPU 0's periodic timer (ns; 0: stopped), <c>VCPUOP_set_periodic_timer</c>.</summary>
    public ulong PeriodicPeriod;
    /// <summary>System time of the periodic timer's next event (valid while <see cref="PeriodicPeriod"/> != 0).</summary>
    public ulong PeriodicDeadline;
    /// <summary>System time of the periodic timer's last event (Xen's <c>periodic_last_event</c>; 0 at start).</summary>
    public ulong PeriodicLastEvent;
    /// <summary>Periodic timer events (each sets the <c>VIRQ_TIMER</c> port pending when one is bound).</summary>
    public ulong PeriodicFired;
    /// <summary>Shortest period <c>VCPUOP_set_periodic_timer</c> accepts (Xen: <c>MILLISECS(1)</c>; shorter is <c>-EINVAL</c>).</summary>
    public const ulong MinPeriodicPeriod = 1_000_000;
    /// <summary>Longest period (Xen's <c>STIME_DELTA_MAX</c> = 2^62 - 1 ns; longer is <c>-EINVAL</c>).</summary>
    public const ulong MaxPeriodicPeriod = ulong.MaxValue >> 2;
    /// <summary>Wall-clock seconds since 1970-01-01 00:00:00 UTC at system time 0 (<c>shared_info.wc_sec</c>,
    /// <c>wc_sec_hi</c>), as set by <see cref="SetWallClock"/>.</summary>
    public ulong WallClockSeconds;
    /// <summary>Nanoseconds part of the wall clock at system time 0 (<c>shared_info.wc_nsec</c>).</summary>
    public uint WallClockNanoseconds;
    /// <summary>Set by a hypercall handler that could not finish within its bound (<c>SCHEDOP_block</c>,
    /// <c>SCHEDOP_poll</c>): the dispatcher then restarts the hypercall instead of returning a result, and clears it.</summary>
    internal bool RestartHypercall;
    /// <summary><c>SCHEDOP_block</c> calls that waited in the hypervisor (did not return at once).</summary>
    public ulong BlockWaits;
    /// <summary><c>SCHEDOP_block</c> / <c>SCHEDOP_poll</c> waits that hit the bound and were restarted as a hypercall
    /// continuation (the guest re-executes the hypercall).</summary>
    public ulong BlockRestarts;
    /// <summary>Whether the guest switched to the FIFO event-channel ABI (<c>EVTCHNOP_init_control</c>).</summary>
    public bool Fifo;
    /// <summary>The FIFO queues of vCPU 0 (Xen.Sdk.Rings as hypervisor) on the guest's control block.</summary>
    public FifoHypervisorQueues FifoQueues;
    /// <summary>Guest-physical address of vCPU 0's control block (FIFO ABI).</summary>
    public ulong FifoControlAddress;
    /// <summary>The event-array page list (host mappings of the guest frames, in the order
    /// <c>EVTCHNOP_expand_array</c> added them): <see cref="EventArrayListSize"/> bytes of the private memory, never
    /// shared with the guest.</summary>
    public uint** EventArray;
    /// <summary>Event-array pages added with <c>EVTCHNOP_expand_array</c>.</summary>
    public uint EventArrayPages;
    /// <summary>Event-array pages a domain may add: Xen's <c>EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES</c> (enough words for
    /// every FIFO port, 1024 per page); the next expand_array fails with <c>-ENOSPC</c>. Only the first four pages
    /// can hold valid ports here (<see cref="EventChannelTable.Capacity"/> = 4096 ports); later pages are accepted and
    /// mapped as Xen does.</summary>
    public const uint MaxEventArrayPages = FifoEventArray.MaxPages;
    // Valid ports whose event was raised while their event-array page was missing (Xen's evtchn->pending): set pending
    // again when the page arrives. Bit p of word p / 64.
    private fixed ulong _fifoDeferred[(EventChannelTable.Capacity + 63) / 64];
    /// <summary>VIRQs per port binding: <c>VirqPorts[virq]</c> is the port bound to it on vCPU 0, or 0.</summary>
    public VirqTable Virqs;

    /// <summary>Configures the services: <paramref name="memory"/> (<see cref="MemorySize"/> bytes, private),
    /// <paramref name="storePage"/> and <paramref name="consolePage"/> (host mappings of the guest frames
    /// <paramref name="storePfn"/> and <paramref name="consolePfn"/>, cleared here), ports 1 (store) and 2 (console)
    /// bound to the hypervisor's services, and the XenStore keys a toolstack writes for a new domain
    /// (<c>domid</c>, <c>name</c>, <c>vm</c>, <c>console/port</c>, <c>console/ring-ref</c>, <c>/vm/&lt;uuid&gt;/name</c>).</summary>
    public bool Initialize(byte* memory, byte* storePage, ulong storePfn, byte* consolePage, ulong consolePfn, ReadOnlySpan<byte> name, ushort id = DefaultDomainId)
    {
        this = default;
        if (memory == null || storePage == null || consolePage == null || storePage == consolePage) return false;
        Id = id;
        PrivateSharedInfo = memory;
        new Span<byte>(memory, 4096).Clear();
        SharedInfo = memory;
        SharedInfoAddress = ulong.MaxValue;
        byte* store = memory + 8192;
        EventArray = (uint**)(store + XenStoreServer.MemorySize + XenStoreTree.MemorySize);
        if (!Ports.Initialize((byte*)EventArray + EventArrayListSize)) return false;
        Ports.Set(StorePortNumber, PortState.Service, 0, StorePortNumber);
        Ports.Set(ConsolePortNumber, PortState.Service, 0, ConsolePortNumber);
        StorePfn = storePfn;
        ConsolePfn = consolePfn;
        GrantTable = memory + 4096;
        new Span<byte>(GrantTable, 4096).Clear();
        GrantTableAddress = ulong.MaxValue;
        if (!Store.Initialize(storePage, store, store + XenStoreServer.MemorySize, id)) return false;
        new Span<byte>(consolePage, 4096).Clear();
        if (!ConsoleRing.TryAttachBackend((ConsoleInterface*)consolePage, out _consoleOut, out _consoleIn)) return false;
        Seed(name, consolePfn);
        Virqs.Reset();
        Enabled = true;
        return true;
    }

    private void Seed(ReadOnlySpan<byte> name, ulong consolePfn)
    {
        Span<byte> path = stackalloc byte[XenStoreTree.MaxPath];
        Span<byte> value = stackalloc byte[64];
        int home = XenStoreServer.HomePath(Id, path);
        ReadOnlySpan<byte> vm = "/vm/00000000-0000-0000-0000-000000000001"u8;
        // Permissions as a toolstack (libxl) sets them: the home and the vm directories belong to domain 0 and the
        // domain may read them (n0 r<id>); its data and device directories are its own (n<id>). Nodes created below
        // inherit them.
        Span<XenStorePermission> readOnly = stackalloc XenStorePermission[2];
        readOnly[0] = new XenStorePermission(0, XenStoreAccess.None);
        readOnly[1] = new XenStorePermission(Id, XenStoreAccess.Read);
        Span<XenStorePermission> own = stackalloc XenStorePermission[1];
        own[0] = new XenStorePermission(Id, XenStoreAccess.None);
        Store.Tree.Mkdir(path.Slice(0, home));
        Store.Tree.SetPermissions(path.Slice(0, home), readOnly);
        Store.Tree.Mkdir(Join(path, home, "/data"u8));
        Store.Tree.SetPermissions(Join(path, home, "/data"u8), own);
        Store.Tree.Mkdir(Join(path, home, "/device"u8));
        Store.Tree.SetPermissions(Join(path, home, "/device"u8), own);
        Store.Tree.Mkdir(vm);
        Store.Tree.SetPermissions(vm, readOnly);
        int n = XenStoreServer.WriteDecimal(Id, value);
        Store.Tree.Write(Join(path, home, "/domid"u8), value.Slice(0, n));
        Store.Tree.Write(Join(path, home, "/name"u8), name.Length > XenStoreTree.MaxValue ? name.Slice(0, XenStoreTree.MaxValue) : name);
        Store.Tree.Write(Join(path, home, "/vm"u8), vm);
        n = XenStoreServer.WriteDecimal(ConsolePortNumber, value);
        Store.Tree.Write(Join(path, home, "/console/port"u8), value.Slice(0, n));
        n = XenStoreServer.WriteDecimal((uint)consolePfn, value);
        Store.Tree.Write(Join(path, home, "/console/ring-ref"u8), value.Slice(0, n));
        vm.CopyTo(path);
        Store.Tree.Write(Join(path, vm.Length, "/name"u8), name.Length > XenStoreTree.MaxValue ? name.Slice(0, XenStoreTree.MaxValue) : name);
    }

    private static ReadOnlySpan<byte> Join(Span<byte> path, int prefix, ReadOnlySpan<byte> suffix)
    {
        suffix.CopyTo(path.Slice(prefix));
        return path.Slice(0, prefix + suffix.Length);
    }

    /// <summary>Whether <paramref name="domid"/> names this domain (<c>DOMID_SELF</c> or its id).</summary>
    public readonly bool IsSelf(ushort domid) => domid == DomainIds.Self || domid == Id;

    // SAFETY: SharedInfo always points at a whole 4 KiB page (private or guest RAM) and struct shared_info is 3136 bytes;
    // vcpu_info[0] is at offset 0. The guest owns the page's contents: only Xen.Sdk.Rings' bounded atomic operations
    // touch it.
    private readonly SharedInfo64* Shared => (SharedInfo64*)SharedInfo;
    private readonly VcpuInfo64* Vcpu0 => &((SharedInfo64*)SharedInfo)->VcpuInfo.E0;

    /// <summary>The 2-level view of the current shared_info.</summary>
    public readonly TwoLevelEventChannels Events => new TwoLevelEventChannels(Shared);

    /// <summary>Marks a local port pending (Xen's <c>evtchn_port_set_pending</c>) and queues the upcall on
    /// <paramref name="state"/> when <c>evtchn_upcall_pending</c> went from 0 to 1 and a callback vector is set.</summary>
    public void RaiseEvent(uint port, ref VcpuState state)
    {
        if (Fifo)
        {
            // Xen's evtchn_fifo_set_pending: PENDING, then LINKED and the queue of the port's priority; a READY bit
            // going 0 -> 1 marks the vCPU's events pending (evtchn_upcall_pending) and, on its 0 -> 1, upcalls. An
            // event whose word has no event-array page yet is kept aside and set pending when the page arrives (Xen's
            // evtchn->pending, re-raised by add_page_to_event_array).
            FifoEventArray events = FifoEvents;
            if (events.WordOf(port) == null)
            {
                if (Ports.IsValid(port)) _fifoDeferred[port / 64] |= 1UL << (int)(port % 64);
                return;
            }
            RingError e = FifoQueues.SetPending(events, new EventChannelPort(port), Ports.Priority(port), out bool ready);
            if (e != RingError.None && e != RingError.Contended) return;
            EventsRaised++;
            if (ready) MarkEventsPending(ref state);
            return;
        }
        if (!Events.TrySetPending(new EventChannelPort(port), Vcpu0, out bool kick)) return;
        EventsRaised++;
        if (kick) Upcall(ref state);
    }

    /// <summary><c>EVTCHNOP_unmask</c> on a valid port: clears the mask and re-raises a pending event.</summary>
    public void Unmask(uint port, ref VcpuState state)
    {
        if (Fifo)
        {
            FifoEventArray events = FifoEvents;
            if (events.WordOf(port) == null) return;
            if (FifoQueues.Unmask(events, new EventChannelPort(port), Ports.Priority(port), out bool ready) == RingError.None && ready)
                MarkEventsPending(ref state);
            return;
        }
        if (Events.TryUnmask(new EventChannelPort(port), Vcpu0, out bool kick) && kick) Upcall(ref state);
    }

    /// <summary>Clears a port's pending bit (when it is closed).</summary>
    public void ClearPending(uint port)
    {
        if (Ports.IsValid(port)) _fifoDeferred[port / 64] &= ~(1UL << (int)(port % 64));
        if (Fifo) FifoEvents.TryClear(new EventChannelPort(port), FifoEventArray.PendingBit, out _);
        else Events.ClearPending(new EventChannelPort(port));
    }

    /// <summary>The FIFO event words (empty until the first <c>EVTCHNOP_expand_array</c>).</summary>
    public readonly FifoEventArray FifoEvents => new FifoEventArray(EventArray, EventArray == null ? 0 : EventArrayPages);

    /// <summary>Whether a valid port's event is waiting for its event-array page (raised before the page was added).</summary>
    public readonly bool IsDeferred(uint port) => Ports.IsValid(port) && (_fifoDeferred[port / 64] & (1UL << (int)(port % 64))) != 0;

    /// <summary>Switches to the FIFO ABI with vCPU 0's control block at <paramref name="controlBlock"/> (guest-physical
    /// <paramref name="guestPhysical"/>): all queues empty, every port at the default priority, no event array yet.</summary>
    public void InitFifo(byte* controlBlock, ulong guestPhysical)
    {
        FifoQueues = new FifoHypervisorQueues((EvtchnFifoControlBlock*)controlBlock);
        FifoControlAddress = guestPhysical;
        EventArrayPages = 0;
        Ports.ResetPriorities();
        // Xen's setup_ports: an event pending in the 2-level sense stays pending, to be set in its FIFO word once the
        // port's event-array page exists.
        TwoLevelEventChannels events = Events;
        for (uint p = 0; p < Ports.ValidPorts; p++)
        {
            if (events.IsPending(new EventChannelPort(p))) _fifoDeferred[p / 64] |= 1UL << (int)(p % 64);
            else _fifoDeferred[p / 64] &= ~(1UL << (int)(p % 64));
        }
        Fifo = true;
    }

    /// <summary>Whether <paramref name="page"/> is already one of the event-array pages.</summary>
    public readonly bool IsEventArrayPage(byte* page)
    {
        for (uint i = 0; i < EventArrayPages; i++) if (EventArray[i] == (uint*)page) return true;
        return false;
    }

    /// <summary>Adds an event-array page (ports <c>n * 1024</c> .. <c>n * 1024 + 1023</c> for the n-th page) and sets
    /// pending the events raised on its ports while it was missing; false when the list is full.</summary>
    public bool AddEventArrayPage(byte* page, ref VcpuState state)
    {
        if (EventArray == null || page == null || EventArrayPages >= MaxEventArrayPages) return false;
        uint first = EventArrayPages * FifoEventArray.WordsPerPage;
        // SAFETY: EventArrayPages < MaxEventArrayPages, and the list has MaxEventArrayPages entries (EventArrayListSize
        // bytes of the private memory). The count is raised after the entry is stored: a view never covers an unset
        // entry (one vCPU, so program order suffices).
        EventArray[EventArrayPages] = (uint*)page;
        EventArrayPages++;
        for (uint p = first; p < first + FifoEventArray.WordsPerPage && Ports.IsValid(p); p++)
        {
            if (!IsDeferred(p)) continue;
            _fifoDeferred[p / 64] &= ~(1UL << (int)(p % 64));
            RaiseEvent(p, ref state);
        }
        return true;
    }

    // Xen's vcpu_mark_events_pending: evtchn_upcall_pending set with a locked RMW; the 0 -> 1 edge upcalls.
    private void MarkEventsPending(ref VcpuState state)
    {
        // SAFETY: vcpu_info[0] starts the shared_info page, 8-byte aligned; evtchn_upcall_pending is its byte 0, so the
        // aligned dword at offset 0 holds it (with evtchn_upcall_mask and padding, which are written back unchanged).
        int* word = (int*)Vcpu0;
        int old = System.Threading.Volatile.Read(ref *word);
        for (int i = 0; i < 64; i++)
        {
            if ((old & 0xFF) != 0) return;
            int seen = System.Threading.Interlocked.CompareExchange(ref *word, (old & ~0xFF) | 1, old);
            if (seen == old)
            {
                EventsPendingMarked++;
                Upcall(ref state);
                return;
            }
            old = seen;
        }
    }

    /// <summary>FIFO: times a READY bit going 0 -> 1 set <c>evtchn_upcall_pending</c> from 0.</summary>
    public ulong EventsPendingMarked;

    /// <summary>After the callback changed: raises the vector at once when <c>evtchn_upcall_pending</c> is already set
    /// (Xen's <c>hvm_set_callback_via</c> ends with <c>hvm_assert_evtchn_irq</c> on every vCPU).</summary>
    public void AssertUpcallIfPending(ref VcpuState state)
    {
        // A plain read of a byte the guest may change at any time: one read decides this call.
        if (System.Threading.Volatile.Read(ref Vcpu0->EvtchnUpcallPending) != 0) Upcall(ref state);
    }

    private void Upcall(ref VcpuState state)
    {
        var via = new HvmCallbackVia(CallbackVia);
        if (via.IsDisabled || via.Type != HvmCallbackType.Vector) return;
        state.RaiseInterrupt((byte)CallbackVia);
        Upcalls++;
    }

    /// <summary>Level semantics of the vector callback, applied after every exit: while <c>evtchn_upcall_pending</c> is
    /// set the callback vector stays asserted (queued again, at an exit with RFLAGS.IF = 1, if it is not pending), and when the guest cleared it a
    /// not-yet-delivered callback vector is withdrawn (Xen's <c>hvm_vcpu_has_pending_irq</c> reports the callback vector
    /// whenever the flag is set, before every VM entry).</summary>
    public void SyncUpcallLevel(ref VcpuState state)
    {
        byte vector = CallbackVector;
        if (vector == 0) return;
        // A plain read of a byte the guest may change at any time: one read decides this entry.
        if (System.Threading.Volatile.Read(ref Vcpu0->EvtchnUpcallPending) != 0)
        {
            // Re-asserted at an exit where the guest can take it (RFLAGS.IF = 1): an exit inside the guest's handler
            // (IF = 0, e.g. a timer interrupt) does not request an interrupt window, so the figures do not depend on
            // where the host's interrupts fall. Xen also opens a window there; the guest sees the vector again at its
            // next exit with interrupts enabled instead of right after its IRET.
            if (!state.InterruptPending && (state.Rflags & VirtualInterrupts.InterruptFlag) != 0)
            {
                state.RaiseInterrupt(vector);
                UpcallReasserts++;
            }
        }
        else if (state.InterruptPending && state.InterruptVector == vector)
        {
            state.InterruptPending = false;
        }
    }

    /// <summary>Publishes vCPU 0's <c>vcpu_time_info</c> (system time at <paramref name="tsc"/>) into the current
    /// shared_info.</summary>
    public void PublishTime(ulong tsc)
    {
        if (Clock.Configured) Clock.Publish(&Vcpu0->Time, tsc);
    }

    /// <summary>Arms vCPU 0's single-shot timer at <paramref name="deadline"/> (system time, ns); a deadline already
    /// passed fires at once.</summary>
    public void ArmTimer(ulong deadline, ulong tsc, ref VcpuState state)
    {
        SingleShotArmed = true;
        TimerArmed = true;
        TimerDeadline = deadline;
        CheckTimer(tsc, ref state);
    }

    /// <summary>Stops vCPU 0's single-shot timer (the periodic timer is not affected).</summary>
    public void StopSingleShotTimer()
    {
        SingleShotArmed = false;
        TimerArmed = PeriodicPeriod != 0;
    }

    /// <summary>Sets (<paramref name="period"/> &gt; 0, ns) or stops (0) vCPU 0's periodic timer as Xen's
    /// <c>vcpu_set_periodic_timer</c> does: when the last periodic event is at least one period in the past (at start it
    /// is system time 0), an event is sent at once and the next one is a period from now; otherwise the next one is a
    /// period after the last. The caller checks the period's range (<see cref="MinPeriodicPeriod"/>,
    /// <see cref="MaxPeriodicPeriod"/>).</summary>
    public void SetPeriodicTimer(ulong period, ulong tsc, ref VcpuState state)
    {
        PeriodicPeriod = period;
        TimerArmed = SingleShotArmed || period != 0;
        if (period == 0) return;
        // PeriodicLastEvent + period cannot overflow: both are below 2^63 (system time and MaxPeriodicPeriod).
        PeriodicDeadline = PeriodicLastEvent + period;
        CheckTimer(tsc, ref state);
    }

    /// <summary>Fires the timers whose deadline passed at <paramref name="tsc"/>: the single-shot timer disarms, the
    /// periodic timer's next event is one period after now (Xen's <c>vcpu_periodic_timer_work</c>: missed periods are
    /// not made up), and the port bound to <c>VIRQ_TIMER</c> (if any) is set pending once (Xen's
    /// <c>send_timer_event</c>). Returns whether a timer fired.</summary>
    public bool CheckTimer(ulong tsc, ref VcpuState state)
    {
        if (!TimerArmed) return false;
        ulong now = Clock.SystemTime(tsc);
        bool fired = false;
        if (SingleShotArmed && now >= TimerDeadline)
        {
            SingleShotArmed = false;
            TimersFired++;
            fired = true;
        }
        if (PeriodicPeriod != 0 && now >= PeriodicDeadline)
        {
            PeriodicLastEvent = now;
            PeriodicDeadline = now + PeriodicPeriod;
            PeriodicFired++;
            fired = true;
        }
        TimerArmed = SingleShotArmed || PeriodicPeriod != 0;
        if (!fired) return false;
        uint port = Virqs.Port(0);
        if (port != 0) RaiseEvent(port, ref state);
        return true;
    }

    /// <summary>Whether <c>vcpu_info[0].evtchn_upcall_pending</c> is set (one read of a byte the guest may change).</summary>
    public readonly bool UpcallPending => System.Threading.Volatile.Read(ref Vcpu0->EvtchnUpcallPending) != 0;

    /// <summary>Clears <c>vcpu_info[0].evtchn_upcall_mask</c> (Xen's <c>vcpu_block_enable_events</c> before blocking).</summary>
    public readonly void EnableEvents() => System.Threading.Volatile.Write(ref Vcpu0->EvtchnUpcallMask, (byte)0);

    /// <summary>Whether a local port is pending in the current ABI (2-level bit, or the FIFO word's PENDING bit; an
    /// event kept for a missing FIFO event-array page counts).</summary>
    public readonly bool IsPortPending(uint port)
    {
        if (!Ports.IsValid(port)) return false;
        if (Fifo)
        {
            if (IsDeferred(port)) return true;
            uint* word = FifoEvents.WordOf(port);
            return word != null && (System.Threading.Volatile.Read(ref *word) & FifoEventArray.PendingBit) != 0;
        }
        return Events.IsPending(new EventChannelPort(port));
    }

    /// <summary>Sets the wall clock at system time 0 (seconds since 1970-01-01 00:00:00 UTC and nanoseconds) and
    /// publishes it into the current shared_info with the version protocol of <c>wc_version</c> (xen.h): the version is
    /// made odd, <c>wc_sec</c>, <c>wc_nsec</c> and <c>wc_sec_hi</c> are written, then the version is made even again,
    /// so a guest that reads version, fields, version and retries while they differ or are odd never sees a torn
    /// value. Mapping shared_info later copies the page, so the guest frame gets it too.</summary>
    public void SetWallClock(ulong seconds, uint nanoseconds)
    {
        WallClockSeconds = seconds;
        WallClockNanoseconds = nanoseconds % 1_000_000_000;
        // SAFETY: SharedInfo is a whole 4 KiB page (private or guest RAM); wc_* are at 3072..3087 of struct shared_info
        // (x86_64). The guest may scribble on the version: it is never left odd.
        SharedInfo64* s = Shared;
        uint version = System.Threading.Volatile.Read(ref s->WcVersion);
        if ((version & 1) != 0) version++;
        System.Threading.Volatile.Write(ref s->WcVersion, version + 1);
        // Barrier: the odd version is visible before the fields change (x86 keeps stores in order; the volatile write
        // keeps the compiler from moving the plain stores above it).
        s->WcSec = (uint)seconds;
        s->WcNsec = WallClockNanoseconds;
        s->WcSecHi = (uint)(seconds >> 32);
        // Barrier: the fields are visible before the even version (release store).
        System.Threading.Volatile.Write(ref s->WcVersion, version + 2);
    }

    /// <summary>Moves shared_info to the guest frame at <paramref name="page"/> (guest-physical
    /// <paramref name="guestPhysical"/>): the current contents are copied, later updates go there.</summary>
    public void MapSharedInfo(byte* page, ulong guestPhysical)
    {
        // SAFETY: both pointers are whole 4 KiB pages (the private page, or guest RAM from IGuestMemory.TryMapPage); the
        // guest may write its page concurrently: the copy is a snapshot and later updates are atomic bit operations.
        if (page != SharedInfo) new ReadOnlySpan<byte>(SharedInfo, 4096).CopyTo(new Span<byte>(page, 4096));
        SharedInfo = page;
        SharedInfoAddress = guestPhysical;
    }

    /// <summary>Moves shared_info and publishes the time record there at <paramref name="tsc"/>.</summary>
    public void MapSharedInfo(byte* page, ulong guestPhysical, ulong tsc)
    {
        MapSharedInfo(page, guestPhysical);
        PublishTime(tsc);
    }

    /// <summary>Moves the grant-table frame to the guest frame at <paramref name="page"/> (contents copied).</summary>
    public void MapGrantTable(byte* page, ulong guestPhysical)
    {
        // SAFETY: as for MapSharedInfo: two whole 4 KiB pages.
        if (page != GrantTable) new ReadOnlySpan<byte>(GrantTable, 4096).CopyTo(new Span<byte>(page, 4096));
        GrantTable = page;
        GrantTableAddress = guestPhysical;
    }

    /// <summary>The v1 view of the grant table (Xen.Sdk.Rings' hypervisor-side operations).</summary>
    public readonly Xen.Sdk.Rings.GrantTable.GrantTableV1 Grants => new((GrantEntryV1*)GrantTable, GrantFrames * 4096 / 8);

    /// <summary>A notification from the guest on a service port: the store port runs xenstored (its replies raise the
    /// store port), the console port drains the console ring into <paramref name="console"/>.</summary>
    public void ServiceKick<TConsole>(uint port, ref VcpuState state, ref TConsole console) where TConsole : struct, IGuestConsole
    {
        if (port == StorePortNumber)
        {
            if (Store.Kick()) RaiseEvent(StorePortNumber, ref state);
        }
        else if (port == ConsolePortNumber)
        {
            Span<byte> chunk = stackalloc byte[128];
            for (int i = 0; i < ConsoleInterface.OutRingSize / 128 + 1; i++)
            {
                RingError e = _consoleOut.Read(chunk, out int read);
                if (e != RingError.None)
                {
                    ConsoleRingErrors++;
                    return;
                }
                if (read == 0) break;
                console.Write(chunk.Slice(0, read));
                ConsoleBytes += (ulong)read;
            }
            // Console input: the greeting into in[] (all of it or nothing; the writer validates the guest's in_cons),
            // then the console port raised so the guest reads it.
            if (!ConsoleGreeted && _consoleIn.TryWriteAll(ConsoleGreeting))
            {
                ConsoleGreeted = true;
                ConsoleInputBytes += (ulong)ConsoleGreeting.Length;
                RaiseEvent(ConsolePortNumber, ref state);
            }
        }
    }
}
