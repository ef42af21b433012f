using System;

namespace Xen.Sdk.Svm;

/// <summary>
/// Intercept vector 3, VMCB offset 00Ch: the first word of miscellaneous intercepts
/// (AMD APM Vol. 2 Appendix B, Table B-1; §15.8-§15.14).
/// </summary>
[Flags]
public enum SvmIntercept3 : uint
{
    /// <summary>No intercepts.</summary>
    None = 0,
    /// <summary>Bit 0: physical INTR (maskable interrupt).</summary>
    Intr = 1u << 0,
    /// <summary>Bit 1: physical NMI.</summary>
    Nmi = 1u << 1,
    /// <summary>Bit 2: physical SMI.</summary>
    Smi = 1u << 2,
    /// <summary>Bit 3: physical INIT.</summary>
    Init = 1u << 3,
    /// <summary>Bit 4: virtual interrupt (VINTR).</summary>
    Vintr = 1u << 4,
    /// <summary>Bit 5: writes of CR0 that change bits other than CR0.TS or CR0.MP.</summary>
    Cr0SelectiveWrite = 1u << 5,
    /// <summary>Bit 6: reads of IDTR.</summary>
    IdtrRead = 1u << 6,
    /// <summary>Bit 7: reads of GDTR.</summary>
    GdtrRead = 1u << 7,
    /// <summary>Bit 8: reads of LDTR.</summary>
    LdtrRead = 1u << 8,
    /// <summary>Bit 9: reads of TR.</summary>
    TrRead = 1u << 9,
    /// <summary>Bit 10: writes of IDTR.</summary>
    IdtrWrite = 1u << 10,
    /// <summary>Bit 11: writes of GDTR.</summary>
    GdtrWrite = 1u << 11,
    /// <summary>Bit 12: writes of LDTR.</summary>
    LdtrWrite = 1u << 12,
    /// <summary>Bit 13: writes of TR.</summary>
    TrWrite = 1u << 13,
    /// <summary>Bit 14: RDTSC.</summary>
    Rdtsc = 1u << 14,
    /// <summary>Bit 15: RDPMC.</summary>
    Rdpmc = 1u << 15,
    /// <summary>Bit 16: PUSHF.</summary>
    Pushf = 1u << 16,
    /// <summary>Bit 17: POPF.</summary>
    Popf = 1u << 17,
    /// <summary>Bit 18: CPUID.</summary>
    Cpuid = 1u << 18,
    /// <summary>Bit 19: RSM.</summary>
    Rsm = 1u << 19,
    /// <summary>Bit 20: IRET.</summary>
    Iret = 1u << 20,
    /// <summary>Bit 21: software interrupt (INTn).</summary>
    SoftwareInterrupt = 1u << 21,
    /// <summary>Bit 22: INVD.</summary>
    Invd = 1u << 22,
    /// <summary>Bit 23: PAUSE.</summary>
    Pause = 1u << 23,
    /// <summary>Bit 24: HLT.</summary>
    Hlt = 1u << 24,
    /// <summary>Bit 25: INVLPG.</summary>
    Invlpg = 1u << 25,
    /// <summary>Bit 26: INVLPGA.</summary>
    Invlpga = 1u << 26,
    /// <summary>Bit 27: IN/OUT accesses to selected ports (through the IOPM).</summary>
    IoioProtection = 1u << 27,
    /// <summary>Bit 28: RDMSR/WRMSR accesses to selected MSRs (through the MSRPM).</summary>
    MsrProtection = 1u << 28,
    /// <summary>Bit 29: task switches.</summary>
    TaskSwitch = 1u << 29,
    /// <summary>Bit 30: FERR_FREEZE (processor freezing during legacy FERR handling).</summary>
    FerrFreeze = 1u << 30,
    /// <summary>Bit 31: shutdown events.</summary>
    Shutdown = 1u << 31,
}

