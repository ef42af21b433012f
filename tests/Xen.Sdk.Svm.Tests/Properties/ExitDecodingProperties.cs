using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Iced.Intel;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Properties;

/// <summary>Round trips for every exit-information encoder/decoder pair, and the Iced-based operand
/// decoder against Iced's own encoder.</summary>
public sealed class ExitDecodingProperties
{
    [Property(MaxTest = 500)]
    public bool Ioio_info_round_trips(ushort port, bool isIn, byte sizeSel, byte asSel, bool str, bool rep, byte seg)
    {
        int size = (sizeSel % 3) switch { 0 => 1, 1 => 2, _ => 4 };
        int asz = (asSel % 3) switch { 0 => 16, 1 => 32, _ => 64 };
        var io = SvmIoExitInfo.Create(port, isIn, size, asz, str, rep, seg & 7);
        var exit = new SvmExit((ulong)SvmExitCode.Ioio, io.Value, 0x1234, default, 0);
        return exit.TryGetIo(out var d) && d.Port == port && d.IsIn == isIn && d.Size == size && d.AddressSize == asz
            && d.IsString == str && d.IsRep == rep && d.Segment == (seg & 7) && (d.Value & ~SvmIoExitInfo.DefinedMask) == 0
            && SvmIoExitInfo.Create(d.Port, d.IsIn, d.Size, d.AddressSize, d.IsString, d.IsRep, d.Segment).Value == io.Value;
    }

    [Property(MaxTest = 500)]
    public bool Npf_round_trips(ulong gpa, bool p, bool w, bool u, bool rsv, bool id, bool fin, bool walk)
    {
        var f = SvmNestedPageFault.Create(gpa, p, w, u, rsv, id, fin, walk);
        var exit = new SvmExit((ulong)SvmExitCode.NestedPageFault, f.ErrorCode, f.GuestPhysicalAddress, default, 0);
        return exit.TryGetNestedPageFault(out var d) && d.GuestPhysicalAddress == gpa && d.Present == p && d.Write == w && d.User == u
            && d.ReservedBit == rsv && d.InstructionFetch == id && d.FinalTranslation == fin && d.GuestPageTableWalk == walk
            && SvmNestedPageFault.Create(d.GuestPhysicalAddress, d.Present, d.Write, d.User, d.ReservedBit, d.InstructionFetch, d.FinalTranslation, d.GuestPageTableWalk).ErrorCode == f.ErrorCode;
    }

    [Property(MaxTest = 500)]
    public bool Task_switch_round_trips(ushort sel, byte reason, bool ev, uint err, bool rf)
    {
        bool iret = reason % 3 == 1, jmp = reason % 3 == 2;
        var t = SvmTaskSwitch.Create(sel, iret, jmp, ev, err, rf);
        var exit = new SvmExit((ulong)SvmExitCode.TaskSwitch, t.Info1, t.Info2, default, 0);
        return exit.TryGetTaskSwitch(out var d) && d.TssSelector == sel && d.ByIret == iret && d.ByJump == jmp && d.HasErrorCode == ev
            && d.ErrorCode == err && d.ResumeFlag == rf && d.ByCallOrInterrupt == (!iret && !jmp);
    }

    [Property(MaxTest = 300)]
    public bool Exception_exits_decode_vector_error_code_and_cr2(byte v, uint err, ulong cr2)
    {
        int vector = v & 31;
        var exit = new SvmExit(0x40ul + (ulong)vector, err, cr2, default, 0);
        return exit.TryGetException(out var e) && e.Vector == vector
            && e.ErrorCode == (SvmEvent.ExceptionHasErrorCode(vector) ? err : 0)
            && e.FaultingAddress == (vector == 14 ? cr2 : 0)
            && e.ToEvent().Vector == vector && e.ToEvent().Type == SvmEventType.Exception;
    }

