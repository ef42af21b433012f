using System;
using System.Collections.Generic;
using System.Threading;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Rings.EventChannel;
using Xen.Sdk.Rings.Tests.Hostile;
using Xunit;

namespace Xen.Sdk.Rings.Tests.EventChannel;

public sealed unsafe class TwoLevelEventChannelTests
{
    /// <summary>
    /// Model check: random raise/mask/unmask/consume sequences. The guest receives exactly the ports that
    /// are pending and unmasked, each once per raise-collapse, and the upcall flag is raised whenever such a
    /// port exists; ports outside 0..4095 are refused.
    /// </summary>
    [Property(MaxTest = 300)]
    public void GuestSeesExactlyPendingUnmaskedPorts(int[] opsRaw)
    {
        var si = new SharedInfo64();
        var ev = new TwoLevelEventChannels(&si);
        VcpuInfo64* v = (VcpuInfo64*)&si; // vcpu_info[0] sits at offset 0 of shared_info
        var pending = new HashSet<uint>();
        var masked = new HashSet<uint>();
        Span<EventChannelPort> outPorts = stackalloc EventChannelPort[7];
        var delivered = new List<uint>();
        foreach (int raw in opsRaw ?? Array.Empty<int>())
        {
            uint port = (uint)(raw & 0x1FFF) % 4200; // some ports out of range
            bool inRange = port < 4096;
            switch ((raw >> 13) & 3)
            {
                case 0:
                    Assert.Equal(inRange, ev.TrySetPending(new EventChannelPort(port), v, out _));
                    if (inRange) pending.Add(port);
                    break;
                case 1:
                    Assert.Equal(inRange, ev.TryMask(new EventChannelPort(port)));
                    if (inRange) masked.Add(port);
                    break;
                case 2:
                    Assert.Equal(inRange, (raw & 0x10000) != 0 ? ev.TryUnmask(new EventChannelPort(port), v, out _) : ev.TryUnmaskLocal(new EventChannelPort(port), v, out _));
                    masked.Remove(port);
                    break;
                default:
                    // The upcall flag must be up whenever something deliverable exists.
                    bool deliverable = false;
                    foreach (uint p in pending) if (!masked.Contains(p)) deliverable = true;
                    if (deliverable) Assert.Equal(1, v->EvtchnUpcallPending);
                    delivered.Clear();
                    int n;
                    do
                    {
                        n = ev.ConsumePending(v, outPorts);
                        for (int i = 0; i < n; i++) delivered.Add(outPorts[i].Value);
                    } while (n == outPorts.Length);
                    var expect = new List<uint>();
                    foreach (uint p in pending) if (!masked.Contains(p)) expect.Add(p);
                    expect.Sort();
                    delivered.Sort();
                    Assert.Equal(expect, delivered);
                    foreach (uint p in expect) pending.Remove(p);
                    break;
            }
            foreach (uint p in pending) Assert.True(ev.IsPending(new EventChannelPort(p)));
        }
    }

    /// <summary>A hypervisor thread raises 200,000 events on 512 ports while the guest consumes: nothing is lost.</summary>
    [Fact]
    public void ConcurrentRaiseAndConsumeLosesNothing()
    {
        var si = new SharedInfo64();
        SharedInfo64* psi = &si;
        const int rounds = 200_000;
        long raised = 0, received = 0;
        int[] outstanding = new int[512];
        var hv = new Thread(() =>
        {
            var ev = new TwoLevelEventChannels(psi);
            for (int i = 0; i < rounds; i++)
            {
                uint port = (uint)(i * 7919 % 512);
                // Raise only when the guest took the previous one (the model of a single outstanding event per port).
                while (Volatile.Read(ref outstanding[port]) != 0) Thread.Yield();
                Volatile.Write(ref outstanding[port], 1);
                ev.TrySetPending(new EventChannelPort(port), (VcpuInfo64*)psi, out _);
                Interlocked.Increment(ref raised);
            }
        });
        hv.Start();
        var evg = new TwoLevelEventChannels(psi);
        Span<EventChannelPort> ports = stackalloc EventChannelPort[64];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (received < rounds && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Volatile.Read(ref psi->VcpuInfo[0].EvtchnUpcallPending) == 0) { Thread.Yield(); continue; }
            int n = evg.ConsumePending((VcpuInfo64*)psi, ports);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(1, Volatile.Read(ref outstanding[ports[i].Value]));
                Volatile.Write(ref outstanding[ports[i].Value], 0);
            }
            received += n;
        }
        hv.Join();
        Assert.Equal(rounds, received);
    }

    /// <summary>10^6 random shared_info states and ports: no access outside the page, bounded work, range errors as values.</summary>
    [Fact]
    public void HostileSharedInfoFuzz()
    {
        using var mem = new GuardedPages(1);
        var rnd = new Random(99);
        var si = (SharedInfo64*)mem.EndAligned(SharedInfo64.Size & ~7);
        var v = (VcpuInfo64*)si;
        byte[] junk = new byte[SharedInfo64.Size & ~7];
        Span<EventChannelPort> ports = stackalloc EventChannelPort[4096];
        var ev = new TwoLevelEventChannels(si);
        for (int i = 0; i < 1_000_000; i++)
        {
            if ((i & 63) == 0)
            {
                rnd.NextBytes(junk);
                junk.CopyTo(new Span<byte>(si, junk.Length));
            }
            var port = new EventChannelPort((uint)rnd.Next() % 8192);
            bool ok = port.Value < 4096;
            switch (rnd.Next(4))
            {
                case 0: Assert.Equal(ok, ev.TrySetPending(port, v, out _)); break;
                case 1: Assert.Equal(ok, ev.TryUnmask(port, v, out _)); break;
                case 2: Assert.Equal(ok, ev.TryUnmaskLocal(port, v, out _)); break;
                default:
                    int n = ev.ConsumePending(v, ports.Slice(0, rnd.Next(0, 4097)));
                    for (int k = 0; k < n; k++) Assert.True(ports[k].Value < 4096);
                    break;
            }
        }
    }
}
