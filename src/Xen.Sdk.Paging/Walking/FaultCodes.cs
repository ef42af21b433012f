namespace Xen.Sdk.Paging.Walking;

/// <summary>The exit qualification of an EPT violation (Intel SDM Vol. 3C §28.2.1 "Exit Qualification for EPT Violations",
/// Table 28-7).</summary>
/// <param name="Value">The raw qualification.</param>
public readonly record struct EptViolationQualification(ulong Value)
{
    /// <summary>Bit 0: the access was a data read.</summary>
    public const ulong DataRead = 1UL << 0;
    /// <summary>Bit 1: the access was a data write.</summary>
    public const ulong DataWrite = 1UL << 1;
    /// <summary>Bit 2: the access was an instruction fetch.</summary>
    public const ulong InstructionFetch = 1UL << 2;
    /// <summary>Bit 3: logical AND of bit 0 (read) of the EPT entries used.</summary>
    public const ulong Readable = 1UL << 3;
    /// <summary>Bit 4: logical AND of bit 1 (write).</summary>
    public const ulong Writable = 1UL << 4;
    /// <summary>Bit 5: logical AND of bit 2 (execute; supervisor-mode execute with mode-based control).</summary>
    public const ulong Executable = 1UL << 5;
    /// <summary>Bit 6: logical AND of bit 10 (user-mode execute) with mode-based control.</summary>
    public const ulong UserExecutable = 1UL << 6;
    /// <summary>Bit 7: the guest linear-address field is valid.</summary>
    public const ulong LinearAddressValid = 1UL << 7;
    /// <summary>Bit 8 (when bit 7 is set): 1 = access to the translated guest-physical address; 0 = access to a guest
    /// paging-structure entry.</summary>
    public const ulong FinalTranslation = 1UL << 8;
    /// <summary>Bit 9 (advanced information, bit 8 set): the linear address is user-mode accessible.</summary>
    public const ulong LinearUser = 1UL << 9;
    /// <summary>Bit 10 (advanced information): the linear address is writable.</summary>
    public const ulong LinearWritable = 1UL << 10;
    /// <summary>Bit 11 (advanced information): the linear address is execute-disable.</summary>
    public const ulong LinearExecuteDisable = 1UL << 11;
    /// <summary>Bit 12: NMI unblocking due to IRET (not produced by the walker).</summary>
    public const ulong NmiUnblocking = 1UL << 12;

    /// <summary>Bit 0.</summary>
    public bool IsRead => (Value & DataRead) != 0;
    /// <summary>Bit 1.</summary>
    public bool IsWrite => (Value & DataWrite) != 0;
    /// <summary>Bit 2.</summary>
    public bool IsFetch => (Value & InstructionFetch) != 0;
    /// <summary>Bits 5:3 (and 6) all clear: the translation was not present.</summary>
    public bool WasNotPresent => (Value & (Readable | Writable | Executable | UserExecutable)) == 0;
}

/// <summary>EXITINFO1 of a nested page fault: the #PF error-code bits plus bits 32/33 (AMD APM Vol. 2 §15.25.6
/// "Nested versus Guest Page Faults, Fault Ordering"; #PF error code in AMD APM Vol. 2 §8.4.2).</summary>
/// <param name="Value">The raw EXITINFO1.</param>
public readonly record struct NpfErrorCode(ulong Value)
{
    /// <summary>Bit 0: the entry was present (protection or reserved-bit fault); 0 = not present.</summary>
    public const ulong Present = 1UL << 0;
    /// <summary>Bit 1: write access.</summary>
    public const ulong Write = 1UL << 1;
    /// <summary>Bit 2: user access (nested walks are always user accesses, AMD APM Vol. 2 §15.25.5).</summary>
    public const ulong User = 1UL << 2;
    /// <summary>Bit 3: a reserved bit was set in a nested entry.</summary>
    public const ulong Reserved = 1UL << 3;
    /// <summary>Bit 4: instruction fetch.</summary>
    public const ulong InstructionFetch = 1UL << 4;
    /// <summary>Bit 32: the fault occurred on the final guest-physical address.</summary>
    public const ulong FinalTranslation = 1UL << 32;
    /// <summary>Bit 33: the fault occurred while translating a guest page-table address.</summary>
    public const ulong GuestPageTable = 1UL << 33;

    /// <summary>Bit 0.</summary>
    public bool IsProtection => (Value & Present) != 0;
    /// <summary>Bit 1.</summary>
    public bool IsWrite => (Value & Write) != 0;
    /// <summary>Bit 3.</summary>
    public bool IsReservedBit => (Value & Reserved) != 0;
    /// <summary>Bit 4.</summary>
    public bool IsFetch => (Value & InstructionFetch) != 0;
}

/// <summary>The x86 #PF error code pushed for a guest page fault (Intel SDM Vol. 3A §4.7 "Page-Fault Exceptions", Figure 4-12).</summary>
/// <param name="Value">The raw error code.</param>
public readonly record struct PageFaultErrorCode(uint Value)
{
    /// <summary>Bit 0 P: 0 = not-present page; 1 = protection violation (or reserved bit).</summary>
    public const uint Present = 1u << 0;
    /// <summary>Bit 1 W/R: write access.</summary>
    public const uint Write = 1u << 1;
    /// <summary>Bit 2 U/S: user-mode access.</summary>
    public const uint User = 1u << 2;
    /// <summary>Bit 3 RSVD: a reserved bit was set in some paging-structure entry.</summary>
    public const uint Reserved = 1u << 3;
    /// <summary>Bit 4 I/D: instruction fetch (only reported when CR4.SMEP=1, or IA32_EFER.NXE=1 with PAE/long mode).</summary>
    public const uint InstructionFetch = 1u << 4;

    /// <summary>Bit 0.</summary>
    public bool IsProtection => (Value & Present) != 0;
    /// <summary>Bit 1.</summary>
    public bool IsWrite => (Value & Write) != 0;
    /// <summary>Bit 2.</summary>
    public bool IsUser => (Value & User) != 0;
    /// <summary>Bit 3.</summary>
    public bool IsReservedBit => (Value & Reserved) != 0;
    /// <summary>Bit 4.</summary>
    public bool IsFetch => (Value & InstructionFetch) != 0;
}
