namespace Xen.Sdk.Vmx;

/// <summary>Pin-based VM-execution controls (Intel SDM Vol. 3C §25.6.1, Table 25-5).</summary>
[System.Flags]
public enum PinBasedControls : uint
{
    /// <summary>No control.</summary>
    None = 0,
    /// <summary>Bit 0: external-interrupt exiting.</summary>
    ExternalInterruptExiting = 1u << 0,
    /// <summary>Bit 3: NMI exiting.</summary>
    NmiExiting = 1u << 3,
    /// <summary>Bit 5: virtual NMIs.</summary>
    VirtualNmis = 1u << 5,
    /// <summary>Bit 6: activate VMX-preemption timer.</summary>
    ActivatePreemptionTimer = 1u << 6,
    /// <summary>Bit 7: process posted interrupts.</summary>
    ProcessPostedInterrupts = 1u << 7,
    /// <summary>Default1 class: bits 1, 2, 4 (Intel SDM Vol. 3D §A.3.1).</summary>
    Default1 = 0x16,
}

/// <summary>Primary processor-based VM-execution controls (Intel SDM Vol. 3C §25.6.2, Table 25-6).</summary>
[System.Flags]
public enum PrimaryProcessorControls : uint
{
    /// <summary>No control.</summary>
    None = 0,
    /// <summary>Bit 2: interrupt-window exiting.</summary>
    InterruptWindowExiting = 1u << 2,
    /// <summary>Bit 3: use TSC offsetting.</summary>
    UseTscOffsetting = 1u << 3,
    /// <summary>Bit 7: HLT exiting.</summary>
    HltExiting = 1u << 7,
    /// <summary>Bit 9: INVLPG exiting.</summary>
    InvlpgExiting = 1u << 9,
    /// <summary>Bit 10: MWAIT exiting.</summary>
    MwaitExiting = 1u << 10,
    /// <summary>Bit 11: RDPMC exiting.</summary>
    RdpmcExiting = 1u << 11,
    /// <summary>Bit 12: RDTSC exiting.</summary>
    RdtscExiting = 1u << 12,
    /// <summary>Bit 15: CR3-load exiting.</summary>
    Cr3LoadExiting = 1u << 15,
    /// <summary>Bit 16: CR3-store exiting.</summary>
    Cr3StoreExiting = 1u << 16,
    /// <summary>Bit 17: activate tertiary controls.</summary>
    ActivateTertiaryControls = 1u << 17,
    /// <summary>Bit 19: CR8-load exiting.</summary>
    Cr8LoadExiting = 1u << 19,
    /// <summary>Bit 20: CR8-store exiting.</summary>
    Cr8StoreExiting = 1u << 20,
    /// <summary>Bit 21: use TPR shadow.</summary>
    UseTprShadow = 1u << 21,
    /// <summary>Bit 22: NMI-window exiting.</summary>
    NmiWindowExiting = 1u << 22,
    /// <summary>Bit 23: MOV-DR exiting.</summary>
    MovDrExiting = 1u << 23,
    /// <summary>Bit 24: unconditional I/O exiting.</summary>
    UnconditionalIoExiting = 1u << 24,
    /// <summary>Bit 25: use I/O bitmaps.</summary>
    UseIoBitmaps = 1u << 25,
    /// <summary>Bit 27: monitor trap flag.</summary>
    MonitorTrapFlag = 1u << 27,
    /// <summary>Bit 28: use MSR bitmaps.</summary>
    UseMsrBitmaps = 1u << 28,
    /// <summary>Bit 29: MONITOR exiting.</summary>
    MonitorExiting = 1u << 29,
    /// <summary>Bit 30: PAUSE exiting.</summary>
    PauseExiting = 1u << 30,
    /// <summary>Bit 31: activate secondary controls.</summary>
    ActivateSecondaryControls = 1u << 31,
    /// <summary>Default1 class: bits 1, 4-6, 8, 13-14, 26 (Intel SDM Vol. 3D §A.3.2).</summary>
    Default1 = 0x0401_E172,
}

