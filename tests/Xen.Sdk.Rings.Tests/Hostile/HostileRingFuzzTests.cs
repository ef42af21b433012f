using System;
using System.Runtime.InteropServices;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Rings.XenStore;
using Xunit;

namespace Xen.Sdk.Rings.Tests.Hostile;

[StructLayout(LayoutKind.Sequential)] internal unsafe struct FuzzReq { public fixed byte B[64]; }
[StructLayout(LayoutKind.Sequential)] internal struct FuzzRsp { public ulong A, B; }

/// <summary>
/// Hostile-producer fuzz: a seeded generator writes random values to the peer-controlled shared bytes before
/// every operation, for 10^6 states per ring kind. The ring memory sits between PROT_NONE guard pages (an
/// out-of-bounds access kills the run); every operation is bounded (a loop count is asserted); every state the
/// model calls inconsistent must come back as an error value, and every consistent one must not.
/// </summary>
public sealed unsafe class HostileRingFuzzTests
{
    private const int States = 1_000_000;

    private static uint HostileIndex(Random r, uint near, uint size) => r.Next(4) switch
    {
        0 => (uint)r.NextInt64(0, 1L << 32),             // anything
        1 => near + (uint)r.Next(0, (int)size + 1),     // plausible
        2 => near + size + 1 + (uint)r.Next(0, 64),      // just over
        _ => near - 1 - (uint)r.Next(0, 64),             // behind
    };

    [Fact]
    public void BackRingSurvivesHostileFrontend()
    {
        using var mem = new GuardedPages(1);
        var rnd = new Random(12345);
        byte* p = mem.Start;
        long errors = 0, consumed = 0;
        Span<FuzzReq> batch = stackalloc FuzzReq[40];
        for (int state = 0; state < States; state++)
        {
            uint start = (uint)rnd.NextInt64(0, 1L << 32);
            SharedRing.Initialize(p);
            Assert.True(BackRing<FuzzReq, FuzzRsp>.TryAttach(p, 4096, start, out var b));
            uint size = b.Size;
            // Private state: a legitimate history (some requests consumed, some answered).
            var h = (SharedRingHeader*)p;
            uint a = (uint)rnd.Next(0, (int)size + 1);
            h->RequestProducer = start + a;
            uint c = (uint)rnd.Next(0, (int)a + 1);
            for (uint i = 0; i < c; i++) Assert.True(b.TryConsume(out _));
            uint resp = (uint)rnd.Next(0, (int)c + 1);
            Assert.True(b.AdvanceResponses(resp));
            uint seen = c > 0 ? start + a : start; // the last req_prod the backend validated (read on the first consume)
            // Hostile frontend: any req_prod / req_event / rsp_event, before each operation.
            for (int op = 0; op < 3; op++)
            {
                uint prod = HostileIndex(rnd, b.ResponseProducer, size);
                h->RequestProducer = prod;
                h->RequestEvent = (uint)rnd.NextInt64(0, 1L << 32);
                h->ResponseEvent = (uint)rnd.NextInt64(0, 1L << 32);
                bool bad = prod - b.ResponseProducer > size || prod - b.RequestConsumer > size
                           || prod - b.RequestConsumer < seen - b.RequestConsumer;
                uint cons0 = b.RequestConsumer, rspProd0 = b.ResponseProducer;
                RingError e;
                int got = 0;
                switch (rnd.Next(5))
                {
                    case 0:
                        e = b.UnconsumedRequests(out uint n);
                        if (e == RingError.None) Assert.Equal(Math.Min(prod - cons0, size - (cons0 - rspProd0)), n);
                        break;
                    case 1:
                        e = b.Consume(batch, out got);
                        break;
                    case 2:
                        while (b.TryConsume(out _)) Assert.True(++got <= size, "unbounded consume");
                        e = b.Error;
                        break;
                    case 3:
                    {
                        // The batch window: validate once, copy each slot, advance once; never past the window.
                        e = b.UnconsumedRequests(out uint w);
                        Assert.True(w <= size, "window larger than the ring");
                        for (uint k = 0; k < w; k++) b.CopyRequest(b.RequestConsumer + k);
                        Assert.True(b.AdvanceRequestConsumer(w) == (e == RingError.None));
                        Assert.False(b.AdvanceRequestConsumer(1));
                        got = (int)w;
                        break;
                    }
                    default:
                        e = b.FinalCheckForRequests(out _);
                        break;
                }
                Assert.Equal(bad, e != RingError.None);
                if (bad) errors++;
                consumed += got;
                Assert.True(b.RequestConsumer - b.ResponseProducer <= size, "consumed requests outside the ring");
                if (bad) break; // the ring is now faulted (sticky), like a backend that disconnects
                seen = prod;
                b.PushResponses();
            }
        }
        Assert.True(errors > States / 4, $"only {errors} inconsistencies generated");
        Assert.True(consumed > States, "fuzz never consumed");
    }

