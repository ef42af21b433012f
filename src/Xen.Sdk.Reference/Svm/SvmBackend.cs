using System;
using System.Runtime.CompilerServices;
using Xen.Sdk.Svm;

namespace Xen.Sdk.Reference.Svm;

/// <summary>The world switch the kernel provides: VMRUN on a VMCB, with the guest's other GPRs loaded from and saved
/// to a <see cref="GuestRegisters"/> (RAX and RSP live in the VMCB).</summary>
public interface ISvmWorldSwitch
{
    /// <summary>Runs the guest until the next #VMEXIT.</summary>
    void Run(ulong vmcbPhysical, ref GuestRegisters gprs);
}

/// <summary>The AMD SVM backend of the vendor-neutral vCPU: programs a VMCB (Xen.Sdk.Svm) for a guest, moves state
/// between the VMCB and <see cref="VcpuState"/>, and decodes #VMEXIT into <see cref="ExitInfo"/>
/// (AMD APM Vol. 2 §15.5-§15.12, Appendix C exit codes).</summary>
public static class SvmBackend
{
    /// <summary>Guest PAT: the power-on value (AMD APM Vol. 2 §7.8.1).</summary>
    public const ulong PowerOnPat = 0x0007040600070406UL;

    /// <summary>Sets the intercepts and nested paging: CPUID, HLT, I/O (via the IOPM), MSRs (via the MSRPM),
    /// shutdown, VMRUN (required) and VMMCALL; NPT with the given nested CR3; ASID 1.</summary>
    public static void ConfigureControls(ref Vmcb vmcb, ulong iopmPhysical, ulong msrpmPhysical, ulong nestedCr3)
    {
        vmcb.Intercepts3 = SvmIntercept3.Cpuid | SvmIntercept3.Hlt | SvmIntercept3.IoioProtection |
                           SvmIntercept3.MsrProtection | SvmIntercept3.Shutdown;
        vmcb.Intercepts4 = SvmIntercept4.Vmrun | SvmIntercept4.Vmmcall;
        vmcb.IopmBasePa = iopmPhysical;
        vmcb.MsrpmBasePa = msrpmPhysical;
        vmcb.GuestAsid = 1;
        vmcb.TlbControl = SvmTlbControl.FlushAll;
        vmcb.NestedControl = SvmNestedControl.NestedPaging;
        vmcb.NestedCr3 = nestedCr3;
        vmcb.GPat = PowerOnPat;
        vmcb.MarkAllDirty();
    }

    private static VmcbSegment Flat(ushort selector, int type, bool code, bool longMode, bool big) =>
        new VmcbSegment(selector, SvmSegmentAttributes.Create(type, true, 0, true, longMode, big, true), 0xFFFFFFFF, 0);

    /// <summary>A 64-bit guest entered directly in long mode (paging on with the given CR3, flat segments).</summary>
    public static void SetupLongMode(ref Vmcb vmcb, ulong rip, ulong rsp, ulong cr3)
    {
        vmcb.Cs = Flat(0x08, 0xB, true, true, false);
        VmcbSegment data = Flat(0x10, 0x3, false, false, true);
        vmcb.Ds = data; vmcb.Es = data; vmcb.Ss = data;
        vmcb.Save.Fs = data; vmcb.Save.Gs = data;
        vmcb.Gdtr = new VmcbSegment(0, default, 0, 0);
        vmcb.Idtr = new VmcbSegment(0, default, 0, 0);
        vmcb.Save.Tr = new VmcbSegment(0, SvmSegmentAttributes.Create(0xB, false, 0, true, false, false, false), 0x67, 0);
        vmcb.Save.Ldtr = new VmcbSegment(0, SvmSegmentAttributes.Create(0x2, false, 0, true, false, false, false), 0, 0);
        vmcb.Cr0 = 0x80000033UL;            // PG | ET | NE | MP | PE
        vmcb.Cr3 = cr3;
        vmcb.Cr4 = 0x20 | 0x200 | 0x400;    // PAE | OSFXSR | OSXMMEXCPT
        vmcb.Efer = 0x1000 | 0x500;         // SVME (required by VMRUN checks) | LMA | LME
        vmcb.Cpl = 0;
        vmcb.Dr6 = 0xFFFF0FF0;
        vmcb.Dr7 = 0x400;
        vmcb.Rflags = 0x2;
        vmcb.Rip = rip;
        vmcb.Rsp = rsp;
    }

