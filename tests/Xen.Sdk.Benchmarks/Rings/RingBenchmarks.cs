using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Xen.Sdk.Rings;

namespace Xen.Sdk.Benchmarks.Rings;

/// <summary>A 64-byte request: sequence number and 56 payload bytes (the same as native/ring_bench.c).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct BenchRequest
{
    /// <summary>Sequence number.</summary>
    public ulong Seq;
    /// <summary>Payload.</summary>
    public fixed byte Payload[56];

    /// <summary>
    /// memset(payload, value, 56) as gcc -O2 inlines it in native/ring_bench.c (a broadcast byte in an SSE
    /// register, three 16-byte stores and one 8-byte store); Unsafe.InitBlock would emit `rep stosb`, whose
    /// start-up cost would dominate the ring operations being measured. No `fixed`: the slot is in unmanaged
    /// memory, and a pinned local would be stored and cleared on every message.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FillPayload(ref BenchRequest q, byte value)
    {
        Vector128<byte> v = Vector128.Create(value);
        ref byte p = ref q.Payload[0];
        v.StoreUnsafe(ref p);
        v.StoreUnsafe(ref p, 16);
        v.StoreUnsafe(ref p, 32);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 48), v.AsUInt64().ToScalar());
    }
}

/// <summary>
/// An 8-byte response: the complement of the request's sequence number. Not the sequence number itself: the
/// response reuses the request's slot, so storing the value just read back to the same address is a store
/// gcc deletes (the C backend then never wrote its responses at all).
/// </summary>
public struct BenchResponse
{
    /// <summary>~sequence number.</summary>
    public ulong Seq;
}

/// <summary>
/// Single-producer/single-consumer throughput across two threads with 64-byte messages: Xen.Sdk.Rings,
/// the same workload driven by Xen's C macros (gcc -O2, native/ring_bench.c, same run), and
/// System.Threading.Channels bounded channels. One operation = one message.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public unsafe class RingSpscBenchmarks
{
    // 2^22 messages per invocation: the thread each side starts per invocation costs about 90 us in .NET and
    // 40 us with pthreads, which at 2^20 messages of ~3 ns was already 1.7% of the C# figure.
    private const int Messages = 1 << 22;
    private const int RingBytes = 8 * 4096;
    private byte* _page;

    [GlobalSetup]
    public void Setup()
    {
        NativeRingBaseline.EnsureLoaded();
        _page = (byte*)NativeMemory.AlignedAlloc(RingBytes, 4096);
    }

    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(_page);

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "Xen C macros (gcc -O2)")]
    public long XenCMacros() => NativeRingBaseline.Spsc(Messages);

    [Benchmark(OperationsPerInvoke = Messages, Description = "Xen.Sdk.Rings")]
    public long XenSdkRings() => RingWorkload.Run(_page, RingBytes, Messages, pingPong: false);

    [Benchmark(OperationsPerInvoke = Messages, Description = "Channels bounded")]
    public long ChannelsBounded()
    {
        var ch = Channel.CreateBounded<BenchRequest>(new BoundedChannelOptions(256)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        long sum = 0;
        ulong old = 0;
        bool pinned = RingWorkload.Pin(0, &old); // the same placement as the rings: writer CPU 0, reader CPU 1
        var reader = new Thread(() =>
        {
            RingWorkload.Pin(1, null);
            long got = 0, s = 0;
            int spins = 0;
            while (got < Messages)
            {
                if (ch.Reader.TryRead(out BenchRequest r))
                {
                    s += (long)r.Seq;
                    got++;
                }
                else RingWorkload.Relax(ref spins);
            }
            sum = s;
        });
        reader.Start();
        int wspins = 0;
        for (long i = 0; i < Messages; i++)
        {
            BenchRequest q = default;
            q.Seq = (ulong)i;
            BenchRequest.FillPayload(ref q, (byte)i);
            while (!ch.Writer.TryWrite(q)) RingWorkload.Relax(ref wspins);
        }
        reader.Join();
        if (pinned) RingWorkload.Unpin(&old);
        return sum;
    }
}

