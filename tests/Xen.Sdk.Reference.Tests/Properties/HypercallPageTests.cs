using System;
using Iced.Intel;
using Xen.Sdk.Reference.Hypercalls;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Properties;

/// <summary>The hypercall page, disassembled by Iced: stub i at 32*i is <c>mov eax, i; vmmcall|vmcall; ret</c>, in
/// both 32- and 64-bit mode (the page is shared by both guest widths).</summary>
public sealed class HypercallPageTests
{
    [Theory]
    [InlineData(HypercallInstruction.Vmmcall, 64)]
    [InlineData(HypercallInstruction.Vmcall, 64)]
    [InlineData(HypercallInstruction.Vmmcall, 32)]
    [InlineData(HypercallInstruction.Vmcall, 32)]
    public void EveryStubDecodesToMovCallRet(HypercallInstruction kind, int bitness)
    {
        var page = new byte[4096];
        Assert.True(HypercallPage.TryWrite(page, kind));
        for (int i = 0; i < 128; i++)
        {
            var decoder = Decoder.Create(bitness, new ByteArrayCodeReader(page, i * 32, 32));
            decoder.IP = (ulong)(i * 32);
            decoder.Decode(out var mov);
            decoder.Decode(out var call);
            decoder.Decode(out var ret);
            Assert.Equal(Mnemonic.Mov, mov.Mnemonic);
            Assert.Equal(Register.EAX, mov.Op0Register);
            Assert.Equal((uint)i, mov.Immediate32);
            Assert.Equal(kind == HypercallInstruction.Vmmcall ? Mnemonic.Vmmcall : Mnemonic.Vmcall, call.Mnemonic);
            Assert.Equal(Mnemonic.Ret, ret.Mnemonic);
        }
    }

    [Fact]
    public void ShortBufferIsRefused() => Assert.False(HypercallPage.TryWrite(new byte[4095], HypercallInstruction.Vmmcall));
}
