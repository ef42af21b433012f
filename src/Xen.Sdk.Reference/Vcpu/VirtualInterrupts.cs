namespace Xen.Sdk.Reference;

/// <summary>What a backend does with the pending virtual interrupt before the next entry.</summary>
public enum InterruptDelivery : byte
{
    /// <summary>No virtual interrupt is pending: any interrupt-window request is withdrawn.</summary>
    None,
    /// <summary>The guest can take it now: inject it as an external interrupt (SVM EVENTINJ type 0; VMX VM-entry
    /// interruption information type 0) and withdraw any window request.</summary>
    Inject,
    /// <summary>The guest cannot take it now (RFLAGS.IF = 0, an STI / MOV SS shadow, or an exception is being injected
    /// at this entry): request an interrupt-window exit (SVM V_IRQ with the VINTR intercept; VMX interrupt-window
    /// exiting) and inject it at that exit.</summary>
    RequestWindow,
}

/// <summary>The vendor-neutral rule for delivering <see cref="VcpuState.InterruptPending"/>, shared by the SVM and VMX
/// backends. An external interrupt is recognised at an instruction boundary only when RFLAGS.IF = 1 and no STI / MOV SS
/// shadow blocks it (Intel SDM Vol. 3A §6.8.1, §6.8.3; AMD APM Vol. 2 §8.5, §15.21.4), and only one event can be
/// injected per entry (the pending exception goes first, AMD APM Vol. 2 §15.20; Intel SDM Vol. 3C §27.6).</summary>
public static class VirtualInterrupts
{
    /// <summary>RFLAGS.IF.</summary>
    public const ulong InterruptFlag = 1UL << 9;

    /// <summary>Decides delivery for this entry. <see cref="InterruptDelivery.Inject"/> clears the pending interrupt and
    /// counts it; <see cref="InterruptDelivery.RequestWindow"/> counts a window request when one was not armed yet. The
    /// backend then programs the VMCB/VMCS accordingly and sets <see cref="VcpuState.InterruptWindowArmed"/>.</summary>
    public static InterruptDelivery Decide(ref VcpuState state)
    {
        if (!state.InterruptPending) return InterruptDelivery.None;
        if (state.PendingVector < 0 && (state.Rflags & InterruptFlag) != 0 && !state.InterruptShadow)
        {
            state.InterruptPending = false;
            state.InterruptsInjected++;
            return InterruptDelivery.Inject;
        }
        if (!state.InterruptWindowArmed) state.InterruptWindowsRequested++;
        return InterruptDelivery.RequestWindow;
    }

    /// <summary>An event whose delivery was interrupted by the exit (SVM EXITINTINFO, AMD APM Vol. 2 §15.7.2; VMX
    /// IDT-vectoring information, Intel SDM Vol. 3C §28.2.4) is queued again so the
    /// next entry delivers it: an external interrupt (type 0) as the pending virtual interrupt (its earlier injection
    /// is not counted as delivered), a hardware exception (type 3) as the pending exception. Software interrupts and
    /// exceptions restart with their instruction; NMIs are not used by this kernel.</summary>
    public static void Requeue(ref VcpuState state, int type, byte vector, bool hasErrorCode, uint errorCode)
    {
        if (type == 0)
        {
            state.RaiseInterrupt(vector);
            if (state.InterruptsInjected > 0) state.InterruptsInjected--;
        }
        else if (type == 3 && state.PendingVector < 0)
        {
            state.InjectException(vector, errorCode, hasErrorCode);
        }
    }
}
