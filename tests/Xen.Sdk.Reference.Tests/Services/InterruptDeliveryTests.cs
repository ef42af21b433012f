using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Reference.Svm;
using Xen.Sdk.Reference.Vmx;
using Xen.Sdk.Svm;
using Xen.Sdk.Vmx;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Services;

/// <summary>Virtual interrupt delivery as the two backends program it, checked against the manuals' bit layouts written
/// out here: EVENTINJ (AMD APM Vol. 2 §15.20: vector 7:0, type 10:8 with 0 = INTR, V bit 31), V_IRQ (bit 8 of VMCB
/// offset 060h) and the VINTR intercept (vector 3 bit 4, offset 00Ch) (AMD APM Vol. 2 §15.21, Appendix B); VM-entry
/// interruption information (Intel SDM Vol. 3C §25.8.3: vector 7:0, type 10:8 with 0 = external interrupt, valid bit
/// 31) and the interrupt-window exiting control (primary processor-based control bit 2, §25.6.2). Whether the guest
/// really takes the injected interrupt is proven by the emulators (the xenbus guest under QEMU and Bochs).</summary>
public sealed class InterruptDeliveryTests
{
    private const ulong IF = 1UL << 9;

    private static VcpuState Pending(byte vector, ulong rflags, bool shadow = false, int exception = -1)
    {
        var s = new VcpuState { PendingVector = exception, Rflags = rflags, InterruptShadow = shadow, Cr0 = 0x80000011 };
        s.RaiseInterrupt(vector);
        return s;
    }

    /// <summary>The rule: inject iff IF = 1, no shadow, no exception injected in the same entry.</summary>
    [Property]
    public bool DecisionFollowsIfShadowAndPendingException(byte vector, bool ifSet, bool shadow, bool exception)
    {
        var s = Pending(vector, ifSet ? IF | 2 : 2, shadow, exception ? 13 : -1);
        InterruptDelivery d = VirtualInterrupts.Decide(ref s);
        bool inject = ifSet && !shadow && !exception;
        return d == (inject ? InterruptDelivery.Inject : InterruptDelivery.RequestWindow) && s.InterruptPending == !inject
            && s.InterruptsInjected == (inject ? 1UL : 0UL) && s.InterruptWindowsRequested == (inject ? 0UL : 1UL);
    }

    [Fact]
    public void AdvanceEndsTheShadow()
    {
        var s = Pending(0x30, IF | 2, shadow: true);
        s.Exit.InstructionLength = 1;
        Assert.True(s.Advance());
        Assert.False(s.InterruptShadow);
        Assert.Equal(InterruptDelivery.Inject, VirtualInterrupts.Decide(ref s));
    }

    [Property]
    public bool SvmInjectsThroughEventinjOrArmsVIrqWithTheVintrIntercept(byte vector, bool ifSet)
    {
        var vmcb = new Vmcb();
        var s = Pending(vector, ifSet ? IF | 2 : 2);
        SvmBackend.WriteState(ref vmcb, ref s);
        ulong vintr = vmcb.Control.VirtualInterrupt.Value;
        bool vintrIntercept = ((uint)vmcb.Intercepts3 & (1u << 4)) != 0;
        if (ifSet)
            return vmcb.Control.EventInjection.Value == (0x8000_0000UL | vector) && (vintr & (1UL << 8)) == 0 && !vintrIntercept;
        if (vmcb.Control.EventInjection.Value != 0 || (vintr & (1UL << 8)) == 0 || !vintrIntercept || !s.InterruptWindowArmed) return false;
        // The window exit (#VMEXIT VINTR) arrives with IF = 1: the next entry injects and withdraws the request.
        s.Rflags |= IF;
        SvmBackend.WriteState(ref vmcb, ref s);
        return vmcb.Control.EventInjection.Value == (0x8000_0000UL | vector) && (vmcb.Control.VirtualInterrupt.Value & (1UL << 8)) == 0
            && ((uint)vmcb.Intercepts3 & (1u << 4)) == 0 && !s.InterruptWindowArmed && s.InterruptsInjected == 1;
    }

    [Fact]
    public void SvmClearsTheShadowItWasToldHasEnded()
    {
        var vmcb = new Vmcb();
        vmcb.Control.InterruptState = new SvmInterruptState(1);
        var s = new VcpuState { PendingVector = -1 };
        SvmBackend.ReadState(ref vmcb, ref s);
        Assert.True(s.InterruptShadow);
        s.InterruptShadow = false;                                    // VcpuState.Advance after STI; HLT
        SvmBackend.WriteState(ref vmcb, ref s);
        Assert.Equal(0UL, vmcb.Control.InterruptState.Value & 1);
    }