/// <summary>Ping-pong round trip (one request, wait for its response), next to the C macros.</summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public unsafe class RingPingPongBenchmarks
{
    private const int RoundTrips = 1 << 14;
    private const int RingBytes = 8 * 4096;
    private byte* _page;

    [GlobalSetup]
    public void Setup()
    {
        NativeRingBaseline.EnsureLoaded();
        _page = (byte*)NativeMemory.AlignedAlloc(RingBytes, 4096);
    }

    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(_page);

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips, Description = "Xen C macros (gcc -O2)")]
    public long XenCMacros() => NativeRingBaseline.PingPong(RoundTrips);

    [Benchmark(OperationsPerInvoke = RoundTrips, Description = "Xen.Sdk.Rings")]
    public long XenSdkRings() => RingWorkload.Run(_page, RingBytes, RoundTrips, pingPong: true);
}

/// <summary>
/// The request/response cycle on one thread (no cross-core traffic): the per-message cost of the ring
/// operations themselves, C macros vs Xen.Sdk.Rings.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public unsafe class RingOneThreadBenchmarks
{
    private const int Messages = 1 << 20;
    private const int RingBytes = 8 * 4096;
    private byte* _page;

    [GlobalSetup]
    public void Setup()
    {
        NativeRingBaseline.EnsureLoaded();
        _page = (byte*)NativeMemory.AlignedAlloc(RingBytes, 4096);
    }

    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(_page);

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "Xen C macros (gcc -O2)")]
    public long XenCMacros() => NativeRingBaseline.OneThread(Messages);

    [Benchmark(OperationsPerInvoke = Messages, Description = "Xen.Sdk.Rings")]
    public long XenSdkRings() => OneThread(_page);

    private static long OneThread(byte* page)
    {
        if (!FrontRing<BenchRequest, BenchResponse>.TryInitialize(page, RingBytes, out var f)) throw new InvalidOperationException();
        if (!BackRing<BenchRequest, BenchResponse>.TryAttach(page, RingBytes, 0, out var b)) throw new InvalidOperationException();
        long sent = 0, got = 0, sum = 0;
        while (got < Messages)
        {
            sent = RingWorkload.ProduceBatch(ref f, sent, Messages);
            f.PushRequests();
            sum += RingWorkload.AnswerBatch(ref b);
            b.PushResponses();
            got = RingWorkload.ConsumeBatch(ref f, got);
        }
        return sum;
    }
}

/// <summary>
/// The C# side of the workloads, written like native/ring_bench.c: one batch per pass (produce while slots
/// are free, then push; read the peer's producer index once, consume everything it covers), the same
/// polling policy (spin 100 times, then yield) and no notifications (the C side uses no event channel
/// either). The batch loops use the ring's window API (validate once, copy each slot, advance once), so
/// their indices stay in registers.
/// </summary>
internal static unsafe class RingWorkload
{
    /// <summary>
    /// Called after a pass that found nothing to do: one PAUSE (the same instruction as the C side's
    /// <c>__builtin_ia32_pause()</c>, so 100 spins last about as long in both languages whatever each poll
    /// costs), and every 100 spins a yield (<c>sched_yield</c> in both).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Relax(ref int spins)
    {
        if (X86Base.IsSupported) X86Base.Pause();
        if (++spins > 100)
        {
            spins = 0;
            YieldThread();
        }
    }

    // Out of line: an inlined Thread.Yield brings a P/Invoke frame into the polling loop.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void YieldThread() => Thread.Yield();

    /// <summary>Frontend: builds requests sent .. min(limit, sent + free) - 1 in place; returns the new sent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ProduceBatch(ref FrontRing<BenchRequest, BenchResponse> f, long sent, long limit)
    {
        uint k = f.FreeRequests;
        if (limit - sent < k) k = (uint)(limit - sent);
        uint prod = f.RequestProducer;
        for (uint i = 0; i < k; i++)
        {
            ref BenchRequest q = ref f.GetRequest(prod + i);
            q.Seq = (ulong)(sent + i);
            BenchRequest.FillPayload(ref q, (byte)(sent + i));
        }
        f.AdvanceRequests(k);
        return sent + k;
    }

    /// <summary>Frontend: consumes every published response, checking order; returns the new count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ConsumeBatch(ref FrontRing<BenchRequest, BenchResponse> f, long got)
    {
        if (f.UnconsumedResponses(out uint m) != RingError.None) throw new InvalidOperationException("backend broke the ring");
        uint cons = f.ResponseConsumer;
        for (uint i = 0; i < m; i++)
            if (f.CopyResponse(cons + i).Seq != ~(ulong)(got + i)) throw new InvalidOperationException("reordered");
        f.AdvanceResponseConsumer(m);
        return got + m;
    }

