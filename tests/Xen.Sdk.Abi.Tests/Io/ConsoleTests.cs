using System;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Io;

public sealed class ConsoleTests
{
    [Fact]
    public void SizeMatchesTheHeaderLayout() => Assert.Equal(ConsoleInterface.Size, Unsafe.SizeOf<ConsoleInterface>());

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void MaskMatchesMaskXenconsIdxForSampledIndices(int bits)
    {
        // MASK_XENCONS_IDX evaluated by gcc on the real struct for indices around every wrap point.
        uint[] samples = { 0, 1, 1023, 1024, 1025, 2047, 2048, 2049, 0x7fffffff, 0x80000000, 0xfffffbff, 0xffffffff };
        var body = new System.Text.StringBuilder("struct xencons_interface *r = 0;\n");
        foreach (uint s in samples)
        {
            body.Append($"printf(\"%u %u\\n\", (unsigned)MASK_XENCONS_IDX({s}u, r->in), (unsigned)MASK_XENCONS_IDX({s}u, r->out));\n");
        }

        string[] lines = IoGcc.Run("#include <xen/io/console.h>", body.ToString(), bits).TrimEnd('\n').Split('\n');
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.Equal($"{ConsoleInterface.MaskIn(samples[i])} {ConsoleInterface.MaskOut(samples[i])}", lines[i]);
        }
    }

    [Property]
    public void MasksAreModuloTheRingSizes(uint index)
    {
        Assert.Equal((int)(index % ConsoleInterface.InRingSize), ConsoleInterface.MaskIn(index));
        Assert.Equal((int)(index % ConsoleInterface.OutRingSize), ConsoleInterface.MaskOut(index));
    }

    [Property]
    public unsafe void RingBytesAndIndicesLandAtTheirOffsets(byte a, byte b, uint inProd, uint outProd)
    {
        var page = new byte[ConsoleInterface.Size];
        Assert.True(ConsoleInterface.TryRead(page, out ConsoleInterface console));
        console.In[ConsoleInterface.MaskIn(inProd)] = a;
        console.Out[ConsoleInterface.MaskOut(outProd)] = b;
        console.InProd = inProd;
        console.OutProd = outProd;
        Assert.True(console.TryWrite(page));
        Assert.Equal(a, page[ConsoleInterface.InOffset + ConsoleInterface.MaskIn(inProd)]);
        Assert.Equal(b, page[ConsoleInterface.OutOffset + ConsoleInterface.MaskOut(outProd)]);
        Assert.Equal(inProd, BitConverter.ToUInt32(page, ConsoleInterface.InProdOffset));
        Assert.Equal(outProd, BitConverter.ToUInt32(page, ConsoleInterface.OutProdOffset));
        Assert.False(ConsoleInterface.TryRead(page.AsSpan(1), out _));
    }
}
