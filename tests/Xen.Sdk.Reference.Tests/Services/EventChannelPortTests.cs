using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Reference.Services;
using Xen.Sdk.Reference.Tests.Dispatch;
using Xen.Sdk.Rings;
using Xen.Sdk.Rings.EventChannel;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Services;

/// <summary>Event-channel port numbers beyond the first 64-port bucket, through the dispatcher: Xen's
/// <c>get_free_port</c> (the lowest free port; a new 64-port bucket when every valid port is in use; <c>-ENOSPC</c> at the
/// ABI's limit), <c>port_is_valid</c> (every port argument checked, <c>-EINVAL</c>), the 2-level limits of the x86_64 and
/// x86_32 shared_info layouts (Xen.Sdk.Abi's <c>EVTCHN_2L_NR_CHANNELS</c> constants, gcc-checked against the headers),
/// and FIFO ports in the second and later event-array pages read back with Xen.Sdk.Rings' guest-side consumer.</summary>
public sealed unsafe class EventChannelPortTests : ServiceFixture
{
    private const ulong ControlGfn = 0x49, ArrayGfn = 0x4A;
    public EventChannelPortTests() : base("ports") { }

    private long Hypercall(int number, ulong command) => Call(number, command, Arg);

    // Quadword arguments (hides nothing: the fixture's Evtchn takes dwords; C# picks this class's overload first).
    private long Evtchn(int cmd, ulong q0, ulong q1 = 0, ulong q2 = 0)
    {
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), q0);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), q1);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 16), q2);
        return Hypercall(32, (ulong)cmd);
    }

    private static long E(XenErrno e) => -(long)e;
    private const ulong SelfSelf = DomainIds.Self | ((ulong)DomainIds.Self << 16);

    /// <summary>EVTCHNOP_alloc_unbound; the port or a negative errno.</summary>
    private long AllocUnbound()
    {
        long r = Evtchn(6, SelfSelf);
        return r == 0 ? ArgDword(1) : r;
    }

    private void SetVectorCallback()
    {
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg), DomainIds.Self);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), (2UL << 56) | 0xF3);
        Assert.Equal(0, Hypercall(34, 0));
    }

    [Fact]
    public void TwoLevelLimitsAreTheAbisSquareOfTheWordBitsCappedByTheTable()
    {
        // The oracle: xen/include/public/event_channel.h's EVTCHN_2L_NR_CHANNELS per layout and EVTCHN_FIFO_NR_CHANNELS,
        // as Xen.Sdk.Abi records them (checked against gcc in the Abi tests).
        Assert.Equal((uint)EventChannelFifo.TwoLevelNrChannels64, EventChannelTable.AbiPortLimit(fifo: false, sharedInfo32: false));
        Assert.Equal((uint)EventChannelFifo.TwoLevelNrChannels32, EventChannelTable.AbiPortLimit(fifo: false, sharedInfo32: true));
        Assert.Equal(64u * 64, EventChannelTable.AbiPortLimit(false, false));
        Assert.Equal(32u * 32, EventChannelTable.AbiPortLimit(false, true));
        Assert.True(EventChannelFifo.NrChannels > EventChannelTable.Capacity);
        Assert.Equal((uint)EventChannelTable.Capacity, EventChannelTable.AbiPortLimit(true, false));
        Assert.Equal((uint)EventChannelTable.Capacity, EventChannelTable.AbiPortLimit(true, true));
        Assert.True(EventChannelTable.Capacity >= 2 * 1024);                              // FIFO page 2 is reachable
        // This kernel lays shared_info out for x86_64: the 2-level limit of its domain is the 64-bit one.
        Assert.Equal(4096u, _d.Xen.PortLimit);
    }

    /// <summary>A table with the limit of an x86_32 guest's 2-level ABI (1024) or any other limit hands out exactly the
    /// ports 1 .. min(limit, Capacity) - 1, lowest first, then answers false (-ENOSPC); valid ports grow 64 at a
    /// time.</summary>
    [Property(MaxTest = 40)]
    public bool TableAllocatesLowestPortsUpToTheLimit(ushort rawLimit)
    {
        uint limit = rawLimit % 5000u;
        if (rawLimit % 4 == 0) limit = EventChannelTable.AbiPortLimit(false, sharedInfo32: true);
        byte* mem = (byte*)NativeMemory.AllocZeroed((nuint)EventChannelTable.MemorySize);
        try
        {
            var table = new EventChannelTable();
            if (!table.Initialize(mem) || table.ValidPorts != 64) return false;
            uint expectedCount = Math.Min(limit, (uint)EventChannelTable.Capacity);
            uint next = 1;
            while (table.TryFindFree(limit, out uint port))
            {
                if (port != next || port >= expectedCount) return false;
                if (table.ValidPorts != (port / 64 + 1) * 64 || !table.IsValid(port)) return false;
                table.Set(port, PortState.Ipi, 0, 0);
                next++;
            }
            uint end = Math.Max(expectedCount, 1);
            return next == end && table.ValidPorts <= EventChannelTable.Capacity && !table.IsValid(EventChannelTable.Capacity);
        }
        finally
        {
            NativeMemory.Free(mem);
        }
    }

    [Fact]
    public void AllocationFillsEveryPortThenAnswersEnospcAndReusesTheLowestClosedPort()
    {
        Assert.Equal(64u, _d.Xen.Ports.ValidPorts);
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(4, 64));                                 // port 64: not valid yet
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(5, DomainIds.Self | (64UL << 32)));                // status of port 64
        for (uint want = 3; want < EventChannelTable.Capacity; want++)
        {
            Assert.Equal(want, AllocUnbound());
            Assert.Equal((want / 64 + 1) * 64, _d.Xen.Ports.ValidPorts);
        }
        // Full: every command that allocates answers -ENOSPC, exactly at the capacity.
        Assert.Equal(E(XenErrno.ENOSPC), Evtchn(6, SelfSelf));
        Assert.Equal(E(XenErrno.ENOSPC), Evtchn(0, DomainIds.Self | (4095UL << 32)));     // bind_interdomain
        Assert.Equal(E(XenErrno.ENOSPC), Evtchn(7, 0));                                  // bind_ipi
        Assert.Equal(E(XenErrno.ENOSPC), Evtchn(1, 0));                                  // bind_virq VIRQ_TIMER
        Assert.Equal((uint)EventChannelTable.Capacity, _d.Xen.Ports.ValidPorts);
        Assert.Equal(PortState.Unbound, _d.Xen.Ports.State(4095));
        // Every port argument is range-checked: the first port past the table and the largest numbers.
        foreach (uint bad in new[] { 4096u, 4097u, 0x1FFFFu, 0x20000u, (uint)int.MaxValue, uint.MaxValue })
        {
            Assert.Equal(E(XenErrno.EINVAL), Evtchn(4, bad));                              // send
            Assert.Equal(E(XenErrno.EINVAL), Evtchn(3, bad));                              // close
            Assert.Equal(E(XenErrno.EINVAL), Evtchn(9, bad));                              // unmask
            Assert.Equal(E(XenErrno.EINVAL), Evtchn(5, DomainIds.Self | ((ulong)bad << 32)));   // status
            Assert.Equal(E(XenErrno.EINVAL), Evtchn(0, DomainIds.Self | ((ulong)bad << 32)));   // bind_interdomain
        }
        // Xen hands out the lowest free port: close 3000, 17 and 1500; the next allocations are 17, 1500, 3000.
        Assert.Equal(0, Evtchn(3, 3000));
        Assert.Equal(0, Evtchn(3, 17));
        Assert.Equal(0, Evtchn(3, 1500));
        Assert.Equal(17, AllocUnbound());
        Assert.Equal(0, Evtchn(7, 0));                                                   // bind_ipi takes 1500
        Assert.Equal(1500u, ArgDword(1));
        Assert.Equal(0, Evtchn(0, DomainIds.Self | (4095UL << 32)));                     // bind_interdomain takes 3000
        Assert.Equal(3000u, ArgDword(2));
        Assert.Equal(PortState.Interdomain, _d.Xen.Ports.State(4095));
        Assert.Equal(3000u, _d.Xen.Ports.RemotePort(4095));
        Assert.Equal(E(XenErrno.ENOSPC), Evtchn(6, SelfSelf));
        // Closing keeps the ports valid (Xen never frees a bucket while the domain lives).
        Assert.Equal(0, Evtchn(3, 4095));
        Assert.Equal((uint)EventChannelTable.Capacity, _d.Xen.Ports.ValidPorts);
        Assert.Equal(4095, AllocUnbound());
    }

    /// <summary>Random allocations and closes of ports across several buckets against a model of Xen's
    /// <c>get_free_port</c> and <c>port_is_valid</c>: every allocation returns the model's lowest free port, every close
    /// of a free, reserved or not-yet-valid port is -EINVAL, and the status of every port agrees at the end.</summary>
    [Property(MaxTest = 30)]
    public bool LowestFreePortAfterRandomClosesAndAllocations(ushort[] ops)
    {
        using var t = new EventChannelPortTests();
        var used = new bool[EventChannelTable.Capacity];
        used[0] = used[1] = used[2] = true;
        int valid = 64;
        foreach (ushort op in ops ?? Array.Empty<ushort>())
        {
            if ((op & 3) != 0)
            {
                // Allocate 1..8 ports.
                for (int i = 0; i <= (op >> 2) % 8; i++)
                {
                    int free = Array.IndexOf(used, false, 0, valid);
                    if (free < 0) free = valid;
                    long got = t.AllocUnbound();
                    if (free >= EventChannelTable.Capacity) { if (got != E(XenErrno.ENOSPC)) return false; continue; }
                    if (got != free) return false;
                    used[free] = true;
                    if (free == valid) valid += 64;
                }
            }
            else
            {
                uint port = (uint)(op >> 2) % 400;                                       // ports 0..399
                bool closable = port < valid && port > 0 && used[port];               // 1 and 2 (services) close too
                long got = t.Evtchn(3, port);
                if (got != (closable ? 0 : E(XenErrno.EINVAL))) return false;
                if (closable) used[port] = false;
            }
        }
        if (t._d.Xen.Ports.ValidPorts != valid) return false;
        for (uint p = 3; p < 400; p++)
        {
            long got = t.Evtchn(5, DomainIds.Self | ((ulong)p << 32));
            if (p >= valid) { if (got != E(XenErrno.EINVAL)) return false; continue; }
            if (got != 0 || t.ArgDword(2) != (used[p] ? 1u : 0u)) return false;          // EVTCHNSTAT_unbound / closed
        }
        return true;
    }

    /// <summary>2-level ports beyond the first word (x86_64 layout): an IPI port p anywhere in the table, once allocated,
    /// sets bit p % 64 of <c>evtchn_pending[p / 64]</c>, bit p / 64 of <c>evtchn_pending_sel</c> and
    /// <c>evtchn_upcall_pending</c> (offsets from the gcc-checked <c>SharedInfo64</c>/<c>VcpuInfo64</c>); a masked one
    /// stays pending without an upcall until EVTCHNOP_unmask; close clears it.</summary>
    [Property(MaxTest = 10)]
    public bool TwoLevelPortsBeyondTheFirstWordUseTheirWordAndSelectorBit(ushort rawPort, bool masked)
    {
        using var t = new EventChannelPortTests();
        uint target = 3 + (uint)(rawPort % (EventChannelTable.Capacity - 3));
        t.SetVectorCallback();
        // XENMEM_add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, gpfn 0x40): struct xen_add_to_physmap (x86_64).
        t.Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(t.Ram.Slice((int)Arg), DomainIds.Self);
        BinaryPrimitives.WriteUInt64LittleEndian(t.Ram.Slice((int)Arg + 16), SharedGfn);
        if (t.Hypercall(12, 7) != 0) return false;
        for (uint p = 3; p <= target; p++) if (t.Evtchn(7, 0) != 0 || t.ArgDword(1) != p) return false;
        Span<byte> shared = t.Ram.Slice((int)(SharedGfn << 12), 4096);
        int pendingAt = (int)Marshal.OffsetOf<SharedInfo64>(nameof(SharedInfo64.EvtchnPending)) + (int)(target / 64) * 8;
        int maskAt = (int)Marshal.OffsetOf<SharedInfo64>(nameof(SharedInfo64.EvtchnMask)) + (int)(target / 64) * 8;
        int selAt = (int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnPendingSel));
        int upcallAt = (int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnUpcallPending));
        ulong bit = 1UL << (int)(target % 64);
        if (masked) BinaryPrimitives.WriteUInt64LittleEndian(shared.Slice(maskAt), bit);
        if (t.Evtchn(4, target) != 0) return false;
        if (BinaryPrimitives.ReadUInt64LittleEndian(shared.Slice(pendingAt)) != bit) return false;
        if (masked)
        {
            if (t._s.InterruptPending || shared[upcallAt] != 0) return false;
            // Xen's evtchn_unmask clears the mask bit itself (test_and_clear_bit) and re-raises the pending event.
            if (t.Evtchn(9, target) != 0) return false;
            if (BinaryPrimitives.ReadUInt64LittleEndian(shared.Slice(maskAt)) != 0) return false;
        }
        if (BinaryPrimitives.ReadUInt64LittleEndian(shared.Slice(selAt)) != 1UL << (int)(target / 64)) return false;
        if (shared[upcallAt] != 1 || !t._s.InterruptPending || t._d.Xen.Upcalls != 1) return false;
        if (t.Evtchn(3, target) != 0) return false;
        return BinaryPrimitives.ReadUInt64LittleEndian(shared.Slice(pendingAt)) == 0;
    }

    /// <summary>The FIFO guest's path to the second event-array page: a guest cannot choose a port, so it allocates until
    /// it gets 1024 (the first word of page 2); a loopback send on its peer sets PENDING|LINKED in page 2's word 0, READY
    /// and HEAD of the default priority, and Xen.Sdk.Rings' guest-side consumer over both pages drains exactly port 1024.</summary>
    [Fact]
    public void FifoPortInTheSecondEventArrayPageIsQueuedAndConsumed()
    {
        SetVectorCallback();
        Assert.Equal(0, Evtchn(11, ControlGfn, 0));
        Assert.Equal(0, Evtchn(12, ArrayGfn));
        Assert.Equal(0, Evtchn(12, ArrayGfn + 2));                                       // pages need not be adjacent
        long port;
        int allocations = 0;
        do
        {
            port = AllocUnbound();
            allocations++;
        }
        while (port >= 0 && port < 1024);
        Assert.Equal(1024, port);
        Assert.Equal(1024 - 3 + 1, allocations);                                         // ports 3..1024
        Assert.Equal(0, Evtchn(0, DomainIds.Self | (1024UL << 32)));
        Assert.Equal(1025u, ArgDword(2));
        Assert.Equal(0, Evtchn(4, 1025));                                                // raises 1024
        uint* page2 = (uint*)_d.Memory.TryMapPage((ArrayGfn + 2) << 12);
        Assert.Equal(FifoEventArray.PendingBit | FifoEventArray.LinkedBit, page2[0]);
        var control = (EvtchnFifoControlBlock*)_d.Memory.TryMapPage(ControlGfn << 12);
        Assert.Equal(1u << (int)EventChannelTable.DefaultPriority, BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(control, 4)));
        Assert.Equal(1024u, BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>((byte*)control + 8 + 4 * EventChannelTable.DefaultPriority, 4)));
        Assert.True(_s.InterruptPending);
        Assert.Equal(1UL, _d.Xen.Upcalls);
        // A second event in the same queue: 1025 (page 2 too) is linked after 1024 (LINK of word 1024 = 1025).
        Assert.Equal(0, Evtchn(4, 1024));                                                // raises 1025
        Assert.Equal(FifoEventArray.PendingBit | FifoEventArray.LinkedBit | 1025, page2[0]);
        uint** pages = stackalloc uint*[2];
        pages[0] = (uint*)_d.Memory.TryMapPage(ArrayGfn << 12);
        pages[1] = page2;
        var guest = new FifoGuestQueues(control);
        Span<EventChannelPort> got = stackalloc EventChannelPort[8];
        Assert.Equal(RingError.None, guest.Drain(new FifoEventArray(pages, 2), got, out int count));
        Assert.Equal(2, count);
        Assert.Equal(1024u, got[0].Value);
        Assert.Equal(1025u, got[1].Value);
        Assert.Equal(0u, page2[0]);
        Assert.Equal(0u, page2[1]);
        // Close: both ports free again, the lowest free port is 1024 again.
        Assert.Equal(0, Evtchn(3, 1025));
        Assert.Equal(0, Evtchn(3, 1024));
        Assert.Equal(1024, AllocUnbound());
    }

    /// <summary>Any port of the table (page 1..4 of the event array): raised through an IPI binding, its event lands in
    /// word port % 1024 of page port / 1024, or, while that page is missing, is kept and set pending when expand_array
    /// adds it (Xen's add_page_to_event_array); Xen.Sdk.Rings' consumer then drains exactly that port.</summary>
    [Property(MaxTest = 12)]
    public bool FifoEventsOfAnyPortLandInTheirPage(ushort rawPort, byte rawPagesBefore)
    {
        using var t = new EventChannelPortTests();
        uint target = 3 + (uint)(rawPort % (EventChannelTable.Capacity - 3));
        uint pagesBefore = (uint)(rawPagesBefore % 5);                                   // 0..4 pages before the send
        t.SetVectorCallback();
        if (t.Evtchn(11, ControlGfn, 0) != 0) return false;
        for (uint i = 0; i < pagesBefore; i++) if (t.Evtchn(12, 0x60 + i) != 0) return false;
        // Bind IPIs until the target port (a guest cannot name its port).
        for (uint p = 3; p <= target; p++)
        {
            if (t.Evtchn(7, 0) != 0 || t.ArgDword(1) != p) return false;
        }
        if (t.Evtchn(4, target) != 0) return false;                                     // an IPI raises itself
        uint page = target / FifoEventArray.WordsPerPage;
        if (page >= pagesBefore)
        {
            if (!t._d.Xen.IsDeferred(target) || t._s.InterruptPending) return false;
            for (uint i = pagesBefore; i <= page; i++) if (t.Evtchn(12, 0x60 + i) != 0) return false;
            if (t._d.Xen.IsDeferred(target)) return false;
        }
        uint* word = (uint*)t._d.Memory.TryMapPage((0x60UL + page) << 12) + target % FifoEventArray.WordsPerPage;
        if (*word != (FifoEventArray.PendingBit | FifoEventArray.LinkedBit) || !t._s.InterruptPending) return false;
        uint n = Math.Max(pagesBefore, page + 1);
        uint** pages = stackalloc uint*[(int)n];
        for (uint i = 0; i < n; i++) pages[i] = (uint*)t._d.Memory.TryMapPage((0x60UL + i) << 12);
        var guest = new FifoGuestQueues((EvtchnFifoControlBlock*)t._d.Memory.TryMapPage(ControlGfn << 12));
        Span<EventChannelPort> got = stackalloc EventChannelPort[4];
        if (guest.Drain(new FifoEventArray(pages, n), got, out int count) != RingError.None) return false;
        return count == 1 && got[0].Value == target && *word == 0;
    }
}
