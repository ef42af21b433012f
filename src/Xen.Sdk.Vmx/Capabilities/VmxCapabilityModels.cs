namespace Xen.Sdk.Vmx;

/// <summary>
/// Capability snapshots of the CPU models the project runs on. Each value was read from the model itself:
/// a boot sector (tests/Xen.Sdk.Vmx.Tests/Bochs/probe.asm) executes RDMSR 480H..493H and CPUID under
/// Bochs 2.7 (Debian 2.7+dfsg-4+deb12u1) and prints the results; the raw output is checked in
/// (tests/Xen.Sdk.Vmx.Tests/Bochs/bochs-2.7-probe.txt) and a test compares these snapshots with it and,
/// when Bochs is installed, with a fresh run. An MSR whose RDMSR raised #GP is stored as 0.
/// </summary>
public static class VmxCapabilityModels
{
    /// <summary>Bochs 2.7 <c>cpu: model=corei7_skylake_x</c>.</summary>
    public static VmxCapabilities BochsCoreI7SkylakeX => new()
    {
        Basic = 0x00D81000_0000002BUL,
        PinBasedControls = 0x0000007F_00000016UL,
        ProcessorBasedControls = 0xF7F9FFFE_0401E172UL,
        ExitControls = 0x007FFFFF_00036DFFUL,
        EntryControls = 0x0000FFFF_000011FFUL,
        Misc = 0x00000000_600401E0UL,
        Cr0Fixed0 = 0x00000000_80000021UL,
        Cr0Fixed1 = 0x00000000_FFFFFFFFUL,
        Cr4Fixed0 = 0x00000000_00002000UL,
        Cr4Fixed1 = 0x00000000_003727FFUL,
        VmcsEnum = 0x00000000_00000034UL,
        ProcessorBasedControls2 = 0x02177FFF_00000000UL,
        EptVpidCap = 0x00000F01_06334141UL,
        TruePinBasedControls = 0x0000007F_00000016UL,
        TrueProcessorBasedControls = 0xF7F9FFFE_04006172UL,
        TrueExitControls = 0x007FFFFF_00036DFBUL,
        TrueEntryControls = 0x0000FFFF_000011FBUL,
        VmFunc = 0x00000000_00000001UL,
        ProcessorBasedControls3 = 0x00000000_00000000UL,
        ExitControls2 = 0x00000000_00000000UL,
        PhysicalAddressBits = 40,
        LinearAddressBits = 48,
        Features = CpuFeatures.Vmx | CpuFeatures.Pcid | CpuFeatures.Xsave | CpuFeatures.PerfGlobalCtrl | CpuFeatures.LongMode | CpuFeatures.ExecuteDisable | CpuFeatures.Pages1G | CpuFeatures.Smep | CpuFeatures.Smap | CpuFeatures.Invpcid | CpuFeatures.Rdtscp,
        PerfGlobalCtrlValidBits = 0x70000000FUL,
    };

    /// <summary>Bochs 2.7 <c>cpu: model=corei7_icelake_u</c>.</summary>
    public static VmxCapabilities BochsCoreI7IcelakeU => new()
    {
        Basic = 0x00D81000_00000004UL,
        PinBasedControls = 0x0000007F_00000016UL,
        ProcessorBasedControls = 0xFFF9FFFE_0401E172UL,
        ExitControls = 0x007FFFFF_00036DFFUL,
        EntryControls = 0x0000FFFF_000011FFUL,
        Misc = 0x00000000_600401E0UL,
        Cr0Fixed0 = 0x00000000_80000021UL,
        Cr0Fixed1 = 0x00000000_FFFFFFFFUL,
        Cr4Fixed0 = 0x00000000_00002000UL,
        Cr4Fixed1 = 0x00000000_00772FFFUL,
        VmcsEnum = 0x00000000_00000034UL,
        ProcessorBasedControls2 = 0x02977FFF_00000000UL,
        EptVpidCap = 0x00000F01_06334141UL,
        TruePinBasedControls = 0x0000007F_00000016UL,
        TrueProcessorBasedControls = 0xFFF9FFFE_04006172UL,
        TrueExitControls = 0x007FFFFF_00036DFBUL,
        TrueEntryControls = 0x0000FFFF_000011FBUL,
        VmFunc = 0x00000000_00000001UL,
        ProcessorBasedControls3 = 0x00000000_00000000UL,
        ExitControls2 = 0x00000000_00000000UL,
        PhysicalAddressBits = 40,
        LinearAddressBits = 48,
        Features = CpuFeatures.Vmx | CpuFeatures.Pcid | CpuFeatures.Xsave | CpuFeatures.PerfGlobalCtrl | CpuFeatures.LongMode | CpuFeatures.ExecuteDisable | CpuFeatures.Pages1G | CpuFeatures.Smep | CpuFeatures.Smap | CpuFeatures.Pku | CpuFeatures.Invpcid | CpuFeatures.Rdtscp,
        PerfGlobalCtrlValidBits = 0xF000000FFUL,
    };