/// <summary>Secondary processor-based VM-execution controls (Intel SDM Vol. 3C §25.6.2, Table 25-7).</summary>
[System.Flags]
public enum SecondaryProcessorControls : uint
{
    /// <summary>No control.</summary>
    None = 0,
    /// <summary>Bit 0: virtualize APIC accesses.</summary>
    VirtualizeApicAccesses = 1u << 0,
    /// <summary>Bit 1: enable EPT.</summary>
    EnableEpt = 1u << 1,
    /// <summary>Bit 2: descriptor-table exiting.</summary>
    DescriptorTableExiting = 1u << 2,
    /// <summary>Bit 3: enable RDTSCP.</summary>
    EnableRdtscp = 1u << 3,
    /// <summary>Bit 4: virtualize x2APIC mode.</summary>
    VirtualizeX2ApicMode = 1u << 4,
    /// <summary>Bit 5: enable VPID.</summary>
    EnableVpid = 1u << 5,
    /// <summary>Bit 6: WBINVD exiting.</summary>
    WbinvdExiting = 1u << 6,
    /// <summary>Bit 7: unrestricted guest.</summary>
    UnrestrictedGuest = 1u << 7,
    /// <summary>Bit 8: APIC-register virtualization.</summary>
    ApicRegisterVirtualization = 1u << 8,
    /// <summary>Bit 9: virtual-interrupt delivery.</summary>
    VirtualInterruptDelivery = 1u << 9,
    /// <summary>Bit 10: PAUSE-loop exiting.</summary>
    PauseLoopExiting = 1u << 10,
    /// <summary>Bit 11: RDRAND exiting.</summary>
    RdrandExiting = 1u << 11,
    /// <summary>Bit 12: enable INVPCID.</summary>
    EnableInvpcid = 1u << 12,
    /// <summary>Bit 13: enable VM functions.</summary>
    EnableVmFunctions = 1u << 13,
    /// <summary>Bit 14: VMCS shadowing.</summary>
    VmcsShadowing = 1u << 14,
    /// <summary>Bit 15: enable ENCLS exiting.</summary>
    EnableEnclsExiting = 1u << 15,
    /// <summary>Bit 16: RDSEED exiting.</summary>
    RdseedExiting = 1u << 16,
    /// <summary>Bit 17: enable PML.</summary>
    EnablePml = 1u << 17,
    /// <summary>Bit 18: EPT-violation #VE.</summary>
    EptViolationVe = 1u << 18,
    /// <summary>Bit 19: conceal VMX from PT.</summary>
    ConcealVmxFromPt = 1u << 19,
    /// <summary>Bit 20: enable XSAVES/XRSTORS.</summary>
    EnableXsaves = 1u << 20,
    /// <summary>Bit 21: PASID translation.</summary>
    PasidTranslation = 1u << 21,
    /// <summary>Bit 22: mode-based execute control for EPT.</summary>
    ModeBasedExecuteControl = 1u << 22,
    /// <summary>Bit 23: sub-page write permissions for EPT.</summary>
    SubPageWritePermissions = 1u << 23,
    /// <summary>Bit 24: Intel PT uses guest physical addresses.</summary>
    PtUsesGuestPhysicalAddresses = 1u << 24,
    /// <summary>Bit 25: use TSC scaling.</summary>
    UseTscScaling = 1u << 25,
    /// <summary>Bit 26: enable user wait and pause.</summary>
    EnableUserWaitAndPause = 1u << 26,
    /// <summary>Bit 27: enable PCONFIG.</summary>
    EnablePconfig = 1u << 27,
    /// <summary>Bit 28: enable ENCLV exiting.</summary>
    EnableEnclvExiting = 1u << 28,
    /// <summary>Bit 30: VMM bus-lock detection.</summary>
    BusLockDetection = 1u << 30,
    /// <summary>Bit 31: instruction timeout.</summary>
    InstructionTimeout = 1u << 31,
}

/// <summary>Tertiary processor-based VM-execution controls (Intel SDM Vol. 3C §25.6.2, Table 25-8).</summary>
[System.Flags]
public enum TertiaryProcessorControls : ulong
{
    /// <summary>No control.</summary>
    None = 0,
    /// <summary>Bit 0: LOADIWKEY exiting.</summary>
    LoadIwKeyExiting = 1UL << 0,
    /// <summary>Bit 1: enable HLAT.</summary>
    EnableHlat = 1UL << 1,
    /// <summary>Bit 2: EPT paging-write control.</summary>
    EptPagingWriteControl = 1UL << 2,
    /// <summary>Bit 3: guest-paging verification.</summary>
    GuestPagingVerification = 1UL << 3,
    /// <summary>Bit 4: IPI virtualization.</summary>
    IpiVirtualization = 1UL << 4,
    /// <summary>Bit 7: virtualize IA32_SPEC_CTRL.</summary>
    VirtualizeSpecCtrl = 1UL << 7,
}