    /// <summary>A 32-bit guest entered like a PVH kernel: protected mode, paging off, flat 4 GiB segments.</summary>
    public static void SetupProtected32(ref Vmcb vmcb, ulong rip, ulong rsp)
    {
        vmcb.Cs = Flat(0x08, 0xB, true, false, true);
        VmcbSegment data = Flat(0x10, 0x3, false, false, true);
        vmcb.Ds = data; vmcb.Es = data; vmcb.Ss = data;
        vmcb.Save.Fs = data; vmcb.Save.Gs = data;
        vmcb.Gdtr = new VmcbSegment(0, default, 0, 0);
        vmcb.Idtr = new VmcbSegment(0, default, 0, 0);
        vmcb.Save.Tr = new VmcbSegment(0, SvmSegmentAttributes.Create(0xB, false, 0, true, false, false, false), 0x67, 0);
        vmcb.Save.Ldtr = new VmcbSegment(0, SvmSegmentAttributes.Create(0x2, false, 0, true, false, false, false), 0, 0);
        vmcb.Cr0 = 0x11;                    // ET | PE
        vmcb.Cr3 = 0;
        vmcb.Cr4 = 0;
        vmcb.Efer = 0x1000;                 // SVME
        vmcb.Cpl = 0;
        vmcb.Dr6 = 0xFFFF0FF0;
        vmcb.Dr7 = 0x400;
        vmcb.Rflags = 0x2;
        vmcb.Rip = rip;
        vmcb.Rsp = rsp;
    }

    /// <summary>A real-mode guest: CS:IP = segment:offset, 64 KiB segments.</summary>
    public static void SetupReal(ref Vmcb vmcb, ushort segment, ushort ip, ushort sp)
    {
        SvmSegmentAttributes code = SvmSegmentAttributes.Create(0xB, true, 0, true, false, false, false);
        SvmSegmentAttributes data = SvmSegmentAttributes.Create(0x3, true, 0, true, false, false, false);
        vmcb.Cs = new VmcbSegment(segment, code, 0xFFFF, (ulong)segment << 4);
        VmcbSegment d = new VmcbSegment(segment, data, 0xFFFF, (ulong)segment << 4);
        vmcb.Ds = d; vmcb.Es = d; vmcb.Ss = d;
        vmcb.Save.Fs = d; vmcb.Save.Gs = d;
        vmcb.Gdtr = new VmcbSegment(0, default, 0xFFFF, 0);
        vmcb.Idtr = new VmcbSegment(0, default, 0x3FF, 0);
        vmcb.Save.Tr = new VmcbSegment(0, SvmSegmentAttributes.Create(0x3, false, 0, true, false, false, false), 0xFFFF, 0);
        vmcb.Save.Ldtr = new VmcbSegment(0, SvmSegmentAttributes.Create(0x2, false, 0, true, false, false, false), 0xFFFF, 0);
        vmcb.Cr0 = 0x10;                    // ET
        vmcb.Cr3 = 0;
        vmcb.Cr4 = 0;
        vmcb.Efer = 0x1000;
        vmcb.Cpl = 0;
        vmcb.Dr6 = 0xFFFF0FF0;
        vmcb.Dr7 = 0x400;
        vmcb.Rflags = 0x2;
        vmcb.Rip = ip;
        vmcb.Rsp = sp;
    }

    /// <summary>Copies the VMCB's guest state into <paramref name="state"/> (after a #VMEXIT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReadState(ref Vmcb vmcb, ref VcpuState state)
    {
        state.Rip = vmcb.Rip;
        state.Rflags = vmcb.Rflags;
        state.Gprs.Rax = vmcb.Rax;
        state.Gprs.Rsp = vmcb.Rsp;
        state.Cr0 = vmcb.Cr0;
        state.Cr3 = vmcb.Cr3;
        state.Cr4 = vmcb.Cr4;
        state.Efer = vmcb.Efer;
        state.Cpl = vmcb.Cpl;
        // INTERRUPT_SHADOW (VMCB offset 068h bit 0): the guest stopped right after STI / MOV SS (AMD APM Vol. 2 §15.21.5).
        state.RawInterruptibility = vmcb.Control.InterruptState.Value;
        state.InterruptShadow = (state.RawInterruptibility & SvmInterruptState.InterruptShadowBit) != 0;
        VmcbSegment cs = vmcb.Cs;
        state.CsBase = cs.Base;
        state.Mode = GuestModes.From((state.Cr0 & 1) != 0, (state.Efer & 0x400) != 0, cs.Attributes.Long, cs.Attributes.DefaultBig);
    }

