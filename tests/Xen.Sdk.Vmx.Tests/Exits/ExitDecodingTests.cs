using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Vmx.Exits;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Exits;

/// <summary>Every decoder/encoder pair round-trips every bit pattern (unknown bits included).</summary>
public sealed class ExitDecodingTests
{
    [Property]
    public bool ExitReasonRoundTrips(uint raw)
    {
        var r = new ExitReason(raw);
        return ExitReason.Create(r.Basic, r.EntryFailure, r.EnclaveMode, r.PendingMtf, r.FromVmxRoot, r.UnknownBits).Raw == raw;
    }

    [Property]
    public bool InterruptionInfoRoundTrips(uint raw)
    {
        var i = new InterruptionInfo(raw);
        return InterruptionInfo.Create(i.Vector, i.Type, i.ErrorCodeValid, i.Valid, i.NmiUnblockingDueToIret, i.UnknownBits).Raw == raw;
    }

    [Property]
    public bool CrAccessRoundTrips(ulong raw)
    {
        var q = new CrAccessQualification(raw);
        return CrAccessQualification.Create(q.ControlRegister, q.AccessType, q.Register, q.LmswMemoryOperand, q.LmswSourceData, q.UnknownBits).Raw == raw;
    }

    [Property]
    public bool MovDrRoundTrips(ulong raw)
    {
        var q = new MovDrQualification(raw);
        return MovDrQualification.Create(q.DebugRegister, q.FromDebugRegister, q.Register, q.UnknownBits).Raw == raw;
    }

    [Property]
    public bool IoRoundTrips(ulong raw)
    {
        var q = new IoQualification(raw);
        return IoQualification.Create(q.Port, q.Size, q.In, q.String, q.Rep, q.ImmediateOperand, q.UnknownBits).Raw == raw;
    }

    [Property]
    public bool EptViolationRoundTrips(ulong raw)
    {
        var q = new EptViolationQualification(raw);
        uint access = (q.Read ? 1u : 0) | (q.Write ? 2u : 0) | (q.InstructionFetch ? 4u : 0);
        uint perms = (q.WasReadable ? 1u : 0) | (q.WasWritable ? 2u : 0) | (q.WasExecutable ? 4u : 0) | (q.WasUserExecutable ? 8u : 0);
        uint flags = (q.GuestLinearAddressValid ? 1u : 0) | (q.AccessToTranslatedAddress ? 2u : 0) | (q.UserModeLinearAddress ? 4u : 0)
            | (q.ReadWritePage ? 8u : 0) | (q.ExecuteDisablePage ? 16u : 0) | (q.NmiUnblockingDueToIret ? 32u : 0) | (q.ShadowStackAccess ? 64u : 0)
            | (q.SupervisorShadowStack ? 128u : 0) | (q.GuestPagingVerification ? 256u : 0) | (q.Asynchronous ? 512u : 0);
        return EptViolationQualification.Create(access, perms, flags, q.UnknownBits).Raw == raw;
    }

    [Property]
    public bool DebugExceptionRoundTrips(ulong raw)
    {
        var q = new DebugExceptionQualification(raw);
        return DebugExceptionQualification.Create(q.Breakpoints, q.DebugRegisterAccess, q.SingleStep, q.Rtm, q.UnknownBits).Raw == raw;
    }

    [Property]
    public bool TaskSwitchRoundTrips(ulong raw)
    {
        var q = new TaskSwitchQualification(raw);
        return TaskSwitchQualification.Create(q.Selector, q.Source, q.UnknownBits).Raw == raw;
    }

    [Property]
    public bool ApicAccessRoundTrips(ulong raw)
    {
        var q = new ApicAccessQualification(raw);
        return ApicAccessQualification.Create(q.Offset, q.AccessType, q.Asynchronous, q.UnknownBits).Raw == raw;
    }

    [Property]
    public bool InstructionInformationRoundTrips(uint raw)
    {
        var i = new InstructionInformation(raw);
        return InstructionInformation.Create(i.Scaling, i.Register1, i.AddressSize, i.RegisterOperand, i.OperandSize, i.Segment,
            i.IndexRegister, i.IndexInvalid, i.BaseRegister, i.BaseInvalid, i.Register2, i.UnknownBits).Raw == raw;
    }

    // Worked examples from the SDM's tables (Intel SDM Vol. 3C §28.2.1).
    [Fact]
    public void IoQualificationExample()
    {
        // OUT DX, AL to port 3F8H: size 0 (1 byte), direction 0 (OUT), DX operand, port in bits 31:16 (Table 28-5).
        var q = new IoQualification(0x03F8_0000);
        Assert.Equal(1, q.Size);
        Assert.False(q.In);
        Assert.False(q.ImmediateOperand);
        Assert.Equal((ushort)0x3F8, q.Port);
        // REP INSW with immediate... INS uses DX: 2-byte string input with REP.
        var ins = IoQualification.Create(0x1F0, 2, input: true, isString: true, rep: true);
        Assert.Equal(0x01F0_0039UL, ins.Raw);
    }

    [Fact]
    public void CrAccessQualificationExample()
    {
        // MOV CR3, RAX: CR 3, access type 0, register 0 (Table 28-3). MOV RBX, CR8: CR 8, type 1, register 3.
        Assert.Equal(3UL, CrAccessQualification.Create(3, CrAccessType.MovToCr, 0).Raw);
        var q = new CrAccessQualification(0x318);
        Assert.Equal(8, q.ControlRegister);
        Assert.Equal(CrAccessType.MovFromCr, q.AccessType);
        Assert.Equal(3, q.Register);
        // LMSW from memory with source 0x0011: type 3, bit 6, data in 31:16.
        Assert.Equal(0x0011_0070UL, CrAccessQualification.Create(0, CrAccessType.Lmsw, 0, true, 0x11).Raw);
    }

    [Fact]
    public void EntryFailureReasonExample()
    {
        // A VM-entry failure for invalid guest state reads 80000021H (Intel SDM Vol. 3C §27.8).
        var r = new ExitReason(0x8000_0021);
        Assert.True(r.EntryFailure);
        Assert.Equal(BasicExitReason.EntryFailureInvalidGuestState, r.Basic);
        Assert.Equal(0u, r.UnknownBits);
    }

    [Fact]
    public void VmExitInfoReadsEveryExitField()
    {
        var image = new VmcsImage(1);
        VmcsTemplate.LongModeGuest(image, VmxCapabilityModels.BochsCoreI7SkylakeX, VmcsTemplateLayout.Default);
        image.Write(VmcsFields.ExitReason, 30u);
        image.Write(VmcsFields.ExitQualification, 0x03F8_0008UL);
        image.Write(VmcsFields.IdtVectoringInfo, 0x8000_0B0Eu);
        image.Write(VmcsFields.IdtVectoringErrorCode, 2u);
        image.Write(VmcsFields.ExitInstructionLength, 1u);
        VmExitInfo info = VmExitInfo.Read(image);
        Assert.Equal(BasicExitReason.IoInstruction, info.Reason.Basic);
        Assert.True(info.Io.In);
        Assert.Equal((ushort)0x3F8, info.Io.Port);
        Assert.True(EventInjection.TryFromIdtVectoring(info, out EventInjection again));
        Assert.Equal(0x8000_0B0Eu, again.Info.Raw);
        Assert.Equal(2u, again.ErrorCode);
    }
}