    [Property]
    public bool VmxInjectsThroughEntryInterruptionInfoOrSetsInterruptWindowExiting(byte vector, bool ifSet, bool stiBlocking)
    {
        var v = new VmcsImage();
        v.Write(VmcsFields.PrimaryProcessorBasedControls, 0x8000_0080u);   // secondary controls + HLT exiting
        v.Write(VmcsFields.GuestInterruptibilityState, stiBlocking ? 1u : 0u);
        var s = new VcpuState { PendingVector = -1 };
        VmxBackend.ReadState(v, true, ref s);
        s.Rflags = ifSet ? IF | 2 : 2;
        s.RaiseInterrupt(vector);
        VmxBackend.WriteState(v, ref s);
        uint info = v.Read(VmcsFields.EntryInterruptionInfo);
        uint primary = v.Read(VmcsFields.PrimaryProcessorBasedControls);
        if (ifSet && !stiBlocking)
            return info == (0x8000_0000u | vector) && (primary & 4) == 0;
        if (info != 0 || primary != (0x8000_0080u | 4)) return false;
        // Interrupt-window exit: IF = 1 and no blocking; the next entry injects and clears the control.
        v.Write(VmcsFields.GuestInterruptibilityState, 0u);
        VmxBackend.ReadState(v, true, ref s);
        s.Rflags = IF | 2;
        VmxBackend.WriteState(v, ref s);
        return v.Read(VmcsFields.EntryInterruptionInfo) == (0x8000_0000u | vector) && v.Read(VmcsFields.PrimaryProcessorBasedControls) == 0x8000_0080u;
    }

    [Fact]
    public void VmxClearsBlockingByStiWhenTheHandlerCompletedTheInstruction()
    {
        var v = new VmcsImage();
        v.Write(VmcsFields.GuestInterruptibilityState, 1u | 8u);         // blocking by STI + by NMI
        var s = new VcpuState { PendingVector = -1 };
        VmxBackend.ReadState(v, true, ref s);
        s.Rflags = IF | 2;
        s.Exit.InstructionLength = 1;
        s.Advance();                                                      // HLT after STI emulated
        s.RaiseInterrupt(0xF3);
        VmxBackend.WriteState(v, ref s);
        Assert.Equal(8u, v.Read(VmcsFields.GuestInterruptibilityState));  // STI blocking gone, NMI blocking kept
        Assert.Equal(0x8000_00F3u, v.Read(VmcsFields.EntryInterruptionInfo));
    }
}

/// <summary>Events interrupted by the exit are delivered again: SVM EXITINTINFO (VMCB 088h: vector 7:0, type 10:8, EV
/// bit 11, V bit 31, error code 63:32; AMD APM Vol. 2 §15.7.2) and VMX IDT-vectoring information (same bit layout, error
/// code in its own field; Intel SDM Vol. 3C §25.9.3).</summary>
public sealed class InterruptedEventTests
{
    [Fact]
    public void SvmExitIntInfoRequeuesTheInterruptAndTheException()
    {
        var vmcb = new Xen.Sdk.Svm.Vmcb();
        vmcb.Control.ExitCode = 0x60;                                   // #VMEXIT(INTR) during delivery
        vmcb.Control.ExitIntInfo = new Xen.Sdk.Svm.SvmEvent(0x8000_00F3UL);
        var s = new VcpuState { PendingVector = -1, InterruptsInjected = 1 };
        Xen.Sdk.Reference.Svm.SvmBackend.DecodeExit(ref vmcb, ref s, true, default);
        Assert.True(s.InterruptPending);
        Assert.Equal(0xF3, s.InterruptVector);
        Assert.Equal(0UL, s.InterruptsInjected);                       // not counted as delivered
        vmcb.Control.ExitIntInfo = new Xen.Sdk.Svm.SvmEvent((5UL << 32) | 0x8000_0B0DUL);   // #GP(5), type 3, EV
        s = new VcpuState { PendingVector = -1 };
        Xen.Sdk.Reference.Svm.SvmBackend.DecodeExit(ref vmcb, ref s, true, default);
        Assert.Equal(13, s.PendingVector);
        Assert.True(s.PendingHasErrorCode);
        Assert.Equal(5u, s.PendingErrorCode);
        vmcb.Control.ExitIntInfo = new Xen.Sdk.Svm.SvmEvent(0x0000_00F3UL);   // V clear: nothing
        s = new VcpuState { PendingVector = -1 };
        Xen.Sdk.Reference.Svm.SvmBackend.DecodeExit(ref vmcb, ref s, true, default);
        Assert.False(s.InterruptPending);
        Assert.Equal(-1, s.PendingVector);
    }

    [Fact]
    public void VmxIdtVectoringRequeuesTheInterrupt()
    {
        var v = new VmcsImage();
        v.Write(VmcsFields.ExitReason, 48u);                            // EPT violation during delivery
        v.Write(VmcsFields.IdtVectoringInfo, 0x8000_00F3u);
        var s = new VcpuState { PendingVector = -1 };
        var info = Xen.Sdk.Vmx.Exits.VmExitInfo.Read(v);
        VmxBackend.DecodeExit(in info, ref s);
        Assert.True(s.InterruptPending);
        Assert.Equal(0xF3, s.InterruptVector);
        v.Write(VmcsFields.IdtVectoringInfo, 0x8000_0B0Eu);             // #PF, EV
        v.Write(VmcsFields.IdtVectoringErrorCode, 2u);
        s = new VcpuState { PendingVector = -1 };
        info = Xen.Sdk.Vmx.Exits.VmExitInfo.Read(v);
        VmxBackend.DecodeExit(in info, ref s);
        Assert.Equal(14, s.PendingVector);
        Assert.Equal(2u, s.PendingErrorCode);
    }
}
