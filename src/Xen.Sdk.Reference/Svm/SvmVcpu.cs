using System;
using Xen.Sdk.Svm;

namespace Xen.Sdk.Reference.Svm;

/// <summary>The SVM vCPU: a VMCB page, the world switch, and guest memory for fetching the exiting instruction when
/// the processor does not save the next RIP.</summary>
public unsafe struct SvmVcpu<TSwitch, TMemory, TDecoder> : IVcpuBackend
    where TSwitch : struct, ISvmWorldSwitch
    where TMemory : struct, IGuestMemory
    where TDecoder : struct, IInstructionLengthDecoder
{
    /// <summary>Instruction-length decoder used when the processor gives no next RIP.</summary>
    public TDecoder Decoder;

    /// <summary>The VMCB (mapped).</summary>
    public Vmcb* Vmcb;
    /// <summary>Its physical address.</summary>
    public ulong VmcbPhysical;
    /// <summary>The world switch.</summary>
    public TSwitch Switch;
    /// <summary>Guest memory.</summary>
    public TMemory Memory;
    /// <summary>NRIP save supported (CPUID 8000_000Ah EDX bit 3).</summary>
    public bool NripSave;
    /// <summary>The translation of the guest's code page, for the instruction fetch on every exit without NRIP save
    /// (call <see cref="InstructionFetchCache.Invalidate"/> if the host mapping of guest RAM changes).</summary>
    public InstructionFetchCache FetchCache;

    /// <summary>Creates the vCPU over a prepared VMCB.</summary>
    public SvmVcpu(Vmcb* vmcb, ulong vmcbPhysical, TSwitch worldSwitch, TMemory memory, TDecoder decoder, bool nripSave)
    {
        Decoder = decoder;
        Vmcb = vmcb;
        VmcbPhysical = vmcbPhysical;
        Switch = worldSwitch;
        Memory = memory;
        NripSave = nripSave;
    }

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Run(ref VcpuState state)
    {
        // SAFETY: Vmcb points at the 4 KiB VMCB page the kernel allocated and keeps for this vCPU's lifetime.
        ref Vmcb vmcb = ref *Vmcb;
        SvmBackend.WriteState(ref vmcb, ref state);
        Switch.Run(VmcbPhysical, ref state.Gprs);
        SvmBackend.ReadState(ref vmcb, ref state);
        SvmBackend.DecodeExit(ref vmcb, ref state, NripSave, default);
        // The instruction's bytes: for MMIO emulation (nested page fault), and for the length of an intercepted
        // instruction when the CPU saves no next RIP (DecodeExit leaves InstructionLength 0 then; IOIO has it from
        // EXITINFO2). Fetched in place through the guest's page tables, sized by the fixed-length fast path, else by
        // the decoder.
        ExitReason reason = state.Exit.Reason;
        bool needsLength = !NripSave & state.Exit.InstructionLength == 0 & ((1u << (int)reason) & SizedReasons) != 0;
        if (needsLength | reason == ExitReason.NestedPageFault)
        {
            GuestPageWalker.FetchInstruction(ref Memory, state, ref state.Exit.Code, ref FetchCache);
            if (needsLength) state.Exit.InstructionLength = InstructionLength.Measure(ref Decoder, state.Exit.Code, state.Mode);
        }
    }

    /// <summary>The exits of intercepted instructions that the dispatcher completes (advances past), as a bit mask
    /// over <see cref="ExitReason"/>.</summary>
    private const uint SizedReasons = (1u << (int)ExitReason.Cpuid) | (1u << (int)ExitReason.Hlt) | (1u << (int)ExitReason.Hypercall) |
        (1u << (int)ExitReason.MsrRead) | (1u << (int)ExitReason.MsrWrite) | (1u << (int)ExitReason.NestedPageFault);
}
