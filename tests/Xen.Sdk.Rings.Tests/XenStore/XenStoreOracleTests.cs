using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Rings.XenStore;
using Xen.Sdk.Rings.Tests.Native;
using Xunit;
using XenStoreCodec = Xen.Sdk.Rings.XenStore.XenStoreCodec;

namespace Xen.Sdk.Rings.Tests.XenStore;

/// <summary>
/// XenStoreCodec against Native/xs_script.c, which encodes and decodes with Xen's own definitions from
/// xen/io/xs_wire.h: <c>struct xsd_sockmsg</c>, the <c>XS_*</c> numbering (named in the script, so every name
/// must map to the same number here), the <c>xsd_errors</c> table and <c>XENSTORE_PAYLOAD_MAX</c>. Encoded
/// bytes, error replies (xenstored's <c>send_error</c>, unknown errno sent as EINVAL) and decoding results
/// (short, oversized, partial, header fields, errno of an XS_ERROR payload read like Linux's xenbus) must be
/// identical for FsCheck-generated messages.
/// </summary>
public sealed class XenStoreOracleTests
{
    // The XS_* enumerators of xs_wire.h (Xen 4.17), as the C script's table names them.
    private static readonly string[] Names =
    {
        "XS_CONTROL", "XS_DEBUG", "XS_DIRECTORY", "XS_READ", "XS_GET_PERMS", "XS_WATCH", "XS_UNWATCH",
        "XS_TRANSACTION_START", "XS_TRANSACTION_END", "XS_INTRODUCE", "XS_RELEASE", "XS_GET_DOMAIN_PATH",
        "XS_WRITE", "XS_MKDIR", "XS_RM", "XS_SET_PERMS", "XS_WATCH_EVENT", "XS_ERROR",
        "XS_IS_DOMAIN_INTRODUCED", "XS_RESUME", "XS_SET_TARGET", "XS_RESET_WATCHES", "XS_DIRECTORY_PART",
        "XS_TYPE_COUNT", "XS_INVALID",
    };

    private static readonly string[] ErrorNames =
        { "EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC", "EIO", "ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN", "E2BIG", "EPERM" };

