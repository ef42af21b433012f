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
    public void Run(ref VcpuState state)
    {
        // SAFETY: Vmcb points at the 4 KiB VMCB page the kernel allocated and keeps for this vCPU's lifetime.
        ref Vmcb vmcb = ref *Vmcb;
        SvmBackend.WriteState(ref vmcb, ref state);
        Switch.Run(VmcbPhysical, ref state.Gprs);
        SvmBackend.ReadState(ref vmcb, ref state);
        Span<byte> code = stackalloc byte[InstructionLength.MaxLength];
        int fetched = 0;
        bool npf = (vmcb.Control.ExitCode & 0xFFFFFFFF) == (ulong)SvmExitCode.NestedPageFault;
        if (!NripSave || npf)
        {
            ulong linear = state.Mode == GuestMode.Long64 ? state.Rip : state.CsBase + (state.Rip & 0xFFFFFFFF);
            // One translation for the bytes on the first page; a second only when the instruction may cross a page.
            int first = (int)Math.Min((ulong)code.Length, 0x1000 - (linear & 0xFFF));
            if (GuestPageWalker.TryReadVirtual(ref Memory, state, linear, code.Slice(0, first)))
            {
                fetched = first;
                if (first < code.Length && GuestPageWalker.TryReadVirtual(ref Memory, state, linear + (ulong)first, code.Slice(first)))
                    fetched = code.Length;
            }
        }
        SvmBackend.DecodeExit(ref vmcb, ref state, NripSave, default);
        // DecodeExit cleared state.Exit (Code.Length = 0): copy only when bytes were fetched.
        if (fetched != 0) state.Exit.Code.Set(code.Slice(0, fetched));
        if (!NripSave && state.Exit.InstructionLength == 0 && state.Exit.Reason is ExitReason.Cpuid or ExitReason.Hlt or
            ExitReason.Hypercall or ExitReason.MsrRead or ExitReason.MsrWrite or ExitReason.NestedPageFault)
        {
            if (Decoder.TryGetLength(code.Slice(0, fetched), state.Mode, out int length)) state.Exit.InstructionLength = length;
        }
    }
}