/// <summary>
/// Intercept vector 4, VMCB offset 010h: SVM instructions and later additions
/// (AMD APM Vol. 2 Appendix B, Table B-1).
/// </summary>
[Flags]
public enum SvmIntercept4 : uint
{
    /// <summary>No intercepts.</summary>
    None = 0,
    /// <summary>Bit 0: VMRUN. Must be set, or VMRUN fails with VMEXIT_INVALID (AMD APM Vol. 2 §15.5.1).</summary>
    Vmrun = 1u << 0,
    /// <summary>Bit 1: VMMCALL.</summary>
    Vmmcall = 1u << 1,
    /// <summary>Bit 2: VMLOAD.</summary>
    Vmload = 1u << 2,
    /// <summary>Bit 3: VMSAVE.</summary>
    Vmsave = 1u << 3,
    /// <summary>Bit 4: STGI.</summary>
    Stgi = 1u << 4,
    /// <summary>Bit 5: CLGI.</summary>
    Clgi = 1u << 5,
    /// <summary>Bit 6: SKINIT.</summary>
    Skinit = 1u << 6,
    /// <summary>Bit 7: RDTSCP.</summary>
    Rdtscp = 1u << 7,
    /// <summary>Bit 8: ICEBP.</summary>
    Icebp = 1u << 8,
    /// <summary>Bit 9: WBINVD and WBNOINVD.</summary>
    Wbinvd = 1u << 9,
    /// <summary>Bit 10: MONITOR and MONITORX.</summary>
    Monitor = 1u << 10,
    /// <summary>Bit 11: MWAIT and MWAITX, unconditionally.</summary>
    Mwait = 1u << 11,
    /// <summary>Bit 12: MWAIT and MWAITX, if the monitor hardware is armed.</summary>
    MwaitConditional = 1u << 12,
    /// <summary>Bit 13: XSETBV.</summary>
    Xsetbv = 1u << 13,
    /// <summary>Bit 14: RDPRU.</summary>
    Rdpru = 1u << 14,
    /// <summary>Bit 15: writes of EFER, after the instruction completes (trap).</summary>
    EferWriteTrap = 1u << 15,
    /// <summary>Bit 16: writes of CR0, after the instruction completes (trap); bits 17-31 are CR1-CR15.</summary>
    Cr0WriteTrap = 1u << 16,
    /// <summary>Bit 19: writes of CR3, after the instruction completes (trap).</summary>
    Cr3WriteTrap = 1u << 19,
    /// <summary>Bit 20: writes of CR4, after the instruction completes (trap).</summary>
    Cr4WriteTrap = 1u << 20,
    /// <summary>Bit 24: writes of CR8, after the instruction completes (trap).</summary>
    Cr8WriteTrap = 1u << 24,
}

/// <summary>
/// Intercept vector 5, VMCB offset 014h (AMD APM Vol. 2 Appendix B, Table B-1).
/// </summary>
[Flags]
public enum SvmIntercept5 : uint
{
    /// <summary>No intercepts.</summary>
    None = 0,
    /// <summary>Bit 0: all INVLPGB instructions.</summary>
    InvlpgbAll = 1u << 0,
    /// <summary>Bit 1: only illegally specified INVLPGB.</summary>
    InvlpgbIllegal = 1u << 1,
    /// <summary>Bit 2: INVPCID.</summary>
    Invpcid = 1u << 2,
    /// <summary>Bit 3: MCOMMIT.</summary>
    Mcommit = 1u << 3,
    /// <summary>Bit 4: TLBSYNC.</summary>
    Tlbsync = 1u << 4,
    /// <summary>Bit 5: bus lock (when the bus-lock threshold counter is zero).</summary>
    BusLock = 1u << 5,
    /// <summary>Bit 6: HLT when no virtual interrupt is pending (idle HLT).</summary>
    IdleHlt = 1u << 6,
}

/// <summary>
/// TLB_CONTROL, VMCB offset 05Ch (AMD APM Vol. 2 §15.16.1, Appendix B Table B-1).
/// </summary>
public enum SvmTlbControl : byte
{
    /// <summary>00h: do nothing.</summary>
    DoNothing = 0x00,
    /// <summary>01h: flush the entire TLB (all entries, all ASIDs) on VMRUN.</summary>
    FlushAll = 0x01,
    /// <summary>03h: flush this guest's TLB entries (needs flush-by-ASID).</summary>
    FlushGuest = 0x03,
    /// <summary>07h: flush this guest's non-global TLB entries (needs flush-by-ASID).</summary>
    FlushGuestNonGlobal = 0x07,
}