    // XenStoreMessageType member for an XS_* name: TransactionStart <-> XS_TRANSACTION_START.
    private static readonly Dictionary<string, XenStoreMessageType> ByName =
        Enum.GetNames<XenStoreMessageType>().ToDictionary(n => "XS_" + string.Concat(n.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant(), Enum.Parse<XenStoreMessageType>);

    public static class Arbs
    {
        private static Gen<byte[]> Bytes(Gen<int> length) => from n in length from seed in Gen.Choose(0, int.MaxValue) select Fill(n, seed);

        private static byte[] Fill(int n, int seed)
        {
            var b = new byte[n];
            new Random(seed).NextBytes(b);
            return b;
        }

        private static string Hex(byte[] b) => b.Length == 0 ? "-" : Convert.ToHexString(b).ToLowerInvariant();

        private static readonly Gen<byte[]> Payload = Gen.Frequency(
            (6, Bytes(Gen.Choose(0, 48))),
            (3, from path in Gen.Elements("device/vif/0/state", "control/shutdown", "", "a/b") from v in Gen.Elements("", "4", "poweroff")
                select Encoding.ASCII.GetBytes(path + "\0" + v)),
            (1, Bytes(Gen.Elements(4095, 4096, 4097, 5000))));

        private static readonly Gen<byte[]> ErrorPayload = Gen.Frequency(
            (4, Gen.Elements(ErrorNames).Select(e => Encoding.ASCII.GetBytes(e + "\0"))),
            (1, Gen.Elements(ErrorNames).Select(e => Encoding.ASCII.GetBytes(e))),
            (1, Gen.Elements(ErrorNames).Select(e => Encoding.ASCII.GetBytes(e + "\0junk"))),
            (1, Gen.Elements("EINVALX", "einval", "", "\0EIO").Select(Encoding.ASCII.GetBytes)));

        public static Arbitrary<(string[], int)> Streams()
        {
            Gen<string> encode = from name in Gen.Elements(Names) from req in U32 from tx in Gen.Choose(0, 9)
                                 from p in Gen.Frequency((4, Bytes(Gen.Choose(0, 64))), (1, Bytes(Gen.Choose(1000, 4096))))
                                 select $"E {name} {req} {tx} {Hex(p)}";
            return (from cmds in Gen.ArrayOf(encode, 12) from seed in Gen.Choose(0, int.MaxValue) select (cmds, seed)).ToArbitrary();
        }

        private static readonly Gen<uint> U32 = Gen.Choose(int.MinValue, int.MaxValue).Select(v => unchecked((uint)v));

        public static Arbitrary<string[]> Commands()
        {
            Gen<string> encode = from name in Gen.Elements(Names) from req in U32 from tx in Gen.Choose(0, 9) from p in Payload
                                 select $"E {name} {req} {tx} {Hex(p)}";
            Gen<string> reply = from e in Gen.Frequency((3, Gen.Elements(1, 2, 5, 7, 11, 12, 13, 16, 17, 21, 22, 28, 30, 38, 39, 106)), (1, Gen.Choose(-5, 200)))
                                from req in U32 from tx in Gen.Choose(0, 9)
                                select $"R {e} {req} {tx}";
            Gen<string> decode = from type in Gen.Frequency((4, Gen.Constant(16u)), (3, Gen.Choose(0, 24).Select(t => (uint)t)), (1, U32))
                                 from req in U32 from tx in U32
                                 from body in type == 16 ? ErrorPayload : Payload
                                 from len in Gen.Frequency((6, Gen.Constant((uint)body.Length)), (1, Gen.Choose(0, 4096).Select(l => (uint)l)),
                                                           (1, Gen.Constant(4097u)), (1, U32))
                                 from cut in Gen.Frequency((8, Gen.Constant(int.MaxValue)), (1, Gen.Choose(0, 15)), (1, Gen.Choose(16, 80)))
                                 select $"D {Hex(Message(type, req, tx, len, body, cut))}";
            return Gen.ArrayOf(Gen.Frequency((3, encode), (2, reply), (4, decode)), 60).ToArbitrary();
        }

        private static byte[] Message(uint type, uint req, uint tx, uint len, byte[] body, int cut)
        {
            var m = new byte[16 + body.Length];
            BitConverter.TryWriteBytes(m.AsSpan(0), type);
            BitConverter.TryWriteBytes(m.AsSpan(4), req);
            BitConverter.TryWriteBytes(m.AsSpan(8), tx);
            BitConverter.TryWriteBytes(m.AsSpan(12), len);
            body.CopyTo(m, 16);
            return m.AsSpan(0, Math.Min(cut, m.Length)).ToArray();
        }
    }

    [Property(MaxTest = 30, Arbitrary = new[] { typeof(Arbs) })]
    public void CodecMatchesXsWireH(string[] commands)
    {
        var (code, stdout, err) = NativeOracle.Run(NativeOracle.Build("xs_script.c"), "", string.Join('\n', commands) + "\n");
        Assert.True(code == 0, $"xs_script exit {code}: {err}");
        string[] expected = stdout.Split('\n');
        for (int i = 0; i < commands.Length; i++)
            Assert.True(expected[i] == Run(commands[i]), $"command {commands[i]}\n C: {expected[i]}\nC#: {Run(commands[i])}");
    }

    /// <summary>
    /// Streams across the 1024-byte XenStore ring, both ways against the C encoding: the bytes xs_script.c
    /// encodes, written into the ring in random pieces, come out of <see cref="XenStoreMessageReader"/> as the
    /// same messages (header and payload bytes); and <see cref="XenStoreMessageWriter"/> puts exactly those
    /// bytes on the ring for the same messages.
    /// </summary>
    [Property(MaxTest = 20, Arbitrary = new[] { typeof(Arbs) })]
    public unsafe void StreamsMatchTheCEncoding((string[] Commands, int Seed) input)
    {
        var (code, stdout, err) = NativeOracle.Run(NativeOracle.Build("xs_script.c"), "", string.Join('\n', input.Commands) + "\n");
        Assert.True(code == 0, err);
        string[] lines = stdout.Split('\n');
        byte[][] c = new byte[input.Commands.Length][];
        for (int i = 0; i < c.Length; i++) c[i] = Convert.FromHexString(lines[i]);
        var rnd = new Random(input.Seed);

        // C bytes in, C# streaming reader out.
        var page = new XenStoreDomainInterface();
        Assert.True(XenStoreRing.TryAttachClient(&page, out ByteRingWriter req, out _));
        Assert.True(XenStoreRing.TryAttachServer(&page, out ByteRingReader srv, out _));
        byte[] stream = c.SelectMany(m => m).ToArray();
        var reader = new XenStoreMessageReader();
        byte[] rbuf = new byte[XenStoreCodec.MaxMessageSize];
        int fed = 0, got = 0;
        for (int guard = 0; got < c.Length; guard++)
        {
            Assert.True(guard < 100_000, "no progress");
            int piece = Math.Min(stream.Length - fed, rnd.Next(1, 300));
            Assert.Equal(RingError.None, req.Write(stream.AsSpan(fed, piece), out int w));
            fed += w;
            Assert.Equal(RingError.None, reader.Poll(ref srv, rbuf, out bool complete));
            if (!complete) continue;
            Assert.True(rbuf.AsSpan(0, XenStoreMessageHeader.Size + (int)reader.Header.Length).SequenceEqual(c[got]), $"message {got}");
            got++;
            reader.Next();
        }

        // C# streaming writer in, raw ring bytes out.
        page = new XenStoreDomainInterface();
        Assert.True(XenStoreRing.TryAttachClient(&page, out req, out _));
        Assert.True(XenStoreRing.TryAttachServer(&page, out srv, out _));
        var writer = new XenStoreMessageWriter();
        byte[] wbuf = new byte[XenStoreCodec.MaxMessageSize];
        var output = new List<byte>();
        byte[] chunk = new byte[1024];
        for (int i = 0; i < c.Length; i++)
        {
            string[] t = input.Commands[i].Split(' ');
            byte[] payload = t[4] == "-" ? Array.Empty<byte>() : Convert.FromHexString(t[4]);
            Assert.True(writer.TryBegin(ByName[t[1]], uint.Parse(t[2]), uint.Parse(t[3]), payload, wbuf));
            for (int guard = 0; writer.IsBusy; guard++)
            {
                Assert.True(guard < 10_000, "writer stuck");
                Assert.Equal(RingError.None, writer.Pump(ref req, wbuf, out _));
                Assert.Equal(RingError.None, srv.Read(chunk.AsSpan(0, rnd.Next(1, 1025)), out int r));
                output.AddRange(chunk.AsSpan(0, r).ToArray());
            }
        }
        for (int r = 1; r > 0;)
        {
            Assert.Equal(RingError.None, srv.Read(chunk, out r));
            output.AddRange(chunk.AsSpan(0, r).ToArray());
        }
        Assert.True(output.SequenceEqual(stream), "the writer's bytes differ from the C encoding");
    }

    [Fact]
    public void EveryXsWireNameIsAMessageType() => Assert.All(Names, n => Assert.True(ByName.ContainsKey(n), n));

    private static string Run(string command)
    {
        string[] t = command.Split(' ');
        var buffer = new byte[2 * XenStoreCodec.MaxMessageSize];
        switch (t[0])
        {
            case "E":
            {
                byte[] payload = t[4] == "-" ? Array.Empty<byte>() : Convert.FromHexString(t[4]);
                return XenStoreCodec.TryEncode(ByName[t[1]], uint.Parse(t[2]), uint.Parse(t[3]), payload, buffer, out int n)
                    ? Convert.ToHexString(buffer, 0, n).ToLowerInvariant()
                    : "toolong";
            }
            case "R":
                Assert.True(XenStoreCodec.TryEncodeError(int.Parse(t[1]), uint.Parse(t[2]), uint.Parse(t[3]), buffer, out int written));
                return Convert.ToHexString(buffer, 0, written).ToLowerInvariant();
            default:
            {
                byte[] m = t[1] == "-" ? Array.Empty<byte>() : Convert.FromHexString(t[1]);
                RingError e = XenStoreCodec.DecodeHeader(m, out XenStoreMessageHeader h);
                if (e == RingError.InvalidSize) return "short";
                if (e == RingError.MalformedMessage) return "malformed";
                if (m.Length < XenStoreMessageHeader.Size + h.Length) return "partial";
                ReadOnlySpan<byte> payload = m.AsSpan(XenStoreMessageHeader.Size, (int)h.Length);
                string s = $"{h.Type} {h.RequestId} {h.TransactionId} {h.Length}";
                if (h.MessageType == XenStoreMessageType.Error)
                    s += XenStoreCodec.TryGetErrno(h, payload, out int errno) ? $" errno {errno}" : " errno ?";
                return s;
            }
        }
    }
}
