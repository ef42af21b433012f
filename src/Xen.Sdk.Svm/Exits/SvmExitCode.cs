namespace Xen.Sdk.Svm;

/// <summary>
/// EXITCODE values written to VMCB offset 070h on #VMEXIT (AMD APM Vol. 2 Appendix C, Table C-1).
/// The field is 64 bits wide; the negative codes are sign-extended.
/// </summary>
/// <remarks>QEMU 7.2 stores VMEXIT_INVALID as the 32-bit value FFFFFFFFh (zero-extended);
/// <see cref="SvmExitCodes.Normalize"/> maps it to <see cref="Invalid"/>.</remarks>
public enum SvmExitCode : ulong
{
    /// <summary>0x000: read of CR0.</summary>
    Cr0Read = 0x0,
    /// <summary>0x001: read of CR1.</summary>
    Cr1Read = 0x1,
    /// <summary>0x002: read of CR2.</summary>
    Cr2Read = 0x2,
    /// <summary>0x003: read of CR3.</summary>
    Cr3Read = 0x3,
    /// <summary>0x004: read of CR4.</summary>
    Cr4Read = 0x4,
    /// <summary>0x005: read of CR5.</summary>
    Cr5Read = 0x5,
    /// <summary>0x006: read of CR6.</summary>
    Cr6Read = 0x6,
    /// <summary>0x007: read of CR7.</summary>
    Cr7Read = 0x7,
    /// <summary>0x008: read of CR8.</summary>
    Cr8Read = 0x8,
    /// <summary>0x009: read of CR9.</summary>
    Cr9Read = 0x9,
    /// <summary>0x00a: read of CR10.</summary>
    Cr10Read = 0xA,
    /// <summary>0x00b: read of CR11.</summary>
    Cr11Read = 0xB,
    /// <summary>0x00c: read of CR12.</summary>
    Cr12Read = 0xC,
    /// <summary>0x00d: read of CR13.</summary>
    Cr13Read = 0xD,
    /// <summary>0x00e: read of CR14.</summary>
    Cr14Read = 0xE,
    /// <summary>0x00f: read of CR15.</summary>
    Cr15Read = 0xF,
    /// <summary>0x010: write of CR0.</summary>
    Cr0Write = 0x10,
    /// <summary>0x011: write of CR1.</summary>
    Cr1Write = 0x11,
    /// <summary>0x012: write of CR2.</summary>
    Cr2Write = 0x12,
    /// <summary>0x013: write of CR3.</summary>
    Cr3Write = 0x13,
    /// <summary>0x014: write of CR4.</summary>
    Cr4Write = 0x14,
    /// <summary>0x015: write of CR5.</summary>
    Cr5Write = 0x15,
    /// <summary>0x016: write of CR6.</summary>
    Cr6Write = 0x16,
    /// <summary>0x017: write of CR7.</summary>
    Cr7Write = 0x17,
    /// <summary>0x018: write of CR8.</summary>
    Cr8Write = 0x18,
    /// <summary>0x019: write of CR9.</summary>
    Cr9Write = 0x19,
    /// <summary>0x01a: write of CR10.</summary>
    Cr10Write = 0x1A,
    /// <summary>0x01b: write of CR11.</summary>
    Cr11Write = 0x1B,
    /// <summary>0x01c: write of CR12.</summary>
    Cr12Write = 0x1C,
    /// <summary>0x01d: write of CR13.</summary>
    Cr13Write = 0x1D,
    /// <summary>0x01e: write of CR14.</summary>
    Cr14Write = 0x1E,
    /// <summary>0x01f: write of CR15.</summary>
    Cr15Write = 0x1F,
    /// <summary>0x020: read of DR0.</summary>
    Dr0Read = 0x20,
    /// <summary>0x021: read of DR1.</summary>
    Dr1Read = 0x21,
    /// <summary>0x022: read of DR2.</summary>
    Dr2Read = 0x22,
    /// <summary>0x023: read of DR3.</summary>
    Dr3Read = 0x23,
    /// <summary>0x024: read of DR4.</summary>
    Dr4Read = 0x24,
    /// <summary>0x025: read of DR5.</summary>
    Dr5Read = 0x25,
    /// <summary>0x026: read of DR6.</summary>
    Dr6Read = 0x26,
    /// <summary>0x027: read of DR7.</summary>
    Dr7Read = 0x27,
    /// <summary>0x028: read of DR8.</summary>
    Dr8Read = 0x28,
    /// <summary>0x029: read of DR9.</summary>
    Dr9Read = 0x29,
    /// <summary>0x02a: read of DR10.</summary>
    Dr10Read = 0x2A,
    /// <summary>0x02b: read of DR11.</summary>
    Dr11Read = 0x2B,
    /// <summary>0x02c: read of DR12.</summary>
    Dr12Read = 0x2C,
    /// <summary>0x02d: read of DR13.</summary>
    Dr13Read = 0x2D,
    /// <summary>0x02e: read of DR14.</summary>
    Dr14Read = 0x2E,
    /// <summary>0x02f: read of DR15.</summary>
    Dr15Read = 0x2F,
    /// <summary>0x030: write of DR0.</summary>
    Dr0Write = 0x30,
    /// <summary>0x031: write of DR1.</summary>
    Dr1Write = 0x31,
    /// <summary>0x032: write of DR2.</summary>
    Dr2Write = 0x32,
    /// <summary>0x033: write of DR3.</summary>
    Dr3Write = 0x33,
    /// <summary>0x034: write of DR4.</summary>
    Dr4Write = 0x34,
    /// <summary>0x035: write of DR5.</summary>
    Dr5Write = 0x35,
    /// <summary>0x036: write of DR6.</summary>
    Dr6Write = 0x36,
    /// <summary>0x037: write of DR7.</summary>
    Dr7Write = 0x37,
    /// <summary>0x038: write of DR8.</summary>
    Dr8Write = 0x38,
    /// <summary>0x039: write of DR9.</summary>
    Dr9Write = 0x39,
    /// <summary>0x03a: write of DR10.</summary>
    Dr10Write = 0x3A,
    /// <summary>0x03b: write of DR11.</summary>
    Dr11Write = 0x3B,
    /// <summary>0x03c: write of DR12.</summary>
    Dr12Write = 0x3C,
    /// <summary>0x03d: write of DR13.</summary>
    Dr13Write = 0x3D,
    /// <summary>0x03e: write of DR14.</summary>
    Dr14Write = 0x3E,
    /// <summary>0x03f: write of DR15.</summary>
    Dr15Write = 0x3F,
    /// <summary>0x040: exception vector 0 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionDE = 0x40,
    /// <summary>0x041: exception vector 1 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionDB = 0x41,
    /// <summary>0x042: exception vector 2 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionNMI = 0x42,
    /// <summary>0x043: exception vector 3 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionBP = 0x43,
    /// <summary>0x044: exception vector 4 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionOF = 0x44,
    /// <summary>0x045: exception vector 5 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionBR = 0x45,
    /// <summary>0x046: exception vector 6 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionUD = 0x46,
    /// <summary>0x047: exception vector 7 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionNM = 0x47,
    /// <summary>0x048: exception vector 8 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionDF = 0x48,
    /// <summary>0x049: exception vector 9 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionCoprocessorSegmentOverrun = 0x49,
    /// <summary>0x04a: exception vector 10 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionTS = 0x4A,
    /// <summary>0x04b: exception vector 11 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionNP = 0x4B,
    /// <summary>0x04c: exception vector 12 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionSS = 0x4C,
    /// <summary>0x04d: exception vector 13 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionGP = 0x4D,
    /// <summary>0x04e: exception vector 14 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionPF = 0x4E,
    /// <summary>0x04f: exception vector 15 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector15 = 0x4F,
    /// <summary>0x050: exception vector 16 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionMF = 0x50,
    /// <summary>0x051: exception vector 17 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionAC = 0x51,
    /// <summary>0x052: exception vector 18 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionMC = 0x52,
    /// <summary>0x053: exception vector 19 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionXF = 0x53,
    /// <summary>0x054: exception vector 20 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVE = 0x54,
    /// <summary>0x055: exception vector 21 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionCP = 0x55,
    /// <summary>0x056: exception vector 22 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector22 = 0x56,
    /// <summary>0x057: exception vector 23 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector23 = 0x57,
    /// <summary>0x058: exception vector 24 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector24 = 0x58,
    /// <summary>0x059: exception vector 25 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector25 = 0x59,
    /// <summary>0x05a: exception vector 26 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector26 = 0x5A,
    /// <summary>0x05b: exception vector 27 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector27 = 0x5B,
    /// <summary>0x05c: exception vector 28 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionHV = 0x5C,
    /// <summary>0x05d: exception vector 29 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVC = 0x5D,
    /// <summary>0x05e: exception vector 30 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionSX = 0x5E,
    /// <summary>0x05f: exception vector 31 (EXITINFO1 = error code where the vector has one; #PF: EXITINFO2 = faulting address).</summary>
    ExceptionVector31 = 0x5F,
    /// <summary>0x060: physical INTR.</summary>
    Intr = 0x60,
    /// <summary>0x061: physical NMI.</summary>
    Nmi = 0x61,
    /// <summary>0x062: physical SMI (EXITINFO1 bit 0 = SMI source external).</summary>
    Smi = 0x62,
    /// <summary>0x063: physical INIT.</summary>
    Init = 0x63,
    /// <summary>0x064: virtual interrupt.</summary>
    Vintr = 0x64,
    /// <summary>0x065: CR0 write changing bits other than TS/MP.</summary>
    Cr0SelectiveWrite = 0x65,
    /// <summary>0x066: IDTR read.</summary>
    IdtrRead = 0x66,
    /// <summary>0x067: GDTR read.</summary>
    GdtrRead = 0x67,
    /// <summary>0x068: LDTR read.</summary>
    LdtrRead = 0x68,
    /// <summary>0x069: TR read.</summary>
    TrRead = 0x69,
    /// <summary>0x06a: IDTR write.</summary>
    IdtrWrite = 0x6A,
    /// <summary>0x06b: GDTR write.</summary>
    GdtrWrite = 0x6B,
    /// <summary>0x06c: LDTR write.</summary>
    LdtrWrite = 0x6C,
    /// <summary>0x06d: TR write.</summary>
    TrWrite = 0x6D,
    /// <summary>0x06e: RDTSC.</summary>
    Rdtsc = 0x6E,
    /// <summary>0x06f: RDPMC.</summary>
    Rdpmc = 0x6F,
    /// <summary>0x070: PUSHF.</summary>
    Pushf = 0x70,
    /// <summary>0x071: POPF.</summary>
    Popf = 0x71,
    /// <summary>0x072: CPUID.</summary>
    Cpuid = 0x72,
    /// <summary>0x073: RSM.</summary>
    Rsm = 0x73,
    /// <summary>0x074: IRET.</summary>
    Iret = 0x74,
    /// <summary>0x075: INTn (EXITINFO1 = vector with decode assists).</summary>
    SoftwareInterrupt = 0x75,
    /// <summary>0x076: INVD.</summary>
    Invd = 0x76,
    /// <summary>0x077: PAUSE.</summary>
    Pause = 0x77,
    /// <summary>0x078: HLT.</summary>
    Hlt = 0x78,
    /// <summary>0x079: INVLPG (EXITINFO1 = linear address with decode assists).</summary>
    Invlpg = 0x79,
    /// <summary>0x07a: INVLPGA.</summary>
    Invlpga = 0x7A,
    /// <summary>0x07b: IN/OUT/INS/OUTS (EXITINFO1 = port and access, EXITINFO2 = next RIP).</summary>
    Ioio = 0x7B,
    /// <summary>0x07c: RDMSR/WRMSR (EXITINFO1 = 0 read, 1 write).</summary>
    Msr = 0x7C,
    /// <summary>0x07d: task switch (EXITINFO1 = TSS selector, EXITINFO2 = reason and error code).</summary>
    TaskSwitch = 0x7D,
    /// <summary>0x07e: FERR_FREEZE.</summary>
    FerrFreeze = 0x7E,
    /// <summary>0x07f: shutdown (triple fault).</summary>
    Shutdown = 0x7F,
    /// <summary>0x080: VMRUN.</summary>
    Vmrun = 0x80,
    /// <summary>0x081: VMMCALL.</summary>
    Vmmcall = 0x81,
    /// <summary>0x082: VMLOAD.</summary>
    Vmload = 0x82,
    /// <summary>0x083: VMSAVE.</summary>
    Vmsave = 0x83,
    /// <summary>0x084: STGI.</summary>
    Stgi = 0x84,
    /// <summary>0x085: CLGI.</summary>
    Clgi = 0x85,
    /// <summary>0x086: SKINIT.</summary>
    Skinit = 0x86,
    /// <summary>0x087: RDTSCP.</summary>
    Rdtscp = 0x87,
    /// <summary>0x088: ICEBP.</summary>
    Icebp = 0x88,
    /// <summary>0x089: WBINVD or WBNOINVD.</summary>
    Wbinvd = 0x89,
    /// <summary>0x08a: MONITOR or MONITORX.</summary>
    Monitor = 0x8A,
    /// <summary>0x08b: MWAIT or MWAITX, unconditional.</summary>
    Mwait = 0x8B,
    /// <summary>0x08c: MWAIT or MWAITX with the monitor armed.</summary>
    MwaitConditional = 0x8C,
    /// <summary>0x08d: XSETBV.</summary>
    Xsetbv = 0x8D,
    /// <summary>0x08e: RDPRU.</summary>
    Rdpru = 0x8E,
    /// <summary>0x08f: EFER write, after completion (EXITINFO1 = new value).</summary>
    EferWriteTrap = 0x8F,
    /// <summary>0x090: CR0 write, after completion (EXITINFO1 = new value).</summary>
    Cr0WriteTrap = 0x90,
    /// <summary>0x091: CR1 write, after completion (EXITINFO1 = new value).</summary>
    Cr1WriteTrap = 0x91,
    /// <summary>0x092: CR2 write, after completion (EXITINFO1 = new value).</summary>
    Cr2WriteTrap = 0x92,
    /// <summary>0x093: CR3 write, after completion (EXITINFO1 = new value).</summary>
    Cr3WriteTrap = 0x93,
    /// <summary>0x094: CR4 write, after completion (EXITINFO1 = new value).</summary>
    Cr4WriteTrap = 0x94,
    /// <summary>0x095: CR5 write, after completion (EXITINFO1 = new value).</summary>
    Cr5WriteTrap = 0x95,
    /// <summary>0x096: CR6 write, after completion (EXITINFO1 = new value).</summary>
    Cr6WriteTrap = 0x96,
    /// <summary>0x097: CR7 write, after completion (EXITINFO1 = new value).</summary>
    Cr7WriteTrap = 0x97,
    /// <summary>0x098: CR8 write, after completion (EXITINFO1 = new value).</summary>
    Cr8WriteTrap = 0x98,
    /// <summary>0x099: CR9 write, after completion (EXITINFO1 = new value).</summary>
    Cr9WriteTrap = 0x99,
    /// <summary>0x09a: CR10 write, after completion (EXITINFO1 = new value).</summary>
    Cr10WriteTrap = 0x9A,
    /// <summary>0x09b: CR11 write, after completion (EXITINFO1 = new value).</summary>
    Cr11WriteTrap = 0x9B,
    /// <summary>0x09c: CR12 write, after completion (EXITINFO1 = new value).</summary>
    Cr12WriteTrap = 0x9C,
    /// <summary>0x09d: CR13 write, after completion (EXITINFO1 = new value).</summary>
    Cr13WriteTrap = 0x9D,
    /// <summary>0x09e: CR14 write, after completion (EXITINFO1 = new value).</summary>
    Cr14WriteTrap = 0x9E,
    /// <summary>0x09f: CR15 write, after completion (EXITINFO1 = new value).</summary>
    Cr15WriteTrap = 0x9F,
    /// <summary>0x0a0: INVLPGB.</summary>
    InvlpgbAll = 0xA0,
    /// <summary>0x0a1: illegal INVLPGB.</summary>
    InvlpgbIllegal = 0xA1,
    /// <summary>0x0a2: INVPCID (EXITINFO1 = descriptor address, EXITINFO2 = type).</summary>
    Invpcid = 0xA2,
    /// <summary>0x0a3: MCOMMIT.</summary>
    Mcommit = 0xA3,
    /// <summary>0x0a4: TLBSYNC.</summary>
    Tlbsync = 0xA4,
    /// <summary>0x0a5: bus lock.</summary>
    BusLock = 0xA5,
    /// <summary>0x0a6: HLT with no pending virtual interrupt.</summary>
    IdleHlt = 0xA6,
    /// <summary>0x400: nested page fault (EXITINFO1 = error code, EXITINFO2 = faulting guest-physical address).</summary>
    NestedPageFault = 0x400,
    /// <summary>0x401: AVIC: incomplete IPI delivery.</summary>
    AvicIncompleteIpi = 0x401,
    /// <summary>0x402: AVIC: access to an unaccelerated APIC register.</summary>
    AvicNoAcceleration = 0x402,
    /// <summary>0x403: VMGEXIT (SEV-ES).</summary>
    Vmgexit = 0x403,
    /// <summary>-1: VMEXIT_INVALID, VMRUN found illegal guest state (AMD APM Vol. 2 §15.5.1).</summary>
    Invalid = 0xFFFF_FFFF_FFFF_FFFF,
    /// <summary>-2: VMEXIT_BUSY, the VMSA is busy (SEV-SNP).</summary>
    Busy = 0xFFFF_FFFF_FFFF_FFFE,
    /// <summary>-3: VMEXIT_IDLE_REQUIRED (SEV-SNP).</summary>
    IdleRequired = 0xFFFF_FFFF_FFFF_FFFD,
    /// <summary>-4: VMEXIT_INVALID_PMC, invalid PMC state (PMC virtualisation).</summary>
    InvalidPmc = 0xFFFF_FFFF_FFFF_FFFC,
}
