using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Rings.EventChannel;
using Xen.Sdk.Rings.Tests.Hostile;
using Xunit;

namespace Xen.Sdk.Rings.Tests.EventChannel;

public sealed unsafe class FifoEventChannelTests
{
    private const uint Ports = 1024;

    [Fact]
    public void EventWordBitsAreTheAbiBits()
    {
        // (xen/include/public/event_channel.h): PENDING 31, MASKED 30, LINKED 29, BUSY 28, LINK bits 0..16.
        Assert.Equal(0x8000_0000u, FifoEventArray.PendingBit);
        Assert.Equal(0x4000_0000u, FifoEventArray.MaskedBit);
        Assert.Equal(0x2000_0000u, FifoEventArray.LinkedBit);
        Assert.Equal(0x1000_0000u, FifoEventArray.BusyBit);
        Assert.Equal(0x1FFFFu, FifoEventArray.LinkMask);
        Assert.Equal(72, sizeof(EvtchnFifoControlBlock));
    }

    /// <summary>
    /// Model check: random raise/mask/unmask/consume steps over 4 priorities. Each queue delivers its events in
    /// the order they were first raised (FIFO), each once; masked events are not delivered until unmasked (and
    /// are delivered then); LINKED, PENDING and the READY bits agree with the model after every step.
    /// </summary>
    [Property(MaxTest = 300)]
    public void QueuesDeliverInOrderOnceAndRespectMasks(int[] opsRaw)
    {
        uint* words = stackalloc uint[(int)Ports];
        new Span<uint>(words, (int)Ports).Clear();
        var cb = new EvtchnFifoControlBlock();
        var events = new FifoEventArray(words, Ports);
        var hv = new FifoHypervisorQueues(&cb);
        var guest = new FifoGuestQueues(&cb);
        var queues = new List<uint>[4];
        for (int q = 0; q < 4; q++) queues[q] = new List<uint>();
        var prio = new Dictionary<uint, uint>();
        var masked = new HashSet<uint>();
        var pendingMasked = new HashSet<uint>();
        Span<EventChannelPort> got = stackalloc EventChannelPort[64];
        foreach (int raw in opsRaw ?? Array.Empty<int>())
        {
            uint port = 1 + (uint)(raw & 0xFF) % 40; // few ports: lots of re-raises
            if (!prio.TryGetValue(port, out uint pr)) prio[port] = pr = port % 4;
            var p = new EventChannelPort(port);
            switch ((raw >> 8) & 3)
            {
                case 0:
                case 1:
                    Assert.Equal(RingError.None, hv.SetPending(events, p, pr, out _));
                    if (masked.Contains(port)) pendingMasked.Add(port);
                    else if (!queues[pr].Contains(port)) queues[pr].Add(port);
                    break;
                case 2:
                    if ((raw & 0x400) != 0)
                    {
                        events.TrySet(p, FifoEventArray.MaskedBit, out _);
                        masked.Add(port);
                    }
                    else
                    {
                        Assert.Equal(RingError.None, events.GuestUnmask(p, out bool hypercall));
                        if (hypercall) Assert.Equal(RingError.None, hv.Unmask(events, p, pr, out _));
                        masked.Remove(port);
                        if (pendingMasked.Remove(port) && !queues[pr].Contains(port)) queues[pr].Add(port);
                    }
                    break;
                default:
                    // The upcall: queues drained highest priority (lowest number) first, each in FIFO order.
                    Assert.Equal(RingError.None, guest.Drain(events, got, out int n));
                    var expect = new List<uint>();
                    for (int q2 = 0; q2 < 4; q2++)
                    {
                        foreach (uint e in queues[q2]) if (!masked.Contains(e)) expect.Add(e); else pendingMasked.Add(e);
                        queues[q2].Clear();
                    }
                    var actual = new List<uint>();
                    for (int i = 0; i < n; i++) actual.Add(got[i].Value);
                    Assert.Equal(expect, actual);
                    Assert.Equal(0u, guest.Ready);
                    break;
            }
            for (uint q = 0; q < 4; q++)
                foreach (uint e in queues[q])
                {
                    Assert.True(events.TryRead(new EventChannelPort(e), out uint w));
                    Assert.True((w & FifoEventArray.PendingBit) != 0 || masked.Contains(e));
                }
        }
    }

    /// <summary>
    /// 10^6 hostile states: random event words (LINK cycles, out-of-range links, BUSY stuck) and random control
    /// blocks. The guest never reads outside the array (guard pages), never loops forever (Drain is bounded;
    /// cycles come back as LoopDetected), and the hypervisor's SetPending stays bounded too.
    /// </summary>
    [Fact]
    public void HostileEventArrayFuzz()
    {
        using var mem = new GuardedPages(1);
        var rnd = new Random(4242);
        const uint n = 1000;
        uint* words = (uint*)mem.EndAligned((int)n * 4);
        var cb = (EvtchnFifoControlBlock*)mem.Start;
        var events = new FifoEventArray(words, n);
        Span<EventChannelPort> got = stackalloc EventChannelPort[2048];
        long loops = 0, invalid = 0, delivered = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            if ((i & 255) == 0)
            {
                for (uint k = 0; k < n; k++)
                    words[k] = rnd.Next(3) == 0 ? (uint)rnd.Next() | (uint)rnd.Next(2) << 31 : FifoEventArray.LinkedBit | FifoEventArray.PendingBit | (uint)rnd.Next(1, (int)n + 20);
            }
            if ((i & 3) == 0)
                for (int k = 0; k < 18; k++) ((uint*)cb)[k] = k < 2 ? (uint)rnd.Next() : (uint)rnd.Next(0, (int)n + 50);
            var guest = new FifoGuestQueues(cb);
            RingError e = guest.Drain(events, got.Slice(0, rnd.Next(0, 2048)), out int count);
            if (e == RingError.LoopDetected) loops++;
            if (e == RingError.InvalidSize) invalid++;
            for (int k = 0; k < count; k++) Assert.True(got[k].Value < n);
            delivered += count;
            var hv = new FifoHypervisorQueues(cb);
            e = hv.SetPending(events, new EventChannelPort((uint)rnd.Next(0, (int)n + 10)), (uint)rnd.Next(0, 17), out _);
            Assert.True(e is RingError.None or RingError.InvalidSize or RingError.Contended);
        }
        // A LINK cycle ends by itself because the guest clears LINK as it walks (a peer would have to rewrite
        // words concurrently to exceed the bound, which then reports LoopDetected).
        Assert.True(invalid > 0 && delivered > 0, $"loops {loops} invalid {invalid} delivered {delivered}");
    }
}
