namespace Xen.Sdk.Reference;

/// <summary>Why the guest stopped, in vendor-neutral terms (the backend translates VMCB exit codes / VMX basic exit
/// reasons into these).</summary>
public enum ExitReason : byte
{
    /// <summary>No exit recorded.</summary>
    None = 0,
    /// <summary>CPUID.</summary>
    Cpuid,
    /// <summary>IN/OUT (and INS/OUTS).</summary>
    IoPort,
    /// <summary>HLT.</summary>
    Hlt,
    /// <summary>RDMSR.</summary>
    MsrRead,
    /// <summary>WRMSR.</summary>
    MsrWrite,
    /// <summary>VMMCALL / VMCALL: a Xen hypercall.</summary>
    Hypercall,
    /// <summary>Nested page fault / EPT violation: an access to guest-physical memory not backed by RAM (MMIO).</summary>
    NestedPageFault,
    /// <summary>An intercepted guest exception.</summary>
    Exception,
    /// <summary>Triple fault / shutdown.</summary>
    Shutdown,
    /// <summary>The guest became interruptible (interrupt window).</summary>
    InterruptWindow,
    /// <summary>A physical interrupt arrived while the guest ran.</summary>
    ExternalInterrupt,
    /// <summary>The processor refused to enter the guest (VMEXIT_INVALID / VM-entry failure).</summary>
    EntryFailure,
    /// <summary>Anything else (the raw code is in <see cref="ExitInfo.RawCode"/>).</summary>
    Unknown,
}

/// <summary>Qualification of the last exit, vendor-neutral.</summary>
public struct ExitInfo
{
    /// <summary>The reason.</summary>
    public ExitReason Reason;
    /// <summary>The vendor's exit code (SVM EXITCODE or VMX basic exit reason).</summary>
    public ulong RawCode;
    /// <summary>The vendor's first qualification word (SVM EXITINFO1 / VMX exit qualification).</summary>
    public ulong Info1;
    /// <summary>The vendor's second qualification word (SVM EXITINFO2 / VMX guest-physical address).</summary>
    public ulong Info2;
    /// <summary>Length of the exiting instruction when the processor reported it (NRIP save, VMX exit instruction
    /// length) or the backend decoded it; 0 when unknown.</summary>
    public int InstructionLength;
    /// <summary>I/O: port.</summary>
    public ushort Port;
    /// <summary>I/O: access size in bytes (1, 2, 4).</summary>
    public byte AccessSize;
    /// <summary>I/O: IN (true) or OUT (false). NPF: read (false) or write (true) is in <see cref="Write"/>.</summary>
    public bool In;
    /// <summary>I/O: INS/OUTS.</summary>
    public bool StringOp;
    /// <summary>I/O: REP prefix.</summary>
    public bool Rep;
    /// <summary>NPF: the access was a write.</summary>
    public bool Write;
    /// <summary>MSR number (RDMSR/WRMSR).</summary>
    public uint Msr;
    /// <summary>NPF: guest-physical address.</summary>
    public ulong GuestPhysical;
    /// <summary>Exception: vector.</summary>
    public byte Vector;
    /// <summary>Exception / NPF: error code.</summary>
    public ulong ErrorCode;
}

/// <summary>The execution mode of the guest at the exit (decides the hypercall register convention and the
/// instruction decoder's bitness).</summary>
public enum GuestMode : byte
{
    /// <summary>Real mode (CR0.PE clear).</summary>
    Real16,
    /// <summary>Protected mode, 16-bit code segment.</summary>
    Protected16,
    /// <summary>Protected mode, 32-bit code segment.</summary>
    Protected32,
    /// <summary>Long mode, 64-bit code segment.</summary>
    Long64,
}
