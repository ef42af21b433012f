using System;

namespace Xen.Sdk.Svm;

/// <summary>
/// SVM feature bits, CPUID Fn8000_000A EDX (AMD APM Vol. 2 §15.4, AMD APM Vol. 3 Appendix E.4.9).
/// </summary>
[Flags]
public enum SvmFeatures : uint
{
    /// <summary>No optional feature.</summary>
    None = 0,
    /// <summary>Bit 0 (NP): nested paging.</summary>
    NestedPaging = 1u << 0,
    /// <summary>Bit 1 (LbrVirt): LBR virtualisation.</summary>
    LbrVirtualization = 1u << 1,
    /// <summary>Bit 2 (SVML): SVM lock.</summary>
    SvmLock = 1u << 2,
    /// <summary>Bit 3 (NRIPS): next RIP saved in the VMCB on #VMEXIT.</summary>
    NextRipSave = 1u << 3,
    /// <summary>Bit 4 (TscRateMsr): MSR-based TSC rate control.</summary>
    TscRateMsr = 1u << 4,
    /// <summary>Bit 5 (VmcbClean): VMCB clean bits.</summary>
    VmcbClean = 1u << 5,
    /// <summary>Bit 6 (FlushByAsid): TLB_CONTROL values 3 and 7.</summary>
    FlushByAsid = 1u << 6,
    /// <summary>Bit 7 (DecodeAssists): decode assists (EXITINFO1 operands, instruction bytes).</summary>
    DecodeAssists = 1u << 7,
    /// <summary>Bit 10 (PauseFilter): pause-intercept filter.</summary>
    PauseFilter = 1u << 10,
    /// <summary>Bit 12 (PauseFilterThreshold): pause-filter cycle threshold.</summary>
    PauseFilterThreshold = 1u << 12,
    /// <summary>Bit 13 (AVIC): advanced virtual interrupt controller.</summary>
    Avic = 1u << 13,
    /// <summary>Bit 15 (VMSAVEvirt): virtualised VMSAVE/VMLOAD.</summary>
    VirtualVmsaveVmload = 1u << 15,
    /// <summary>Bit 16 (VGIF): virtualised global interrupt flag.</summary>
    VirtualGif = 1u << 16,
    /// <summary>Bit 17 (GMET): guest-mode execute trap.</summary>
    Gmet = 1u << 17,
    /// <summary>Bit 18 (x2AVIC).</summary>
    X2Avic = 1u << 18,
    /// <summary>Bit 19 (SSSCheck): supervisor shadow-stack restrictions.</summary>
    SssCheck = 1u << 19,
    /// <summary>Bit 20 (SpecCtrl): SPEC_CTRL virtualisation.</summary>
    SpecCtrl = 1u << 20,
    /// <summary>Bit 21 (ROGPT): read-only guest page tables.</summary>
    ReadOnlyGuestPageTables = 1u << 21,
    /// <summary>Bit 23 (HOST_MCE_OVERRIDE).</summary>
    HostMceOverride = 1u << 23,
    /// <summary>Bit 24 (TlbiCtl): INVLPGB/TLBSYNC enable in the VMCB.</summary>
    TlbiControl = 1u << 24,
    /// <summary>Bit 25 (VNMI): virtual NMI.</summary>
    VirtualNmi = 1u << 25,
    /// <summary>Bit 26 (IbsVirt): IBS virtualisation.</summary>
    IbsVirtualization = 1u << 26,
    /// <summary>Bit 27 (ExtLvtAvicAccessChg).</summary>
    ExtLvtAvicAccessChange = 1u << 27,
    /// <summary>Bit 28 (NestedVirtVmcbAddrChk): VMRUN checks the VMCB address against MAXPHYADDR (QEMU: SVME_ADDR_CHK).</summary>
    VmcbAddressCheck = 1u << 28,
    /// <summary>Bit 29 (BusLockThreshold).</summary>
    BusLockThreshold = 1u << 29,
    /// <summary>Bit 30 (IdleHltIntercept).</summary>
    IdleHltIntercept = 1u << 30,
}

