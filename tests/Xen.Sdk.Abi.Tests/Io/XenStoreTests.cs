using System;
using System.Runtime.CompilerServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Io;

public sealed class XenStoreTests
{
    [Fact]
    public void SizesMatchTheHeaderLayout()
    {
        Assert.Equal(XenStoreDomainInterface.Size, Unsafe.SizeOf<XenStoreDomainInterface>());
        Assert.Equal(XenStoreMessageHeader.Size, Unsafe.SizeOf<XenStoreMessageHeader>());
        Assert.Equal(4, Unsafe.SizeOf<XenStoreMessageType>());
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void ErrorTableEqualsXsdErrorsCompiledByGcc(int bits)
    {
        // xsd_errors[] is only defined when errno.h came first; the prelude includes it.
        string output = IoGcc.Run(
            "#include <xen/io/xs_wire.h>",
            "for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) printf(\"%d %s\\n\", xsd_errors[i].errnum, xsd_errors[i].errstring);",
            bits);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(XenStoreErrors.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string expected = XenStoreErrors.GetErrno(i) + " " + Encoding.ASCII.GetString(XenStoreErrors.GetName(i));
            Assert.Equal(lines[i], expected);
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void ErrnoValuesAreXensOwn(int bits)
    {
        // The wire carries names; the numbers this SDK attaches are Xen's (xen/errno.h), checked here.
        var sb = new StringBuilder();
        for (int i = 0; i < XenStoreErrors.Count; i++)
        {
            string name = Encoding.ASCII.GetString(XenStoreErrors.GetName(i));
            sb.Append("printf(\"%d\\n\", XEN_").Append(name).Append(");\n");
        }

        string output = IoGcc.Run("#include <xen/errno.h>\n#include <xen/io/xs_wire.h>", sb.ToString(), bits);
        string[] lines = output.TrimEnd('\n').Split('\n');
        for (int i = 0; i < XenStoreErrors.Count; i++)
        {
            Assert.Equal(XenStoreErrors.GetErrno(i).ToString(System.Globalization.CultureInfo.InvariantCulture), lines[i]);
        }
    }

    [Fact]
    public void ErrorNamesRoundTrip()
    {
        for (int i = 0; i < XenStoreErrors.Count; i++)
        {
            int errno = XenStoreErrors.GetErrno(i);
            Assert.True(XenStoreErrors.TryGetName(-errno, out ReadOnlySpan<byte> name));
            Assert.True(name.SequenceEqual(XenStoreErrors.GetName(i)));
            byte[] payload = new byte[name.Length + 1];
            name.CopyTo(payload);
            Assert.True(XenStoreErrors.TryParse(payload, out int parsed));
            Assert.Equal(errno, parsed);
        }

        Assert.False(XenStoreErrors.TryParse("EWHAT\0"u8, out _));
        Assert.False(XenStoreErrors.TryGetName(9999, out _));
        Assert.True(XenStoreErrors.GetName(XenStoreErrors.Count).IsEmpty);
    }

    [Property]
    public void HeaderBytesAreLittleEndianFieldsInOrder(uint type, uint reqId, uint txId, uint len)
    {
        var header = new XenStoreMessageHeader { MessageType = (XenStoreMessageType)type, RequestId = reqId, TransactionId = txId, Length = len };
        byte[] bytes = new byte[XenStoreMessageHeader.Size + 3];
        Assert.True(header.TryWrite(bytes));
        Assert.Equal(type, BitConverter.ToUInt32(bytes, 0));
        Assert.Equal(reqId, BitConverter.ToUInt32(bytes, 4));
        Assert.Equal(txId, BitConverter.ToUInt32(bytes, 8));
        Assert.Equal(len, BitConverter.ToUInt32(bytes, 12));
        Assert.True(XenStoreMessageHeader.TryRead(bytes, out XenStoreMessageHeader back));
        Assert.Equal(header, back);
        Assert.False(XenStoreMessageHeader.TryRead(bytes.AsSpan(0, XenStoreMessageHeader.Size - 1), out _));
        Assert.False(header.TryWrite(new byte[XenStoreMessageHeader.Size - 1]));
    }

    [Property]
    public void DomainInterfaceIndicesLandAtTheirOffsets(uint reqCons, uint reqProd, uint rspCons, uint rspProd, byte fill)
    {
        var page = new byte[XenStoreDomainInterface.Size];
        page.AsSpan().Fill(fill);
        Assert.True(XenStoreDomainInterface.TryRead(page, out XenStoreDomainInterface shared));
        shared.ReqCons = reqCons;
        shared.ReqProd = reqProd;
        shared.RspCons = rspCons;
        shared.RspProd = rspProd;
        Assert.True(shared.TryWrite(page));
        Assert.Equal(reqCons, BitConverter.ToUInt32(page, XenStoreDomainInterface.ReqConsOffset));
        Assert.Equal(reqProd, BitConverter.ToUInt32(page, XenStoreDomainInterface.ReqProdOffset));
        Assert.Equal(rspCons, BitConverter.ToUInt32(page, XenStoreDomainInterface.RspConsOffset));
        Assert.Equal(rspProd, BitConverter.ToUInt32(page, XenStoreDomainInterface.RspProdOffset));
        Assert.Equal(fill, page[XenStoreDomainInterface.RspOffset + XenStore.RingSize - 1]);
        Assert.Equal(XenStore.MaskIndex(reqProd), (int)(reqProd % XenStore.RingSize));
    }
}