/// <summary>Primary VM-exit controls (Intel SDM Vol. 3C §25.7.1, Table 25-13).</summary>
[System.Flags]
public enum ExitControls : uint
{
    /// <summary>No control.</summary>
    None = 0,
    /// <summary>Bit 2: save debug controls.</summary>
    SaveDebugControls = 1u << 2,
    /// <summary>Bit 9: host address-space size.</summary>
    HostAddressSpaceSize = 1u << 9,
    /// <summary>Bit 12: load IA32_PERF_GLOBAL_CTRL.</summary>
    LoadPerfGlobalCtrl = 1u << 12,
    /// <summary>Bit 15: acknowledge interrupt on exit.</summary>
    AcknowledgeInterruptOnExit = 1u << 15,
    /// <summary>Bit 18: save IA32_PAT.</summary>
    SavePat = 1u << 18,
    /// <summary>Bit 19: load IA32_PAT.</summary>
    LoadPat = 1u << 19,
    /// <summary>Bit 20: save IA32_EFER.</summary>
    SaveEfer = 1u << 20,
    /// <summary>Bit 21: load IA32_EFER.</summary>
    LoadEfer = 1u << 21,
    /// <summary>Bit 22: save VMX-preemption timer value.</summary>
    SavePreemptionTimer = 1u << 22,
    /// <summary>Bit 23: clear IA32_BNDCFGS.</summary>
    ClearBndcfgs = 1u << 23,
    /// <summary>Bit 24: conceal VMX from PT.</summary>
    ConcealVmxFromPt = 1u << 24,
    /// <summary>Bit 25: clear IA32_RTIT_CTL.</summary>
    ClearRtitCtl = 1u << 25,
    /// <summary>Bit 26: clear IA32_LBR_CTL.</summary>
    ClearLbrCtl = 1u << 26,
    /// <summary>Bit 27: clear UINV.</summary>
    ClearUinv = 1u << 27,
    /// <summary>Bit 28: load CET state.</summary>
    LoadCetState = 1u << 28,
    /// <summary>Bit 29: load PKRS.</summary>
    LoadPkrs = 1u << 29,
    /// <summary>Bit 30: save IA32_PERF_GLOBAL_CTRL.</summary>
    SavePerfGlobalCtrl = 1u << 30,
    /// <summary>Bit 31: activate secondary controls.</summary>
    ActivateSecondaryControls = 1u << 31,
    /// <summary>Default1 class: bits 0-8, 10, 11, 13, 14, 16, 17 (Intel SDM Vol. 3D §A.4.1).</summary>
    Default1 = 0x0003_6DFF,
}

/// <summary>VM-entry controls (Intel SDM Vol. 3C §25.8.1, Table 25-15).</summary>
[System.Flags]
public enum EntryControls : uint
{
    /// <summary>No control.</summary>
    None = 0,
    /// <summary>Bit 2: load debug controls.</summary>
    LoadDebugControls = 1u << 2,
    /// <summary>Bit 9: IA-32e mode guest.</summary>
    Ia32eModeGuest = 1u << 9,
    /// <summary>Bit 10: entry to SMM.</summary>
    EntryToSmm = 1u << 10,
    /// <summary>Bit 11: deactivate dual-monitor treatment.</summary>
    DeactivateDualMonitor = 1u << 11,
    /// <summary>Bit 13: load IA32_PERF_GLOBAL_CTRL.</summary>
    LoadPerfGlobalCtrl = 1u << 13,
    /// <summary>Bit 14: load IA32_PAT.</summary>
    LoadPat = 1u << 14,
    /// <summary>Bit 15: load IA32_EFER.</summary>
    LoadEfer = 1u << 15,
    /// <summary>Bit 16: load IA32_BNDCFGS.</summary>
    LoadBndcfgs = 1u << 16,
    /// <summary>Bit 17: conceal VMX from PT.</summary>
    ConcealVmxFromPt = 1u << 17,
    /// <summary>Bit 18: load IA32_RTIT_CTL.</summary>
    LoadRtitCtl = 1u << 18,
    /// <summary>Bit 19: load UINV.</summary>
    LoadUinv = 1u << 19,
    /// <summary>Bit 20: load CET state.</summary>
    LoadCetState = 1u << 20,
    /// <summary>Bit 21: load guest IA32_LBR_CTL.</summary>
    LoadLbrCtl = 1u << 21,
    /// <summary>Bit 22: load PKRS.</summary>
    LoadPkrs = 1u << 22,
    /// <summary>Default1 class: bits 0-8, 12 (Intel SDM Vol. 3D §A.5).</summary>
    Default1 = 0x0000_11FF,
}
