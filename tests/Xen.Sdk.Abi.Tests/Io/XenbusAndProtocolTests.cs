using System;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Abi.Metadata;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Io;

public sealed class XenbusAndProtocolTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void XenbusStatesAreTheHeadersEnumerators(int bits)
    {
        // Every enumerator of enum xenbus_state in declaration order, by value, from gcc.
        string output = IoGcc.Run("#include <xen/io/xenbus.h>", "for (int s = XenbusStateUnknown; s <= XenbusStateReconfigured; s++) printf(\"%d\\n\", s); printf(\"%zu\\n\", sizeof(XenbusState));", bits);
        string[] lines = output.TrimEnd('\n').Split('\n');
        XenbusState[] values = Enum.GetValues<XenbusState>();
        Assert.Equal(values.Length + 1, lines.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(((int)values[i]).ToString(System.Globalization.CultureInfo.InvariantCulture), lines[i]);
        }

        Assert.Equal("4", lines[^1]);
    }

    [Fact]
    public void ProtocolNamesParseToTheirBitness()
    {
        Assert.True(IoProtocols.TryParse("x86_32-abi\0"u8, XenArchitectures.X86_64, out XenArchitectures a));
        Assert.Equal(XenArchitectures.X86_32, a);
        Assert.True(IoProtocols.TryParse("x86_64-abi"u8, XenArchitectures.X86_32, out a));
        Assert.Equal(XenArchitectures.X86_64, a);
        Assert.True(IoProtocols.TryParse(ReadOnlySpan<byte>.Empty, XenArchitectures.X86_64, out a));
        Assert.Equal(XenArchitectures.X86_64, a);
        Assert.False(IoProtocols.TryParse("arm-abi"u8, XenArchitectures.X86_64, out a));
        Assert.Equal(XenArchitectures.None, a);
        Assert.Equal(IoProtocols.X86_32, IoProtocols.ForArchitecture(XenArchitectures.X86_32));
        Assert.Equal(IoProtocols.X86_64, IoProtocols.ForArchitecture(XenArchitectures.X86_64));
        Assert.Null(IoProtocols.ForArchitecture(XenArchitectures.All));
    }
}
