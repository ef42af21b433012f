using System;
using System.Diagnostics;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Threading;
using Xen.Sdk.Rings.Tests.Native;
using Xunit;

namespace Xen.Sdk.Rings.Tests.Interop;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgReq
{
    public ulong Seq;
    public fixed byte Payload[56];

    public static MsgReq Make(ulong seq)
    {
        MsgReq r = default;
        r.Seq = seq;
        for (int j = 0; j < 56; j++) r.Payload[j] = (byte)(seq * 13 + (ulong)j * 5 + (seq >> 8));
        return r;
    }

    public readonly ulong Sum()
    {
        ulong h = Seq * 0x9E3779B97F4A7C15UL;
        for (int j = 0; j < 56; j++) h = (h ^ Payload[j]) * 1099511628211UL;
        return h;
    }

    public readonly bool SameAs(in MsgReq o)
    {
        if (Seq != o.Seq) return false;
        for (int j = 0; j < 56; j++) if (Payload[j] != o.Payload[j]) return false;
        return true;
    }
}

[StructLayout(LayoutKind.Sequential)]
internal struct MsgRsp
{
    public ulong Seq;
    public ulong Sum;
}

/// <summary>
/// A C process built on Xen's io/ring.h (Native/ring_peer.c) and this library share a memory-mapped file
/// and exchange 10^6 requests and 10^6 responses, the C side as frontend once and as backend once. Every
/// payload is checked on both sides (sequence number and content/checksum).
/// </summary>
public sealed unsafe class LiveInteropTests
{
    private const int Count = 1_000_000;
    private const int Bytes = 4 * 4096;

    [Fact]
    public void CFrontendTalksToCSharpBackend() => Exchange(cIsFront: true);

    [Fact]
    public void CSharpFrontendTalksToCBackend() => Exchange(cIsFront: false);

    private static void Exchange(bool cIsFront)
    {
        string exe = NativeOracle.Build("ring_peer.c");
        string dir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string path = Path.Combine(dir, $"xen-sdk-ring-{Environment.ProcessId}-{(cIsFront ? "cf" : "cb")}");
        try
        {
            using (var fs = new FileStream(path, FileMode.Create)) fs.SetLength(Bytes);
            using var mmf = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, Bytes);
            using var view = mmf.CreateViewAccessor(0, Bytes);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            try
            {
                SharedRing.Initialize(p);
                using var proc = Process.Start(new ProcessStartInfo(exe, $"{(cIsFront ? "front" : "back")} {path} {Bytes} {Count}")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                })!;
                string? failure = cIsFront ? RunBack(p, proc) : RunFront(p, proc);
                string stdout = proc.StandardOutput.ReadToEnd();
                string stderr = proc.StandardError.ReadToEnd();
                if (!proc.WaitForExit(60_000)) proc.Kill();
                Assert.Null(failure);
                Assert.True(proc.ExitCode == 0, "C peer failed: " + stderr);
                Assert.StartsWith($"ok {Count}", stdout);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Spins, then yields. A peer that exited gets one more full pass (its last push may have landed during
    // the yield) before the run counts as stalled.
    private static bool Relax(ref int spins, ref bool peerGone, Process peer, Stopwatch sw)
    {
        if (++spins > 64)
        {
            spins = 0;
            Thread.Yield();
            if (sw.Elapsed > TimeSpan.FromSeconds(120)) return false;
            if (peer.HasExited)
            {
                if (peerGone) return false;
                peerGone = true;
            }
        }
        return true;
    }

    private static string? RunFront(byte* p, Process peer)
    {
        if (!FrontRing<MsgReq, MsgRsp>.TryAttach(p, Bytes, 0, out var f)) return "attach";
        var sw = Stopwatch.StartNew();
        Span<MsgRsp> batch = stackalloc MsgRsp[64];
        ulong sent = 0, got = 0;
        int spins = 0;
        bool peerGone = false;
        while (got < Count)
        {
            bool progress = false;
            while (sent < Count && !f.IsFull)
            {
                f.TryProduce(MsgReq.Make(sent++));
                progress = true;
            }
            if (progress) f.PushRequestsAndCheckNotify();
            RingError e = f.Consume(batch, out int n);
            if (e != RingError.None) return "front: " + e;
            for (int i = 0; i < n; i++, got++)
                if (batch[i].Seq != got || batch[i].Sum != MsgReq.Make(got).Sum()) return $"response {got}: seq {batch[i].Seq}";
            if (n == 0 && !progress && !Relax(ref spins, ref peerGone, peer, sw)) return $"stalled at {got}";
        }
        return null;
    }

    private static string? RunBack(byte* p, Process peer)
    {
        if (!BackRing<MsgReq, MsgRsp>.TryAttach(p, Bytes, 0, out var b)) return "attach";
        var sw = Stopwatch.StartNew();
        ulong got = 0;
        int spins = 0;
        bool peerGone = false;
        while (got < Count)
        {
            RingError e = b.FinalCheckForRequests(out bool more);
            if (e != RingError.None) return "back: " + e;
            if (!more)
            {
                if (!Relax(ref spins, ref peerGone, peer, sw)) return $"stalled at {got}";
                continue;
            }
            while (b.TryConsume(out MsgReq q))
            {
                if (!q.SameAs(MsgReq.Make(got))) return $"request {got}: seq {q.Seq}";
                b.TryProduce(new MsgRsp { Seq = q.Seq, Sum = q.Sum() });
                got++;
            }
            if (b.Error != RingError.None) return "back: " + b.Error;
            b.PushResponsesAndCheckNotify();
        }
        return null;
    }
}
