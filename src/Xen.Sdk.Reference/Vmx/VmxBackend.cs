using Xen.Sdk.Vmx;
using Xen.Sdk.Vmx.Exits;
using VmxExitReason = Xen.Sdk.Vmx.Exits.BasicExitReason;

namespace Xen.Sdk.Reference.Vmx;

/// <summary>What the caller must do after <see cref="VmxBackend.DecodeExit"/>.</summary>
public enum VmxExitFollowUp : byte
{
    /// <summary>Nothing: <see cref="VcpuState.Exit"/> is complete.</summary>
    None,
    /// <summary>EPT violation: fetch the bytes at CS:RIP into <see cref="ExitInfo.Code"/> and decode the instruction
    /// length (the VM-exit instruction-length field is undefined for EPT violations, Intel SDM Vol. 3C §28.2.5).</summary>
    FetchInstruction,
    /// <summary>#UD: fetch the bytes at CS:RIP and call <see cref="VmxBackend.ResolveInvalidOpcode"/> (VMMCALL from a
    /// guest built for AMD is the hypercall instruction).</summary>
    ResolveInvalidOpcode,
}

/// <summary>The Intel VMX side of the vendor-neutral vCPU, over any <see cref="IVmcsAccess"/> (the current VMCS
/// through <see cref="HardwareVmcs{TInstructions}"/> in a kernel, a <see cref="VmcsImage"/> in tests): moves state
/// between the VMCS and <see cref="VcpuState"/> and translates Xen.Sdk.Vmx's decoded <see cref="VmExitInfo"/> into
/// <see cref="ExitInfo"/> (Intel SDM Vol. 3C §28.2, Appendix C basic exit reasons).</summary>
public static class VmxBackend
{
    /// <summary>Writes RIP, RSP, RFLAGS and a pending exception (as VM-entry interruption information; error code only
    /// in protected mode, Intel SDM Vol. 3C §27.2.1.3) into the VMCS before VM entry, and the pending virtual interrupt:
    /// injected as an external interrupt (interruption type 0) when the guest can take it, otherwise requested with the
    /// "interrupt-window exiting" primary processor-based control, which exits before the first instruction at which
    /// RFLAGS.IF = 1 and nothing blocks by STI / MOV SS (Intel SDM Vol. 3C §25.6.2,
    /// §26.7.5, §27.6.5).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void WriteState<TVmcs>(TVmcs vmcs, ref VcpuState state) where TVmcs : IVmcsAccess
    {
        vmcs.Write(VmcsFields.GuestRip, state.Rip);
        vmcs.Write(VmcsFields.GuestRflags, state.Rflags);
        vmcs.Write(VmcsFields.GuestRsp, state.Gprs.Rsp);
        // Fast path (almost every exit): nothing to deliver and no window armed (non-short-circuit: one branch).
        if (!state.InterruptPending & !state.InterruptWindowArmed & state.PendingVector < 0) return;
        WriteEvents(vmcs, ref state);
    }