    [Property(MaxTest = 300)]
    public bool Cr_dr_exits_decode_register_direction_and_assist(byte codeSel, bool mov, byte gpr)
    {
        ulong code = (ulong)(codeSel % 0x40);
        ulong info1 = SvmControlAccess.EncodeInfo1(mov, gpr & 15);
        var exit = new SvmExit(code, info1, 0, default, 0);
        var caps = SvmCapabilities.Qemu72Tcg.WithFeatures(SvmFeatures.DecodeAssists);
        return exit.TryGetControlAccess(caps, out var a) && a.Register == (int)(code & 15) && a.IsWrite == ((code & 0x10) != 0)
            && a.IsDebugRegister == (code >= 0x20) && a.HasDecodeAssist && a.GeneralRegister == (gpr & 15)
            && a.IsMov == (a.IsDebugRegister || mov);
    }

    [Property(MaxTest = 200)]
    public bool Write_traps_report_register_and_value(byte cr, ulong value)
    {
        var exit = new SvmExit(0x90ul + (ulong)(cr & 15), value, 0, default, 0);
        var efer = new SvmExit((ulong)SvmExitCode.EferWriteTrap, value, 0, default, 0);
        return exit.TryGetWriteTrap(out int r, out ulong v) && r == (cr & 15) && v == value
            && efer.TryGetWriteTrap(out int r2, out _) && r2 == -1;
    }

    private static byte[] Encode(Instruction i, int bitness)
    {
        var w = new ByteWriter();
        var enc = Encoder.Create(bitness, w);
        enc.Encode(i, 0);
        return w.Bytes;
    }

    private sealed class ByteWriter : CodeWriter
    {
        private readonly System.Collections.Generic.List<byte> _b = new();
        public byte[] Bytes => _b.ToArray();
        public override void WriteByte(byte value) => _b.Add(value);
    }

    private static readonly SvmInstructionDecoder Decoder = new();

    [Property(MaxTest = 300)]
    public bool Mov_cr_decodes_like_decode_assists(byte crSel, byte gpr, bool toCr)
    {
        int[] crs = { 0, 2, 3, 4, 8 };
        int cr = crs[crSel % crs.Length];
        var crReg = Register.CR0 + cr;
        var g = Register.RAX + (gpr & 15);
        var ins = toCr ? Instruction.Create(Code.Mov_cr_r64, crReg, g) : Instruction.Create(Code.Mov_r64_cr, g, crReg);
        byte[] bytes = Encode(ins, 64);
        lock (Decoder)
        {
            return Decoder.TryDecodeControlAccess(bytes, 64, out var o) && o.Instruction == SvmControlInstruction.Mov && !o.IsDebugRegister
                && o.Register == cr && o.IsWrite == toCr && o.GeneralRegister == (gpr & 15) && o.Length == bytes.Length
                && o.ToDecodeAssistInfo1() == SvmControlAccess.EncodeInfo1(true, gpr & 15);
        }
    }

    [Property(MaxTest = 200)]
    public bool Mov_dr_decodes(byte dr, byte gpr, bool toDr)
    {
        int d = new[] { 0, 1, 2, 3, 6, 7 }[dr % 6];
        var g = Register.EAX + (gpr & 7);
        var ins = toDr ? Instruction.Create(Code.Mov_dr_r32, Register.DR0 + d, g) : Instruction.Create(Code.Mov_r32_dr, g, Register.DR0 + d);
        byte[] bytes = Encode(ins, 32);
        lock (Decoder)
        {
            return Decoder.TryDecodeControlAccess(bytes, 32, out var o) && o.IsDebugRegister && o.Register == d && o.IsWrite == toDr
                && o.GeneralRegister == (gpr & 7) && o.Length == bytes.Length;
        }
    }
}

public sealed class InstructionDecoderTests
{
    [Theory]
    [InlineData(new byte[] { 0x0F, 0x01, 0xD9 }, 64, 3)]            // VMMCALL
    [InlineData(new byte[] { 0xF4 }, 64, 1)]                        // HLT
    [InlineData(new byte[] { 0x0F, 0xA2 }, 32, 2)]                  // CPUID
    [InlineData(new byte[] { 0xE6, 0x80, 0x90, 0x90 }, 16, 2)]      // OUT 80h, AL
    [InlineData(new byte[] { 0x48, 0x8B, 0x05, 0, 0, 0, 0 }, 64, 7)] // MOV RAX, [RIP+0] (MMIO-style load)
    [InlineData(new byte[] { 0x0F, 0x30 }, 64, 2)]                  // WRMSR
    public void Lengths_of_common_exiting_instructions(byte[] bytes, int bitness, int length)
    {
        var d = new SvmInstructionDecoder();
        Assert.True(d.TryGetLength(bytes, bitness, out int n));
        Assert.Equal(length, n);
    }

