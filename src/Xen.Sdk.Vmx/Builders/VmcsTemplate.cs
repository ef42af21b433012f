namespace Xen.Sdk.Vmx;

/// <summary>Addresses a <see cref="VmcsTemplate"/> puts into host and guest state.</summary>
public struct VmcsTemplateLayout
{
    /// <summary>Host RIP: the VM-exit entry point.</summary>
    public ulong HostRip;
    /// <summary>Host RSP on VM exit.</summary>
    public ulong HostRsp;
    /// <summary>Host CR3 (PML4 physical address).</summary>
    public ulong HostCr3;
    /// <summary>Host GDTR base (linear).</summary>
    public ulong HostGdtrBase;
    /// <summary>Host IDTR base (linear).</summary>
    public ulong HostIdtrBase;
    /// <summary>Host TR base (linear).</summary>
    public ulong HostTrBase;
    /// <summary>Guest RIP.</summary>
    public ulong GuestRip;
    /// <summary>Guest RSP.</summary>
    public ulong GuestRsp;
    /// <summary>Guest CR3.</summary>
    public ulong GuestCr3;
    /// <summary>Guest GDTR base.</summary>
    public ulong GuestGdtrBase;

    /// <summary>A layout with small, page-aligned addresses (tests and examples).</summary>
    public static VmcsTemplateLayout Default => new()
    {
        HostRip = 0xFFFF_FFFF_8000_1000,
        HostRsp = 0xFFFF_FFFF_8010_0000,
        HostCr3 = 0x0010_0000,
        HostGdtrBase = 0xFFFF_FFFF_8000_3000,
        HostIdtrBase = 0xFFFF_FFFF_8000_4000,
        HostTrBase = 0xFFFF_FFFF_8000_5000,
        GuestRip = 0x0040_0000,
        GuestRsp = 0x0080_0000,
        GuestCr3 = 0x0020_0000,
        GuestGdtrBase = 0x0000_3000,
    };
}

