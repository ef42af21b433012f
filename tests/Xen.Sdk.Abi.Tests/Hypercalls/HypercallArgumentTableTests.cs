using System.Linq;
using Xen.Sdk.Abi.Hypercalls;
using Xen.Sdk.Abi.Hypercalls.Diagnostics;
using Xen.Sdk.Abi.Metadata;
using Xen.Sdk.Abi.Tests.Oracle;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Hypercalls;

public sealed class HypercallArgumentTableTests
{
    [Fact]
    public void EveryRowMatchesTheOracleCheckedStructSizes()
    {
        var rows = HypercallArgumentRows.Rows();
        Assert.Equal(HypercallArgumentTable.Count, rows.Length);
        foreach (var (call, subOp, ctype, size64, size32) in rows)
        {
            foreach (var (arch, expected) in new[] { (Arch.X86_64, size64), (Arch.X86_32, size32) })
            {
                // The [CType] struct of this C type for this bitness; its Size is compared with gcc by the oracle.
                var t = AbiCatalog.Types.Single(t => t.CName == ctype && t.AppliesTo(arch));
                Assert.Equal(t.DeclaredSize, expected);
                Assert.True(HypercallArgumentTable.TryGetArgumentSize(call, subOp, arch == Arch.X86_64, out var size));
                Assert.Equal(expected, size);
            }
        }
    }

    [Fact]
    public void KnownPairsResolveAndUnknownOnesDoNot()
    {
        Assert.True(HypercallArgumentTable.TryGetArgumentSize(Hypercall.EventChannelOp, (uint)EventChannel.EventChannelOp.Send, true, out var send));
        Assert.Equal(4, send);
        Assert.True(HypercallArgumentTable.TryGetArgumentSize(Hypercall.GrantTableOp, (uint)GrantTable.GrantTableOp.SetupTable, false, out var st32));
        Assert.Equal(GnttabSetupTable32Size(), st32);
        Assert.False(HypercallArgumentTable.TryGetArgumentSize(Hypercall.EventChannelOp, 999, true, out var none));
        Assert.Equal(0, none);
    }

    private static int GnttabSetupTable32Size() => GrantTable.GnttabSetupTable32.Size;
}
