using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Iced.Intel;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Properties;

/// <summary>The kernel's length decoder for intercepted instructions (used where the CPU gives no next RIP, as on
/// QEMU's SVM) against Iced's full x86 decoder as the oracle: generated prefix combinations, REX bytes and
/// immediates around every intercepted opcode.</summary>
public sealed class InstructionLengthTests
{
    private static readonly byte[][] Intercepted =
    {
        new byte[] { 0x0F, 0xA2 },             // CPUID
        new byte[] { 0x0F, 0x01, 0xD9 },       // VMMCALL
        new byte[] { 0x0F, 0x01, 0xC1 },       // VMCALL
        new byte[] { 0xF4 },                   // HLT
        new byte[] { 0x0F, 0x32 },             // RDMSR
        new byte[] { 0x0F, 0x30 },             // WRMSR
        new byte[] { 0xE4, 0x00 }, new byte[] { 0xE5, 0x00 }, new byte[] { 0xE6, 0x00 }, new byte[] { 0xE7, 0x00 },
        new byte[] { 0xEC }, new byte[] { 0xED }, new byte[] { 0xEE }, new byte[] { 0xEF },
        new byte[] { 0x6C }, new byte[] { 0x6D }, new byte[] { 0x6E }, new byte[] { 0x6F },
    };

    private static readonly byte[] Prefixes = { 0x66, 0x67, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65 };

    /// <summary>Iced's length, or -1 when the encoding is invalid (such an instruction raises #UD in the guest and
    /// never reaches the hypervisor as an intercept).</summary>
    private static int IcedLength(byte[] code, int bitness)
    {
        var decoder = Decoder.Create(bitness, new ByteArrayCodeReader(code));
        decoder.Decode(out Instruction insn);
        return insn.IsInvalid ? -1 : insn.Length;
    }

    [Property(MaxTest = 400)]
    public Property LengthMatchesIced(byte opcodeIndex, byte[] prefixPicks, byte imm, bool rex, byte modeIndex)
    {
        var (mode, bitness) = (modeIndex % 3) switch
        {
            0 => (GuestMode.Long64, 64),
            1 => (GuestMode.Protected32, 32),
            _ => (GuestMode.Real16, 16),
        };
        var op = (byte[])Intercepted[opcodeIndex % Intercepted.Length].Clone();
        if (op.Length == 2 && op[0] >= 0xE4 && op[0] <= 0xE7) op[1] = imm;
        var prefixes = (prefixPicks ?? Array.Empty<byte>()).Take(4).Select(p => Prefixes[p % Prefixes.Length]).ToList();
        if (rex && bitness == 64) prefixes.Add((byte)(0x40 | (imm & 0x0F)));
        byte[] code = prefixes.Concat(op).Concat(new byte[] { 0x90, 0x90, 0x90 }).ToArray();
        int expected = IcedLength(code, bitness);
        if (expected < 0) return true.ToProperty().Classify(true, "invalid encoding (skipped)");
        bool ok = InstructionLength.TryDecode(code, mode, out int length);
        return (ok && length == expected).Label($"{Convert.ToHexString(code)} mode {mode}: ours {ok}/{length}, Iced {expected}");
    }

    [Theory]
    [InlineData(new byte[] { 0x90 })]                       // NOP: not intercepted
    [InlineData(new byte[] { 0x89, 0x08 })]                 // MOV [rax], ecx
    [InlineData(new byte[] { 0x0F, 0x01, 0xD8 })]           // VMRUN: intercepted but never resumed, so not decoded here
    [InlineData(new byte[] { 0x66, 0x66 })]                 // prefixes only
    public void NonInterceptedInstructionsAreRefusedNotGuessed(byte[] code)
    {
        Assert.False(InstructionLength.TryDecode(code, GuestMode.Long64, out _));
    }

    [Fact]
    public void FifteenByteLimitIsEnforced()
    {
        byte[] code = Enumerable.Repeat((byte)0x66, 14).Concat(new byte[] { 0x0F, 0xA2 }).ToArray();
        Assert.False(InstructionLength.TryDecode(code, GuestMode.Long64, out _));   // 16 bytes: #GP on hardware
        Assert.True(InstructionLength.TryDecode(code.AsSpan(1), GuestMode.Long64, out int len));
        Assert.Equal(15, len);
    }
}
