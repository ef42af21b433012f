namespace Xen.Sdk.Paging.Capabilities;

/// <summary>Capability snapshots of the CPUs this project runs on. The Bochs values follow Bochs 2.7 as built by
/// Debian 12: physical-address width BX_PHY_ADDRESS_WIDTH = 40, and IA32_VMX_EPT_VPID_CAP built from 0x06114141
/// (execute-only, 4-level walk, UC and WB structures, 2 MiB pages, INVEPT single and all context) plus 1 GiB pages
/// when the model has them, A/D when the model has EPT A/D, and INVVPID bits 32, 40-43. QEMU 7.2 TCG uses phys-bits 40.
/// Every emulator snapshot here is checked against the CPU itself: tests/Xen.Sdk.Paging.Tests/Probe boots a probe under
/// QEMU and Bochs, reads CPUID and IA32_VMX_EPT_VPID_CAP there and compares field by field.</summary>
public static class CpuModels
{
    private const ulong BochsEptBase = 0x06114141UL | (0xF01UL << 32);

    /// <summary>Bochs <c>corei7_skylake_x</c>: VMX, EPT with 1 GiB pages and A/D flags, SMEP/SMAP, 1 GiB pages.</summary>
    public static PagingCapabilities BochsCoreI7SkylakeX => new()
    {
        Vendor = CpuVendor.Intel, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true,
        Smep = true, Smap = true, Ept = true, EptCapabilities = new(BochsEptBase | (1UL << 17) | (1UL << 21)),
    };

    /// <summary>Bochs <c>corei7_icelake_u</c>: VMX, EPT with 1 GiB pages and A/D flags, SMEP/SMAP, 1 GiB pages; no
    /// LA57 and no mode-based execute in Bochs 2.7's model (read from the CPU by the probe).</summary>
    public static PagingCapabilities BochsCoreI7IcelakeU => new()
    {
        Vendor = CpuVendor.Intel, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true,
        Smep = true, Smap = true, Ept = true, EptCapabilities = new(BochsEptBase | (1UL << 17) | (1UL << 21)),
    };

    /// <summary>Bochs <c>corei7_haswell_4770</c>: VMX, EPT with 1 GiB pages and A/D flags, SMEP, no SMAP.</summary>
    public static PagingCapabilities BochsCoreI7Haswell4770 => new()
    {
        Vendor = CpuVendor.Intel, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true,
        Smep = true, Ept = true, EptCapabilities = new(BochsEptBase | (1UL << 17) | (1UL << 21)),
    };

    /// <summary>Bochs <c>corei7_sandy_bridge_2600k</c>: VMX with EPT, but no 1 GiB pages (neither EPT nor x86) and no EPT A/D.</summary>
    public static PagingCapabilities BochsCoreI7SandyBridge2600K => new()
    {
        Vendor = CpuVendor.Intel, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = false, NoExecute = true,
        Ept = true, EptCapabilities = new(BochsEptBase),
    };

    /// <summary>Bochs <c>core2_penryn_t9600</c>: VMX without EPT.</summary>
    public static PagingCapabilities BochsCore2PenrynT9600 => new()
    {
        Vendor = CpuVendor.Intel, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = false, NoExecute = true,
        Ept = false,
    };

    /// <summary>Bochs <c>ryzen</c>: SVM with nested paging and flush-by-ASID (CPUID 8000000Ah EDX = 44Fh: NP, LBRV,
    /// SVML, NRIPS, FlushByAsid, pause filter; read from the CPU by the probe, the transcribed snapshot had missed
    /// FlushByAsid), 1 GiB pages, SMEP/SMAP.</summary>
    public static PagingCapabilities BochsRyzen => new()
    {
        Vendor = CpuVendor.Amd, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true,
        Smep = true, Smap = true, Npt = true, NptFlushByAsid = true,
    };

    /// <summary>Bochs <c>phenom_8650_toliman</c>: SVM with nested paging, 1 GiB pages.</summary>
    public static PagingCapabilities BochsPhenom8650Toliman => new()
    {
        Vendor = CpuVendor.Amd, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true, Npt = true,
    };

    /// <summary>QEMU 7.2 TCG <c>-cpu qemu64,+svm,+npt</c>: nested paging, no 1 GiB pages (qemu64 lacks pdpe1gb),
    /// no flush-by-ASID (TCG does not emulate it).</summary>
    public static PagingCapabilities QemuQemu64Svm => new()
    {
        Vendor = CpuVendor.Amd, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = false, NoExecute = true, Npt = true,
    };

    /// <summary>QEMU 7.2 TCG <c>-cpu EPYC</c>: nested paging, 1 GiB pages, SMEP/SMAP, no flush-by-ASID under TCG.</summary>
    public static PagingCapabilities QemuEpycTcg => new()
    {
        Vendor = CpuVendor.Amd, MaxPhysicalAddressBits = 40, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true,
        Smep = true, Smap = true, Npt = true,
    };

    /// <summary>QEMU 7.2 TCG <c>-cpu max</c>: AMD vendor, nested paging without flush-by-ASID, 1 GiB pages, SMEP/SMAP,
    /// LA57 (linear-address width 57, so 5-level NPT), MAXPHYADDR 40 (read from the CPU by the probe).</summary>
    public static PagingCapabilities QemuMaxTcg => new()
    {
        Vendor = CpuVendor.Amd, MaxPhysicalAddressBits = 40, LinearAddressBits = 57, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true,
        La57 = true, Smep = true, Smap = true, Npt = true,
    };

    /// <summary>A generous modern Intel part: MAXPHYADDR 46, EPT with everything including 5-level walks and mode-based execute.</summary>
    public static PagingCapabilities ModernIntel => new()
    {
        Vendor = CpuVendor.Intel, MaxPhysicalAddressBits = 46, LinearAddressBits = 57, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true, La57 = true,
        Smep = true, Smap = true, Ept = true, EptModeBasedExecute = true,
        EptCapabilities = new(BochsEptBase | (1UL << 7) | (1UL << 17) | (1UL << 21) | (1UL << 22)),
    };

    /// <summary>A generous modern AMD part: MAXPHYADDR 48, NPT with flush-by-ASID, 1 GiB pages.</summary>
    public static PagingCapabilities ModernAmd => new()
    {
        Vendor = CpuVendor.Amd, MaxPhysicalAddressBits = 48, LinearAddressBits = 48, Pse = true, Pae = true, Pat = true, Pages1GiB = true, NoExecute = true,
        Smep = true, Smap = true, Npt = true, NptFlushByAsid = true,
    };
}
