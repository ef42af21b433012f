using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Rings.Tests.Native;
using Xunit;

namespace Xen.Sdk.Rings.Tests.Differential;

/// <summary>FlexRing/FlexRingInterface against gcc and <c>DEFINE_XEN_FLEX_RING_AND_INTF</c> (Native/flex_layout.c).</summary>
public sealed unsafe class FlexRingTests
{
    [Fact]
    public void IndexesPageLayoutAndRingSizesMatchGcc()
    {
        var (code, stdout, err) = NativeOracle.Run(NativeOracle.Build("flex_layout.c"), "", "");
        Assert.True(code == 0, err);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int[] off = lines[0].Split(' ').Select(int.Parse).ToArray();
        Assert.Equal(new[] { FlexRingInterface.InConsOffset, FlexRingInterface.InProdOffset, FlexRingInterface.OutConsOffset,
                             FlexRingInterface.OutProdOffset, FlexRingInterface.RingOrderOffset, FlexRingInterface.RefOffset }, off.Take(6).ToArray());
        uint[] sizes = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToArray();
        for (uint o = 0; o < sizes.Length; o++) Assert.Equal(sizes[o], FlexRing.RingSize(o));
    }

    public static class Arbs
    {
        public static Arbitrary<(uint, uint, int)[]> Triples()
        {
            var t = from p in Gen.Choose(int.MinValue, int.MaxValue)
                    from d in Gen.Frequency((3, Gen.Choose(0, 5000)), (1, Gen.Choose(int.MinValue, int.MaxValue)))
                    from s in Gen.Choose(0, 12)
                    select ((uint)p, unchecked((uint)p - (uint)d), 1 << s);
            return Gen.ArrayOf(t, 200).ToArbitrary();
        }
    }

    /// <summary><c>name##_queued</c> for random (prod, cons, size), wrap-around and ill-formed pairs included.</summary>
    [Property(MaxTest = 10, Arbitrary = new[] { typeof(Arbs) })]
    public void QueuedMatchesXenHelper((uint Prod, uint Cons, int Size)[] triples)
    {
        var input = new StringBuilder();
        foreach (var (p, c, s) in triples) input.Append("Q ").Append(p).Append(' ').Append(c).Append(' ').Append(s).Append('\n');
        var (code, stdout, err) = NativeOracle.Run(NativeOracle.Build("flex_layout.c"), "", input.ToString());
        Assert.True(code == 0, err);
        uint[] expected = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(uint.Parse).ToArray();
        for (int i = 0; i < triples.Length; i++)
            Assert.Equal(expected[i], FlexRing.Queued(triples[i].Prod, triples[i].Cons, (uint)triples[i].Size));
    }

    [Fact]
    public void InterfaceAttachesBothRingsAndRejectsHostileOrder()
    {
        byte* intf = stackalloc byte[4096];
        new Span<byte>(intf, 4096).Clear();
        byte[] data = new byte[2 * FlexRing.RingSize(1)];
        fixed (byte* d = data)
        {
            *(uint*)(intf + FlexRingInterface.RingOrderOffset) = 1;
            Assert.Equal(RingError.None, FlexRingInterface.ReadRingOrder(intf, 4, out uint order));
            Assert.True(FlexRingInterface.TryAttachOutWriter(intf, d, order, out var w));
            Assert.True(FlexRingInterface.TryAttachOutReader(intf, d, order, out var r));
            Assert.Equal(RingError.None, w.Write("pvcalls"u8, out int n));
            Assert.Equal(7, n);
            Assert.Equal(7u, *(uint*)(intf + FlexRingInterface.OutProdOffset));
            Assert.Equal((byte)'p', d[FlexRing.RingSize(1)]); // out is the second half
            Span<byte> buf = stackalloc byte[16];
            Assert.Equal(RingError.None, r.Read(buf, out n));
            Assert.True(buf.Slice(0, n).SequenceEqual("pvcalls"u8));
            *(uint*)(intf + FlexRingInterface.RingOrderOffset) = 50;
            Assert.Equal(RingError.InvalidSize, FlexRingInterface.ReadRingOrder(intf, 4, out _));
        }
    }
}