    /// <summary>Bochs 2.7 <c>cpu: model=corei7_sandy_bridge_2600k</c>.</summary>
    public static VmxCapabilities BochsCoreI7SandyBridge2600K => new()
    {
        Basic = 0x00D81000_0000002BUL,
        PinBasedControls = 0x0000007F_00000016UL,
        ProcessorBasedControls = 0xF7F9FFFE_0401E172UL,
        ExitControls = 0x007FFFFF_00036DFFUL,
        EntryControls = 0x0000FFFF_000011FFUL,
        Misc = 0x00000000_000401E0UL,
        Cr0Fixed0 = 0x00000000_80000021UL,
        Cr0Fixed1 = 0x00000000_FFFFFFFFUL,
        Cr4Fixed0 = 0x00000000_00002000UL,
        Cr4Fixed1 = 0x00000000_000627FFUL,
        VmcsEnum = 0x00000000_00000034UL,
        ProcessorBasedControls2 = 0x000000FF_00000000UL,
        EptVpidCap = 0x00000F01_06114141UL,
        TruePinBasedControls = 0x0000007F_00000016UL,
        TrueProcessorBasedControls = 0xF7F9FFFE_04006172UL,
        TrueExitControls = 0x007FFFFF_00036DFBUL,
        TrueEntryControls = 0x0000FFFF_000011FBUL,
        VmFunc = 0x00000000_00000000UL,
        ProcessorBasedControls3 = 0x00000000_00000000UL,
        ExitControls2 = 0x00000000_00000000UL,
        PhysicalAddressBits = 40,
        LinearAddressBits = 48,
        Features = CpuFeatures.Vmx | CpuFeatures.Pcid | CpuFeatures.Xsave | CpuFeatures.PerfGlobalCtrl | CpuFeatures.LongMode | CpuFeatures.ExecuteDisable | CpuFeatures.Rdtscp,
        PerfGlobalCtrlValidBits = 0x7000000FFUL,
    };

    /// <summary>Bochs 2.7 <c>cpu: model=core2_penryn_t9600</c>.</summary>
    public static VmxCapabilities BochsCore2PenrynT9600 => new()
    {
        Basic = 0x00D81000_0000002BUL,
        PinBasedControls = 0x0000003F_00000016UL,
        ProcessorBasedControls = 0xF7F9FFFE_0401E172UL,
        ExitControls = 0x0003FFFF_00036DFFUL,
        EntryControls = 0x00003FFF_000011FFUL,
        Misc = 0x00000000_000401E0UL,
        Cr0Fixed0 = 0x00000000_80000021UL,
        Cr0Fixed1 = 0x00000000_FFFFFFFFUL,
        Cr4Fixed0 = 0x00000000_00002000UL,
        Cr4Fixed1 = 0x00000000_000467FFUL,
        VmcsEnum = 0x00000000_00000034UL,
        ProcessorBasedControls2 = 0x00000041_00000000UL,
        EptVpidCap = 0x00000000_00000000UL,
        TruePinBasedControls = 0x0000003F_00000016UL,
        TrueProcessorBasedControls = 0xF7F9FFFE_04006172UL,
        TrueExitControls = 0x0003FFFF_00036DFBUL,
        TrueEntryControls = 0x00003FFF_000011FBUL,
        VmFunc = 0x00000000_00000000UL,
        ProcessorBasedControls3 = 0x00000000_00000000UL,
        ExitControls2 = 0x00000000_00000000UL,
        PhysicalAddressBits = 40,
        LinearAddressBits = 48,
        Features = CpuFeatures.Vmx | CpuFeatures.Smx | CpuFeatures.Xsave | CpuFeatures.PerfGlobalCtrl | CpuFeatures.LongMode | CpuFeatures.ExecuteDisable,
        PerfGlobalCtrlValidBits = 0x700000003UL,
    };
}
