using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Reference.Vmx;
using Xen.Sdk.Vmx;
using Xen.Sdk.Vmx.Exits;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Vmx;

/// <summary>The VMX backend's translation of VM exits and guest state, on a <see cref="VmcsImage"/> holding the
/// exit-information fields as the SDM lays them out (Intel SDM Vol. 3C §25.9, §28.2; Appendix C). The expected values
/// are built from the SDM's bit layouts here, independently of Xen.Sdk.Vmx's decoders.</summary>
public sealed class VmxBackendTests
{
    private static VmcsImage Exit(uint reason, ulong qualification = 0, uint length = 0, ulong gpa = 0, uint interruption = 0, uint error = 0)
    {
        var v = new VmcsImage();
        v.Write(VmcsFields.ExitReason, reason);
        v.Write(VmcsFields.ExitQualification, qualification);
        v.Write(VmcsFields.ExitInstructionLength, length);
        v.Write(VmcsFields.GuestPhysicalAddress, gpa);
        v.Write(VmcsFields.ExitInterruptionInfo, interruption);
        v.Write(VmcsFields.ExitInterruptionErrorCode, error);
        return v;
    }

    private static (VmxExitFollowUp, VcpuState) Decode(VmcsImage v, ulong rcx = 0)
    {
        var state = new VcpuState { PendingVector = -1 };
        state.Gprs.Rcx = rcx;
        VmExitInfo info = VmExitInfo.Read(v);
        var follow = VmxBackend.DecodeExit(in info, ref state);
        return (follow, state);
    }

    [Property]
    public bool IoQualificationBecomesTheVendorNeutralFields(ushort port, bool input, bool str, bool rep, byte sizeChoice, byte lengthChoice)
    {
        // Table 28-5: bits 2:0 size - 1 (0, 1, 3), bit 3 direction (1 = IN), bit 4 string, bit 5 REP, bits 31:16 port.
        int size = (sizeChoice % 3) switch { 0 => 1, 1 => 2, _ => 4 };
        ulong q = (ulong)(uint)(size - 1) | (input ? 8UL : 0) | (str ? 0x10UL : 0) | (rep ? 0x20UL : 0) | ((ulong)port << 16);
        uint length = 1u + (uint)(lengthChoice % 3);
        var (follow, s) = Decode(Exit(30, q, length));
        return follow == VmxExitFollowUp.None && s.Exit.Reason == ExitReason.IoPort && s.Exit.Port == port &&
               s.Exit.In == input && s.Exit.StringOp == str && s.Exit.Rep == rep && s.Exit.AccessSize == size &&
               s.Exit.InstructionLength == (int)length && s.Exit.RawCode == 30 && s.Exit.Info1 == q;
    }

    [Theory]
    [InlineData(10u, ExitReason.Cpuid, 2u)]
    [InlineData(12u, ExitReason.Hlt, 1u)]
    [InlineData(18u, ExitReason.Hypercall, 3u)]
    [InlineData(31u, ExitReason.MsrRead, 2u)]
    [InlineData(32u, ExitReason.MsrWrite, 2u)]
    public void InstructionExitsTakeTheirLengthFromTheExitField(uint basic, ExitReason expected, uint length)
    {
        var (follow, s) = Decode(Exit(basic, 0, length), rcx: 0x4000_0000);
        Assert.Equal(VmxExitFollowUp.None, follow);
        Assert.Equal(expected, s.Exit.Reason);
        Assert.Equal((int)length, s.Exit.InstructionLength);
        if (expected is ExitReason.MsrRead or ExitReason.MsrWrite) Assert.Equal(0x4000_0000u, s.Exit.Msr);
    }

    [Theory]
    [InlineData(2u, ExitReason.Shutdown)]
    [InlineData(1u, ExitReason.ExternalInterrupt)]
    [InlineData(7u, ExitReason.InterruptWindow)]
    [InlineData(0x8000_0021u, ExitReason.EntryFailure)]   // VM-entry failure, invalid guest state (Appendix C, bit 31)
    [InlineData(0x8000_0022u, ExitReason.EntryFailure)]   // MSR loading
    [InlineData(55u, ExitReason.Unknown)]                 // XSETBV: not intercepted by the kernel
    public void NonInstructionExits(uint reason, ExitReason expected)
    {
        var (_, s) = Decode(Exit(reason, 0, 3));
        Assert.Equal(expected, s.Exit.Reason);
        Assert.Equal(reason, (uint)s.Exit.RawCode);
        Assert.Equal(0, s.Exit.InstructionLength);
    }