    private static void WriteEvents<TVmcs>(TVmcs vmcs, ref VcpuState state) where TVmcs : IVmcsAccess
    {
        if (state.RawInterruptibility == InterruptibilityNotRead)
        {
            state.RawInterruptibility = vmcs.Read(VmcsFields.GuestInterruptibilityState);
            // Still at the exiting instruction (not advanced): the VMCS says whether a shadow blocks.
            if (state.InterruptShadow) state.InterruptShadow = (state.RawInterruptibility & BlockingByStiOrMovSs) != 0;
        }
        if (!state.InterruptShadow && (state.RawInterruptibility & BlockingByStiOrMovSs) != 0)
        {
            // The handler completed the instruction in the shadow (VcpuState.Advance): clear blocking by STI / MOV SS,
            // which must be 0 when an external interrupt is injected (Intel SDM Vol. 3C §27.3.1.5).
            state.RawInterruptibility &= ~(ulong)BlockingByStiOrMovSs;
            vmcs.Write(VmcsFields.GuestInterruptibilityState, (uint)state.RawInterruptibility);
        }
        InterruptDelivery delivery = state.InterruptPending || state.InterruptWindowArmed ? VirtualInterrupts.Decide(ref state) : InterruptDelivery.None;
        if (state.PendingVector >= 0)
        {
            bool protectedMode = (state.Cr0 & 1) != 0;
            EventInjection.HardwareException((byte)state.PendingVector, state.PendingHasErrorCode ? state.PendingErrorCode : 0,
                protectedMode && state.PendingHasErrorCode).WriteTo(vmcs);
            state.PendingVector = -1;
        }
        switch (delivery)
        {
            case InterruptDelivery.Inject:
                EventInjection.ExternalInterrupt(state.InterruptVector).WriteTo(vmcs);
                if (state.InterruptWindowArmed) SetWindowExiting(vmcs, ref state, false);
                break;
            case InterruptDelivery.RequestWindow:
                if (!state.InterruptWindowArmed) SetWindowExiting(vmcs, ref state, true);
                break;
            default:
                if (state.InterruptWindowArmed) SetWindowExiting(vmcs, ref state, false);
                break;
        }
    }

    /// <summary><see cref="VcpuState.RawInterruptibility"/> before the backend needed to read the VMCS field.</summary>
    public const ulong InterruptibilityNotRead = ulong.MaxValue;

    /// <summary>Guest interruptibility state bits 0 (blocking by STI) and 1 (blocking by MOV SS) (Intel SDM Vol. 3C
    /// §25.4.2, Table 25-3).</summary>
    public const uint BlockingByStiOrMovSs = 3;

    private static void SetWindowExiting<TVmcs>(TVmcs vmcs, ref VcpuState state, bool on) where TVmcs : IVmcsAccess
    {
        uint primary = vmcs.Read(VmcsFields.PrimaryProcessorBasedControls);
        const uint window = (uint)PrimaryProcessorControls.InterruptWindowExiting;
        vmcs.Write(VmcsFields.PrimaryProcessorBasedControls, on ? primary | window : primary & ~window);
        state.InterruptWindowArmed = on;
    }

    /// <summary>Reads the guest state after a VM exit. <paramref name="ia32eModeGuest"/>: the VM-entry control
    /// (the backend does not save IA32_EFER on exit; EFER.LMA/LME follow that control).</summary>
    public static void ReadState<TVmcs>(TVmcs vmcs, bool ia32eModeGuest, ref VcpuState state) where TVmcs : IVmcsAccess
    {
        VmxExitFields fields = default;
        fields.ReadGuestState(vmcs);
        ReadState(fields, ia32eModeGuest, ref state);
    }

    /// <summary>Reads the guest state after a VM exit from fields already read (by a world switch that VMREADs
    /// <see cref="VmxExitFields"/> right after the exit).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void ReadState(in VmxExitFields fields, bool ia32eModeGuest, ref VcpuState state)
    {
        state.Rip = fields.GuestRip;
        state.Rflags = fields.GuestRflags;
        state.Gprs.Rsp = fields.GuestRsp;
        state.Cr0 = fields.GuestCr0;
        state.Cr3 = fields.GuestCr3;
        state.Cr4 = fields.GuestCr4;
        state.Efer = ia32eModeGuest ? 0x500UL : 0;
        state.CsBase = fields.GuestCsBase;
        uint cs = (uint)fields.GuestCsAccessRights;
        state.Cpl = (byte)((fields.GuestSsAccessRights >> 5) & 3);   // SS.DPL is the CPL (Intel SDM Vol. 3C §25.4.1)
        // The interruptibility state costs a VMREAD and matters only when an interrupt is pending or a window is
        // armed: WriteState reads it then. Until then the shadow is assumed (VcpuState.Advance clears it).
        state.RawInterruptibility = InterruptibilityNotRead;
        state.InterruptShadow = true;
        state.Mode = GuestModes.From((state.Cr0 & 1) != 0, ia32eModeGuest, (cs & 0x2000) != 0, (cs & 0x4000) != 0);
    }

