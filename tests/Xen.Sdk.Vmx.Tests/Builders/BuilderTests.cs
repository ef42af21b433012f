using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Exits;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Builders;

public sealed class BuilderTests
{
    private static readonly VmxCapabilities Skylake = VmxCapabilityModels.BochsCoreI7SkylakeX;

    private static EntryCheckReport CheckWith(Action<VmcsImage> change)
    {
        var image = new VmcsImage();
        VmcsTemplate.LongModeGuest(image, Skylake, VmcsTemplateLayout.Default);
        image.Write(VmcsFields.GuestRflags, 0x202UL);
        change(image);
        return VmEntryChecker.Check(image, Skylake, default, Span<EntryCheckFailure>.Empty);
    }

    [Property]
    public bool InjectedEventsPassTheEntryChecker(byte vector, byte kind, uint errorCode, byte length)
    {
        EventInjection e = (kind % 6) switch
        {
            0 => EventInjection.ExternalInterrupt((byte)(32 + vector % 224)),
            1 => EventInjection.Nmi(),
            2 => EventInjection.HardwareException((byte)(vector % 32), errorCode & 0xFFFF),
            3 => EventInjection.SoftwareInterrupt(vector, 1u + (uint)(length % 15)),
            4 => EventInjection.SoftwareException(3, 1),
            _ => EventInjection.PrivilegedSoftwareException(1),
        };
        return CheckWith(image => e.WriteTo(image)).Passed;
    }

    [Fact]
    public void HardwareExceptionErrorCodeFollowsTheVector()
    {
        Assert.True(EventInjection.HardwareException(13, 0x18).Info.ErrorCodeValid);
        Assert.False(EventInjection.HardwareException(6).Info.ErrorCodeValid);
        Assert.False(EventInjection.HardwareException(13, 0x18, protectedMode: false).Info.ErrorCodeValid);
        Assert.Equal(0x8000_0B0Eu, EventInjection.HardwareException(14, 2).Info.Raw);
    }

    [Fact]
    public void MsrBitmapLayoutFollowsTheSdm()
    {
        // Intel SDM Vol. 3C §25.6.9: read-low at 0, read-high at 1024, write-low at 2048, write-high at 3072.
        var page = new byte[4096];
        var b = new MsrBitmap(page);
        Assert.True(b.SetWrite(0xC000_0080, true));
        Assert.Equal(1, page[3072 + 0x10]);
        Assert.True(b.SetRead(0x1B, true));
        Assert.Equal(0x08, page[3]);
        Assert.True(b.SetRead(0xC000_0100, true));
        Assert.Equal(1, page[1024 + 0x20]);
        Assert.False(b.SetRead(0x4000_0000, true));
        Assert.True(b.ReadExits(0x4000_0000));
        Assert.False(b.ReadExits(0x10));
    }

    [Property]
    public bool MsrBitmapSetGetRoundTrips(uint msrSeed, bool high, bool write)
    {
        uint msr = (high ? 0xC000_0000u : 0) | (msrSeed & 0x1FFF);
        var page = new byte[4096];
        var b = new MsrBitmap(page);
        bool ok = write ? b.SetWrite(msr, true) : b.SetRead(msr, true);
        bool set = write ? b.WriteExits(msr) && !b.ReadExits(msr) : b.ReadExits(msr) && !b.WriteExits(msr);
        bool others = !(write ? b.WriteExits(msr ^ 1) : b.ReadExits(msr ^ 1));
        if (write)
        {
            b.SetWrite(msr, false);
        }
        else
        {
            b.SetRead(msr, false);
        }

        return ok && set && others && Array.TrueForAll(page, x => x == 0);
    }