    [Property]
    public bool EptViolationAsksForTheInstructionBytes(uint gpaPage, bool write)
    {
        // Table 28-7: bit 0 read, bit 1 write; the guest-physical address is in field 2400H.
        ulong gpa = ((ulong)gpaPage << 12) | 0x8;
        ulong q = write ? 2UL : 1UL;
        var (follow, s) = Decode(Exit(48, q, 7, gpa));
        return follow == VmxExitFollowUp.FetchInstruction && s.Exit.Reason == ExitReason.NestedPageFault &&
               s.Exit.GuestPhysical == gpa && s.Exit.Write == write && s.Exit.InstructionLength == 0;
    }

    [Fact]
    public void VmmcallUnderIntelIsTheHypercallInstructionAndOtherUdStaysAnException()
    {
        // Interruption information (§25.9.2): valid bit 31, type 3 (hardware exception) in bits 10:8, vector 6.
        uint ud = 0x8000_0306;
        var (follow, s) = Decode(Exit(0, 0, 0, 0, ud));
        Assert.Equal(VmxExitFollowUp.ResolveInvalidOpcode, follow);
        s.Exit.Code.Set(new byte[] { 0x0F, 0x01, 0xD9, 0x90 });
        Assert.True(VmxBackend.ResolveInvalidOpcode(ref s));
        Assert.Equal(ExitReason.Hypercall, s.Exit.Reason);
        Assert.Equal(3, s.Exit.InstructionLength);

        (follow, s) = Decode(Exit(0, 0, 0, 0, ud));
        s.Exit.Code.Set(new byte[] { 0x0F, 0x0B });            // UD2
        Assert.False(VmxBackend.ResolveInvalidOpcode(ref s));
        Assert.Equal(ExitReason.Exception, s.Exit.Reason);
        Assert.Equal(6, s.Exit.Vector);

        (follow, s) = Decode(Exit(0, 0, 0, 0, 0x8000_0B0E, 0x6));   // #PF with error code
        Assert.Equal(VmxExitFollowUp.None, follow);
        Assert.Equal(14, s.Exit.Vector);
        Assert.Equal(6UL, s.Exit.ErrorCode);
    }

    [Theory]
    [InlineData(0x30UL, 0x9Bu, false, GuestMode.Real16)]
    [InlineData(0x31UL, 0xC09Bu, false, GuestMode.Protected32)]
    [InlineData(0x31UL, 0x809Bu, false, GuestMode.Protected16)]
    [InlineData(0x8000_0031UL, 0xA09Bu, true, GuestMode.Long64)]
    [InlineData(0x8000_0031UL, 0xC09Bu, true, GuestMode.Protected32)]   // compatibility mode
    public void ReadStateFindsTheModeFromCr0AndCsAccessRights(ulong cr0, uint csAr, bool ia32e, GuestMode mode)
    {
        var v = new VmcsImage();
        v.Write(VmcsFields.GuestRip, 0x7C00UL);
        v.Write(VmcsFields.GuestRflags, 0x202UL);
        v.Write(VmcsFields.GuestRsp, 0x8000UL);
        v.Write(VmcsFields.GuestCr0, cr0);
        v.Write(VmcsFields.GuestCr3, 0x10000UL);
        v.Write(VmcsFields.GuestCr4, 0x2020UL);
        v.Write(VmcsFields.GuestCsBase, 0x1230UL);
        v.Write(VmcsFields.GuestCsAccessRights, csAr);
        v.Write(VmcsFields.GuestSsAccessRights, 0x60F3u);       // DPL 3
        var s = new VcpuState { PendingVector = -1 };
        VmxBackend.ReadState(v, ia32e, ref s);
        Assert.Equal(mode, s.Mode);
        Assert.Equal(0x7C00UL, s.Rip);
        Assert.Equal(0x8000UL, s.Gprs.Rsp);
        Assert.Equal(0x1230UL, s.CsBase);
        Assert.Equal(3, s.Cpl);
        Assert.Equal(ia32e ? 0x500UL : 0UL, s.Efer);
    }

    [Theory]
    [InlineData(0x11UL, 13, 0u, true, 0x8000_0B0Du)]      // #GP(0) in protected mode: error code delivered (bit 11)
    [InlineData(0x10UL, 13, 0u, true, 0x8000_030Du)]      // real mode: no error code (§27.2.1.3)
    [InlineData(0x11UL, 6, 0u, false, 0x8000_0306u)]      // #UD
    public void PendingExceptionsBecomeEntryInterruptionInformation(ulong cr0, int vector, uint error, bool hasError, uint expected)
    {
        var v = new VmcsImage();
        var s = new VcpuState { PendingVector = -1, Rip = 0x1000, Rflags = 2, Cr0 = cr0 };
        s.InjectException((byte)vector, error, hasError);
        VmxBackend.WriteState(v, ref s);
        Assert.Equal(expected, v.Read(VmcsFields.EntryInterruptionInfo));
        Assert.Equal(0x1000UL, v.Read(VmcsFields.GuestRip));
        Assert.Equal(-1, s.PendingVector);
    }
}
