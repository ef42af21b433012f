using System;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Io;

namespace Xen.Sdk.Benchmarks.Abi;

/// <summary>
/// Reading blkif requests out of a shared ring page: the SDK's <c>BlkifRequest64.TryRead</c> (bounds-checked,
/// returns false instead of throwing) against a bare <see cref="Unsafe.ReadUnaligned{T}(ref byte)"/> of the same
/// struct. Each invocation reads all 32 slots of one 4 KiB blkif ring, as a backend draining a full ring would.
/// Target: no allocation and within 2x of the baseline.
/// </summary>
[MemoryDiagnoser]
public class BlkifRequestReadBenchmarks
{
    private const int Slots = Blkif.RingEntries;
    private readonly byte[] _page = new byte[4096];

    /// <summary>Fills every slot with a distinct, fully populated request.</summary>
    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Slots; i++)
        {
            var request = new BlkifRequest64
            {
                Operation = (byte)Blkif.OpRead,
                NrSegments = Blkif.MaxSegmentsPerRequest,
                Handle = 0x0301,
                Id = 0x1000UL + (ulong)i,
                SectorNumber = 0x2000UL * (ulong)i,
            };
            for (int s = 0; s < BlkifRequest64.SegBuffer.Length; s++)
            {
                request.Seg[s].Gref = new GrantRef((uint)(i * 16 + s));
                request.Seg[s].FirstSect = 0;
                request.Seg[s].LastSect = 7;
            }

            request.TryWrite(_page.AsSpan(SharedRing.RingOffset + (i * BlkifRequest64.Size)));
        }
    }

    /// <summary>Baseline: <c>Unsafe.ReadUnaligned&lt;BlkifRequest64&gt;</c> with the caller computing the address.</summary>
    /// <returns>A checksum of the fields read, so nothing is optimised away.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Slots)]
    public ulong UnsafeReadUnaligned()
    {
        ulong sum = 0;
        byte[] page = _page;
        for (int i = 0; i < Slots; i++)
        {
            BlkifRequest64 r = Unsafe.ReadUnaligned<BlkifRequest64>(ref page[SharedRing.RingOffset + (i * BlkifRequest64.Size)]);
            sum += r.Id ^ r.SectorNumber ^ r.Seg[r.NrSegments - 1].Gref.Value;
        }

        return sum;
    }

    /// <summary>The SDK: <c>BlkifRequest64.TryRead</c> from a span of the page.</summary>
    /// <returns>A checksum of the fields read, so nothing is optimised away.</returns>
    [Benchmark(OperationsPerInvoke = Slots)]
    public ulong SdkTryRead()
    {
        ulong sum = 0;
        ReadOnlySpan<byte> ring = _page.AsSpan(SharedRing.RingOffset);
        for (int i = 0; i < Slots; i++)
        {
            if (BlkifRequest64.TryRead(ring.Slice(i * BlkifRequest64.Size), out BlkifRequest64 r))
            {
                sum += r.Id ^ r.SectorNumber ^ r.Seg[r.NrSegments - 1].Gref.Value;
            }
        }

        return sum;
    }
}