    [Fact]
    public void IoBitmapLayoutFollowsTheSdm()
    {
        // Intel SDM Vol. 3C §25.6.4: A covers 0000H-7FFFH, B 8000H-FFFFH, one bit per port.
        var a = new byte[4096];
        var bb = new byte[4096];
        var io = new IoBitmaps(a, bb);
        Assert.True(io.Set(0x80, 1, true));
        Assert.Equal(1, a[0x10]);
        Assert.True(io.Set(0x8001, 1, true));
        Assert.Equal(2, bb[0]);
        Assert.True(io.Exits(0x7F, 2));
        Assert.False(io.Exits(0x81, 4));
        Assert.True(io.Exits(0xFFFF, 2)); // wraps
    }

    [Fact]
    public void EptPointerAgreesWithPagingAndPassesTheChecker()
    {
        var root = new HostPhysicalAddress(0x1234_5000);
        Assert.Equal(EptPointerStatus.Ok, EptPointer.TryCreate(root, Skylake, out ulong eptp));
        Assert.Equal(0x1234_501EUL, eptp);
        var fmt = new EptFormat(CpuModels.BochsCoreI7SkylakeX);
        Assert.Equal(fmt.MakeEptPointer(root), eptp);
        Assert.Equal(root, EptPointer.Root(eptp));
        EntryCheckReport r = CheckWith(image =>
        {
            image.Write(VmcsFields.SecondaryProcessorBasedControls, (uint)SecondaryProcessorControls.EnableEpt);
            image.Write(VmcsFields.EptPointer, eptp);
        });
        Assert.True(r.Passed);
        Assert.Equal(EptPointerStatus.UnsupportedWalkLength, EptPointer.TryCreate(root, Skylake, out _, levels: 5));
        Assert.Equal(EptPointerStatus.BadRoot, EptPointer.TryCreate(new HostPhysicalAddress(0x1001), Skylake, out _));
        Assert.Equal(EptPointerStatus.UnsupportedWalkLength, EptPointer.TryCreate(root, VmxCapabilityModels.BochsCore2PenrynT9600, out _));
        VmxCapabilities noWb = Skylake;
        noWb.EptVpidCap &= ~(1UL << 14);
        Assert.Equal(EptPointerStatus.UnsupportedMemoryType, EptPointer.TryCreate(root, noWb, out _));
        Assert.Equal(EptPointerStatus.Ok, EptPointer.TryCreate(root, noWb, out ulong uc, memoryType: 0));
        Assert.Equal(0x1234_5018UL, uc);
    }

    [Fact]
    public void PagingAndVmxAgreeOnTheBochsEptCapabilities()
    {
        // Xen.Sdk.Paging derived its snapshot from Bochs sources; this library's came from running Bochs.
        Assert.Equal(CpuModels.BochsCoreI7SkylakeX.EptCapabilities.Value, Skylake.EptVpidCap);
        Assert.Equal(CpuModels.BochsCoreI7SandyBridge2600K.EptCapabilities.Value, VmxCapabilityModels.BochsCoreI7SandyBridge2600K.EptVpidCap);
        Assert.Equal(CpuModels.BochsCoreI7SkylakeX.MaxPhysicalAddressBits, Skylake.PhysicalAddressBits);
    }

    [Fact]
    public void VpidAllocatorNeverHandsOutZeroOrDuplicates()
    {
        var bitmap = new ulong[VpidAllocator.BitmapWords];
        var alloc = default(VpidAllocator);
        Assert.True(alloc.TryAllocate(bitmap, out Vpid a));
        Assert.True(alloc.TryAllocate(bitmap, out Vpid b));
        Assert.Equal((ushort)1, a.Value);
        Assert.Equal((ushort)2, b.Value);
        VpidAllocator.Free(bitmap, a);
        Assert.False(Vpid.TryCreate(0, out _));
        int count = 2;
        while (alloc.TryAllocate(bitmap, out Vpid v))
        {
            Assert.NotEqual((ushort)0, v.Value);
            count++;
        }

        Assert.Equal(65535 + 1, count); // 1 was freed and handed out again
    }
}
