using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Access;

public sealed class VmcsImageTests
{
    [Fact]
    public void AbsentFieldReadFailsWithError12()
    {
        var image = new VmcsImage(1);
        VmxInstructionResult r = image.Read(VmcsFields.GuestRip.Id, out ulong v);
        Assert.Equal(VmxInstructionStatus.FailValid, r.Status);
        Assert.Equal(VmInstructionError.UnsupportedVmcsComponent, r.Error);
        Assert.Equal(0UL, v);
    }

    [Fact]
    public void UnknownEncodingFailsWithError12()
    {
        var image = new VmcsImage(1);
        VmxInstructionResult r = image.Write(VmcsFieldId.FromEncoding(0x087E), 5);
        Assert.Equal(VmInstructionError.UnsupportedVmcsComponent, r.Error);
    }

    [Fact]
    public void WidthTruncationMatchesVmwrite()
    {
        // VMWRITE ignores source bits beyond the field's width (Intel SDM Vol. 3C §31.3, VMWRITE operation).
        var image = new VmcsImage(1);
        image.Write(VmcsFields.GuestCsSelector.Id, 0x1234_5678_9ABC_DEF0);
        image.Write(VmcsFields.GuestCsLimit.Id, 0x1234_5678_9ABC_DEF0);
        image.Write(VmcsFields.GuestRip.Id, 0x1234_5678_9ABC_DEF0);
        Assert.Equal((ushort)0xDEF0, image.Read(VmcsFields.GuestCsSelector));
        Assert.Equal(0x9ABC_DEF0u, image.Read(VmcsFields.GuestCsLimit));
        Assert.Equal(0x1234_5678_9ABC_DEF0UL, image.Read(VmcsFields.GuestRip));
    }

    [Property]
    public bool HighAccessIsTheUpperHalf(ulong full, uint high)
    {
        var image = new VmcsImage(1);
        image.Write(VmcsFields.GuestIa32Efer, full);
        bool readsHigh = image.Read(VmcsFields.GuestIa32Efer.High) == (uint)(full >> 32);
        image.Write(VmcsFields.GuestIa32Efer.High, high);
        return readsHigh && image.Read(VmcsFields.GuestIa32Efer) == ((ulong)high << 32 | (uint)full);
    }

    [Property]
    public bool GenericAndInstanceAccessAgree(ulong value, byte ordinalSeed)
    {
        var image = new VmcsImage(1);
        VmcsFieldId id = VmcsFields.IdAt(ordinalSeed % VmcsFields.Count);
        IVmcsAccess access = image;
        access.Write(id, value);
        access.Read(id, out ulong back);
        ulong expected = VmcsEncoding.BitCount(id.Width) == 64 ? value : value & ((1UL << VmcsEncoding.BitCount(id.Width)) - 1);
        return back == expected && image.ValueAt(id.Ordinal) == expected;
    }

    [Property]
    public bool SerializationRoundTrips(ulong[] values, uint revision, bool launched)
    {
        var image = new VmcsImage(revision & 0x7FFF_FFFF) { LaunchState = launched ? VmcsLaunchState.Launched : VmcsLaunchState.Clear };
        for (int i = 0; i < values.Length; i++)
        {
            image.Write(VmcsFields.IdAt((int)((uint)(values[i] * 31) % VmcsFields.Count)), values[i]);
        }

        var buffer = new byte[image.SerializedSize];
        if (!image.TryWriteTo(buffer, out int written) || written != buffer.Length)
        {
            return false;
        }

        var copy = new VmcsImage();
        if (!copy.TryReadFrom(buffer, out int consumed) || consumed != written)
        {
            return false;
        }

        for (int i = 0; i < VmcsFields.Count; i++)
        {
            if (copy.IsPresent(i) != image.IsPresent(i) || copy.ValueAt(i) != image.ValueAt(i))
            {
                return false;
            }
        }

        return copy.RevisionId == image.RevisionId && copy.LaunchState == image.LaunchState;
    }

    [Fact]
    public void HardwareVmcsFetchesTheErrorNumberOnFailValid()
    {
        var vmcs = new HardwareVmcs<FakeInstructions>(new FakeInstructions());
        VmxInstructionResult r = vmcs.Write(VmcsFields.ExitReason.Id, 1);
        Assert.Equal(VmxInstructionStatus.FailValid, r.Status);
        Assert.Equal(VmInstructionError.VmwriteReadOnlyComponent, r.Error);
        Assert.True(vmcs.Write(VmcsFields.GuestRip, 0x1000UL).Succeeded);
        Assert.Equal(VmxInstructionStatus.FailInvalid, vmcs.Launch().Status);
        var image = new VmcsImage(1);
        VmcsTemplate.LongModeGuest(image, VmxCapabilityModels.BochsCoreI7SkylakeX, VmcsTemplateLayout.Default);
        int readOnly = 0;
        for (int i = 0; i < VmcsFields.Count; i++)
        {
            readOnly += VmcsFields.IdAt(i).Group == VmcsFieldGroup.ReadOnly ? 1 : 0;
        }

        Assert.Equal(readOnly, vmcs.WriteImage(image)); // the fake refuses read-only fields, as without MISC bit 29
    }

    /// <summary>A stand-in for the kernel's primitives: VMWRITE to a read-only field fails with error 13.</summary>
    private struct FakeInstructions : IVmxInstructions
    {
        public VmxInstructionStatus VmRead(ulong encoding, out ulong value)
        {
            value = encoding == 0x4400 ? 13UL : 0;
            return VmxInstructionStatus.Succeed;
        }

        public VmxInstructionStatus VmWrite(ulong encoding, ulong value)
            => VmcsEncoding.GetGroup((uint)encoding) == VmcsFieldGroup.ReadOnly ? VmxInstructionStatus.FailValid : VmxInstructionStatus.Succeed;

        public VmxInstructionStatus VmPtrLd(ulong vmcsPhysicalAddress) => VmxInstructionStatus.Succeed;

        public VmxInstructionStatus VmClear(ulong vmcsPhysicalAddress) => VmxInstructionStatus.Succeed;

        public VmxInstructionStatus VmLaunch() => VmxInstructionStatus.FailInvalid;

        public VmxInstructionStatus VmResume() => VmxInstructionStatus.FailInvalid;
    }
}
