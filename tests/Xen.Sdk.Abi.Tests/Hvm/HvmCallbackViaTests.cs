using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Hvm;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Hvm;

/// <summary>HVM_PARAM_CALLBACK_IRQ encodings (xen/include/public/hvm/params.h): type in bits 63..56.</summary>
public sealed class HvmCallbackViaTests
{
    [Fact]
    public void EncodingsMatchTheHeaderDescription()
    {
        // val[63:56] = type; GSI in val[55:0]; vector in val[7:0];
        // PCI INTx: Domain = val[47:32], Bus = val[31:16], DevFn = val[15:8], IntX = val[1:0].
        Assert.True(HvmCallbackVia.TryGsi(28, out var gsi));
        Assert.Equal(0x000000000000001cUL, gsi.Value);
        Assert.Equal(0x02000000000000f3UL, HvmCallbackVia.Vector(0xf3).Value);
        Assert.Equal(0x0100000100020302UL, HvmCallbackVia.PciIntx(1, 2, 3, 2).Value);
        Assert.False(HvmCallbackVia.TryGsi(0, out _));
        Assert.True(new HvmCallbackVia(0).IsDisabled);
    }

    [Property]
    public bool PciIntxRoundTrips(ushort seg, byte bus, byte devfn, byte intx)
    {
        var v = HvmCallbackVia.PciIntx(seg, bus, devfn, intx);
        return v.TryGetPciIntx(out var s, out var b, out var d, out var i) && s == seg && b == bus && d == devfn && i == (intx & 3)
            && !v.TryGetVector(out _) && !v.TryGetGsi(out _);
    }

    [Property]
    public bool VectorRoundTrips(byte vector) =>
        HvmCallbackVia.Vector(vector).TryGetVector(out var v) && v == vector && HvmCallbackVia.Vector(vector).Type == HvmCallbackType.Vector;
}
