namespace Xen.Sdk.Svm;

/// <summary>
/// One VMRUN consistency check: each member is a condition that makes VMRUN fail with VMEXIT_INVALID
/// (AMD APM Vol. 2 §15.5.1 "Canonicalization and Consistency Checks"; event injection §15.20).
/// Members up to <see cref="IllegalEventVector"/> are the APM's list; the rest are checks that only some
/// implementations make (see <see cref="SvmCheckProfile"/>).
/// </summary>
public enum SvmCheck : byte
{
    /// <summary>EFER.SVME is zero.</summary>
    EferSvmeClear = 0,
    /// <summary>CR0.CD is zero and CR0.NW is set.</summary>
    Cr0NwWithoutCd = 1,
    /// <summary>CR0[63:32] are not zero.</summary>
    Cr0HighBits = 2,
    /// <summary>Any MBZ bit of CR3 is set.</summary>
    Cr3Reserved = 3,
    /// <summary>Any MBZ bit of CR4 is set.</summary>
    Cr4Reserved = 4,
    /// <summary>DR6[63:32] are not zero.</summary>
    Dr6HighBits = 5,
    /// <summary>DR7[63:32] are not zero.</summary>
    Dr7HighBits = 6,
    /// <summary>Any MBZ bit of EFER is set.</summary>
    EferReserved = 7,
    /// <summary>EFER.LMA or EFER.LME is non-zero and the processor does not support long mode.</summary>
    LongModeUnsupported = 8,
    /// <summary>EFER.LME and CR0.PG are both set and CR4.PAE is zero.</summary>
    LongModeWithoutPae = 9,
    /// <summary>EFER.LME and CR0.PG are both non-zero and CR0.PE is zero.</summary>
    LongModeWithoutPe = 10,
    /// <summary>EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all non-zero.</summary>
    LongModeCsLAndD = 11,
    /// <summary>The VMRUN intercept bit is clear.</summary>
    VmrunInterceptClear = 12,
    /// <summary>The IOPM extends to a physical address at or above the maximum supported physical address.</summary>
    IopmBeyondMaxPhysAddr = 13,
    /// <summary>The MSRPM extends to a physical address at or above the maximum supported physical address.</summary>
    MsrpmBeyondMaxPhysAddr = 14,
    /// <summary>ASID is equal to zero.</summary>
    AsidZero = 15,
    /// <summary>Illegal event injection: a reserved TYPE (1, 5, 6, 7) (AMD APM Vol. 2 §15.20).</summary>
    IllegalEventType = 16,
    /// <summary>Illegal event injection: TYPE = 3 (exception) with a vector that is not an exception (2 or
    /// above 31) (AMD APM Vol. 2 §15.20).</summary>
    IllegalEventVector = 17,
    /// <summary>CR4.CET is set while CR0.WP is clear (processors with CET).</summary>
    CetWithoutWp = 18,
    /// <summary>A reserved bit of S_CET is set (processors with CET).</summary>
    SCetReserved = 19,

    // ---- implementation-specific checks (not in the APM list) ----

    /// <summary>Bochs: CS.L and CS.D both set, whatever the paging mode.</summary>
    CsLAndDAlways = 32,
    /// <summary>Bochs: nested paging enabled with an invalid memory type in G_PAT.</summary>
    GPatInvalid = 33,
    /// <summary>Bochs: nested paging enabled with N_CR3 above MAXPHYADDR (host in long mode).</summary>
    NestedCr3Reserved = 34,
    /// <summary>Bochs: nested paging enabled while the host runs with CR0.PG = 0.</summary>
    NestedPagingWithoutHostPaging = 36,
}

/// <summary>Whose VMRUN the checker predicts: the APM's rules, or an emulator's implementation of them.</summary>
public enum SvmCheckProfile : byte
{
    /// <summary>The APM text (AMD APM Vol. 2 §15.5.1, §15.20).</summary>
    Apm = 0,
    /// <summary>QEMU 7.2 TCG (target/i386/tcg/sysemu/svm_helper.c): CR3 checked against MAXPHYADDR only by
    /// host EFER.LMA; IOPM/MSRPM bound inclusive (base ≥ 2^MAXPHYADDR − size fails, with an IOPM size of 8 KiB + 1 byte); exception vector 31 also
    /// rejected.</summary>
    Qemu72 = 1,
    /// <summary>Bochs 2.7 (cpu/svm.cc): IOPM/MSRPM bases checked as single addresses; no CR3 check; CS.L+CS.D
    /// always rejected; LME+PG without PE accepted (paged real mode); G_PAT and N_CR3 checked with nested paging;
    /// #BR/#OF injection rejected in 64-bit mode.</summary>
    Bochs27 = 2,
}