    /// <summary>Backend: copies out every published request and answers it in place; returns the sum of the sequence numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long AnswerBatch(ref BackRing<BenchRequest, BenchResponse> b)
    {
        if (b.UnconsumedRequests(out uint m) != RingError.None) throw new InvalidOperationException("frontend broke the ring");
        uint cons = b.RequestConsumer, rsp = b.ResponseProducer;
        long sum = 0;
        if (rsp == cons)
        {
            // Every earlier request is answered, so response i goes to the slot of request i. gcc finds this by
            // itself in ring_bench.c (req_cons and rsp_prod_pvt start equal in BACK_RING_ATTACH and move in
            // lockstep, so it keeps one index and computes each slot address once); the JIT cannot prove it
            // across calls, so the loop is versioned here to the same one-index shape.
            for (uint i = 0; i < m; i++)
            {
                BenchRequest q = b.CopyRequest(cons + i);
                sum += (long)q.Seq;
                b.GetResponse(cons + i).Seq = ~q.Seq;
            }
        }
        else
        {
            for (uint i = 0; i < m; i++)
            {
                BenchRequest q = b.CopyRequest(cons + i);
                sum += (long)q.Seq;
                b.GetResponse(rsp + i).Seq = ~q.Seq;
            }
        }
        b.AdvanceRequestConsumer(m);
        b.AdvanceResponses(m);
        return sum;
    }

    public static long Run(byte* page, int bytes, long n, bool pingPong)
    {
        if (!FrontRing<BenchRequest, BenchResponse>.TryInitialize(page, (nuint)bytes, out var f)) throw new InvalidOperationException();
        long backSum = 0;
        ulong old = 0;
        bool pinned = Pin(0, &old);
        var back = new Thread(() =>
        {
            Pin(1, null);
            backSum = Backend(page, bytes, n);
        });
        back.Start();
        Frontend(ref f, n, pingPong);
        back.Join();
        if (pinned) Unpin(&old);
        return backSum;
    }

    /// <summary>
    /// Thread placement, the same as native/ring_bench.c's pin(): the frontend (calling) thread on CPU 0, the
    /// backend on CPU 1, through sched_setaffinity on the calling thread; <paramref name="old"/> receives the
    /// previous mask. Left to the scheduler, a new thread often starts on its creator's core and every hand-off
    /// then waits for a yield; .NET and pthreads create threads differently, so placement luck, not the ring
    /// code, decided many runs.
    /// </summary>
    public static bool Pin(int cpu, ulong* old)
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2) return false;
        if (old != null && sched_getaffinity(0, sizeof(ulong), old) != 0) return false;
        ulong mask = 1UL << cpu;
        return sched_setaffinity(0, sizeof(ulong), &mask) == 0;
    }

    /// <summary>Restores the mask <see cref="Pin"/> saved.</summary>
    public static void Unpin(ulong* old) => sched_setaffinity(0, sizeof(ulong), old);

    [DllImport("libc", SetLastError = false)]
    private static extern int sched_setaffinity(int pid, nint size, ulong* mask);

    [DllImport("libc", SetLastError = false)]
    private static extern int sched_getaffinity(int pid, nint size, ulong* mask);

    private static void Frontend(ref FrontRing<BenchRequest, BenchResponse> ring, long n, bool pingPong)
    {
        FrontRing<BenchRequest, BenchResponse> f = ring; // a local copy: not address-exposed in the loop
        long sent = 0, got = 0;
        int spins = 0;
        while (got < n)
        {
            long s = ProduceBatch(ref f, sent, pingPong ? got + 1 : n);
            bool progress = s != sent;
            sent = s;
            if (progress) f.PushRequests();
            long g = ConsumeBatch(ref f, got);
            progress |= g != got;
            got = g;
            if (!progress) Relax(ref spins);
        }
        ring = f;
    }

    private static long Backend(byte* page, int bytes, long n)
    {
        if (!BackRing<BenchRequest, BenchResponse>.TryAttach(page, (nuint)bytes, 0, out var b)) throw new InvalidOperationException();
        long got = 0, sum = 0;
        int spins = 0;
        while (got < n)
        {
            uint before = b.RequestConsumer;
            sum += AnswerBatch(ref b);
            uint m = b.RequestConsumer - before;
            if (m != 0)
            {
                b.PushResponses();
                got += m;
            }
            else Relax(ref spins);
        }
        return sum;
    }
}
