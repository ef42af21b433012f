using System;
using Iced.Intel;

namespace Xen.Sdk.Svm;

/// <summary>
/// Decodes the guest instruction behind an exit with Iced, for processors that report neither the next RIP
/// (NRIP save) nor the operands (decode assists), such as QEMU TCG (AMD APM Vol. 2 §15.7.1, §15.33).
/// The caller reads up to 15 bytes from guest memory at CS:RIP and passes them in.
/// </summary>
/// <remarks>Allocate one instance per physical CPU at start-up: the constructor creates three Iced decoders
/// (16/32/64-bit) and one reusable code reader; <see cref="TryDecode"/> then copies at most 15 bytes and
/// allocates nothing (Iced's <c>Decoder.Decode(out Instruction)</c> fills a struct). Not thread-safe.</remarks>
public sealed class SvmInstructionDecoder
{
    /// <summary>The architectural maximum instruction length.</summary>
    public const int MaxInstructionLength = 15;

    private readonly ReusableReader _reader = new();
    private readonly Decoder _d16;
    private readonly Decoder _d32;
    private readonly Decoder _d64;

    /// <summary>Creates the decoders (the only allocation this type makes).</summary>
    public SvmInstructionDecoder()
    {
        _d16 = Decoder.Create(16, _reader);
        _d32 = Decoder.Create(32, _reader);
        _d64 = Decoder.Create(64, _reader);
    }

    /// <summary>Decodes one instruction.</summary>
    /// <param name="bytes">Guest bytes at CS:RIP (up to 15 are used; fewer if the page ended).</param>
    /// <param name="bitness">16, 32 or 64 (see <see cref="SvmGuestMode.GetBitness"/>).</param>
    /// <param name="rip">The instruction's RIP (for RIP-relative operands and branch targets).</param>
    /// <param name="instruction">The decoded instruction.</param>
    /// <returns>False if the bytes do not hold a complete valid instruction or the bitness is invalid.</returns>
    public bool TryDecode(ReadOnlySpan<byte> bytes, int bitness, ulong rip, out Instruction instruction)
    {
        Decoder? d = bitness switch { 64 => _d64, 32 => _d32, 16 => _d16, _ => null };
        if (d is null || bytes.IsEmpty)
        {
            instruction = default;
            return false;
        }
        _reader.Reset(bytes);
        d.IP = rip;
        d.Decode(out instruction);
        return !instruction.IsInvalid && d.LastError == DecoderError.None;
    }

    /// <summary>The length of the instruction at CS:RIP.</summary>
    /// <param name="bytes">Guest bytes at CS:RIP.</param>
    /// <param name="bitness">16, 32 or 64.</param>
    /// <param name="length">The length in bytes.</param>
    /// <returns>False if undecodable.</returns>
    public bool TryGetLength(ReadOnlySpan<byte> bytes, int bitness, out int length)
    {
        bool ok = TryDecode(bytes, bitness, 0, out Instruction i);
        length = ok ? i.Length : 0;
        return ok;
    }

    /// <summary>What decode assists would report for a CR/DR access: decodes MOV to/from CRn/DRn, LMSW, CLTS
    /// and SMSW (AMD APM Vol. 2 §15.33.1).</summary>
    /// <param name="bytes">Guest bytes at CS:RIP.</param>
    /// <param name="bitness">16, 32 or 64.</param>
    /// <param name="operands">The operands.</param>
    /// <returns>False if the instruction is not a control/debug register access.</returns>
    public bool TryDecodeControlAccess(ReadOnlySpan<byte> bytes, int bitness, out SvmControlOperands operands)
    {
        operands = default;
        if (!TryDecode(bytes, bitness, 0, out Instruction i)) return false;
        switch (i.Mnemonic)
        {
            case Mnemonic.Mov:
                Register r0 = i.Op0Kind == OpKind.Register ? i.Op0Register : Register.None;
                Register r1 = i.Op1Kind == OpKind.Register ? i.Op1Register : Register.None;
                if (IsCr(r0) || IsDr(r0))
                {
                    operands = new SvmControlOperands(SvmControlInstruction.Mov, IsDr(r0), Number(r0), true, Gpr(r1), i.Length);
                    return true;
                }
                if (IsCr(r1) || IsDr(r1))
                {
                    operands = new SvmControlOperands(SvmControlInstruction.Mov, IsDr(r1), Number(r1), false, Gpr(r0), i.Length);
                    return true;
                }
                return false;
            case Mnemonic.Lmsw:
                operands = new SvmControlOperands(SvmControlInstruction.Lmsw, false, 0, true, i.Op0Kind == OpKind.Register ? Gpr(i.Op0Register) : -1, i.Length);
                return true;
            case Mnemonic.Clts:
                operands = new SvmControlOperands(SvmControlInstruction.Clts, false, 0, true, -1, i.Length);
                return true;
            case Mnemonic.Smsw:
                operands = new SvmControlOperands(SvmControlInstruction.Smsw, false, 0, false, i.Op0Kind == OpKind.Register ? Gpr(i.Op0Register) : -1, i.Length);
                return true;
            default:
                return false;
        }
    }

    private static bool IsCr(Register r) => r >= Register.CR0 && r <= Register.CR15;
    private static bool IsDr(Register r) => r >= Register.DR0 && r <= Register.DR15;
    private static int Number(Register r) => IsCr(r) ? r - Register.CR0 : r - Register.DR0;