    [Fact]
    public void Truncated_or_invalid_bytes_are_rejected()
    {
        var d = new SvmInstructionDecoder();
        Assert.False(d.TryGetLength(new byte[] { 0x0F }, 64, out _));
        Assert.False(d.TryGetLength(ReadOnlySpan<byte>.Empty, 64, out _));
        Assert.False(d.TryGetLength(new byte[] { 0x90 }, 8, out _));
        Assert.True(d.TryDecodeControlAccess(new byte[] { 0x0F, 0x06 }, 64, out var clts));
        Assert.Equal(SvmControlInstruction.Clts, clts.Instruction);
        Assert.True(d.TryDecodeControlAccess(new byte[] { 0x0F, 0x01, 0xF0 }, 64, out var lmsw)); // LMSW AX
        Assert.Equal(SvmControlInstruction.Lmsw, lmsw.Instruction);
        Assert.Equal(0, lmsw.GeneralRegister);
    }

    [Fact]
    public void Decoding_does_not_allocate_after_construction()
    {
        var d = new SvmInstructionDecoder();
        byte[] bytes = { 0x0F, 0x22, 0xD8, 0x90 }; // MOV CR3, RAX
        d.TryDecodeControlAccess(bytes, 64, out _); // warm up (JIT, statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            d.TryDecodeControlAccess(bytes, 64, out var o);
            d.TryGetLength(bytes, 64, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Next_rip_comes_from_nrip_ioio_or_the_decoder()
    {
        var dec = new SvmInstructionDecoder();
        var v = Vectors.GoodVmcb.Create();
        v.Rip = 0x1000;
        v.Control.ExitCode = (ulong)SvmExitCode.Vmmcall;
        v.Control.NextRip = 0x1003;
        byte[] vmmcall = { 0x0F, 0x01, 0xD9 };
        Assert.True(SvmGuestMode.TryGetNextRip(in v, SvmCapabilities.Bochs27Ryzen, dec, default, out ulong n1));
        Assert.Equal(0x1003ul, n1);
        v.Control.NextRip = 0; // QEMU stores nothing
        Assert.False(SvmGuestMode.TryGetNextRip(in v, SvmCapabilities.Qemu72Tcg, dec, default, out _));
        Assert.True(SvmGuestMode.TryGetNextRip(in v, SvmCapabilities.Qemu72Tcg, dec, vmmcall, out ulong n2));
        Assert.Equal(0x1003ul, n2);
        v.Control.ExitCode = (ulong)SvmExitCode.Ioio;
        v.Control.ExitInfo2 = 0x1002;
        Assert.True(SvmGuestMode.TryGetNextRip(in v, SvmCapabilities.Qemu72Tcg, dec, default, out ulong n3));
        Assert.Equal(0x1002ul, n3);
        Assert.Equal(64, SvmGuestMode.GetBitness(in v));
        var p = Vectors.GoodVmcb.Protected32();
        Assert.Equal(32, SvmGuestMode.GetBitness(in p));
        VmcbSetup.RealMode(ref p, 0xF000, 0xFFF0);
        Assert.Equal(16, SvmGuestMode.GetBitness(in p));
    }

    [Fact]
    public void Qemu_style_invalid_exit_code_is_recognised()
    {
        var e = new SvmExit(0xFFFF_FFFF, 0, 0, default, 0);
        Assert.Equal(SvmExitCode.Invalid, e.Code);
        Assert.True(SvmExitCodes.IsInvalid(0xFFFF_FFFF));
        Assert.True(SvmExitCodes.IsInvalid(ulong.MaxValue));
        Assert.False(SvmExitCodes.IsInvalid(0x7F));
    }
}
