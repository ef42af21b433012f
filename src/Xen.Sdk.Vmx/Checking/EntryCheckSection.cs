namespace Xen.Sdk.Vmx.Checking;

/// <summary>SDM section groups of the VM-entry checks, in the order the SDM lists them (Intel SDM Vol. 3C Chapter 27).</summary>
public enum EntryCheckSection : byte
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Basic VM-entry checks (Intel SDM Vol. 3C §27.1).</summary>
    Basic = 1,
    /// <summary>VM-execution control fields (Intel SDM Vol. 3C §27.2.1.1).</summary>
    ExecutionControls = 2,
    /// <summary>VM-exit control fields (Intel SDM Vol. 3C §27.2.1.2).</summary>
    ExitControls = 3,
    /// <summary>VM-entry control fields (Intel SDM Vol. 3C §27.2.1.3).</summary>
    EntryControls = 4,
    /// <summary>Host control registers and MSRs (Intel SDM Vol. 3C §27.2.2).</summary>
    HostControlRegistersAndMsrs = 5,
    /// <summary>Host segment and descriptor-table registers (Intel SDM Vol. 3C §27.2.3).</summary>
    HostSegmentRegisters = 6,
    /// <summary>Checks related to address-space size (Intel SDM Vol. 3C §27.2.4).</summary>
    AddressSpaceSize = 7,
    /// <summary>Guest control registers, debug registers and MSRs (Intel SDM Vol. 3C §27.3.1.1).</summary>
    GuestControlRegistersAndMsrs = 8,
    /// <summary>Guest segment registers (Intel SDM Vol. 3C §27.3.1.2).</summary>
    GuestSegmentRegisters = 9,
    /// <summary>Guest descriptor-table registers (Intel SDM Vol. 3C §27.3.1.3).</summary>
    GuestDescriptorTables = 10,
    /// <summary>Guest RIP and RFLAGS (Intel SDM Vol. 3C §27.3.1.4).</summary>
    GuestRipAndRflags = 11,
    /// <summary>Guest non-register state (Intel SDM Vol. 3C §27.3.1.5).</summary>
    GuestNonRegisterState = 12,
    /// <summary>Guest page-directory-pointer-table entries (Intel SDM Vol. 3C §27.3.1.6).</summary>
    GuestPdptes = 13,
    /// <summary>Loading MSRs (Intel SDM Vol. 3C §27.4).</summary>
    MsrLoading = 14,
}
