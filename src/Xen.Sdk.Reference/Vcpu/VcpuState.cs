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

    /// <summary>Queues a hardware exception for the guest (the backend encodes it as EVENTINJ / VM-entry interruption information).</summary>
    public void InjectException(byte vector, uint errorCode = 0, bool hasErrorCode = false)
    {
        PendingVector = vector;
        PendingErrorCode = errorCode;
        PendingHasErrorCode = hasErrorCode;
    }

    /// <summary>Moves RIP past the exiting instruction. Returns false when its length is unknown.</summary>
    public bool Advance()
    {
        if (Exit.InstructionLength <= 0) return false;
        Rip += (ulong)Exit.InstructionLength;
        if (Mode != GuestMode.Long64) Rip &= 0xFFFFFFFF;
        return true;
    }
}
