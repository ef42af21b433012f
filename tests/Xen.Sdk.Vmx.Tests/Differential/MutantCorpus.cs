using System;
using System.Collections.Generic;
using Xen.Sdk.Vmx.Differential;

namespace Xen.Sdk.Vmx.Tests.Differential;

/// <summary>
/// Generates the mutant corpus for the differential run against Bochs: from the valid template, 1-3 edits per
/// mutant on control, host and guest fields (mostly single-bit flips, some whole-value replacements with
/// interesting values), deterministic for a seed. Fields whose checks read memory the kernel owns
/// (MSR-load counts, VMCS link pointer) are left out so predictions do not depend on unmodelled memory.
/// </summary>
public static class MutantCorpus
{
    public static readonly VmcsFieldId[] ControlFields =
    [
        VmcsFields.PinBasedControls.Id, VmcsFields.PrimaryProcessorBasedControls.Id, VmcsFields.SecondaryProcessorBasedControls.Id,
        VmcsFields.PrimaryExitControls.Id, VmcsFields.EntryControls.Id, VmcsFields.EntryInterruptionInfo.Id, VmcsFields.EntryExceptionErrorCode.Id,
        VmcsFields.EntryInstructionLength.Id, VmcsFields.Cr3TargetCount.Id, VmcsFields.EptPointer.Id, VmcsFields.VirtualProcessorId.Id,
        VmcsFields.IoBitmapAAddress.Id, VmcsFields.MsrBitmapAddress.Id, VmcsFields.TprThreshold.Id, VmcsFields.PostedInterruptNotificationVector.Id,
    ];

    public static readonly VmcsFieldId[] HostFields =
    [
        VmcsFields.HostCr0.Id, VmcsFields.HostCr3.Id, VmcsFields.HostCr4.Id, VmcsFields.HostCsSelector.Id, VmcsFields.HostSsSelector.Id,
        VmcsFields.HostDsSelector.Id, VmcsFields.HostTrSelector.Id, VmcsFields.HostFsBase.Id, VmcsFields.HostGsBase.Id, VmcsFields.HostTrBase.Id,
        VmcsFields.HostGdtrBase.Id, VmcsFields.HostIdtrBase.Id, VmcsFields.HostRip.Id, VmcsFields.HostIa32SysenterEip.Id, VmcsFields.HostIa32Efer.Id,
        VmcsFields.HostIa32Pat.Id,
    ];

    public static readonly VmcsFieldId[] GuestFields =
    [
        VmcsFields.GuestCr0.Id, VmcsFields.GuestCr3.Id, VmcsFields.GuestCr4.Id, VmcsFields.GuestDr7.Id, VmcsFields.GuestRflags.Id, VmcsFields.GuestRip.Id,
        VmcsFields.GuestCsSelector.Id, VmcsFields.GuestCsAccessRights.Id, VmcsFields.GuestCsLimit.Id, VmcsFields.GuestCsBase.Id,
        VmcsFields.GuestSsSelector.Id, VmcsFields.GuestSsAccessRights.Id, VmcsFields.GuestDsAccessRights.Id, VmcsFields.GuestDsLimit.Id,
        VmcsFields.GuestFsBase.Id, VmcsFields.GuestTrSelector.Id, VmcsFields.GuestTrAccessRights.Id, VmcsFields.GuestTrLimit.Id,
        VmcsFields.GuestLdtrAccessRights.Id, VmcsFields.GuestGdtrLimit.Id, VmcsFields.GuestIdtrBase.Id, VmcsFields.GuestActivityState.Id,
        VmcsFields.GuestInterruptibilityState.Id, VmcsFields.GuestPendingDebugExceptions.Id, VmcsFields.GuestIa32Efer.Id, VmcsFields.GuestIa32Pat.Id,
        VmcsFields.GuestIa32DebugCtl.Id, VmcsFields.GuestIa32SysenterEsp.Id,
    ];

    private static readonly ulong[] Interesting = [0, 1, 0xFFFF, 0xFFFF_FFFF, 0x8000_0000_0000, 0xFFFF_8000_0000_0000, 0x1_0000_0000, 0x10_0000_0000, ulong.MaxValue, 0x8000_0B0E, 0x8000_0202, 0x8000_0020];

    /// <summary>Builds the corpus into a list builder.</summary>
    /// <param name="builder">Builder over the base image and capabilities.</param>
    /// <param name="count">Mutants.</param>
    /// <param name="seed">Seed.</param>
    public static void Fill(MutantListBuilder builder, int count, int seed)
    {
        var rng = new Random(seed);
        var edits = new List<MutantEdit>();
        for (int i = 0; i < count; i++)
        {
            edits.Clear();
            int n = 1 + rng.Next(3);
            // Rotate the main target over controls, host and guest so each part is well covered.
            VmcsFieldId[] pool = (i % 3) switch { 0 => ControlFields, 1 => HostFields, _ => GuestFields };
            for (int k = 0; k < n; k++)
            {
                VmcsFieldId[] from = k == 0 ? pool : rng.Next(3) switch { 0 => ControlFields, 1 => HostFields, _ => GuestFields };
                VmcsFieldId f = from[rng.Next(from.Length)];
                int bits = VmcsEncoding.BitCount(f.Width);
                edits.Add(rng.Next(5) == 0
                    ? new MutantEdit(f.Encoding, MutantOperation.Set, Interesting[rng.Next(Interesting.Length)])
                    : new MutantEdit(f.Encoding, MutantOperation.Xor, 1UL << rng.Next(bits)));
            }

            builder.Add((uint)i, edits.ToArray());
        }
    }
}
