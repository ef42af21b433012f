using System;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Xen.Sdk.Rings.Tests.Differential;

// The same request/response structs as Native/ring_script.c.
[StructLayout(LayoutKind.Sequential)] internal unsafe struct Req0 { public ulong Id; public fixed byte Data[56]; }
[StructLayout(LayoutKind.Sequential)] internal unsafe struct Rsp0 { public ulong Id; public short Status; public fixed byte Pad[6]; }
[StructLayout(LayoutKind.Sequential)] internal unsafe struct Req1 { public fixed byte B[12]; }
[StructLayout(LayoutKind.Sequential)] internal struct Rsp1 { public ulong X; }
[StructLayout(LayoutKind.Sequential)] internal unsafe struct Req2 { public fixed uint A[3]; }
[StructLayout(LayoutKind.Sequential)] internal struct Rsp2 { public ushort S; }

/// <summary>One scripted operation: a code of Native/ring_script.c and its count.</summary>
public readonly record struct RingOp(char Code, int N)
{
    public override string ToString() => "pcrd".IndexOf(Code) >= 0 ? $"{Code} {N}" : Code.ToString();
}

/// <summary>A scripted sequence: ring type (0..2), pages (1..4), start index of all indices, operations.</summary>
public sealed record RingScript(int Type, int Pages, uint Start, RingOp[] Ops)
{
    public string ToInput()
    {
        var sb = new StringBuilder();
        sb.Append("B ").Append(Type).Append(' ').Append(Pages).Append(' ').Append(Start);
        foreach (RingOp op in Ops) sb.Append(' ').Append(op.ToString());
        sb.Append(" E\n");
        return sb.ToString();
    }

    public override string ToString() => ToInput();

    public static Gen<RingScript> Generator()
    {
        Gen<RingOp> op = Gen.Frequency(
            (6, Gen.Choose(0, 300).Select(n => new RingOp('p', n))),
            (3, Gen.Constant(new RingOp('P', 0))),
            (1, Gen.Constant(new RingOp('q', 0))),
            (6, Gen.Choose(0, 300).Select(n => new RingOp('c', n))),
            (6, Gen.Choose(0, 300).Select(n => new RingOp('r', n))),
            (3, Gen.Constant(new RingOp('R', 0))),
            (1, Gen.Constant(new RingOp('s', 0))),
            (6, Gen.Choose(0, 300).Select(n => new RingOp('d', n))),
            (2, Gen.Constant(new RingOp('F', 0))),
            (2, Gen.Constant(new RingOp('G', 0))));
        Gen<uint> start = Gen.OneOf(
            Gen.Constant(0u),
            Gen.Choose(0, 600).Select(d => unchecked(0u - (uint)d)),
            Gen.Choose(int.MinValue, int.MaxValue).Select(x => unchecked((uint)x)));
        return from type in Gen.Choose(0, 2)
               from pages in Gen.Choose(1, 4)
               from s in start
               from ops in Gen.ListOf(op).Select(l => l.ToArray())
               select new RingScript(type, pages, s, ops);
    }
}

/// <summary>Runs a <see cref="RingScript"/> with <see cref="FrontRing{TRequest,TResponse}"/>/<see cref="BackRing{TRequest,TResponse}"/>, producing the same trace and page image as the C program.</summary>
internal static unsafe class RingScriptRunner
{
    public static (string Trace, byte[] Page) Run(RingScript s) => s.Type switch
    {
        0 => Run<Req0, Rsp0>(s),
        1 => Run<Req1, Rsp1>(s),
        _ => Run<Req2, Rsp2>(s),
    };

