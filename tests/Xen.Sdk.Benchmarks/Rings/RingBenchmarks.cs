using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// memset(payload, value, 56) as gcc inlines it (a broadcast word, seven 8-byte stores); Unsafe.InitBlock
    /// would emit `rep stosb`, whose start-up cost would dominate the ring operations being measured.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FillPayload(ref BenchRequest q, byte value)
    {
        ulong v = 0x0101_0101_0101_0101UL * value;
        fixed (byte* p = q.Payload)
        {
            ulong* w = (ulong*)p;
            w[0] = v; w[1] = v; w[2] = v; w[3] = v; w[4] = v; w[5] = v; w[6] = v;
        }
    }
}

/// <summary>An 8-byte response echoing the sequence number.</summary>
public struct BenchResponse
{
    /// <summary>Sequence number.</summary>
    public ulong Seq;
}

/// <summary>
/// Single-producer/single-consumer throughput across two threads with 64-byte messages: Xen.Sdk.Rings,
/// the same workload driven by Xen's C macros (gcc -O2, native/ring_bench.c, same run), and
/// System.Threading.Channels bounded channels. One operation = one message.
/// </summary>
[MemoryDiagnoser]
public unsafe class RingSpscBenchmarks
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
        var reader = new Thread(() =>
        {
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
        return sum;
    }
}

/// <summary>Ping-pong round trip (one request, wait for its response), next to the C macros.</summary>
[MemoryDiagnoser]
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
[MemoryDiagnoser]
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

    private static long OneThread(byte* _page)
    {
        if (!FrontRing<BenchRequest, BenchResponse>.TryInitialize(_page, RingBytes, out var f)) throw new InvalidOperationException();
        if (!BackRing<BenchRequest, BenchResponse>.TryAttach(_page, RingBytes, 0, out var b)) throw new InvalidOperationException();
        long sent = 0, got = 0, sum = 0;
        while (got < Messages)
        {
            while (sent < Messages && !f.IsFull)
            {
                ref BenchRequest q = ref f.GetRequest(f.RequestProducer);
                q.Seq = (ulong)sent;
                BenchRequest.FillPayload(ref q, (byte)sent);
                f.AdvanceRequests(1);
                sent++;
            }
            f.PushRequests();
            while (b.TryConsume(out BenchRequest q))
            {
                sum += (long)q.Seq;
                b.TryProduce(new BenchResponse { Seq = q.Seq });
            }
            b.PushResponses();
            while (f.TryConsume(out BenchResponse r))
            {
                if (r.Seq != (ulong)got) throw new InvalidOperationException("reordered");
                got++;
            }
        }
        return sum;
    }
}

/// <summary>The C# side of the workloads, written like native/ring_bench.c.</summary>
internal static unsafe class RingWorkload
{
    public static void Relax(ref int spins)
    {
        if (++spins > 100)
        {
            Thread.Yield();
            spins = 0;
        }
    }

    public static long Run(byte* page, int bytes, long n, bool pingPong)
    {
        if (!FrontRing<BenchRequest, BenchResponse>.TryInitialize(page, (nuint)bytes, out var f)) throw new InvalidOperationException();
        long backSum = 0;
        var back = new Thread(() => backSum = Backend(page, bytes, n));
        back.Start();
        long sent = 0, got = 0;
        int spins = 0;
        while (got < n)
        {
            bool progress = false;
            long limit = pingPong ? got + 1 : n;
            while (sent < limit && !f.IsFull)
            {
                ref BenchRequest q = ref f.GetRequest(f.RequestProducer);
                q.Seq = (ulong)sent;
                BenchRequest.FillPayload(ref q, (byte)sent);
                f.AdvanceRequests(1);
                sent++;
                progress = true;
            }
            if (progress) f.PushRequests();
            while (f.TryConsume(out BenchResponse r))
            {
                if (r.Seq != (ulong)got) throw new InvalidOperationException("reordered");
                got++;
                progress = true;
            }
            if (!progress) Relax(ref spins);
        }
        back.Join();
        return backSum;
    }

    private static long Backend(byte* page, int bytes, long n)
    {
        if (!BackRing<BenchRequest, BenchResponse>.TryAttach(page, (nuint)bytes, 0, out var b)) throw new InvalidOperationException();
        long got = 0, sum = 0;
        int spins = 0;
        while (got < n)
        {
            bool any = false;
            while (b.TryConsume(out BenchRequest q))
            {
                sum += (long)q.Seq;
                b.TryProduce(new BenchResponse { Seq = q.Seq });
                got++;
                any = true;
            }
            if (any) b.PushResponses();
            else Relax(ref spins);
        }
        return sum;
    }
}