    /// <summary>Writes the state the handlers changed back into the VMCB (before the next VMRUN), including a pending
    /// exception as EVENTINJ (AMD APM Vol. 2 §15.20) and the pending virtual interrupt: injected as an external
    /// interrupt through EVENTINJ when the guest can take it, otherwise requested through V_IRQ with the VINTR
    /// intercept, which exits as soon as the guest could take a virtual interrupt (AMD APM Vol. 2 §15.21.1, §15.21.4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteState(ref Vmcb vmcb, ref VcpuState state)
    {
        vmcb.Rip = state.Rip;
        vmcb.Rflags = state.Rflags;
        vmcb.Rax = state.Gprs.Rax;
        vmcb.Rsp = state.Gprs.Rsp;
        // Fast path (almost every exit): no event to deliver, no window armed, and no interrupt shadow to end. One
        // branch (non-short-circuit operators).
        if (!state.InterruptPending & !state.InterruptWindowArmed & state.PendingVector < 0 &
            (state.InterruptShadow | (state.RawInterruptibility & SvmInterruptState.InterruptShadowBit) == 0)) return;
        WriteEvents(ref vmcb, ref state);
    }

    private static void WriteEvents(ref Vmcb vmcb, ref VcpuState state)
    {
        if (!state.InterruptShadow && (state.RawInterruptibility & SvmInterruptState.InterruptShadowBit) != 0)
        {
            // The handler completed the instruction that was in the shadow (VcpuState.Advance): the shadow is over.
            state.RawInterruptibility &= ~SvmInterruptState.InterruptShadowBit;
            vmcb.Control.InterruptState = new SvmInterruptState(state.RawInterruptibility);
        }
        InterruptDelivery delivery = state.InterruptPending || state.InterruptWindowArmed ? VirtualInterrupts.Decide(ref state) : InterruptDelivery.None;
        if (state.PendingVector >= 0)
        {
            vmcb.EventInjection = SvmEvent.Exception((byte)state.PendingVector, state.PendingHasErrorCode ? state.PendingErrorCode : 0);
            state.PendingVector = -1;
        }
        switch (delivery)
        {
            case InterruptDelivery.Inject:
                vmcb.EventInjection = SvmEvent.ExternalInterrupt(state.InterruptVector);
                if (state.InterruptWindowArmed) DisarmWindow(ref vmcb, ref state);
                break;
            case InterruptDelivery.RequestWindow:
                if (!state.InterruptWindowArmed)
                {
                    // V_IRQ with the highest priority and TPR ignored, so only RFLAGS.IF and the shadow gate it; the
                    // VINTR intercept turns its acceptance into #VMEXIT(VINTR) before the guest takes it.
                    SvmVirtualInterruptControl v = vmcb.VirtualInterrupt;
                    v.VIrq = true;
                    v.VIntrPriority = 0xF;
                    v.VIgnoreTpr = true;
                    v.VIntrVector = state.InterruptVector;
                    vmcb.VirtualInterrupt = v;
                    vmcb.Intercepts3 |= SvmIntercept3.Vintr;
                    state.InterruptWindowArmed = true;
                }
                break;
            default:
                if (state.InterruptWindowArmed) DisarmWindow(ref vmcb, ref state);
                break;
        }
        // TLB_CONTROL is not written here: the ASID allocator (Xen.Sdk.Svm SvmAsidAllocator.Prepare) sets it when the
        // vCPU is loaded (flush on a new ASID generation), and the kernel's world switch resets it to "do nothing" after
        // each VMRUN.
    }

    private static void DisarmWindow(ref Vmcb vmcb, ref VcpuState state)
    {
        SvmVirtualInterruptControl v = vmcb.VirtualInterrupt;
        v.VIrq = false;
        vmcb.VirtualInterrupt = v;
        vmcb.Intercepts3 &= ~SvmIntercept3.Vintr;
        state.InterruptWindowArmed = false;
    }

