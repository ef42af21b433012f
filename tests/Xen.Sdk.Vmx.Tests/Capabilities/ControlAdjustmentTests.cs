using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Capabilities;

public sealed class ControlAdjustmentTests
{
    // Intel SDM Vol. 3D §A.3.1: bits 31:0 are allowed 0-settings (1 = must be 1), bits 63:32 allowed
    // 1-settings (0 = must be 0).
    [Fact]
    public void RefusedControlsAreReportedNotDropped()
    {
        ulong msr = 0x0000_003F_0000_0016UL; // must-be-1: 1,2,4; may-be-1: 0..5
        ControlAdjustment a = ControlAdjustment.Adjust32((uint)(PinBasedControls.ExternalInterruptExiting | PinBasedControls.VirtualNmis | PinBasedControls.ProcessPostedInterrupts), msr);
        Assert.Equal(0x37UL, a.Value); // bits 0 and 5 requested and allowed, 1/2/4 forced
        Assert.Equal((ulong)PinBasedControls.ProcessPostedInterrupts, a.Refused);
        Assert.Equal(0x16UL, a.Forced);
        Assert.False(a.IsComplete);
    }

    [Property]
    public bool AdjustedValueIsAlwaysValidForAConsistentMsr(uint requested, uint allowed0, uint allowed1)
    {
        allowed1 |= allowed0; // a real MSR never forces a bit to 1 that it does not allow
        ulong msr = (ulong)allowed1 << 32 | allowed0;
        ControlAdjustment a = ControlAdjustment.Adjust32(requested, msr);
        return ControlAdjustment.IsValid32((uint)a.Value, msr)
            && (a.Refused | (a.Value & requested)) == requested
            && (a.Value & ~requested) == a.Forced
            && (a.Refused & a.Value) == 0;
    }

    [Property]
    public bool Adjust64KeepsOnlyAllowedBits(ulong requested, ulong allowed1)
    {
        ControlAdjustment a = ControlAdjustment.Adjust64(requested, allowed1);
        return a.Value == (requested & allowed1) && a.Refused == (requested & ~allowed1) && a.Forced == 0;
    }

    [Fact]
    public void TrueMsrsGovernWhenBasicBit55IsSet()
    {
        var caps = new VmxCapabilities
        {
            Basic = 1UL << 55,
            PinBasedControls = 0x0000_007F_0000_0016UL,
            TruePinBasedControls = 0x0000_007F_0000_0000UL,
        };
        Assert.Equal(0UL, caps.AdjustPinBased(PinBasedControls.None).Value);
        caps.Basic = 0;
        Assert.Equal(0x16UL, caps.AdjustPinBased(PinBasedControls.None).Value);
    }

    [Fact]
    public void SecondaryControlsAreRefusedWithoutActivateSecondary()
    {
        var caps = new VmxCapabilities { ProcessorBasedControls = 0x7FFF_FFFF_0000_0000UL, ProcessorBasedControls2 = 0xFFFF_FFFF_0000_0000UL };
        Assert.Equal((ulong)SecondaryProcessorControls.EnableEpt, caps.AdjustSecondaryProcessor(SecondaryProcessorControls.EnableEpt).Refused);
        caps.ProcessorBasedControls |= 1UL << 63;
        Assert.True(caps.AdjustSecondaryProcessor(SecondaryProcessorControls.EnableEpt).IsComplete);
    }

    [Property]
    public bool CapabilitySerializationRoundTrips(ulong[] msrs, byte pa, byte la, ulong features, ulong perf)
    {
        var caps = new VmxCapabilities { PhysicalAddressBits = pa, LinearAddressBits = la, Features = (CpuFeatures)features, PerfGlobalCtrlValidBits = perf };
        for (int i = 0; i < msrs.Length && i < 20; i++)
        {
            caps.TrySetMsr(VmxMsr.Basic + (uint)i, msrs[i]);
        }

        var buffer = new byte[VmxCapabilities.SerializedSize];
        return caps.TryWriteTo(buffer) && VmxCapabilities.TryReadFrom(buffer, out VmxCapabilities back) && back.Equals(caps);
    }
}
