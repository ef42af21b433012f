using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xunit;

namespace Xen.Sdk.Abi.Tests;

public sealed class TypedValueTests
{
    [Property]
    public bool WideningThenNarrowingRoundTrips(uint raw)
    {
        Gfn wide = new Gfn32(raw);
        return wide.Value == raw && wide.TryNarrow(out Gfn32 back) && back == new Gfn32(raw);
    }

    [Property]
    public bool NarrowingRefusesValuesAbove32Bits(ulong raw) =>
        new Mfn(raw).TryNarrow(out Mfn32 n) == (raw <= uint.MaxValue) && n.Value == unchecked((uint)raw);

    [Property]
    public bool FrameAndOffsetRecomposeTheAddress(ulong raw)
    {
        var a = new GuestPhysicalAddress(raw);
        return a.Frame.ToAddress().Value + a.PageOffset == raw && a.PageOffset < 4096;
    }

    [Property]
    public bool EqualityFollowsTheRawValue(ushort a, ushort b) =>
        (new DomainId(a) == new DomainId(b)) == (a == b) && (new DomainId(a) != new DomainId(b)) == (a != b)
        && new DomainId(a).Equals((object)new DomainId(a));

    [Fact]
    public void DomainIdSelfIsTheCheckedConstant()
    {
        // DomainIds.Self is compared with DOMID_SELF by the gcc oracle.
        Assert.Equal(DomainIds.Self, DomainId.Self.Value);
        Assert.True(DomainId.Self.IsReserved);
        Assert.False(new DomainId(0).IsReserved);
    }

    [Fact]
    public void TypedValuesHaveTheWidthOfTheirCType()
    {
        Assert.Equal(2, System.Runtime.CompilerServices.Unsafe.SizeOf<DomainId>());
        Assert.Equal(4, System.Runtime.CompilerServices.Unsafe.SizeOf<EventChannelPort>());
        Assert.Equal(4, System.Runtime.CompilerServices.Unsafe.SizeOf<GrantRef>());
        Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<Gfn>());
        Assert.Equal(4, System.Runtime.CompilerServices.Unsafe.SizeOf<Gfn32>());
        Assert.Equal(4, System.Runtime.CompilerServices.Unsafe.SizeOf<GuestVirtualAddress32>());
    }
}
