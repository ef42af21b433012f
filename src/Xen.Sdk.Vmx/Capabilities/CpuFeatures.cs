namespace Xen.Sdk.Vmx;

/// <summary>The CPUID facts that VM-entry checks and control choices depend on.</summary>
[System.Flags]
public enum CpuFeatures : ulong
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>CPUID.1:ECX[5] VMX.</summary>
    Vmx = 1UL << 0,
    /// <summary>CPUID.1:ECX[6] SMX.</summary>
    Smx = 1UL << 1,
    /// <summary>CPUID.1:ECX[17] PCID.</summary>
    Pcid = 1UL << 2,
    /// <summary>CPUID.1:ECX[26] XSAVE.</summary>
    Xsave = 1UL << 3,
    /// <summary>CPUID.(EAX=7,ECX=0):ECX[16] LA57 (57-bit linear addresses).</summary>
    La57 = 1UL << 4,
    /// <summary>CPUID.(EAX=7,ECX=0):ECX[7] CET shadow stacks.</summary>
    CetShadowStack = 1UL << 5,
    /// <summary>CPUID.(EAX=7,ECX=0):EDX[20] CET indirect-branch tracking.</summary>
    CetIbt = 1UL << 6,
    /// <summary>CPUID.(EAX=7,ECX=0):ECX[31] PKS.</summary>
    Pks = 1UL << 7,
    /// <summary>CPUID.(EAX=7,ECX=0):EBX[14] MPX (IA32_BNDCFGS).</summary>
    Mpx = 1UL << 8,
    /// <summary>CPUID.(EAX=7,ECX=0):EBX[25] Intel PT (IA32_RTIT_CTL).</summary>
    ProcessorTrace = 1UL << 9,
    /// <summary>CPUID.(EAX=7,ECX=0):EDX[19] architectural LBRs (IA32_LBR_CTL).</summary>
    ArchLbr = 1UL << 10,
    /// <summary>CPUID.0AH:EAX[7:0] &gt;= 2: IA32_PERF_GLOBAL_CTRL exists.</summary>
    PerfGlobalCtrl = 1UL << 11,
    /// <summary>CPUID.80000001H:EDX[29] Intel 64 (long mode).</summary>
    LongMode = 1UL << 12,
    /// <summary>CPUID.80000001H:EDX[20] execute disable (EFER.NXE).</summary>
    ExecuteDisable = 1UL << 13,
    /// <summary>CPUID.80000001H:EDX[26] 1-GByte pages.</summary>
    Pages1G = 1UL << 14,
    /// <summary>CPUID.(EAX=7,ECX=0):EBX[7] SMEP.</summary>
    Smep = 1UL << 15,
    /// <summary>CPUID.(EAX=7,ECX=0):EBX[20] SMAP.</summary>
    Smap = 1UL << 16,
    /// <summary>CPUID.(EAX=7,ECX=0):ECX[3] PKU (CR4.PKE).</summary>
    Pku = 1UL << 17,
    /// <summary>CPUID.(EAX=7,ECX=0):EBX[10] INVPCID.</summary>
    Invpcid = 1UL << 18,
    /// <summary>CPUID.80000001H:EDX[27] RDTSCP.</summary>
    Rdtscp = 1UL << 19,
}
