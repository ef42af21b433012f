using System;

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

/// <summary>Up to 15 bytes of the exiting instruction, fetched from guest memory at CS:RIP (for decoding).</summary>
public unsafe struct InstructionBytes
{
    private fixed byte _bytes[16];
    /// <summary>Valid bytes.</summary>
    public int Length;

    /// <summary>Copies up to 15 bytes in.</summary>
    public void Set(ReadOnlySpan<byte> bytes)
    {
        Length = Math.Min(bytes.Length, 15);
        // SAFETY: _bytes is a 16-byte inline buffer of this struct; at most 15 bytes are written.
        fixed (byte* p = _bytes) bytes.Slice(0, Length).CopyTo(new Span<byte>(p, 16));
    }

    /// <summary>The valid bytes (a copy into <paramref name="destination"/>, at least 15 bytes long).</summary>
    public readonly ReadOnlySpan<byte> CopyTo(Span<byte> destination)
    {
        // SAFETY: reads Length (<= 15) bytes of the inline buffer.
        fixed (byte* p = _bytes) new ReadOnlySpan<byte>(p, Length).CopyTo(destination);
        return destination.Slice(0, Length);
    }

    /// <summary>Stores 16 bytes given as two little-endian quadwords, of which the first <paramref name="length"/>
    /// (at most 15) are valid; returns <paramref name="length"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int Set(ulong low, ulong high, int length)
    {
        // SAFETY: _bytes is the 16-byte inline buffer of this struct: two 8-byte stores fill it exactly.
        fixed (byte* p = _bytes)
        {
            *(ulong*)p = low;
            *(ulong*)(p + 8) = high;
        }
        return Length = length;
    }

    /// <summary>The first eight bytes as a little-endian quadword (bytes past <see cref="Length"/> are unspecified).</summary>
    public readonly ulong First8
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get
        {
            // SAFETY: reads the first 8 bytes of the 16-byte inline buffer.
            fixed (byte* p = _bytes) return *(ulong*)p;
        }
    }
}

/// <summary>Qualification of the last exit, vendor-neutral.</summary>
public struct ExitInfo
{
    /// <summary>The exiting instruction's bytes when the backend fetched them (no NRIP save, nested page faults).</summary>
    public InstructionBytes Code;
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

/// <summary>The guest's execution mode from its control state, for both vendors.</summary>
public static class GuestModes
{
    /// <summary>The mode: real mode without CR0.PE; 64-bit when long mode is active (EFER.LMA, VMX's "IA-32e mode guest")
    /// and CS.L is set; otherwise protected mode with CS.D choosing 32 or 16 bits (Intel SDM Vol. 3A §5.2.1; AMD APM
    /// Vol. 2 §4.8.1). Computed without a branch: this runs on every exit.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static GuestMode From(bool protectedMode, bool longModeActive, bool csLong, bool csDefaultBig)
    {
        int pe = protectedMode ? 1 : 0, l = (longModeActive & csLong) ? 1 : 0, d = csDefaultBig ? 1 : 0;
        // Protected16 = 1, Protected32 = 2, Long64 = 3: 1 + D, or 3 when L (whatever D); times PE (Real16 = 0).
        return (GuestMode)(pe * (1 + d + l * (2 - d)));
    }
}
