using System;

namespace Xen.Sdk.Reference;

/// <summary>Finds the length of the exiting instruction from its bytes (for processors that give no next RIP).</summary>
public interface IInstructionLengthDecoder
{
    /// <summary>Decodes the length of the instruction at the start of <paramref name="code"/>; false when it cannot.</summary>
    bool TryGetLength(ReadOnlySpan<byte> code, GuestMode mode, out int length);
}

/// <summary>The built-in decoder: <see cref="InstructionLength.TryDecode"/> (intercepted instructions only).</summary>
public struct InterceptedInstructionDecoder : IInstructionLengthDecoder
{
    /// <inheritdoc/>
    public bool TryGetLength(ReadOnlySpan<byte> code, GuestMode mode, out int length) => InstructionLength.TryDecode(code, mode, out length);
}

/// <summary>Length of an intercepted instruction decoded from its bytes, for processors that do not report the next
/// RIP (QEMU's SVM has no NRIP save). Only the instructions the hypervisor intercepts are recognised — CPUID,
/// VMMCALL/VMCALL, HLT, RDMSR/WRMSR, IN/OUT/INS/OUTS — with any legacy prefixes and (in 64-bit mode) REX; anything
/// else is reported as undecodable rather than guessed. Encodings per Intel SDM Vol. 2 §2.1 and the opcode map
/// (Appendix A). The host tests check it against Iced's decoder.</summary>
public static class InstructionLength
{
    /// <summary>The architectural maximum instruction length.</summary>
    public const int MaxLength = 15;

    /// <summary>Decodes the length of the intercepted instruction at the start of <paramref name="code"/>.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> code, GuestMode mode, out int length)
    {
        length = 0;
        int i = 0;
        int limit = Math.Min(code.Length, MaxLength);
        while (i < limit && IsLegacyPrefix(code[i])) i++;
        if (mode == GuestMode.Long64) while (i < limit && (code[i] & 0xF0) == 0x40) i++;
        if (i >= limit) return false;
        int n;
        byte op = code[i];
        switch (op)
        {
            case 0xF4: n = 1; break;                                    // HLT
            case 0xEC: case 0xED: case 0xEE: case 0xEF: n = 1; break;   // IN/OUT with DX
            case 0x6C: case 0x6D: case 0x6E: case 0x6F: n = 1; break;   // INS/OUTS
            case 0xE4: case 0xE5: case 0xE6: case 0xE7: n = 2; break;   // IN/OUT imm8
            case 0x0F:
                if (i + 1 >= limit) return false;
                byte op2 = code[i + 1];
                if (op2 == 0xA2 || op2 == 0x30 || op2 == 0x32) { n = 2; break; }   // CPUID, WRMSR, RDMSR
                if (op2 == 0x01 && i + 2 < limit && (code[i + 2] == 0xD9 || code[i + 2] == 0xC1)) { n = 3; break; }  // VMMCALL, VMCALL
                return false;
            default:
                return false;
        }
        if (i + n > limit) return false;
        length = i + n;
        return true;
    }

    /// <summary>The length of an unprefixed VMMCALL or VMCALL (3: 0F 01 D9, 0F 01 C1), CPUID, RDMSR or WRMSR (2: 0F A2,
    /// 0F 32, 0F 30) or HLT (1: F4) from the instruction's first bytes (little-endian, <paramref name="available"/> of
    /// them valid), or 0 for anything else, prefixed forms included (Intel SDM Vol. 2; AMD APM Vol. 3). These have no
    /// ModRM displacement or immediate, so their length is fixed in every mode: the hot exits of a CPU that reports
    /// no instruction length are sized with a few compares.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int FixedLength(ulong firstBytes, int available)
    {
        uint three = (uint)firstBytes & 0xFFFFFF;
        if (available >= 3 && (three == 0xD9010F || three == 0xC1010F)) return 3;
        uint two = three & 0xFFFF;
        if (available >= 2 && (two == 0xA20F || two == 0x320F || two == 0x300F)) return 2;
        return available >= 1 && (three & 0xFF) == 0xF4 ? 1 : 0;
    }

    /// <summary>The length of the fetched instruction in <paramref name="code"/>: <see cref="FixedLength"/>, else
    /// <paramref name="decoder"/>; 0 when nothing was fetched or the decoder fails.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Measure<TDecoder>(ref TDecoder decoder, in InstructionBytes code, GuestMode mode)
        where TDecoder : struct, IInstructionLengthDecoder
    {
        int length = FixedLength(code.First8, code.Length);
        return length != 0 || code.Length == 0 ? length : Decode(ref decoder, code, mode);
    }

    private static int Decode<TDecoder>(ref TDecoder decoder, in InstructionBytes code, GuestMode mode)
        where TDecoder : struct, IInstructionLengthDecoder
    {
        Span<byte> bytes = stackalloc byte[16];
        return decoder.TryGetLength(code.CopyTo(bytes), mode, out int length) ? length : 0;
    }

    private static bool IsLegacyPrefix(byte b) =>
        b is 0x66 or 0x67 or 0xF0 or 0xF2 or 0xF3 or 0x2E or 0x36 or 0x3E or 0x26 or 0x64 or 0x65;
}