/// <summary>
/// A snapshot of a processor's SVM capabilities: CPUID Fn8000_000A (revision, number of ASIDs, feature
/// bits), plus the facts VMRUN's consistency checks depend on: MAXPHYADDR (Fn8000_0008 EAX[7:0]), long
/// mode (Fn8000_0001 EDX[29]) and the CR4 and EFER bits the processor implements
/// (AMD APM Vol. 2 §15.4, §15.5.1).
/// </summary>
/// <remarks>Plain data: build it from CPUID on the running processor with <see cref="FromCpuid"/>, or use
/// one of the emulator models (<see cref="Qemu72Tcg"/>, <see cref="Bochs27Ryzen"/>,
/// <see cref="Bochs27Phenom"/>).</remarks>
public readonly struct SvmCapabilities
{
    /// <summary>CR4 bits architecturally defined on AMD64 for which no CPUID gate is needed here:
    /// VME, PVI, TSD, DE, PSE, PAE, MCE, PGE, PCE, OSFXSR, OSXMMEXCPT (bits 0-10).</summary>
    public const ulong Cr4BaseBits = 0x7FF;

    /// <summary>EFER bits SCE(0), LME(8), LMA(10), NXE(11), SVME(12), LMSLE(13), FFXSR(14), TCE(15).</summary>
    public const ulong EferBaseBits = (1ul << 0) | (1ul << 8) | (1ul << 10) | (1ul << 11) | (1ul << 12) | (1ul << 13) | (1ul << 14) | (1ul << 15);

    /// <summary>Creates a snapshot.</summary>
    /// <param name="revision">SVM revision, CPUID Fn8000_000A EAX[7:0].</param>
    /// <param name="asidCount">Number of ASIDs, CPUID Fn8000_000A EBX.</param>
    /// <param name="features">Feature bits, CPUID Fn8000_000A EDX.</param>
    /// <param name="physicalAddressBits">MAXPHYADDR.</param>
    /// <param name="linearAddressBits">Linear address width (48 or 57).</param>
    /// <param name="longMode">Long mode supported.</param>
    /// <param name="cr4Supported">CR4 bits the processor implements (others are reserved, MBZ).</param>
    /// <param name="eferSupported">EFER bits the processor implements (others are reserved, MBZ).</param>
    public SvmCapabilities(byte revision, uint asidCount, SvmFeatures features, byte physicalAddressBits, byte linearAddressBits,
        bool longMode, ulong cr4Supported, ulong eferSupported)
    {
        Revision = revision;
        AsidCount = asidCount;
        Features = features;
        PhysicalAddressBits = physicalAddressBits;
        LinearAddressBits = linearAddressBits;
        LongMode = longMode;
        Cr4Supported = cr4Supported;
        EferSupported = eferSupported;
    }

    /// <summary>SVM revision (CPUID Fn8000_000A EAX[7:0]).</summary>
    public byte Revision { get; }
    /// <summary>Number of ASIDs (CPUID Fn8000_000A EBX); valid guest ASIDs are 1..AsidCount-1.</summary>
    public uint AsidCount { get; }
    /// <summary>Optional features (CPUID Fn8000_000A EDX).</summary>
    public SvmFeatures Features { get; }
    /// <summary>MAXPHYADDR (CPUID Fn8000_0008 EAX[7:0]).</summary>
    public byte PhysicalAddressBits { get; }
    /// <summary>Linear address bits (CPUID Fn8000_0008 EAX[15:8]).</summary>
    public byte LinearAddressBits { get; }
    /// <summary>Long mode supported (CPUID Fn8000_0001 EDX[29]).</summary>
    public bool LongMode { get; }
    /// <summary>Implemented CR4 bits.</summary>
    public ulong Cr4Supported { get; }
    /// <summary>Implemented EFER bits.</summary>
    public ulong EferSupported { get; }

    /// <summary>Whether every feature in <paramref name="features"/> is present.</summary>
    /// <param name="features">The features.</param>
    /// <returns>True if all are present.</returns>
    public bool Has(SvmFeatures features) => (Features & features) == features;

    /// <summary>The reserved (must-be-zero) CR4 bits.</summary>
    public ulong Cr4Reserved => ~Cr4Supported;
    /// <summary>The reserved (must-be-zero) EFER bits.</summary>
    public ulong EferReserved => ~EferSupported;

    /// <summary>Builds a snapshot from raw CPUID values.</summary>
    /// <param name="leafAEax">CPUID Fn8000_000A EAX (revision).</param>
    /// <param name="leafAEbx">CPUID Fn8000_000A EBX (number of ASIDs).</param>
    /// <param name="leafAEdx">CPUID Fn8000_000A EDX (features).</param>
    /// <param name="leaf80000001Edx">CPUID Fn8000_0001 EDX (LM bit 29, NX 20, FFXSR 25).</param>
    /// <param name="leaf80000008Eax">CPUID Fn8000_0008 EAX (MAXPHYADDR 7:0, linear 15:8).</param>
    /// <param name="leaf7Ebx">CPUID Fn0000_0007_0 EBX (FSGSBASE 0, SMEP 7, SMAP 20).</param>
    /// <param name="leaf7Ecx">CPUID Fn0000_0007_0 ECX (UMIP 2, PKU 3, LA57 16, CET_SS 7).</param>
    /// <param name="leaf1Ecx">CPUID Fn0000_0001 ECX (XSAVE 26, PCID 17).</param>
    /// <returns>The snapshot.</returns>
    public static SvmCapabilities FromCpuid(uint leafAEax, uint leafAEbx, uint leafAEdx, uint leaf80000001Edx, uint leaf80000008Eax,
        uint leaf7Ebx, uint leaf7Ecx, uint leaf1Ecx)
    {
        ulong cr4 = Cr4BaseBits;
        if ((leaf7Ecx & (1u << 2)) != 0) cr4 |= 1ul << 11;   // UMIP
        if ((leaf7Ecx & (1u << 16)) != 0) cr4 |= 1ul << 12;  // LA57
        if ((leaf7Ebx & (1u << 0)) != 0) cr4 |= 1ul << 16;   // FSGSBASE
        if ((leaf1Ecx & (1u << 17)) != 0) cr4 |= 1ul << 17;  // PCIDE
        if ((leaf1Ecx & (1u << 26)) != 0) cr4 |= 1ul << 18;  // OSXSAVE
        if ((leaf7Ebx & (1u << 7)) != 0) cr4 |= 1ul << 20;   // SMEP
        if ((leaf7Ebx & (1u << 20)) != 0) cr4 |= 1ul << 21;  // SMAP
        if ((leaf7Ecx & (1u << 3)) != 0) cr4 |= 1ul << 22;   // PKE
        if ((leaf7Ecx & (1u << 7)) != 0) cr4 |= 1ul << 23;   // CET
        bool lm = (leaf80000001Edx & (1u << 29)) != 0;
        ulong efer = (1ul << 0) | (1ul << 12);               // SCE, SVME
        if (lm) efer |= (1ul << 8) | (1ul << 10);             // LME, LMA
        if ((leaf80000001Edx & (1u << 20)) != 0) efer |= 1ul << 11; // NXE
        if ((leaf80000001Edx & (1u << 25)) != 0) efer |= 1ul << 14; // FFXSR
        return new SvmCapabilities((byte)leafAEax, leafAEbx, (SvmFeatures)leafAEdx, (byte)leaf80000008Eax, (byte)(leaf80000008Eax >> 8),
            lm, cr4, efer);
    }

    /// <summary>Returns a copy with different feature bits (e.g. to model a CPU option such as <c>+vgif</c>).</summary>
    /// <param name="features">The new feature set.</param>
    /// <returns>The modified snapshot.</returns>
    public SvmCapabilities WithFeatures(SvmFeatures features)
        => new(Revision, AsidCount, features, PhysicalAddressBits, LinearAddressBits, LongMode, Cr4Supported, EferSupported);

    /// <summary>
    /// QEMU 7.2 TCG, <c>-cpu qemu64,+svm,+npt</c>: revision 1, 16 ASIDs, CPUID EDX = NP only (TCG can emulate
    /// VGIF and the VMCB-address check, but qemu64 does not advertise them unless <c>+vgif</c>/<c>+svme-addr-chk</c>
    /// are given); no NRIP save, clean bits, decode assists, flush-by-ASID, pause filter, LBR virtualisation or
    /// AVIC. MAXPHYADDR 40, 48-bit linear. CR4: bits 0-10 and PCIDE (QEMU does not gate PCIDE on CPUID);
    /// EFER: SCE, LME, LMA, NXE, SVME, FFXSR (sources: QEMU target/i386 cpu.c leaf 8000_000Ah and cpu.h
    /// CR4/EFER reserved masks, read for facts).
    /// </summary>
    public static SvmCapabilities Qemu72Tcg => new(1, 16, SvmFeatures.NestedPaging, 40, 48, true,
        Cr4BaseBits | (1ul << 17), (1ul << 0) | (1ul << 8) | (1ul << 10) | (1ul << 11) | (1ul << 12) | (1ul << 14));

    /// <summary>
    /// Bochs 2.7, <c>cpu: model=ryzen</c>: revision 1, 32768 ASIDs, NP, LBR virtualisation, SVM lock, NRIP save,
    /// flush-by-ASID and pause filter advertised; no clean bits or decode assists. MAXPHYADDR 40, 48-bit
    /// linear. CR4 adds FSGSBASE, OSXSAVE, SMEP, SMAP; EFER: SCE, LME, LMA, NXE, SVME, FFXSR
    /// (source: Bochs cpu/cpudb/amd/ryzen.cc, read for facts).
    /// </summary>
    public static SvmCapabilities Bochs27Ryzen => new(1, 0x8000,
        SvmFeatures.NestedPaging | SvmFeatures.LbrVirtualization | SvmFeatures.SvmLock | SvmFeatures.NextRipSave | SvmFeatures.FlushByAsid | SvmFeatures.PauseFilter,
        40, 48, true, Cr4BaseBits | (1ul << 16) | (1ul << 18) | (1ul << 20) | (1ul << 21),
        (1ul << 0) | (1ul << 8) | (1ul << 10) | (1ul << 11) | (1ul << 12) | (1ul << 14));

    /// <summary>
    /// Bochs 2.7, <c>cpu: model=phenom_8650_toliman</c>: revision 1, 64 ASIDs, NP, LBR virtualisation and SVM
    /// lock; no NRIP save. MAXPHYADDR 40, 48-bit linear; EFER: SCE, LME, LMA, NXE, SVME, FFXSR
    /// (source: Bochs cpu/cpudb/amd/phenomx3_8650_toliman.cc, read for facts).
    /// </summary>
    public static SvmCapabilities Bochs27Phenom => new(1, 0x40,
        SvmFeatures.NestedPaging | SvmFeatures.LbrVirtualization | SvmFeatures.SvmLock,
        40, 48, true, Cr4BaseBits,
        (1ul << 0) | (1ul << 8) | (1ul << 10) | (1ul << 11) | (1ul << 12) | (1ul << 14));
}