    private static void Fill<T>(ref T v, uint ctr) where T : unmanaged
    {
        Span<byte> b = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref v, 1));
        for (int j = 0; j < b.Length; j++) b[j] = (byte)(ctr * 31u + (uint)j * 7u + 1u);
    }

    private static ulong Hash<T>(ref T v, ulong h) where T : unmanaged
    {
        Span<byte> b = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref v, 1));
        foreach (byte x in b) h = (h ^ x) * 1099511628211UL;
        return h;
    }

    private static (string, byte[]) Run<TReq, TRsp>(RingScript s)
        where TReq : unmanaged
        where TRsp : unmanaged
    {
        int bytes = s.Pages * 4096;
        byte[] page = new byte[bytes];
        page.AsSpan().Fill(0xA5);
        var t = new StringBuilder();
        fixed (byte* p = page)
        {
            SharedRing.Initialize(p);
            if (!FrontRing<TReq, TRsp>.TryAttach(p, (nuint)bytes, s.Start, out var f)) throw new InvalidOperationException();
            if (!BackRing<TReq, TRsp>.TryAttach(p, (nuint)bytes, s.Start, out var b)) throw new InvalidOperationException();
            SharedRingHeader* h = (SharedRingHeader*)p;
            h->RequestProducer = h->ResponseProducer = s.Start;
            h->RequestEvent = h->ResponseEvent = s.Start + 1;
            uint qctr = 0, sctr = 0;
            t.Append('S').Append(f.Size).Append(' ');
            TReq[] reqBuf = new TReq[301];
            TRsp[] rspBuf = new TRsp[301];
            foreach (RingOp op in s.Ops)
            {
                int n = op.N, k = 0;
                ulong hh = 14695981039346656037UL;
                switch (op.Code)
                {
                    case 'p':
                        if (n % 2 == 0)
                        {
                            // Batched produce: as many as fit.
                            int m = (int)Math.Min((uint)n, f.FreeRequests);
                            for (int i = 0; i < m; i++) Fill(ref reqBuf[i], qctr++);
                            k = f.Produce(reqBuf.AsSpan(0, m));
                        }
                        else
                        {
                            for (; k < n && !f.IsFull; k++)
                            {
                                TReq q = default;
                                Fill(ref q, qctr++);
                                if (!f.TryProduce(q)) throw new InvalidOperationException();
                            }
                        }
                        t.Append('p').Append(k).Append(' ');
                        break;
                    case 'P': t.Append('P').Append(f.PushRequestsAndCheckNotify() ? 1 : 0).Append(' '); break;
                    case 'q': f.PushRequests(); t.Append("q "); break;
                    case 'c':
                        if (n % 2 == 0)
                        {
                            Check(b.Consume(reqBuf.AsSpan(0, n), out k));
                            for (int i = 0; i < k; i++) hh = Hash(ref reqBuf[i], hh);
                        }
                        else
                        {
                            for (; k < n && b.TryConsume(out TReq q); k++) hh = Hash(ref q, hh);
                        }
                        Check(b.Error);
                        t.Append('c').Append(k).Append(':').Append(hh.ToString("x")).Append(' ');
                        break;
                    case 'r':
                        if (n % 2 == 0)
                        {
                            int m = (int)Math.Min((uint)n, b.PendingResponses);
                            for (int i = 0; i < m; i++) Fill(ref rspBuf[i], 0x80000000u + sctr++);
                            k = b.Produce(rspBuf.AsSpan(0, m));
                        }
                        else
                        {
                            for (; k < n && b.PendingResponses != 0; k++)
                            {
                                TRsp r = default;
                                Fill(ref r, 0x80000000u + sctr++);
                                if (!b.TryProduce(r)) throw new InvalidOperationException();
                            }
                        }
                        t.Append('r').Append(k).Append(' ');
                        break;
                    case 'R': t.Append('R').Append(b.PushResponsesAndCheckNotify() ? 1 : 0).Append(' '); break;
                    case 's': b.PushResponses(); t.Append("s "); break;
                    case 'd':
                        if (n % 2 == 0)
                        {
                            Check(f.Consume(rspBuf.AsSpan(0, n), out k));
                            for (int i = 0; i < k; i++) hh = Hash(ref rspBuf[i], hh);
                        }
                        else
                        {
                            for (; k < n && f.TryConsume(out TRsp r); k++) hh = Hash(ref r, hh);
                        }
                        Check(f.Error);
                        t.Append('d').Append(k).Append(':').Append(hh.ToString("x")).Append(' ');
                        break;
                    case 'F': Check(f.FinalCheckForResponses(out bool more)); t.Append('F').Append(more ? 1 : 0).Append(' '); break;
                    case 'G': Check(b.FinalCheckForRequests(out bool more2)); t.Append('G').Append(more2 ? 1 : 0).Append(' '); break;
                }
            }
            t.Append('I').Append(f.RequestProducer).Append(',').Append(f.ResponseConsumer).Append(',')
             .Append(b.ResponseProducer).Append(',').Append(b.RequestConsumer);
        }
        return (t.ToString(), page);
    }

    private static void Check(RingError e)
    {
        if (e != RingError.None) throw new InvalidOperationException("well-behaved script reported " + e);
    }
}
