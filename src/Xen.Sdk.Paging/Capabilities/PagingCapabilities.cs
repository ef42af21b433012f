namespace Xen.Sdk.Paging.Capabilities;

/// <summary>What a CPU supports for paging, as plain data: read once from CPUID/MSRs on hardware, or taken from a
/// named snapshot (<see cref="CpuModels"/>) in tests. Every builder, walker and validator decision that depends on
/// the CPU reads it from here.</summary>
public readonly record struct PagingCapabilities
{
    /// <summary>Vendor.</summary>
    public CpuVendor Vendor { get; init; }
    /// <summary>MAXPHYADDR (CPUID 80000008h EAX[7:0]); bits at or above it are reserved in every entry.</summary>
    public byte MaxPhysicalAddressBits { get; init; }
    /// <summary>Linear-address width (CPUID 80000008h EAX[15:8]): 48, or 57 with LA57.</summary>
    public byte LinearAddressBits { get; init; }
    /// <summary>1 GiB pages in x86 (and NPT) tables (CPUID 80000001h EDX[26] Page1GB).</summary>
    public bool Pages1GiB { get; init; }
    /// <summary>4 MiB pages in 32-bit paging (CPUID 1 EDX[3] PSE).</summary>
    public bool Pse { get; init; }
    /// <summary>PAE paging (CPUID 1 EDX[6] PAE).</summary>
    public bool Pae { get; init; }
    /// <summary>The page-attribute table (CPUID 1 EDX[16] PAT): entries select memory types through IA32_PAT.</summary>
    public bool Pat { get; init; }
    /// <summary>Execute disable (CPUID 80000001h EDX[20] NX).</summary>
    public bool NoExecute { get; init; }
    /// <summary>5-level paging (CPUID 7 ECX[16] LA57).</summary>
    public bool La57 { get; init; }
    /// <summary>SMEP (CPUID 7 EBX[7]).</summary>
    public bool Smep { get; init; }
    /// <summary>SMAP (CPUID 7 EBX[20]).</summary>
    public bool Smap { get; init; }
    /// <summary>VMX with EPT ("enable EPT" allowed in the secondary controls).</summary>
    public bool Ept { get; init; }
    /// <summary>IA32_VMX_EPT_VPID_CAP (meaningful when <see cref="Ept"/>).</summary>
    public EptVpidCapabilities EptCapabilities { get; init; }
    /// <summary>Mode-based execute control for EPT (secondary control bit 22).</summary>
    public bool EptModeBasedExecute { get; init; }
    /// <summary>SVM nested paging (CPUID 8000000Ah EDX[0] NP).</summary>
    public bool Npt { get; init; }
    /// <summary>Flush by ASID (CPUID 8000000Ah EDX[6] FlushByAsid): TLB_CONTROL values 3 and 7 are allowed.</summary>
    public bool NptFlushByAsid { get; init; }

    /// <summary>Mask of the physical-address bits below MAXPHYADDR, from bit 12 up (the valid address bits of an entry).</summary>
    public ulong PhysicalAddressMask => ((1UL << MaxPhysicalAddressBits) - 1) & ~0xFFFUL;
}