    /// <summary>Decodes the #VMEXIT into <paramref name="state"/>.Exit. <paramref name="nripSave"/>: whether the
    /// processor stores the next RIP (CPUID 8000_000Ah EDX bit 3); otherwise instruction lengths come from
    /// <paramref name="instructionBytes"/> (the bytes at the guest's RIP, fetched by the caller; may be empty when
    /// unavailable).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DecodeExit(ref Vmcb vmcb, ref VcpuState state, bool nripSave, ReadOnlySpan<byte> instructionBytes)
    {
        ref ExitInfo e = ref state.Exit;
        e = default;
        ulong raw = vmcb.Control.ExitCode;
        e.RawCode = raw;
        e.Info1 = vmcb.Control.ExitInfo1;
        e.Info2 = vmcb.Control.ExitInfo2;
        if (vmcb.Control.ExitIntInfo.IsValid) RequeueInterrupted(ref vmcb, ref state);
        // The exits of hypercalls and emulated instructions first, by compare (a jump table is an indirect branch);
        // the others in DecodeOther.
        if (raw == (ulong)SvmExitCode.Vmmcall) e.Reason = ExitReason.Hypercall;
        else if (raw == (ulong)SvmExitCode.Cpuid) e.Reason = ExitReason.Cpuid;
        else if (!DecodeOther(ref vmcb, ref state, raw)) return;
        if (nripSave && vmcb.Control.NextRip > state.Rip && vmcb.Control.NextRip - state.Rip <= InstructionLength.MaxLength)
        {
            e.InstructionLength = (int)(vmcb.Control.NextRip - state.Rip);
        }
        else if (!instructionBytes.IsEmpty && InstructionLength.TryDecode(instructionBytes, state.Mode, out int length))
        {
            e.InstructionLength = length;
        }
    }

    private static void RequeueInterrupted(ref Vmcb vmcb, ref VcpuState state)
    {
        SvmEvent interrupted = vmcb.Control.ExitIntInfo;
        if (!SvmExitCodes.IsInvalid(state.Exit.RawCode))
            VirtualInterrupts.Requeue(ref state, (int)interrupted.Type, interrupted.Vector, interrupted.ErrorCodeValid, interrupted.ErrorCode);
    }

    /// <summary>Decodes every exit but VMMCALL and CPUID. Returns true when the exit is an intercepted instruction whose
    /// length the caller fills in (from NRIP or the instruction bytes).</summary>
    private static bool DecodeOther(ref Vmcb vmcb, ref VcpuState state, ulong raw)
    {
        ref ExitInfo e = ref state.Exit;
        if (SvmExitCodes.IsInvalid(raw))
        {
            e.Reason = ExitReason.EntryFailure;
            return false;
        }
        SvmExitCode code = SvmExitCodes.Normalize(raw);
        switch (code)
        {
            case SvmExitCode.Hlt: e.Reason = ExitReason.Hlt; break;
            case SvmExitCode.Shutdown: e.Reason = ExitReason.Shutdown; return false;
            case SvmExitCode.Intr: e.Reason = ExitReason.ExternalInterrupt; return false;
            case SvmExitCode.Vintr: e.Reason = ExitReason.InterruptWindow; return false;
            case SvmExitCode.Msr:
                e.Reason = e.Info1 == 0 ? ExitReason.MsrRead : ExitReason.MsrWrite;
                e.Msr = (uint)state.Gprs.Rcx;
                break;
            case SvmExitCode.Ioio:
                // EXITINFO1 (AMD APM Vol. 2 §15.10.2): bit 0 IN, bit 2 string, bit 3 REP, bits 4-6 operand size
                // (one-hot 8/16/32), bits 16-31 port. EXITINFO2 = RIP of the next instruction, always provided.
                e.Reason = ExitReason.IoPort;
                e.In = (e.Info1 & 1) != 0;
                e.StringOp = (e.Info1 & 4) != 0;
                e.Rep = (e.Info1 & 8) != 0;
                e.AccessSize = (byte)((e.Info1 & 0x10) != 0 ? 1 : (e.Info1 & 0x20) != 0 ? 2 : 4);
                e.Port = (ushort)(e.Info1 >> 16);
                e.InstructionLength = (int)(e.Info2 - state.Rip);
                return false;
            case SvmExitCode.NestedPageFault:
                e.Reason = ExitReason.NestedPageFault;
                e.ErrorCode = e.Info1;
                e.GuestPhysical = e.Info2;
                e.Write = (e.Info1 & 2) != 0;
                break;
            default:
                if (SvmExitCodes.IsException(code, out int vector))
                {
                    e.Reason = ExitReason.Exception;
                    e.Vector = (byte)vector;
                    e.ErrorCode = e.Info1;
                    return false;
                }
                e.Reason = ExitReason.Unknown;
                return false;
        }
        return true;
    }
}
