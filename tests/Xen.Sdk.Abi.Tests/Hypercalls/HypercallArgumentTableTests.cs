using System.Linq;
using Xen.Sdk.Abi.Hypercalls;
using Xen.Sdk.Abi.Hypercalls.Diagnostics;
using Xen.Sdk.Abi.Metadata;
using Xen.Sdk.Abi.Tests.Oracle;
using Xunit;
using Hypercall = Xen.Sdk.Abi.Hypercall;

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

public sealed class HypercallArrayElementTests
{
    [Fact]
    public void ArrayHypercallsUseTheOracleCheckedElementSizes()
    {
        Assert.True(HypercallArgumentTable.TryGetArrayElementSize(Hypercall.MmuUpdate, true, out var mmu));
        Assert.Equal(Xen.Sdk.Abi.MmuUpdate.Size, mmu);
        Assert.True(HypercallArgumentTable.TryGetArrayElementSize(Hypercall.Multicall, true, out var mc64));
        Assert.Equal(Xen.Sdk.Abi.MulticallEntry64.Size, mc64);
        Assert.True(HypercallArgumentTable.TryGetArrayElementSize(Hypercall.Multicall, false, out var mc32));
        Assert.Equal(Xen.Sdk.Abi.MulticallEntry32.Size, mc32);
        Assert.True(HypercallArgumentTable.TryGetArrayElementSize(Hypercall.MmuextOp, false, out var ext32));
        Assert.Equal(Xen.Sdk.Abi.MmuextOp32.Size, ext32);
        Assert.True(HypercallArgumentTable.TryGetArrayElementSize(Hypercall.SetTrapTable, true, out var trap));
        Assert.Equal(Xen.Sdk.Abi.ArchX86.TrapInfo64.Size, trap);
        Assert.False(HypercallArgumentTable.TryGetArrayElementSize(Hypercall.EventChannelOp, true, out _));
    }
}
