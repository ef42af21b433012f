namespace Xen.Sdk.Reference;

/// <summary>Vendor-neutral architectural state of one virtual CPU at an exit, shared by every handler. The backend
/// fills it from the VMCB/VMCS after each exit and writes back what changed (RIP, RAX/GPRs, RFLAGS, a pending
/// event) before the next entry.</summary>
public struct VcpuState
{
    /// <summary>General-purpose registers.</summary>
    public GuestRegisters Gprs;
    /// <summary>RIP.</summary>
    public ulong Rip;
    /// <summary>RFLAGS.</summary>
    public ulong Rflags;
    /// <summary>CR0.</summary>
    public ulong Cr0;
    /// <summary>CR3.</summary>
    public ulong Cr3;
    /// <summary>CR4.</summary>
    public ulong Cr4;
    /// <summary>EFER.</summary>
    public ulong Efer;
    /// <summary>CS base (real mode and segmented protected mode).</summary>
    public ulong CsBase;
    /// <summary>Current mode.</summary>
    public GuestMode Mode;
    /// <summary>Current privilege level.</summary>
    public byte Cpl;
    /// <summary>The last exit.</summary>
    public ExitInfo Exit;
    /// <summary>An exception to inject at the next entry (vector), or -1.</summary>
    public int PendingVector;
    /// <summary>Error code of <see cref="PendingVector"/> when it has one.</summary>
    public uint PendingErrorCode;
    /// <summary>Whether <see cref="PendingErrorCode"/> is delivered.</summary>
    public bool PendingHasErrorCode;
    /// <summary>A virtual external interrupt waits for delivery (<see cref="InterruptVector"/>): the backend injects it
    /// at the next entry at which the guest can take it, or requests an interrupt window (see
    /// <see cref="VirtualInterrupts"/>).</summary>
    public bool InterruptPending;
    /// <summary>Vector of the pending virtual interrupt.</summary>
    public byte InterruptVector;
    /// <summary>The guest is in an interrupt shadow (the instruction after STI or MOV SS): the VMCB's INTERRUPT_SHADOW,
    /// or blocking by STI / MOV SS from the VMCS interruptibility state (the VMX backend reads that field only when an
    /// event is to be delivered and assumes a shadow until then). <see cref="Advance"/> clears it.</summary>
    public bool InterruptShadow;
    /// <summary>The backend has requested an interrupt-window exit (SVM V_IRQ + VINTR intercept; VMX
    /// interrupt-window exiting); kept here so a backend touches the VMCB/VMCS only when it changes.</summary>
    public bool InterruptWindowArmed;
    /// <summary>The vendor's raw interruptibility word at the last exit (VMX guest interruptibility state, SVM
    /// interrupt-state quadword), written back with the shadow bits cleared when <see cref="InterruptShadow"/> was cleared.</summary>
    public ulong RawInterruptibility;
    /// <summary>Virtual interrupts injected into the guest so far.</summary>
    public ulong InterruptsInjected;
    /// <summary>Interrupt windows requested so far.</summary>
    public ulong InterruptWindowsRequested;

    /// <summary>Queues a virtual external interrupt (replacing one not yet delivered: one pending vector, like a
    /// single interrupt line).</summary>
    public void RaiseInterrupt(byte vector)
    {
        InterruptPending = true;
        InterruptVector = vector;
    }

    /// <summary>Queues a hardware exception for the guest (the backend encodes it as EVENTINJ / VM-entry interruption information).</summary>
    public void InjectException(byte vector, uint errorCode = 0, bool hasErrorCode = false)
    {
        PendingVector = vector;
        PendingErrorCode = errorCode;
        PendingHasErrorCode = hasErrorCode;
    }

    /// <summary>Moves RIP past the exiting instruction. Returns false when its length is unknown.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Advance()
    {
        if (Exit.InstructionLength <= 0) return false;
        Rip += (ulong)Exit.InstructionLength;
        if (Mode != GuestMode.Long64) Rip &= 0xFFFFFFFF;
        // The emulated instruction completed, so the shadow of a preceding STI / MOV SS has ended (Intel SDM Vol. 3C
        // §27.3.1.5 forbids injecting an external interrupt with blocking by STI / MOV SS set).
        InterruptShadow = false;
        return true;
    }
}
