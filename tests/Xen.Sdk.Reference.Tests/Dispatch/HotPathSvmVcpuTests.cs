using System;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Reference.Svm;
using Xen.Sdk.Svm;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary>A world switch that "runs" the guest by writing a scripted #VMEXIT into the VMCB.</summary>
internal unsafe struct ScriptedExit : ISvmWorldSwitch
{
    public Vmcb* Vmcb;
    public ulong ExitCode, Info1, Info2, NextRip;

    public void Run(ulong vmcbPhysical, ref GuestRegisters gprs)
    {
        Vmcb->Control.ExitCode = ExitCode;
        Vmcb->Control.ExitInfo1 = Info1;
        Vmcb->Control.ExitInfo2 = Info2;
        Vmcb->Control.NextRip = NextRip;
    }
}

/// <summary>The SVM exit path as wired by c6c6b76 (<see cref="SvmVcpu{TSwitch, TMemory, TDecoder}.Run"/>: ReadState,
/// DecodeExit, then the instruction fetch through the fetch cache, FixedLength, and the decoder as fallback), on the
/// host with a scripted #VMEXIT, in every paging mode of the fetch scenarios: CPUID, HLT, VMMCALL, RDMSR, WRMSR, bare or
/// behind ignored prefixes, placed at CS:RIP (possibly across a page end, possibly with the next page missing). Without
/// NRIP save the exit's length is the instruction's when all its bytes are fetched, else 0, and the exit carries the
/// bytes the oracle finds at CS:RIP; with NRIP save the length comes from NextRIP and nothing is fetched. A nested page
/// fault always carries the fetched bytes.</summary>
public sealed unsafe class HotPathSvmVcpuTests
{
    private static readonly (byte[] Bytes, ulong ExitCode, ulong Info1, ExitReason Reason)[] Instructions =
    {
        (new byte[] { 0x0F, 0xA2 }, 0x72, 0, ExitReason.Cpuid),
        (new byte[] { 0xF4 }, 0x78, 0, ExitReason.Hlt),
        (new byte[] { 0x0F, 0x01, 0xD9 }, 0x81, 0, ExitReason.Hypercall),
        (new byte[] { 0x0F, 0x32 }, 0x7C, 0, ExitReason.MsrRead),
        (new byte[] { 0x0F, 0x30 }, 0x7C, 1, ExitReason.MsrWrite),
    };

    [Property(MaxTest = 200)]
    public Property ExitLengthAndBytesFollowTheFetch(byte modeIndex, ulong s1, ulong s2, int seed, byte pick, bool nripSave, bool nestedPageFault)
    {
        var mode = (FetchScenario.Mode)(modeIndex % 6);
        var b = FetchScenario.Build(mode, s1, s2, seed);
        var (opcode, exitCode, info1, reason) = Instructions[pick % Instructions.Length];
        // Half the non-VMMCALL instructions get 1-2 prefixes the CPU ignores for them (CS/DS override, REX.W in 64-bit code).
        int prefixes = reason != ExitReason.Hypercall && (pick & 0x80) != 0 ? 1 + ((pick >> 5) & 1) : 0;
        var insn = new byte[prefixes + opcode.Length];
        for (int i = 0; i < prefixes; i++) insn[i] = b.Long64 && i == prefixes - 1 ? (byte)0x48 : (byte)0x2E;
        opcode.CopyTo(insn, prefixes);
        int placed = 0;
        while (placed < insn.Length && FetchScenario.TryOracle(b, placed, out ulong gpa) && gpa < b.WritableLimit) b.Guest.Memory.Ram[gpa] = insn[placed++];
        byte[] expected = FetchScenario.Expected(b);
        bool whole = placed == insn.Length && expected.Length >= insn.Length;

        byte[] page = GC.AllocateArray<byte>(Vmcb.Size, pinned: true);
        Vmcb* vmcb = (Vmcb*)Unsafe.AsPointer(ref page[0]);
        vmcb->Cr0 = b.Vcpu.Cr0; vmcb->Cr3 = b.Vcpu.Cr3; vmcb->Cr4 = b.Vcpu.Cr4; vmcb->Efer = b.Vcpu.Efer;
        bool long64 = b.Vcpu.Mode == GuestMode.Long64, big = b.Vcpu.Mode == GuestMode.Protected32;
        vmcb->Cs = new VmcbSegment(0x8, SvmSegmentAttributes.Create(0xB, true, 0, true, long64, big && !long64, true), 0xFFFF_FFFF, b.Vcpu.CsBase);
        var exit = nestedPageFault
            ? new ScriptedExit { Vmcb = vmcb, ExitCode = 0x400, Info1 = 0x6, Info2 = 0xFEE0_0000, NextRip = nripSave ? b.Vcpu.Rip + 3 : 0 }
            : new ScriptedExit { Vmcb = vmcb, ExitCode = exitCode, Info1 = info1, NextRip = nripSave ? b.Vcpu.Rip + (ulong)insn.Length : 0 };
        var vcpu = new SvmVcpu<ScriptedExit, ArrayMemory, InterceptedInstructionDecoder>(vmcb, 0x1234_5000, exit, b.Guest.Memory, default, nripSave);
        var state = new VcpuState { Rip = b.Vcpu.Rip, PendingVector = -1 };
        vcpu.Run(ref state);

        string errors = "";
        if (state.Mode != b.Vcpu.Mode) errors += $"mode {state.Mode}; ";
        byte[] code = state.Exit.Code.CopyTo(new byte[16]).ToArray();
        if (nestedPageFault)
        {
            if (state.Exit.Reason != ExitReason.NestedPageFault) errors += $"reason {state.Exit.Reason}; ";
            if (!code.AsSpan().SequenceEqual(expected)) errors += $"bytes {Convert.ToHexString(code)} vs {Convert.ToHexString(expected)}; ";
        }
        else
        {
            if (state.Exit.Reason != reason) errors += $"reason {state.Exit.Reason}; ";
            int wantLength = nripSave || whole ? insn.Length : 0;
            if (state.Exit.InstructionLength != wantLength) errors += $"length {state.Exit.InstructionLength}, expected {wantLength}; ";
            byte[] wantBytes = nripSave ? Array.Empty<byte>() : expected;
            if (!code.AsSpan().SequenceEqual(wantBytes)) errors += $"bytes {Convert.ToHexString(code)} vs {Convert.ToHexString(wantBytes)}; ";
        }
        GC.KeepAlive(page);
        return (errors.Length == 0).Label($"{mode} {Convert.ToHexString(insn)} at {b.Linear:X} nrip {nripSave} npf {nestedPageFault}: {errors}")
            .Classify(whole && !nripSave && !nestedPageFault, "sized from fetched bytes");
    }
}
