using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Iced.Intel;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary><see cref="InstructionLength.FixedLength"/>, the fast path that sizes the hot intercepted instructions
/// before the decoder: exact vectors from the manuals, prefixed and truncated forms refused, and on random bytes
/// (biased towards the six opcodes, with and without prefixes) it agrees with <see cref="InstructionLength.TryDecode"/>
/// in every mode and with Iced's decoder (an independent oracle) in 16-, 32- and 64-bit code — both ways: whenever
/// Iced sees an unprefixed VMMCALL/VMCALL/CPUID/RDMSR/WRMSR/HLT within the available bytes, FixedLength sizes it.</summary>
public sealed class HotPathFixedLengthTests
{
    private static readonly byte[][] Opcodes =
    {
        new byte[] { 0x0F, 0x01, 0xD9 }, new byte[] { 0x0F, 0x01, 0xC1 }, new byte[] { 0x0F, 0xA2 },
        new byte[] { 0x0F, 0x32 }, new byte[] { 0x0F, 0x30 }, new byte[] { 0xF4 },
    };
    private static readonly byte[] Prefixes = { 0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x2E, 0x3E, 0x26, 0x64, 0x65, 0x36, 0x40, 0x48, 0x4F };
    private static readonly Mnemonic[] Fixed = { Mnemonic.Vmmcall, Mnemonic.Vmcall, Mnemonic.Cpuid, Mnemonic.Rdmsr, Mnemonic.Wrmsr, Mnemonic.Hlt };

    private static ulong Le(byte[] b)
    {
        var eight = new byte[8];
        b.AsSpan(0, Math.Min(8, b.Length)).CopyTo(eight);
        return BitConverter.ToUInt64(eight);
    }

    /// <summary>Intel SDM Vol. 2B/2C and AMD APM Vol. 3 opcode tables: VMMCALL 0F 01 D9, VMCALL 0F 01 C1, CPUID 0F A2,
    /// RDMSR 0F 32, WRMSR 0F 30, HLT F4; none has a ModRM displacement or an immediate.</summary>
    [Theory]
    [InlineData(new byte[] { 0x0F, 0x01, 0xD9 }, 3)]
    [InlineData(new byte[] { 0x0F, 0x01, 0xC1 }, 3)]
    [InlineData(new byte[] { 0x0F, 0xA2 }, 2)]
    [InlineData(new byte[] { 0x0F, 0x32 }, 2)]
    [InlineData(new byte[] { 0x0F, 0x30 }, 2)]
    [InlineData(new byte[] { 0xF4 }, 1)]
    public void ManualVectors(byte[] opcode, int length)
    {
        var code = new byte[16];
        code.AsSpan().Fill(0x90);
        opcode.CopyTo(code, 0);
        for (int available = length; available <= 15; available++) Assert.Equal(length, InstructionLength.FixedLength(Le(code), available));
        for (int available = 0; available < length; available++) Assert.Equal(0, InstructionLength.FixedLength(Le(code), available));   // truncated
        foreach (byte prefix in new byte[] { 0x66, 0xF3, 0x48, 0x41, 0xF2, 0x2E, 0x67 })
        {
            var prefixed = new byte[16];
            prefixed.AsSpan().Fill(0x90);
            prefixed[0] = prefix;
            opcode.CopyTo(prefixed, 1);
            Assert.Equal(0, InstructionLength.FixedLength(Le(prefixed), 15));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x0F, 0x01, 0xD8 })]   // VMRUN
    [InlineData(new byte[] { 0x0F, 0x01, 0xDA })]   // VMLOAD
    [InlineData(new byte[] { 0x0F, 0x01, 0xC2 })]   // VMLAUNCH
    [InlineData(new byte[] { 0x0F, 0x31 })]         // RDTSC
    [InlineData(new byte[] { 0x0F, 0x01 })]         // 0F 01 cut short
    [InlineData(new byte[] { 0xEC })]               // IN AL, DX (the decoder's business)
    [InlineData(new byte[] { 0x90 })]
    public void OtherInstructionsAreZero(byte[] code)
    {
        var padded = new byte[8];
        code.CopyTo(padded, 0);
        Assert.Equal(0, InstructionLength.FixedLength(Le(padded), 15));
    }

    private static (int Length, Mnemonic Mnemonic) Iced(byte[] code, int available, int bitness)
    {
        var decoder = Decoder.Create(bitness, new ByteArrayCodeReader(code, 0, available));
        decoder.Decode(out Instruction insn);
        return insn.IsInvalid || decoder.LastError != DecoderError.None ? (0, Mnemonic.INVALID) : (insn.Length, insn.Mnemonic);
    }

    [Property(MaxTest = 1000)]
    public Property AgreesWithTryDecodeAndIced(ulong random, byte shape, byte available)
    {
        ulong r = HotPathGuest.Mix(random ^ ((ulong)shape << 56) ^ ((ulong)available << 48));
        var code = BitConverter.GetBytes(r);
        // Half the cases start with one of the six opcodes, a quarter of those behind a prefix; the rest stay random.
        if ((shape & 1) == 0)
        {
            byte[] op = Opcodes[(shape >> 1) % Opcodes.Length];
            int at = (shape & 0x80) != 0 && (shape & 0x40) != 0 ? 1 : 0;
            if (at == 1) code[0] = Prefixes[(r >> 60) % (ulong)Prefixes.Length];
            op.CopyTo(code, at);
        }
        int n = available % 16;
        var full = new byte[16];
        code.CopyTo(full, 0);
        ulong first8 = BitConverter.ToUInt64(code);
        int fixedLength = InstructionLength.FixedLength(first8, n);
        string errors = "";
        foreach (var (mode, bitness) in new[] { (GuestMode.Long64, 64), (GuestMode.Protected32, 32), (GuestMode.Protected16, 16), (GuestMode.Real16, 16) })
        {
            var (icedLength, mnemonic) = Iced(full, n, bitness);
            bool icedFixed = icedLength > 0 && Array.IndexOf(Fixed, mnemonic) >= 0 && icedLength == FixedOpcodeLength(mnemonic);
            if (fixedLength > 0)
            {
                bool decoded = InstructionLength.TryDecode(full.AsSpan(0, n), mode, out int length);
                if (!decoded || length != fixedLength) errors += $"{mode}: TryDecode {decoded}/{length}; ";
                if (!icedFixed || icedLength != fixedLength) errors += $"{bitness}-bit Iced {mnemonic}/{icedLength}; ";
            }
            else if (icedFixed) errors += $"{bitness}-bit Iced sees unprefixed {mnemonic}/{icedLength}, FixedLength 0; ";
        }
        return (errors.Length == 0).Label($"{Convert.ToHexString(code)} available {n}: FixedLength {fixedLength}: {errors}")
            .Classify(fixedLength > 0, "fixed length found");
    }

    private static int FixedOpcodeLength(Mnemonic m) => m is Mnemonic.Vmmcall or Mnemonic.Vmcall ? 3 : m == Mnemonic.Hlt ? 1 : 2;
}