    /// <summary>Translates a VM exit into <paramref name="state"/>.Exit (after <see cref="ReadState"/>, which
    /// provides RCX for MSR exits through the caller's saved GPRs).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static VmxExitFollowUp DecodeExit(in VmExitInfo exit, ref VcpuState state)
    {
        ref ExitInfo e = ref state.Exit;
        e = default;
        e.RawCode = exit.Reason.Raw;
        e.Info1 = exit.Qualification;
        e.Info2 = exit.GuestPhysicalAddress;
        if (exit.Reason.EntryFailure)
        {
            e.Reason = ExitReason.EntryFailure;
            return VmxExitFollowUp.None;
        }
        uint vectoring = exit.IdtVectoring.Raw;
        if ((vectoring & 0x8000_0000u) != 0)
            VirtualInterrupts.Requeue(ref state, (int)((vectoring >> 8) & 7), (byte)vectoring, (vectoring & 0x800) != 0, exit.IdtVectoringErrorCode);
        switch (exit.Reason.Basic)
        {
            case VmxExitReason.Cpuid: e.Reason = ExitReason.Cpuid; break;
            case VmxExitReason.Hlt: e.Reason = ExitReason.Hlt; break;
            case VmxExitReason.Vmcall: e.Reason = ExitReason.Hypercall; break;
            case VmxExitReason.Rdmsr: e.Reason = ExitReason.MsrRead; e.Msr = (uint)state.Gprs.Rcx; break;
            case VmxExitReason.Wrmsr: e.Reason = ExitReason.MsrWrite; e.Msr = (uint)state.Gprs.Rcx; break;
            case VmxExitReason.TripleFault: e.Reason = ExitReason.Shutdown; return VmxExitFollowUp.None;
            case VmxExitReason.ExternalInterrupt: e.Reason = ExitReason.ExternalInterrupt; return VmxExitFollowUp.None;
            case VmxExitReason.InterruptWindow: e.Reason = ExitReason.InterruptWindow; return VmxExitFollowUp.None;
            case VmxExitReason.IoInstruction:
            {
                // Exit qualification for I/O instructions (Intel SDM Vol. 3C §28.2.1, Table 28-5).
                IoQualification io = exit.Io;
                e.Reason = ExitReason.IoPort;
                e.In = io.In;
                e.StringOp = io.String;
                e.Rep = io.Rep;
                e.AccessSize = (byte)io.Size;
                e.Port = io.Port;
                break;
            }
            case VmxExitReason.EptViolation:
                e.Reason = ExitReason.NestedPageFault;
                e.GuestPhysical = exit.GuestPhysicalAddress;
                e.Write = exit.EptViolation.Write;
                e.ErrorCode = exit.Qualification;
                return VmxExitFollowUp.FetchInstruction;
            case VmxExitReason.ExceptionOrNmi:
                e.Reason = ExitReason.Exception;
                e.Vector = exit.Interruption.Vector;
                e.ErrorCode = exit.InterruptionErrorCode;
                return e.Vector == 6 ? VmxExitFollowUp.ResolveInvalidOpcode : VmxExitFollowUp.None;
            default:
                e.Reason = ExitReason.Unknown;
                return VmxExitFollowUp.None;
        }
        uint length = exit.InstructionLength;
        e.InstructionLength = length > 0 && length <= InstructionLength.MaxLength ? (int)length : 0;
        return VmxExitFollowUp.None;
    }

