namespace Xen.Sdk.Vmx.Checking;

/// <summary>
/// One VM-entry check of the Intel SDM. The high byte is the section group (<see cref="EntryCheckSection"/>),
/// so the SDM section and the outcome follow from the id. Host-only text: <c>Diagnostics.EntryCheckText</c>.
/// </summary>
public enum EntryCheckId : ushort
{
    /// <summary>No check.</summary>
    None = 0,
    /// <summary>VMLAUNCH requires a VMCS whose launch state is clear (Intel SDM Vol. 3C §27.1).</summary>
    LaunchStateNotClear = 0x0101,
    /// <summary>VMRESUME requires a VMCS whose launch state is launched (Intel SDM Vol. 3C §27.1).</summary>
    LaunchStateNotLaunched = 0x0102,
    /// <summary>Reserved bits in the pin-based VM-execution controls must be set according to IA32_VMX_(TRUE_)PINBASED_CTLS (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PinBasedReserved = 0x0201,
    /// <summary>Reserved bits in the primary processor-based controls must be set according to IA32_VMX_(TRUE_)PROCBASED_CTLS (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PrimaryProcessorReserved = 0x0202,
    /// <summary>With 'activate secondary controls', reserved bits in the secondary controls must be set according to IA32_VMX_PROCBASED_CTLS2 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    SecondaryProcessorReserved = 0x0203,
    /// <summary>With 'activate tertiary controls', bits of the tertiary controls not allowed by IA32_VMX_PROCBASED_CTLS3 must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    TertiaryProcessorReserved = 0x0204,
    /// <summary>The CR3-target count must not exceed the number IA32_VMX_MISC bits 24:16 report (Intel SDM Vol. 3C §27.2.1.1).</summary>
    Cr3TargetCount = 0x0205,
    /// <summary>With 'use I/O bitmaps', I/O bitmap A must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    IoBitmapAAddress = 0x0206,
    /// <summary>With 'use I/O bitmaps', I/O bitmap B must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    IoBitmapBAddress = 0x0207,
    /// <summary>With 'use MSR bitmaps', the MSR-bitmap address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    MsrBitmapAddress = 0x0208,
    /// <summary>With 'use TPR shadow', the virtual-APIC address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VirtualApicAddress = 0x0209,
    /// <summary>With 'use TPR shadow' and no 'virtual-interrupt delivery', bits 31:4 of the TPR threshold must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    TprThresholdHighBits = 0x020A,
    /// <summary>With 'use TPR shadow', no 'virtual-interrupt delivery' and no 'virtualize APIC accesses', TPR threshold bits 3:0 must not exceed VTPR bits 7:4 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    TprThresholdAboveVtpr = 0x020B,
    /// <summary>If 'NMI exiting' is 0, 'virtual NMIs' must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VirtualNmisWithoutNmiExiting = 0x020C,
    /// <summary>If 'virtual NMIs' is 0, 'NMI-window exiting' must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    NmiWindowWithoutVirtualNmis = 0x020D,
    /// <summary>With 'virtualize APIC accesses', the APIC-access address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    ApicAccessAddress = 0x020E,
    /// <summary>If 'use TPR shadow' is 0, 'virtualize x2APIC mode' must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    X2ApicModeWithoutTprShadow = 0x020F,
    /// <summary>If 'use TPR shadow' is 0, 'APIC-register virtualization' must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    ApicRegisterVirtualizationWithoutTprShadow = 0x0210,
    /// <summary>If 'use TPR shadow' is 0, 'virtual-interrupt delivery' must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VirtualInterruptDeliveryWithoutTprShadow = 0x0211,
    /// <summary>If 'virtualize x2APIC mode' is 1, 'virtualize APIC accesses' must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    X2ApicModeWithApicAccesses = 0x0212,
    /// <summary>If 'virtual-interrupt delivery' is 1, 'external-interrupt exiting' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VirtualInterruptDeliveryWithoutExternalInterruptExiting = 0x0213,
    /// <summary>If 'process posted interrupts' is 1, 'virtual-interrupt delivery' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PostedInterruptsWithoutVirtualInterruptDelivery = 0x0214,
    /// <summary>If 'process posted interrupts' is 1, 'acknowledge interrupt on exit' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PostedInterruptsWithoutAcknowledgeOnExit = 0x0215,
    /// <summary>If 'process posted interrupts' is 1, bits 15:8 of the notification vector must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PostedInterruptNotificationVector = 0x0216,
    /// <summary>If 'process posted interrupts' is 1, the descriptor address must be 64-byte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PostedInterruptDescriptorAddress = 0x0217,
    /// <summary>If 'enable VPID' is 1, the VPID must not be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VpidZero = 0x0218,
    /// <summary>If 'enable EPT' is 1, EPTP bits 2:0 must be a memory type IA32_VMX_EPT_VPID_CAP allows (UC or WB) (Intel SDM Vol. 3C §27.2.1.1).</summary>
    EptpMemoryType = 0x0219,
    /// <summary>If 'enable EPT' is 1, EPTP bits 5:3 must be 3 (4-level) or 4 (5-level) as supported (Intel SDM Vol. 3C §27.2.1.1).</summary>
    EptpWalkLength = 0x021A,
    /// <summary>If 'enable EPT' is 1, EPTP bit 6 may be 1 only if accessed/dirty flags are supported (Intel SDM Vol. 3C §27.2.1.1).</summary>
    EptpAccessedDirty = 0x021B,
    /// <summary>If 'enable EPT' is 1, EPTP reserved bits (11:7 unless supported, 63:MAXPHYADDR) must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    EptpReserved = 0x021C,
    /// <summary>If 'enable PML' is 1, 'enable EPT' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PmlWithoutEpt = 0x021D,
    /// <summary>If 'enable PML' is 1, the PML address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    PmlAddress = 0x021E,
    /// <summary>If 'unrestricted guest' is 1, 'enable EPT' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    UnrestrictedGuestWithoutEpt = 0x021F,
    /// <summary>If 'mode-based execute control for EPT' is 1, 'enable EPT' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    ModeBasedExecuteWithoutEpt = 0x0220,
    /// <summary>If 'sub-page write permissions for EPT' is 1, 'enable EPT' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    SubPageWriteWithoutEpt = 0x0221,
    /// <summary>If 'sub-page write permissions for EPT' is 1, SPPTP bits 11:0 and bits beyond the physical-address width must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    SubPagePermissionTablePointer = 0x0222,
    /// <summary>If 'enable VM functions' is 1, bits of the VM-function controls not allowed by IA32_VMX_VMFUNC must be 0 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VmFunctionControlsReserved = 0x0223,
    /// <summary>If EPTP switching is enabled, 'enable EPT' must be 1 (Intel SDM Vol. 3C §27.2.1.1).</summary>
    EptpSwitchingWithoutEpt = 0x0224,
    /// <summary>If EPTP switching is enabled, the EPTP-list address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    EptpListAddress = 0x0225,
    /// <summary>If 'VMCS shadowing' is 1, the VMREAD-bitmap address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VmreadBitmapAddress = 0x0226,
    /// <summary>If 'VMCS shadowing' is 1, the VMWRITE-bitmap address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VmwriteBitmapAddress = 0x0227,
    /// <summary>If 'EPT-violation #VE' is 1, the virtualization-exception information address must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.2.1.1).</summary>
    VirtualizationExceptionInfoAddress = 0x0228,
    /// <summary>Reserved bits in the primary VM-exit controls must be set according to IA32_VMX_(TRUE_)EXIT_CTLS (Intel SDM Vol. 3C §27.2.1.2).</summary>
    ExitReserved = 0x0301,
    /// <summary>With 'activate secondary controls', bits of the secondary VM-exit controls not allowed by IA32_VMX_EXIT_CTLS2 must be 0 (Intel SDM Vol. 3C §27.2.1.2).</summary>
    SecondaryExitReserved = 0x0302,
    /// <summary>If 'activate VMX-preemption timer' is 0, 'save VMX-preemption timer value' must be 0 (Intel SDM Vol. 3C §27.2.1.2).</summary>
    SavePreemptionTimerWithoutTimer = 0x0303,
    /// <summary>With a non-zero VM-exit MSR-store count, the address must be 16-byte aligned and the whole area within the physical-address width (Intel SDM Vol. 3C §27.2.1.2).</summary>
    ExitMsrStoreAddress = 0x0304,
    /// <summary>With a non-zero VM-exit MSR-load count, the address must be 16-byte aligned and the whole area within the physical-address width (Intel SDM Vol. 3C §27.2.1.2).</summary>
    ExitMsrLoadAddress = 0x0305,
    /// <summary>Reserved bits in the VM-entry controls must be set according to IA32_VMX_(TRUE_)ENTRY_CTLS (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EntryReserved = 0x0401,
    /// <summary>An injected event must not use interruption type 1 (reserved) (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventTypeReserved = 0x0402,
    /// <summary>Interruption type 7 (other event) requires support for 'monitor trap flag' (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventTypeOtherWithoutMtf = 0x0403,
    /// <summary>An injected NMI must use vector 2 (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventNmiVector = 0x0404,
    /// <summary>An injected hardware exception must use a vector no greater than 31 (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventHardwareExceptionVector = 0x0405,
    /// <summary>An injected 'other event' must use vector 0 (pending MTF VM exit) (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventOtherVector = 0x0406,
    /// <summary>The deliver-error-code bit must be 1 exactly for hardware exceptions that push an error code, in protected mode (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventErrorCodeMismatch = 0x0407,
    /// <summary>Bits 30:12 of the VM-entry interruption-information field must be 0 (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventInfoReserved = 0x0408,
    /// <summary>When delivering an error code, bits 31:16 of the VM-entry exception error code must be 0 (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventErrorCodeReserved = 0x0409,
    /// <summary>Software interrupts and exceptions need a VM-entry instruction length of 1-15 (0 only if IA32_VMX_MISC bit 30) (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EventInstructionLength = 0x040A,
    /// <summary>With a non-zero VM-entry MSR-load count, the address must be 16-byte aligned and the whole area within the physical-address width (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EntryMsrLoadAddress = 0x040B,
    /// <summary>Outside SMM, 'entry to SMM' must be 0 (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EntryToSmmOutsideSmm = 0x040C,
    /// <summary>Outside SMM, 'deactivate dual-monitor treatment' must be 0 (Intel SDM Vol. 3C §27.2.1.3).</summary>
    DeactivateDualMonitorOutsideSmm = 0x040D,
    /// <summary>'entry to SMM' and 'deactivate dual-monitor treatment' cannot both be 1 (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EntryToSmmAndDeactivateDualMonitor = 0x040E,
    /// <summary>Host CR0 must respect IA32_VMX_CR0_FIXED0/FIXED1 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostCr0Fixed = 0x0501,
    /// <summary>Host CR4 must respect IA32_VMX_CR4_FIXED0/FIXED1 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostCr4Fixed = 0x0502,
    /// <summary>If host CR4.CET is 1, host CR0.WP must be 1 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostCr4CetWithoutWp = 0x0503,
    /// <summary>Host CR3 must not set bits beyond the physical-address width (Intel SDM Vol. 3C §27.2.2).</summary>
    HostCr3Reserved = 0x0504,
    /// <summary>Host IA32_SYSENTER_ESP must be canonical (Intel SDM Vol. 3C §27.2.2).</summary>
    HostSysenterEspCanonical = 0x0505,
    /// <summary>Host IA32_SYSENTER_EIP must be canonical (Intel SDM Vol. 3C §27.2.2).</summary>
    HostSysenterEipCanonical = 0x0506,
    /// <summary>With 'load CET state', host IA32_S_CET bits 9:6 must be 0 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostSCetReserved = 0x0507,
    /// <summary>With 'load CET state', host SSP bits 1:0 must be 0 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostSspAlignment = 0x0508,
    /// <summary>With 'load CET state', host IA32_INTERRUPT_SSP_TABLE_ADDR must be canonical (Intel SDM Vol. 3C §27.2.2).</summary>
    HostIsstCanonical = 0x0509,
    /// <summary>With 'load IA32_PERF_GLOBAL_CTRL', reserved bits of the host value must be 0 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostPerfGlobalCtrlReserved = 0x050A,
    /// <summary>With 'load IA32_PAT', each byte of the host PAT must be 0, 1, 4, 5, 6 or 7 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostPatInvalid = 0x050B,
    /// <summary>With 'load IA32_EFER', reserved bits of the host EFER must be 0 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostEferReserved = 0x050C,
    /// <summary>With 'load IA32_EFER', host EFER.LMA must equal 'host address-space size' (Intel SDM Vol. 3C §27.2.2).</summary>
    HostEferLma = 0x050D,
    /// <summary>With 'load IA32_EFER', host EFER.LME must equal 'host address-space size' (Intel SDM Vol. 3C §27.2.2).</summary>
    HostEferLme = 0x050E,
    /// <summary>With 'load PKRS', bits 63:32 of host IA32_PKRS must be 0 (Intel SDM Vol. 3C §27.2.2).</summary>
    HostPkrsReserved = 0x050F,
    /// <summary>Host ES, CS, SS, DS, FS, GS and TR selectors must have RPL = 0 and TI = 0 (Intel SDM Vol. 3C §27.2.3).</summary>
    HostSelectorRplTi = 0x0601,
    /// <summary>The host CS selector must not be 0000H (Intel SDM Vol. 3C §27.2.3).</summary>
    HostCsSelectorZero = 0x0602,
    /// <summary>The host TR selector must not be 0000H (Intel SDM Vol. 3C §27.2.3).</summary>
    HostTrSelectorZero = 0x0603,
    /// <summary>If 'host address-space size' is 0, the host SS selector must not be 0000H (Intel SDM Vol. 3C §27.2.3).</summary>
    HostSsSelectorZero = 0x0604,
    /// <summary>Host FS, GS, GDTR, IDTR and TR bases must be canonical (Intel SDM Vol. 3C §27.2.3).</summary>
    HostBaseCanonical = 0x0605,
    /// <summary>Outside IA-32e mode, 'host address-space size' must be 0 (Intel SDM Vol. 3C §27.2.4).</summary>
    HostAddressSpaceOutsideIa32e = 0x0701,
    /// <summary>Outside IA-32e mode, 'IA-32e mode guest' must be 0 (Intel SDM Vol. 3C §27.2.4).</summary>
    Ia32eGuestOutsideIa32e = 0x0702,
    /// <summary>In IA-32e mode, 'host address-space size' must be 1 (Intel SDM Vol. 3C §27.2.4).</summary>
    HostAddressSpaceRequired = 0x0703,
    /// <summary>If 'host address-space size' is 0, 'IA-32e mode guest' must be 0 (Intel SDM Vol. 3C §27.2.4).</summary>
    Ia32eGuestWithoutHostAddressSpace = 0x0704,
    /// <summary>If 'host address-space size' is 0, host CR4.PCIDE must be 0 (Intel SDM Vol. 3C §27.2.4).</summary>
    HostPcideWithoutAddressSpace = 0x0705,
    /// <summary>If 'host address-space size' is 0, bits 63:32 of host RIP must be 0 (Intel SDM Vol. 3C §27.2.4).</summary>
    HostRipHighWithoutAddressSpace = 0x0706,
    /// <summary>If 'host address-space size' is 1, host CR4.PAE must be 1 (Intel SDM Vol. 3C §27.2.4).</summary>
    HostPaeRequired = 0x0707,
    /// <summary>If 'host address-space size' is 1, host RIP must be canonical (Intel SDM Vol. 3C §27.2.4).</summary>
    HostRipCanonical = 0x0708,
    /// <summary>Guest CR0 must respect IA32_VMX_CR0_FIXED0/FIXED1 (PE and PG free with unrestricted guest) (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestCr0Fixed = 0x0801,
    /// <summary>If guest CR0.PG is 1, CR0.PE must be 1 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestCr0PgWithoutPe = 0x0802,
    /// <summary>Guest CR4 must respect IA32_VMX_CR4_FIXED0/FIXED1 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestCr4Fixed = 0x0803,
    /// <summary>If guest CR4.CET is 1, CR0.WP must be 1 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestCr4CetWithoutWp = 0x0804,
    /// <summary>With 'load debug controls', reserved bits of guest IA32_DEBUGCTL must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestDebugCtlReserved = 0x0805,
    /// <summary>With 'IA-32e mode guest', guest CR0.PG must be 1 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestIa32eWithoutPaging = 0x0806,
    /// <summary>With 'IA-32e mode guest', guest CR4.PAE must be 1 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestIa32eWithoutPae = 0x0807,
    /// <summary>Without 'IA-32e mode guest', guest CR4.PCIDE must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestPcideOutsideIa32e = 0x0808,
    /// <summary>Guest CR3 must not set bits beyond the physical-address width (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestCr3Reserved = 0x0809,
    /// <summary>With 'load debug controls', bits 63:32 of guest DR7 must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestDr7High = 0x080A,
    /// <summary>Guest IA32_SYSENTER_ESP must be canonical (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestSysenterEspCanonical = 0x080B,
    /// <summary>Guest IA32_SYSENTER_EIP must be canonical (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestSysenterEipCanonical = 0x080C,
    /// <summary>With 'load CET state', guest IA32_S_CET bits 9:6 must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestSCetReserved = 0x080D,
    /// <summary>With 'load CET state', guest SSP bits 1:0 must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestSspAlignment = 0x080E,
    /// <summary>With 'load CET state', guest IA32_INTERRUPT_SSP_TABLE_ADDR must be canonical (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestIsstCanonical = 0x080F,
    /// <summary>With 'load IA32_PERF_GLOBAL_CTRL', reserved bits of the guest value must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestPerfGlobalCtrlReserved = 0x0810,
    /// <summary>With 'load IA32_PAT', each byte of the guest PAT must be 0, 1, 4, 5, 6 or 7 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestPatInvalid = 0x0811,
    /// <summary>With 'load IA32_EFER', reserved bits of guest EFER must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestEferReserved = 0x0812,
    /// <summary>With 'load IA32_EFER', guest EFER.LMA must equal 'IA-32e mode guest' (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestEferLma = 0x0813,
    /// <summary>With 'load IA32_EFER' and guest CR0.PG = 1, EFER.LME must equal 'IA-32e mode guest' (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestEferLme = 0x0814,
    /// <summary>With 'load IA32_BNDCFGS', bits 4:2 must be 0 and bits 63:12 canonical (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestBndcfgsReserved = 0x0815,
    /// <summary>With 'load PKRS', bits 63:32 of guest IA32_PKRS must be 0 (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestPkrsReserved = 0x0816,
    /// <summary>The TI flag of the guest TR selector must be 0 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestTrTi = 0x0901,
    /// <summary>If LDTR is usable, the TI flag of its selector must be 0 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestLdtrTi = 0x0902,
    /// <summary>Outside virtual-8086 mode and without unrestricted guest, SS.RPL must equal CS.RPL (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSsRplNotCsRpl = 0x0903,
    /// <summary>In virtual-8086 mode, each segment base must be the selector shifted left by 4 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestV86Base = 0x0904,
    /// <summary>TR, FS, GS (and usable LDTR) bases must be canonical (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestBaseCanonical = 0x0905,
    /// <summary>Bits 63:32 of the CS base (and of usable SS, DS, ES bases) must be 0 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestBaseHigh = 0x0906,
    /// <summary>In virtual-8086 mode, each segment limit must be FFFFH (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestV86Limit = 0x0907,
    /// <summary>In virtual-8086 mode, each segment's access rights must be F3H (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestV86AccessRights = 0x0908,
    /// <summary>CS type must be 9, 11, 13 or 15 (also 3 with unrestricted guest) (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestCsType = 0x0909,
    /// <summary>If SS is usable, its type must be 3 or 7 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSsType = 0x090A,
    /// <summary>Usable DS, ES, FS, GS must be accessed, and readable if code (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestDataSegmentType = 0x090B,
    /// <summary>CS and usable SS, DS, ES, FS, GS must have S = 1 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSegmentNotCodeOrData = 0x090C,
    /// <summary>CS DPL must be 0 for type 3, equal SS DPL for non-conforming and not exceed SS DPL for conforming code (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestCsDpl = 0x090D,
    /// <summary>SS DPL must equal SS.RPL (without unrestricted guest) and be 0 when CS type is 3 or CR0.PE is 0 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSsDpl = 0x090E,
    /// <summary>Without unrestricted guest, usable DS, ES, FS, GS of type 0-11 must have DPL &gt;= RPL (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestDataSegmentDpl = 0x090F,
    /// <summary>CS and usable SS, DS, ES, FS, GS must be present (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSegmentNotPresent = 0x0910,
    /// <summary>Access-rights bits 11:8 and 31:17 must be 0 for CS and usable segments (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSegmentArReserved = 0x0911,
    /// <summary>With 'IA-32e mode guest' and CS.L = 1, CS.D/B must be 0 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestCsDbWithL = 0x0912,
    /// <summary>G must be 0 if any of limit bits 11:0 is 0 and 1 if any of limit bits 31:20 is 1 (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSegmentGranularity = 0x0913,
    /// <summary>TR type must be 11 (busy 64-bit TSS) in IA-32e mode, 3 or 11 otherwise (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestTrType = 0x0914,
    /// <summary>TR must have S = 0, P = 1, bits 11:8 and 31:17 zero, valid G, and be usable (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestTrAccessRights = 0x0915,
    /// <summary>A usable LDTR must have type 2, S = 0, P = 1, bits 11:8 and 31:17 zero and valid G (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestLdtrAccessRights = 0x0916,
    /// <summary>Guest GDTR and IDTR bases must be canonical (Intel SDM Vol. 3C §27.3.1.3).</summary>
    GuestDescriptorTableBaseCanonical = 0x0A01,
    /// <summary>Bits 31:16 of the guest GDTR and IDTR limits must be 0 (Intel SDM Vol. 3C §27.3.1.3).</summary>
    GuestDescriptorTableLimitHigh = 0x0A02,
    /// <summary>Outside 64-bit mode (IA-32e guest with CS.L = 1), bits 63:32 of guest RIP must be 0 (Intel SDM Vol. 3C §27.3.1.4).</summary>
    GuestRipHigh = 0x0B01,
    /// <summary>In 64-bit mode, guest RIP must be canonical (Intel SDM Vol. 3C §27.3.1.4).</summary>
    GuestRipCanonical = 0x0B02,
    /// <summary>RFLAGS bits 63:22, 15, 5, 3 must be 0 and bit 1 must be 1 (Intel SDM Vol. 3C §27.3.1.4).</summary>
    GuestRflagsReserved = 0x0B03,
    /// <summary>With 'IA-32e mode guest' or CR0.PE = 0, RFLAGS.VM must be 0 (Intel SDM Vol. 3C §27.3.1.4).</summary>
    GuestRflagsVm = 0x0B04,
    /// <summary>Injecting an external interrupt requires RFLAGS.IF = 1 (Intel SDM Vol. 3C §27.3.1.4).</summary>
    GuestRflagsIfForInterrupt = 0x0B05,
    /// <summary>The activity state must be 0-3 and supported (IA32_VMX_MISC bits 8:6) (Intel SDM Vol. 3C §27.3.1.5).</summary>
    ActivityStateInvalid = 0x0C01,
    /// <summary>The activity state must not be HLT when SS.DPL is not 0 (Intel SDM Vol. 3C §27.3.1.5).</summary>
    ActivityHltWithSsDpl = 0x0C02,
    /// <summary>The activity state must be active with blocking by STI or MOV SS (Intel SDM Vol. 3C §27.3.1.5).</summary>
    ActivityNotActiveWithBlocking = 0x0C03,
    /// <summary>The injected event must be allowed in the activity state (HLT, shutdown, wait-for-SIPI) (Intel SDM Vol. 3C §27.3.1.5).</summary>
    ActivityEventInjection = 0x0C04,
    /// <summary>With 'entry to SMM', the activity state must not be wait-for-SIPI (Intel SDM Vol. 3C §27.3.1.5).</summary>
    ActivityWaitForSipiWithEntryToSmm = 0x0C05,
    /// <summary>Interruptibility-state bits 31:5 must be 0 (Intel SDM Vol. 3C §27.3.1.5).</summary>
    InterruptibilityReserved = 0x0C06,
    /// <summary>Blocking by STI and by MOV SS cannot both be 1 (Intel SDM Vol. 3C §27.3.1.5).</summary>
    InterruptibilityStiAndMovSs = 0x0C07,
    /// <summary>Blocking by STI must be 0 when RFLAGS.IF is 0 (Intel SDM Vol. 3C §27.3.1.5).</summary>
    InterruptibilityStiWithoutIf = 0x0C08,
    /// <summary>Blocking by STI (external interrupt) or MOV SS (external interrupt or NMI) must be 0 when injecting (Intel SDM Vol. 3C §27.3.1.5).</summary>
    InterruptibilityBlockingWithInjection = 0x0C09,
    /// <summary>Blocking by SMI must be 0 outside SMM (Intel SDM Vol. 3C §27.3.1.5).</summary>
    InterruptibilitySmiOutsideSmm = 0x0C0A,
    /// <summary>Blocking by SMI must be 1 with 'entry to SMM' (Intel SDM Vol. 3C §27.3.1.5).</summary>
    InterruptibilitySmiWithEntryToSmm = 0x0C0B,
    /// <summary>Blocking by NMI must be 0 when injecting an NMI with 'virtual NMIs' (Intel SDM Vol. 3C §27.3.1.5).</summary>
    InterruptibilityNmiWithVirtualNmiInjection = 0x0C0C,
    /// <summary>Pending debug exceptions bits 11:4, 13, 15 and 63:16 must be 0 (Intel SDM Vol. 3C §27.3.1.5).</summary>
    PendingDebugReserved = 0x0C0D,
    /// <summary>With STI/MOV SS blocking or HLT, pending BS must be 1 exactly when RFLAGS.TF = 1 and DEBUGCTL.BTF = 0 (Intel SDM Vol. 3C §27.3.1.5).</summary>
    PendingDebugBs = 0x0C0E,
    /// <summary>A VMCS link pointer other than all ones must be 4-KByte aligned and within the physical-address width (Intel SDM Vol. 3C §27.3.1.5).</summary>
    VmcsLinkPointerAddress = 0x0C0F,
    /// <summary>The VMCS the link pointer references must carry the revision identifier, with the shadow bit equal to 'VMCS shadowing' (Intel SDM Vol. 3C §27.3.1.5).</summary>
    VmcsLinkPointerRevision = 0x0C10,
    /// <summary>With PAE paging, present PDPTEs must have bits 2:1, 8:5 and 63:MAXPHYADDR clear (Intel SDM Vol. 3C §27.3.1.6).</summary>
    PdpteReserved = 0x0D01,
    /// <summary>The VM-entry MSR-load area must not load IA32_FS_BASE or IA32_GS_BASE (Intel SDM Vol. 3C §27.4).</summary>
    MsrLoadFsGsBase = 0x0E01,
    /// <summary>The VM-entry MSR-load area must not load x2APIC MSRs (800H-8FFH) (Intel SDM Vol. 3C §27.4).</summary>
    MsrLoadX2Apic = 0x0E02,
    /// <summary>Outside SMM, the VM-entry MSR-load area must not load IA32_SMM_MONITOR_CTL (Intel SDM Vol. 3C §27.4).</summary>
    MsrLoadSmmOnly = 0x0E03,
    /// <summary>Bits 63:32 of each MSR-load entry must be 0 (Intel SDM Vol. 3C §27.4).</summary>
    MsrLoadReservedBits = 0x0E04,
    /// <summary>The value must not make WRMSR fault (non-canonical base, reserved EFER/PAT bits) (Intel SDM Vol. 3C §27.4).</summary>
    MsrLoadWouldFault = 0x0E05,
}