/// <summary>
/// Complete, valid VMCS contents for common starting points, fitted to a processor's capabilities: every
/// field of the table is written (unused ones with 0, the link pointer with all ones), controls go through
/// control adjustment, CR0/CR4 through the fixed-bit MSRs. Start a bring-up or a mutation run from here.
/// </summary>
public static class VmcsTemplate
{
    /// <summary>
    /// A 64-bit host (host address-space size, flat CS/SS, busy TSS) and a flat 64-bit guest (IA-32e mode
    /// guest, CS.L = 1, paging with PAE, RFLAGS = 2, active, nothing injected), with HLT exiting and
    /// secondary controls activated (all 0). Guest state follows Intel SDM Vol. 3C §27.3.1; host state §27.2.2-§27.2.4.
    /// </summary>
    /// <param name="image">Image to fill (reset first, revision taken from the capabilities).</param>
    /// <param name="capabilities">Processor capabilities.</param>
    /// <param name="layout">Addresses.</param>
    public static void LongModeGuest(VmcsImage image, in VmxCapabilities capabilities, in VmcsTemplateLayout layout)
    {
        image.Reset(capabilities.RevisionId);
        for (int i = 0; i < VmcsFields.Count; i++)
        {
            image.Write(VmcsFields.IdAt(i), 0);
        }

        image.Write(VmcsFields.VmcsLinkPointer, ulong.MaxValue);

        // Controls (Intel SDM Vol. 3C §25.6-§25.8), adjusted to the processor.
        image.Write(VmcsFields.PinBasedControls, (uint)capabilities.AdjustPinBased(PinBasedControls.None).Value);
        PrimaryProcessorControls proc = PrimaryProcessorControls.HltExiting;
        if (capabilities.Supports(PrimaryProcessorControls.ActivateSecondaryControls))
        {
            proc |= PrimaryProcessorControls.ActivateSecondaryControls;
        }

        image.Write(VmcsFields.PrimaryProcessorBasedControls, (uint)capabilities.AdjustPrimaryProcessor(proc).Value);
        image.Write(VmcsFields.SecondaryProcessorBasedControls, (uint)capabilities.AdjustSecondaryProcessor(SecondaryProcessorControls.None).Value);
        image.Write(VmcsFields.PrimaryExitControls, (uint)capabilities.AdjustExit(ExitControls.HostAddressSpaceSize).Value);
        image.Write(VmcsFields.EntryControls, (uint)capabilities.AdjustEntry(EntryControls.Ia32eModeGuest).Value);

        // Host state: 64-bit, flat (Intel SDM Vol. 3C §25.5).
        const ulong cr0 = 0x8000_0031; // PG, NE, ET, PE
        const ulong cr4 = 0x20; // PAE
        image.Write(VmcsFields.HostCr0, capabilities.FixCr0(cr0 | 0x1_0000)); // + WP
        image.Write(VmcsFields.HostCr3, layout.HostCr3);
        image.Write(VmcsFields.HostCr4, capabilities.FixCr4(cr4));
        image.Write(VmcsFields.HostCsSelector, (ushort)0x08);
        image.Write(VmcsFields.HostSsSelector, (ushort)0x10);
        image.Write(VmcsFields.HostDsSelector, (ushort)0x10);
        image.Write(VmcsFields.HostEsSelector, (ushort)0x10);
        image.Write(VmcsFields.HostFsSelector, (ushort)0x10);
        image.Write(VmcsFields.HostGsSelector, (ushort)0x10);
        image.Write(VmcsFields.HostTrSelector, (ushort)0x18);
        image.Write(VmcsFields.HostTrBase, layout.HostTrBase);
        image.Write(VmcsFields.HostGdtrBase, layout.HostGdtrBase);
        image.Write(VmcsFields.HostIdtrBase, layout.HostIdtrBase);
        image.Write(VmcsFields.HostRip, layout.HostRip);
        image.Write(VmcsFields.HostRsp, layout.HostRsp);
        image.Write(VmcsFields.HostIa32Pat, 0x0007_0406_0007_0406UL);
        image.Write(VmcsFields.HostIa32Efer, 0x501UL); // SCE, LME, LMA

        // Guest state: flat 64-bit (Intel SDM Vol. 3C §25.4).
        image.Write(VmcsFields.GuestCr0, capabilities.FixCr0(cr0));
        image.Write(VmcsFields.GuestCr3, layout.GuestCr3);
        image.Write(VmcsFields.GuestCr4, capabilities.FixCr4(cr4));
        image.Write(VmcsFields.Cr0ReadShadow, cr0);
        image.Write(VmcsFields.Cr4ReadShadow, cr4);
        image.Write(VmcsFields.GuestDr7, 0x400UL);
        image.Write(VmcsFields.GuestRflags, 0x2UL);
        image.Write(VmcsFields.GuestRip, layout.GuestRip);
        image.Write(VmcsFields.GuestRsp, layout.GuestRsp);
        image.Write(VmcsFields.GuestCsSelector, (ushort)0x08);
        image.Write(VmcsFields.GuestCsLimit, 0xFFFF_FFFFu);
        image.Write(VmcsFields.GuestCsAccessRights, 0xA09Bu); // G, L, P, S, execute/read accessed code
        WriteData(image, VmcsFields.GuestSsSelector, VmcsFields.GuestSsLimit, VmcsFields.GuestSsAccessRights);
        WriteData(image, VmcsFields.GuestDsSelector, VmcsFields.GuestDsLimit, VmcsFields.GuestDsAccessRights);
        WriteData(image, VmcsFields.GuestEsSelector, VmcsFields.GuestEsLimit, VmcsFields.GuestEsAccessRights);
        WriteData(image, VmcsFields.GuestFsSelector, VmcsFields.GuestFsLimit, VmcsFields.GuestFsAccessRights);
        WriteData(image, VmcsFields.GuestGsSelector, VmcsFields.GuestGsLimit, VmcsFields.GuestGsAccessRights);
        image.Write(VmcsFields.GuestLdtrAccessRights, 0x1_0000u); // unusable
        image.Write(VmcsFields.GuestTrSelector, (ushort)0x18);
        image.Write(VmcsFields.GuestTrLimit, 0x67u);
        image.Write(VmcsFields.GuestTrAccessRights, 0x8Bu); // P, busy 64-bit TSS
        image.Write(VmcsFields.GuestGdtrBase, layout.GuestGdtrBase);
        image.Write(VmcsFields.GuestGdtrLimit, 0x27u);
        image.Write(VmcsFields.GuestIdtrLimit, 0xFFFu);
        image.Write(VmcsFields.GuestIa32Pat, 0x0007_0406_0007_0406UL);
        image.Write(VmcsFields.GuestIa32Efer, 0x500UL); // LME, LMA
        image.LaunchState = VmcsLaunchState.Clear;
    }

    private static void WriteData(VmcsImage image, VmcsField16 selector, VmcsField32 limit, VmcsField32 accessRights)
    {
        image.Write(selector, (ushort)0x10);
        image.Write(limit, 0xFFFF_FFFFu);
        image.Write(accessRights, 0xC093u); // G, D/B, P, S, read/write accessed data
    }
}