/// <summary>
/// VMCB clean bits, VMCB offset 0C0h: a set bit tells the processor that the group of fields is unchanged
/// since the last VMRUN of this VMCB on this processor (AMD APM Vol. 2 §15.15.3, Table 15-9).
/// </summary>
[Flags]
public enum VmcbCleanBits : uint
{
    /// <summary>No group is clean: the processor reloads everything.</summary>
    None = 0,
    /// <summary>Bit 0 (I): intercept vectors, TSC offset, pause-filter count and threshold.</summary>
    Intercepts = 1u << 0,
    /// <summary>Bit 1 (IOPM): IOPM_BASE_PA and MSRPM_BASE_PA.</summary>
    PermissionMaps = 1u << 1,
    /// <summary>Bit 2 (ASID): the guest ASID.</summary>
    Asid = 1u << 2,
    /// <summary>Bit 3 (TPR): V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING, V_INTR_VECTOR (offsets 60h-67h).</summary>
    Tpr = 1u << 3,
    /// <summary>Bit 4 (NP): nested paging: NP_ENABLE, N_CR3, G_PAT.</summary>
    NestedPaging = 1u << 4,
    /// <summary>Bit 5 (CRx): CR0, CR3, CR4, EFER.</summary>
    ControlRegisters = 1u << 5,
    /// <summary>Bit 6 (DRx): DR6, DR7.</summary>
    DebugRegisters = 1u << 6,
    /// <summary>Bit 7 (DT): GDTR and IDTR base and limit.</summary>
    DescriptorTables = 1u << 7,
    /// <summary>Bit 8 (SEG): CS, DS, SS, ES selector/base/limit/attributes and CPL.</summary>
    Segments = 1u << 8,
    /// <summary>Bit 9 (CR2): CR2.</summary>
    Cr2 = 1u << 9,
    /// <summary>Bit 10 (LBR): DbgCtlMsr, br_from/to, lastint_from/to.</summary>
    Lbr = 1u << 10,
    /// <summary>Bit 11 (AVIC): AVIC APIC_BAR, backing page, logical and physical table pointers.</summary>
    Avic = 1u << 11,
    /// <summary>Bit 12 (CET): S_CET, SSP, ISST_ADDR.</summary>
    Cet = 1u << 12,
    /// <summary>Every group defined by the APM (bits 0-12).</summary>
    All = (1u << 13) - 1,
}

/// <summary>
/// The nested-paging control quadword at VMCB offset 090h (AMD APM Vol. 2 Appendix B, Table B-1).
/// </summary>
[Flags]
public enum SvmNestedControl : ulong
{
    /// <summary>No feature enabled.</summary>
    None = 0,
    /// <summary>Bit 0: NP_ENABLE, nested paging.</summary>
    NestedPaging = 1ul << 0,
    /// <summary>Bit 1: SEV enable.</summary>
    Sev = 1ul << 1,
    /// <summary>Bit 2: SEV-ES (encrypted state) enable.</summary>
    SevEs = 1ul << 2,
    /// <summary>Bit 3: guest-mode execute trap (GMET).</summary>
    Gmet = 1ul << 3,
    /// <summary>Bit 4: supervisor shadow-stack check (SSSCheckEn).</summary>
    SssCheck = 1ul << 4,
    /// <summary>Bit 5: virtual transparent encryption.</summary>
    Vte = 1ul << 5,
    /// <summary>Bit 6: read-only guest page tables.</summary>
    ReadOnlyGuestPageTables = 1ul << 6,
    /// <summary>Bit 7: enable INVLPGB/TLBSYNC in the guest.</summary>
    InvlpgbTlbsync = 1ul << 7,
}

/// <summary>
/// The virtualisation-extensions quadword at VMCB offset 0B8h (AMD APM Vol. 2 Appendix B, Table B-1).
/// </summary>
[Flags]
public enum SvmVirtualizationExtensions : ulong
{
    /// <summary>No extension enabled.</summary>
    None = 0,
    /// <summary>Bit 0: LBR_VIRTUALIZATION_ENABLE.</summary>
    LbrVirtualization = 1ul << 0,
    /// <summary>Bit 1: virtualised VMSAVE/VMLOAD.</summary>
    VirtualVmsaveVmload = 1ul << 1,
    /// <summary>Bit 2: virtualised instruction-based sampling.</summary>
    IbsVirtualization = 1ul << 2,
}