    /// <summary>GPR number 0-15 (RAX..R15) of a general register of any width, or -1.</summary>
    /// <param name="r">The register.</param>
    /// <returns>The number.</returns>
    public static int Gpr(Register r)
    {
        if (r >= Register.RAX && r <= Register.R15) return r - Register.RAX;
        if (r >= Register.EAX && r <= Register.R15D) return r - Register.EAX;
        if (r >= Register.AX && r <= Register.R15W) return r - Register.AX;
        return -1;
    }

    private sealed class ReusableReader : CodeReader
    {
        private readonly byte[] _buffer = new byte[MaxInstructionLength];
        private int _length;
        private int _position;

        public void Reset(ReadOnlySpan<byte> bytes)
        {
            int n = bytes.Length < MaxInstructionLength ? bytes.Length : MaxInstructionLength;
            bytes.Slice(0, n).CopyTo(_buffer);
            _length = n;
            _position = 0;
        }

        public override int ReadByte() => _position < _length ? _buffer[_position++] : -1;
    }
}

/// <summary>Which control-register instruction was decoded.</summary>
public enum SvmControlInstruction : byte
{
    /// <summary>MOV to or from CRn/DRn.</summary>
    Mov,
    /// <summary>LMSW (writes CR0[3:0]).</summary>
    Lmsw,
    /// <summary>CLTS (clears CR0.TS).</summary>
    Clts,
    /// <summary>SMSW (reads CR0[15:0]).</summary>
    Smsw,
}

/// <summary>Operands of a decoded control/debug register access.</summary>
public readonly struct SvmControlOperands
{
    /// <summary>Creates the record.</summary>
    /// <param name="instruction">The instruction.</param>
    /// <param name="isDebugRegister">DR (true) or CR.</param>
    /// <param name="register">CR/DR number.</param>
    /// <param name="isWrite">Writes the CR/DR.</param>
    /// <param name="gpr">GPR operand 0-15, or -1 (memory operand or none).</param>
    /// <param name="length">Instruction length.</param>
    public SvmControlOperands(SvmControlInstruction instruction, bool isDebugRegister, int register, bool isWrite, int gpr, int length)
    {
        Instruction = instruction;
        IsDebugRegister = isDebugRegister;
        Register = register;
        IsWrite = isWrite;
        GeneralRegister = gpr;
        Length = length;
    }

    /// <summary>The instruction.</summary>
    public SvmControlInstruction Instruction { get; }
    /// <summary>DR (true) or CR.</summary>
    public bool IsDebugRegister { get; }
    /// <summary>CR/DR number.</summary>
    public int Register { get; }
    /// <summary>Writes the CR/DR.</summary>
    public bool IsWrite { get; }
    /// <summary>GPR operand (0-15) or -1.</summary>
    public int GeneralRegister { get; }
    /// <summary>Instruction length.</summary>
    public int Length { get; }
    /// <summary>The EXITINFO1 a processor with decode assists would have stored.</summary>
    public ulong ToDecodeAssistInfo1() => SvmControlAccess.EncodeInfo1(Instruction == SvmControlInstruction.Mov, GeneralRegister < 0 ? 0 : GeneralRegister);
}

/// <summary>Guest execution mode from the VMCB state.</summary>
public static class SvmGuestMode
{
    /// <summary>The code size the guest runs at: 16 (real mode, virtual-8086 or 16-bit CS), 32 or 64
    /// (EFER.LMA and CS.L) (AMD APM Vol. 2 §4.8).</summary>
    /// <param name="vmcb">The VMCB after the exit.</param>
    /// <returns>16, 32 or 64.</returns>
    public static int GetBitness(in Vmcb vmcb)
    {
        if ((vmcb.Save.Cr0 & 1) == 0 || (vmcb.Save.Rflags & (1ul << 17)) != 0) return 16;
        SvmSegmentAttributes cs = vmcb.Save.Cs.Attributes;
        if ((vmcb.Save.Efer & (1ul << 10)) != 0 && cs.Long) return 64;
        return cs.DefaultBig ? 32 : 16;
    }

    /// <summary>Finds the RIP after the exiting instruction: nRIP with NRIP save; EXITINFO2 for IOIO (every
    /// SVM processor stores the next RIP there); otherwise the length decoded from the guest bytes.</summary>
    /// <param name="vmcb">The VMCB after the exit.</param>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <param name="decoder">The per-CPU decoder.</param>
    /// <param name="guestBytes">Guest bytes at CS:RIP (may be empty when nRIP or IOIO applies).</param>
    /// <param name="nextRip">The next RIP.</param>
    /// <returns>False if nothing could determine it.</returns>
    public static bool TryGetNextRip(in Vmcb vmcb, in SvmCapabilities capabilities, SvmInstructionDecoder decoder, ReadOnlySpan<byte> guestBytes, out ulong nextRip)
    {
        SvmExit exit = SvmExit.Read(in vmcb);
        if (exit.TryGetNextRip(in capabilities, out nextRip)) return true;
        if (exit.Code == SvmExitCode.Ioio) { nextRip = exit.Info2; return true; }
        int bitness = GetBitness(in vmcb);
        if (decoder.TryGetLength(guestBytes, bitness, out int len))
        {
            nextRip = vmcb.Save.Rip + (ulong)len;
            if (bitness == 32) nextRip &= 0xFFFF_FFFF;       // EIP wraps in 32-bit code
            else if (bitness == 16) nextRip &= 0xFFFF;       // IP wraps in 16-bit code
            return true;
        }
        nextRip = 0;
        return false;
    }
}
