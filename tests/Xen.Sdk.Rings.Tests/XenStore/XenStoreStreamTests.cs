using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Rings.XenStore;
using XenStoreCodec = Xen.Sdk.Rings.XenStore.XenStoreCodec;
using Xunit;

namespace Xen.Sdk.Rings.Tests.XenStore;

public sealed unsafe class XenStoreStreamTests
{
    public sealed record Msg(uint Type, uint ReqId, uint TxId, byte[] Payload);

    public static class Arbs
    {
        public static Arbitrary<(uint, Msg[], int)> Streams()
        {
            var msg = from type in Gen.Choose(0, 22)
                      from req in Gen.Choose(int.MinValue, int.MaxValue)
                      from tx in Gen.Choose(0, 5)
                      from len in Gen.Frequency((5, Gen.Choose(0, 64)), (2, Gen.Choose(0, 4096)))
                      from seed in Gen.Choose(0, 1 << 20)
                      select new Msg((uint)type, (uint)req, (uint)tx, Payload(len, seed));
            var start = Gen.OneOf(Gen.Constant(0u), Gen.Choose(0, 3000).Select(d => unchecked(0u - (uint)d)));
            return (from s in start from m in Gen.ArrayOf(msg) from seed in Gen.Choose(0, int.MaxValue) select (s, m, seed)).ToArbitrary();
        }

        private static byte[] Payload(int len, int seed)
        {
            var b = new byte[len];
            new Random(seed).NextBytes(b);
            return b;
        }
    }

    /// <summary>
    /// Messages of up to XENSTORE_PAYLOAD_MAX bytes (4x the ring) cross the 1024-byte request ring in pieces, split by
    /// wrap-around and partial writes at random points, and come out whole, in order and unchanged.
    /// </summary>
    [Property(MaxTest = 200, Arbitrary = new[] { typeof(Arbs) })]
    public void MessagesSurviveWrapAroundAndPartialWrites((uint Start, Msg[] Messages, int Seed) input)
    {
        var rnd = new Random(input.Seed);
        var page = new XenStoreDomainInterface();
        page.ReqCons = page.ReqProd = input.Start;
        page.RspCons = page.RspProd = input.Start;
        Assert.True(XenStoreRing.TryAttachClient(&page, out ByteRingWriter req, out ByteRingReader _));
        Assert.True(XenStoreRing.TryAttachServer(&page, out ByteRingReader srv, out ByteRingWriter _));
        var writer = new XenStoreMessageWriter();
        var reader = new XenStoreMessageReader();
        byte[] wbuf = new byte[XenStoreCodec.MaxMessageSize], rbuf = new byte[XenStoreCodec.MaxMessageSize];
        int sent = 0, received = 0, idle = 0;
        byte[] scratch = new byte[1024];
        while (received < input.Messages.Length)
        {
            Assert.True(++idle < 100_000, "no progress");
            if (!writer.IsBusy && sent < input.Messages.Length)
            {
                Msg m = input.Messages[sent++];
                Assert.True(writer.TryBegin((XenStoreMessageType)m.Type, m.ReqId, m.TxId, m.Payload, wbuf));
            }
            if (rnd.Next(3) != 0) Assert.Equal(RingError.None, writer.Pump(ref req, wbuf, out _));
            if (rnd.Next(3) == 0)
            {
                // Let a random part of the bytes through first, so messages arrive in odd pieces.
                Assert.Equal(RingError.None, srv.Available(out uint avail));
                if (avail == 0) continue;
            }
            Assert.Equal(RingError.None, reader.Poll(ref srv, rbuf, out bool complete));
            if (!complete) continue;
            Msg want = input.Messages[received++];
            Assert.Equal(want.Type, (uint)reader.Header.Type);
            Assert.Equal(want.ReqId, reader.Header.RequestId);
            Assert.Equal(want.TxId, reader.Header.TransactionId);
            Assert.True(reader.GetPayload(rbuf).SequenceEqual(want.Payload));
            reader.Next();
            idle = 0;
        }
    }

    [Fact]
    public void OversizedHeaderIsReportedNotRead()
    {
        var page = new XenStoreDomainInterface();
        Assert.True(XenStoreRing.TryAttachClient(&page, out ByteRingWriter req, out _));
        Assert.True(XenStoreRing.TryAttachServer(&page, out ByteRingReader srv, out _));
        Span<byte> h = stackalloc byte[16];
        new XenStoreMessageHeader { Type = (uint)XenStoreMessageType.Write, Length = Abi.Io.XenStore.PayloadMax + 1 }.TryWrite(h);
        Assert.True(req.TryWriteAll(h));
        var reader = new XenStoreMessageReader();
        Assert.Equal(RingError.MalformedMessage, reader.Poll(ref srv, new byte[XenStoreCodec.MaxMessageSize], out bool complete));
        Assert.False(complete);
    }

    [Fact]
    public void CodecBuildsWriteAndParsesErrorAndFields()
    {
        Span<byte> payload = stackalloc byte[64];
        int pos = 0;
        Assert.True(XenStoreCodec.TryAppend(payload, ref pos, "device/vif/0/state"u8, terminate: true));
        Assert.True(XenStoreCodec.TryAppend(payload, ref pos, "4"u8, terminate: false));
        Span<byte> msg = stackalloc byte[128];
        Assert.True(XenStoreCodec.TryEncode(XenStoreMessageType.Write, 7, 3, payload.Slice(0, pos), msg, out int n));
        Assert.Equal(16 + 20, n);
        // struct xsd_sockmsg: type, req_id, tx_id, len as little-endian uint32 (xen/io/xs_wire.h).
        Assert.Equal(new byte[] { 11, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0, 20, 0, 0, 0 }, msg.Slice(0, 16).ToArray());
        Assert.True(XenStoreCodec.TryGetField(msg.Slice(16, 20), 1, out var value));
        Assert.True(value.SequenceEqual("4"u8));
        var err = new XenStoreMessageHeader { Type = (uint)XenStoreMessageType.Error, Length = 7 };
        Assert.True(XenStoreCodec.TryGetErrno(err, "ENOENT\0"u8, out int errno));
        Assert.Equal(2, errno);
        Assert.False(XenStoreCodec.TryEncode(XenStoreMessageType.Write, 0, 0, new byte[4097], new byte[5000], out _));
    }
}
