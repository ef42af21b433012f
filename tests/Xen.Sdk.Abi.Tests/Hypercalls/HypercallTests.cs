using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Abi.Hypercalls;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Hypercalls;

public sealed class HypercallTests
{
    [Property]
    public bool Registers64RoundTrip(byte number, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
    {
        var call = new HypercallArguments((Hypercall)number, a1, a2, a3, a4, a5);
        var regs = HypercallRegisters64.From(call);
        var back = regs.ToArguments();
        return regs.Rdi == a1 && regs.Rsi == a2 && regs.Rdx == a3 && regs.R10 == a4 && regs.R8 == a5
            && back.Number == call.Number && back.Arg1 == a1 && back.Arg5 == a5;
    }

    [Property]
    public bool Registers32RoundTripAndRefuseWideArguments(byte number, uint a1, uint a2, uint a3, uint a4, uint a5, ulong wide)
    {
        var call = new HypercallArguments((Hypercall)number, a1, a2, a3, a4, a5);
        bool ok = HypercallRegisters32.TryFrom(call, out var regs);
        var back = regs.ToArguments();
        var widened = call;
        widened.Arg3 = wide;
        return ok && regs.Ebx == a1 && regs.Ecx == a2 && regs.Edx == a3 && regs.Esi == a4 && regs.Edi == a5
            && back.Arg1 == a1 && back.Arg5 == a5
            && HypercallRegisters32.TryFrom(widened, out _) == (wide <= uint.MaxValue);
    }

    [Property]
    public bool SplitValuesJoin(ulong value)
    {
        var call = new HypercallArguments(Hypercall.UpdateVaMapping, 0x1000, (uint)value, value >> 32, 2);
        return call.Get64From32(2) == value;
    }

    [Fact]
    public void SignaturesFollowTheCPrototypes()
    {
        Assert.True(HypercallSignatures.TryGetX86_64(Hypercall.EventChannelOp, out var evt));
        Assert.Equal(2, evt.ArgumentCount);
        Assert.Equal(HypercallArgumentKind.Command, evt.GetArgumentKind(1));
        Assert.Equal(HypercallArgumentKind.GuestHandle, evt.GetArgumentKind(2));

        Assert.True(HypercallSignatures.TryGetX86_64(Hypercall.UpdateVaMapping, out var va64));
        Assert.True(HypercallSignatures.TryGetX86_32(Hypercall.UpdateVaMapping, out var va32));
        Assert.Equal(3, va64.ArgumentCount);
        Assert.Equal(4, va32.ArgumentCount);
        Assert.Equal(HypercallArgumentKind.Low32, va32.GetArgumentKind(2));
        Assert.Equal(HypercallArgumentKind.High32, va32.GetArgumentKind(3));

        Assert.True(HypercallSignatures.TryGetX86_64(Hypercall.DmOp, out var dm));
        Assert.Equal(HypercallArgumentKind.DomainId, dm.GetArgumentKind(1));
        Assert.True(HypercallSignatures.TryGetX86_64(Hypercall.Iret, out var iret));
        Assert.Equal(0, iret.ArgumentCount);
        Assert.True(HypercallSignatures.TryGetX86_64(Hypercall.SetSegmentBase, out _));
        Assert.False(HypercallSignatures.TryGetX86_32(Hypercall.SetSegmentBase, out _));
        Assert.False(HypercallSignatures.TryGetX86_64((Hypercall)11, out _));
        Assert.False(HypercallSignatures.TryGetX86_64((Hypercall)4096, out _));
    }

    [Fact]
    public void GuestMarshalsAndHypervisorDecodesEventChannelSend()
    {
        // Guest: HYPERVISOR_event_channel_op(EVTCHNOP_send, &send) with the argument at a guest address.
        var regs = HypercallRegisters64.From(new HypercallArguments(Hypercall.EventChannelOp, (ulong)EventChannelOp.Send, 0xffff8000_0010_2000));
        Assert.Equal(32UL, regs.Rax);
        Assert.Equal(4UL, regs.Rdi);

        // Hypervisor: decode, look up the layout, read the argument struct once.
        var call = regs.ToArguments();
        Assert.True(HypercallSignatures.TryGetX86_64(call.Number, out var sig));
        Assert.Equal(HypercallArgumentKind.GuestHandle, sig.GetArgumentKind(2));
        byte[] guestMemory = { 7, 0, 0, 0 };
        Assert.True(EvtchnSend.TryRead(guestMemory, out var send));
        Assert.Equal(new EventChannelPort(7), send.Port);
    }

    [Property]
    public bool ResultsClassifyErrnos(byte e)
    {
        long ret = HypercallResult.Failure((XenErrno)e);
        bool failed = HypercallResult.IsFailure(ret, out var errno);
        return e == 0 ? !failed : failed && errno == (XenErrno)e;
    }
}
