using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Rings.Console;
using Xen.Sdk.Rings.Tests.Native;
using Xunit;

namespace Xen.Sdk.Rings.Tests.Differential;

/// <summary>A scripted byte-ring sequence on the console page (see Native/flex_script.c).</summary>
public sealed record ByteScript(uint InStart, uint OutStart, (char Op, char Ring, int N)[] Ops)
{
    public string ToInput()
    {
        var sb = new StringBuilder().Append("B ").Append(InStart).Append(' ').Append(OutStart);
        foreach (var (op, ring, n) in Ops) sb.Append(' ').Append(op).Append(' ').Append(ring).Append(' ').Append(n);
        return sb.Append(" E\n").ToString();
    }

    public override string ToString() => ToInput();

    public static Gen<ByteScript> Generator()
    {
        var op = from o in Gen.Elements('w', 'r')
                 from r in Gen.Elements('o', 'i')
                 from n in Gen.Frequency((3, Gen.Choose(0, 64)), (2, Gen.Choose(0, 3000)))
                 select (o, r, n);
        var start = Gen.OneOf(Gen.Constant(0u), Gen.Choose(0, 5000).Select(d => unchecked(0u - (uint)d)),
                              Gen.Choose(int.MinValue, int.MaxValue).Select(x => unchecked((uint)x)));
        return from a in start from b in start from ops in Gen.ListOf(op) select new ByteScript(a, b, ops.ToArray());
    }
}

/// <summary>
/// ByteRingWriter/ByteRingReader (through ConsoleRing) and the FlexRing helpers (every third operation) against Xen's DEFINE_XEN_FLEX_RING helpers compiled by gcc:
/// same scripted writes/reads, identical traces and identical console pages.
/// </summary>
public sealed unsafe class ByteRingDifferentialTests
{
    public static class Arbs
    {
        public static Arbitrary<ByteScript[]> Scripts() => Gen.ArrayOf(ByteScript.Generator(), 25).ToArbitrary();
    }

    [Property(MaxTest = 40, Arbitrary = new[] { typeof(Arbs) })]
    public void ConsoleRingsMatchFlexRingMacros(ByteScript[] scripts)
    {
        string exe = NativeOracle.Build("flex_script.c");
        var (code, stdout, stderr) = NativeOracle.Run(exe, "", string.Concat(scripts.Select(s => s.ToInput())));
        Assert.True(code == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < scripts.Length; i++)
        {
            var (trace, page) = Run(scripts[i]);
            Assert.Equal(lines[2 * i], "T " + trace);
            Assert.True(lines[2 * i + 1] == "M " + Convert.ToHexString(page).ToLowerInvariant(), "page differs for " + scripts[i]);
        }
    }

    private static (string, byte[]) Run(ByteScript s)
    {
        byte[] page = new byte[ConsoleInterface.Size];
        page.AsSpan().Fill(0x5A);
        var t = new StringBuilder();
        byte[] data = new byte[4096];
        uint wctr = 0;
        fixed (byte* p = page)
        {
            var ci = (ConsoleInterface*)p;
            ci->InCons = ci->InProd = s.InStart;
            ci->OutCons = ci->OutProd = s.OutStart;
            Assert.True(ConsoleRing.TryAttachGuest(ci, out ByteRingWriter guestOut, out ByteRingReader guestIn));
            Assert.True(ConsoleRing.TryAttachBackend(ci, out ByteRingReader backOut, out ByteRingWriter backIn));
            foreach (var (op, ring, n) in s.Ops)
            {
                if (op == 'w' && n % 3 == 0)
                {
                    // FlexRing helper path (name##_queued + name##_write_packet), publishing prod by hand,
                    // then re-attaching the writer at the new index.
                    uint* prodP = ring == 'o' ? &ci->OutProd : &ci->InProd;
                    uint cons = ring == 'o' ? ci->OutCons : ci->InCons;
                    Span<byte> buf = ring == 'o' ? new Span<byte>(ci->Out, ConsoleInterface.OutRingSize) : new Span<byte>(ci->In, ConsoleInterface.InRingSize);
                    uint size = (uint)buf.Length;
                    int k = (int)Math.Min((uint)n, size - FlexRing.Queued(*prodP, cons, size));
                    for (int j = 0; j < k; j++) data[j] = (byte)(wctr++ * 29u + 11u);
                    uint mp = FlexRing.Mask(*prodP, size);
                    if (k != 0) Assert.True(FlexRing.WritePacket(buf, data.AsSpan(0, k), ref mp));
                    *prodP += (uint)k;
                    if (ring == 'o') Assert.True(ConsoleRing.TryAttachGuest(ci, out guestOut, out _));
                    else Assert.True(ConsoleRing.TryAttachBackend(ci, out _, out backIn));
                    t.Append('w').Append(k).Append(' ');
                }
                else if (op == 'r' && n % 3 == 0)
                {
                    uint* consP = ring == 'o' ? &ci->OutCons : &ci->InCons;
                    uint prod = ring == 'o' ? ci->OutProd : ci->InProd;
                    Span<byte> buf = ring == 'o' ? new Span<byte>(ci->Out, ConsoleInterface.OutRingSize) : new Span<byte>(ci->In, ConsoleInterface.InRingSize);
                    uint size = (uint)buf.Length;
                    int k = (int)Math.Min((uint)n, FlexRing.Queued(prod, *consP, size));
                    uint mc = FlexRing.Mask(*consP, size);
                    if (k != 0) Assert.True(FlexRing.ReadPacket(buf, data.AsSpan(0, k), ref mc));
                    *consP += (uint)k;
                    if (ring == 'o') Assert.True(ConsoleRing.TryAttachBackend(ci, out backOut, out _));
                    else Assert.True(ConsoleRing.TryAttachGuest(ci, out _, out guestIn));
                    ulong h = 14695981039346656037UL;
                    for (int j = 0; j < k; j++) h = (h ^ data[j]) * 1099511628211UL;
                    t.Append('r').Append(k).Append(':').Append(h.ToString("x")).Append(' ');
                }
                else if (op == 'w')
                {
                    ref ByteRingWriter w = ref ring == 'o' ? ref guestOut : ref backIn;
                    Assert.Equal(RingError.None, w.FreeSpace(out uint free));
                    int k = (int)Math.Min((uint)n, free);
                    for (int j = 0; j < k; j++) data[j] = (byte)(wctr++ * 29u + 11u);
                    // Alternate the all-or-nothing and the partial-write paths.
                    if (n % 2 == 0 && k == n) Assert.True(w.TryWriteAll(data.AsSpan(0, k)));
                    else
                    {
                        Assert.Equal(RingError.None, w.Write(data.AsSpan(0, n), out int written));
                        Assert.Equal(k, written);
                    }
                    t.Append('w').Append(k).Append(' ');
                }
                else
                {
                    ref ByteRingReader r = ref ring == 'o' ? ref backOut : ref guestIn;
                    Assert.Equal(RingError.None, r.Read(data.AsSpan(0, n), out int k));
                    ulong h = 14695981039346656037UL;
                    for (int j = 0; j < k; j++) h = (h ^ data[j]) * 1099511628211UL;
                    t.Append('r').Append(k).Append(':').Append(h.ToString("x")).Append(' ');
                }
            }
        }
        return (t.ToString(), page);
    }
}