    [Fact]
    public void FrontRingSurvivesHostileBackend()
    {
        using var mem = new GuardedPages(1);
        var rnd = new Random(54321);
        byte* p = mem.Start;
        long errors = 0;
        Span<FuzzRsp> batch = stackalloc FuzzRsp[40];
        for (int state = 0; state < States; state++)
        {
            uint start = (uint)rnd.NextInt64(0, 1L << 32);
            SharedRing.Initialize(p);
            Assert.True(FrontRing<FuzzReq, FuzzRsp>.TryAttach(p, 4096, start, out var f));
            uint size = f.Size;
            var h = (SharedRingHeader*)p;
            uint a = (uint)rnd.Next(0, (int)size + 1);
            Assert.True(f.AdvanceRequests(a));
            f.PushRequests();
            uint seen = start; // the last rsp_prod the frontend validated
            for (int op = 0; op < 3; op++)
            {
                uint prod = HostileIndex(rnd, f.ResponseConsumer, size);
                h->ResponseProducer = prod;
                h->RequestEvent = (uint)rnd.NextInt64(0, 1L << 32);
                bool bad = prod - f.ResponseConsumer > f.RequestProducer - f.ResponseConsumer
                           || prod - f.ResponseConsumer < seen - f.ResponseConsumer;
                RingError e;
                int got = 0;
                switch (rnd.Next(4))
                {
                    case 0: e = f.Consume(batch, out got); break;
                    case 1:
                        while (f.TryConsume(out _)) Assert.True(++got <= size, "unbounded consume");
                        e = f.Error;
                        break;
                    case 2:
                    {
                        e = f.UnconsumedResponses(out uint w);
                        Assert.True(w <= size, "window larger than the ring");
                        for (uint k = 0; k < w; k++) f.CopyResponse(f.ResponseConsumer + k);
                        Assert.True(f.AdvanceResponseConsumer(w) == (e == RingError.None));
                        Assert.False(f.AdvanceResponseConsumer(1));
                        break;
                    }
                    default: e = f.FinalCheckForResponses(out _); break;
                }
                Assert.True(bad == (e != RingError.None), $"state {state} op {op} prod {prod} cons {f.ResponseConsumer} reqprod {f.RequestProducer} e {e} size {size}");
                if (bad) { errors++; break; }
                seen = prod;
                Assert.True(f.RequestProducer - f.ResponseConsumer <= size);
                uint more = Math.Min(f.FreeRequests, (uint)rnd.Next(0, 8));
                Assert.True(f.AdvanceRequests(more));
                f.PushRequestsAndCheckNotify();
            }
        }
        Assert.True(errors > States / 4, $"only {errors} inconsistencies generated");
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    public void ByteRingsSurviveHostilePeer(int size)
    {
        using var mem = new GuardedPages(1);
        var rnd = new Random(size);
        // The ring's data ends exactly at the trailing guard page; the indices sit at the start of the page
        // (so a read past either end of the data faults).
        byte* data = mem.EndAligned(size);
        uint* cons = (uint*)mem.Start, prod = cons + 1;
        byte[] buf = new byte[3000];
        long errors = 0;
        for (int state = 0; state < States; state++)
        {
            uint start = (uint)rnd.NextInt64(0, 1L << 32);
            *cons = *prod = start;
            Assert.True(ByteRingReader.TryCreate(data, (uint)size, cons, prod, start, out var reader));
            Assert.True(ByteRingWriter.TryCreate(data, (uint)size, cons, prod, start, out var writer));
            // Reader against a hostile producer.
            uint hp = HostileIndex(rnd, start, (uint)size);
            *prod = hp;
            bool bad = hp - start > (uint)size;
            RingError e = reader.Read(buf.AsSpan(0, rnd.Next(0, 3000)), out int got);
            Assert.Equal(bad, e != RingError.None);
            Assert.True(got <= size);
            if (bad) errors++;
            // Writer against a hostile consumer.
            *prod = start;
            uint hc = HostileIndex(rnd, start - (uint)size, (uint)size);
            *cons = hc;
            bool badW = start - hc > (uint)size;
            e = writer.Write(buf.AsSpan(0, rnd.Next(0, 3000)), out int put);
            Assert.Equal(badW, e != RingError.None);
            Assert.True(put <= size);
            if (badW) errors++;
        }
        Assert.True(errors > States / 4);
    }

    [Fact]
    public void XenStoreReaderSurvivesHostileServer()
    {
        using var mem = new GuardedPages(1);
        var rnd = new Random(777);
        var page = (XenStoreDomainInterface*)mem.EndAligned(XenStoreDomainInterface.Size);
        var reader = new XenStoreMessageReader();
        byte[] rbuf = new byte[XenStoreCodec.MaxMessageSize];
        long malformed = 0, overflow = 0, complete = 0;
        byte[] junk = new byte[Abi.Io.XenStore.RingSize];
        for (int state = 0; state < States; state++)
        {
            uint start = (uint)rnd.NextInt64(0, 1L << 32);
            page->RspCons = start;
            rnd.NextBytes(junk);
            // Headers: random, or plausible with a random length around the payload limit.
            if (rnd.Next(2) == 0)
            {
                var h = new XenStoreMessageHeader { Type = (uint)rnd.Next(0, 30), Length = (uint)rnd.Next(0, 4200) };
                for (int k = 0; k < 16; k++) junk[(start + (uint)k) & 1023] = ((byte*)&h)[k];
            }
            new Span<byte>(page->Rsp, 1024).Clear();
            junk.CopyTo(new Span<byte>(page->Rsp, 1024));
            page->RspProd = HostileIndex(rnd, start, 1024);
            Assert.True(XenStoreRing.TryAttachClient(page, out _, out ByteRingReader rsp));
            reader.Next();
            RingError e = reader.Poll(ref rsp, rbuf, out bool done);
            uint avail = page->RspProd - start;
            if (avail > 1024) { Assert.Equal(RingError.ProducerOverflow, e); overflow++; continue; }
            uint len = avail >= 16 ? *(uint*)(page->Rsp + ((start + 12) & 1023)) : 0;
            if (avail >= 16 && (start & 1023) <= 1024 - 16 && len > 4096)
            {
                Assert.Equal(RingError.MalformedMessage, e);
                malformed++;
                continue;
            }
            Assert.True(e == RingError.None || e == RingError.MalformedMessage);
            if (done) { complete++; Assert.True(reader.GetPayload(rbuf).Length <= 4096); }
        }
        Assert.True(malformed > 1000 && overflow > 1000 && complete > 1000, $"{malformed} {overflow} {complete}");
    }
}