    /// <summary>After a #UD exit with the instruction bytes in <see cref="ExitInfo.Code"/>: VMMCALL (0F 01 D9, AMD's
    /// hypercall instruction) becomes a hypercall of length 3, as Xen treats guests built for the other vendor.
    /// Returns true when it did.</summary>
    public static bool ResolveInvalidOpcode(ref VcpuState state)
    {
        System.Span<byte> b = stackalloc byte[16];
        System.ReadOnlySpan<byte> code = state.Exit.Code.CopyTo(b);
        if (state.Exit.Reason != ExitReason.Exception || state.Exit.Vector != 6 ||
            code.Length < 3 || code[0] != 0x0F || code[1] != 0x01 || code[2] != 0xD9) return false;
        state.Exit.Reason = ExitReason.Hypercall;
        state.Exit.InstructionLength = 3;
        return true;
    }
}

/// <summary>The VMCS fields every VM exit needs, as plain data: four exit-information fields and the guest state the
/// vendor-neutral vCPU copies (Intel SDM Vol. 3D Appendix B encodings in <see cref="Encodings"/>, one per field in
/// declaration order). A world switch can VMREAD them all right after the exit, in one place, instead of one call per
/// field (the reference kernel's boot stub does); <see cref="ReadGuestState{TVmcs}"/> fills the guest-state fields
/// through any <see cref="IVmcsAccess"/> (Xen.Sdk.Vmx's <c>VmExitInfo.Read</c> reads the exit information).</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
public struct VmxExitFields
{
    /// <summary>Exit reason (4402H).</summary>
    public ulong ExitReason;
    /// <summary>Exit qualification (6400H).</summary>
    public ulong ExitQualification;
    /// <summary>IDT-vectoring information (4408H).</summary>
    public ulong IdtVectoringInformation;
    /// <summary>VM-exit instruction length (440CH).</summary>
    public ulong ExitInstructionLength;
    /// <summary>Guest RIP (681EH).</summary>
    public ulong GuestRip;
    /// <summary>Guest RSP (681CH).</summary>
    public ulong GuestRsp;
    /// <summary>Guest RFLAGS (6820H).</summary>
    public ulong GuestRflags;
    /// <summary>Guest CR0 (6800H).</summary>
    public ulong GuestCr0;
    /// <summary>Guest CR3 (6802H).</summary>
    public ulong GuestCr3;
    /// <summary>Guest CR4 (6804H).</summary>
    public ulong GuestCr4;
    /// <summary>Guest CS base (6808H).</summary>
    public ulong GuestCsBase;
    /// <summary>Guest CS access rights (4816H).</summary>
    public ulong GuestCsAccessRights;
    /// <summary>Guest SS access rights (4818H).</summary>
    public ulong GuestSsAccessRights;

    /// <summary>Number of fields.</summary>
    public const int Count = 13;

    /// <summary>The field encodings, in declaration order (field i is at byte offset 8 i).</summary>
    public static System.ReadOnlySpan<uint> Encodings =>
    [
        0x4402, 0x6400, 0x4408, 0x440C, 0x681E, 0x681C, 0x6820, 0x6800, 0x6802, 0x6804, 0x6808, 0x4816, 0x4818,
    ];

    /// <summary>VMREADs the guest-state fields (<see cref="GuestRip"/> to <see cref="GuestSsAccessRights"/>).</summary>
    public void ReadGuestState<TVmcs>(TVmcs vmcs) where TVmcs : IVmcsAccess
    {
        GuestRip = vmcs.Read(VmcsFields.GuestRip);
        GuestRsp = vmcs.Read(VmcsFields.GuestRsp);
        GuestRflags = vmcs.Read(VmcsFields.GuestRflags);
        GuestCr0 = vmcs.Read(VmcsFields.GuestCr0);
        GuestCr3 = vmcs.Read(VmcsFields.GuestCr3);
        GuestCr4 = vmcs.Read(VmcsFields.GuestCr4);
        GuestCsBase = vmcs.Read(VmcsFields.GuestCsBase);
        GuestCsAccessRights = vmcs.Read(VmcsFields.GuestCsAccessRights);
        GuestSsAccessRights = vmcs.Read(VmcsFields.GuestSsAccessRights);
    }
}
