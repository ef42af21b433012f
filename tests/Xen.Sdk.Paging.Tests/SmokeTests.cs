using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xunit;

namespace Xen.Sdk.Paging.Tests;

public class SmokeTests
{
    [Fact]
    public void EptIdentityGiBUsesLargePagesAndTranslates()
    {
        using var arena = new HostArena(1 << 20);
        var caps = CpuModels.BochsCoreI7SkylakeX;
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<EptFormat, ArenaFrameSource>.Create(new EptFormat(caps), arena.Frames, out var ept));
        Assert.Equal(PagingStatus.Ok, ept.MapIdentity(new GuestPhysicalAddress(0), 4UL << 30, PageAttributes.ReadWriteExecute));
        Assert.Equal(2, arena.Frames.LiveFrames); // root + one PDPT with four 1 GiB leaves
        Assert.True(ept.TryLookup(new GuestPhysicalAddress(0x1234_5678), out var hpa, out var size, out var attrs));
        Assert.Equal(0x1234_5678UL, hpa.Value);
        Assert.Equal(PageSize.Size1GiB, size);
        Assert.Equal(PageAccess.ReadWriteExecute, attrs.Access);
        Assert.Equal(PagingStatus.Ok, ept.Unmap(new GuestPhysicalAddress(0x1000), 0x1000));
        Assert.False(ept.TryTranslate(new GuestPhysicalAddress(0x1800), out _));
        Assert.True(ept.TryTranslate(new GuestPhysicalAddress(0x2800), out hpa));
        Assert.Equal(0x2800UL, hpa.Value);
        Assert.Equal(4, arena.Frames.LiveFrames); // + PD + PT
        Assert.Equal(PagingStatus.Ok, ept.Map(new GuestPhysicalAddress(0x1000), new HostPhysicalAddress(0x1000), 0x1000, PageAttributes.ReadWriteExecute));
        Assert.Equal(2, arena.Frames.LiveFrames); // merged back to 1 GiB
        Assert.True(ept.TakeFlushHint().Required);
        ept.Release();
        Assert.Equal(0, arena.Frames.LiveFrames);
    }
}
