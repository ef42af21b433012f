using System;
using Xen.Sdk.Paging.Capabilities;
using Xunit;

namespace Xen.Sdk.Paging.Tests;

/// <summary>Bit positions of IA32_VMX_EPT_VPID_CAP (Intel SDM Vol. 3D Appendix A.10), one vector per accessor: a value
/// with only that bit set turns on that accessor and no other.</summary>
public sealed class EptVpidCapabilityVectors
{
    private static readonly (int Bit, Func<EptVpidCapabilities, bool> Get, string Name)[] Table =
    [
        (0, c => c.ExecuteOnly, "execute-only"),
        (6, c => c.PageWalk4, "page-walk length 4"),
        (7, c => c.PageWalk5, "page-walk length 5"),
        (8, c => c.MemoryTypeUncacheable, "UC paging-structure type"),
        (14, c => c.MemoryTypeWriteBack, "WB paging-structure type"),
        (16, c => c.Pages2MiB, "2-MByte pages"),
        (17, c => c.Pages1GiB, "1-GByte pages"),
        (20, c => c.Invept, "INVEPT"),
        (21, c => c.AccessedDirty, "accessed and dirty flags"),
        (22, c => c.AdvancedExitInformation, "advanced VM-exit information"),
        (23, c => c.SupervisorShadowStack, "supervisor shadow-stack control"),
        (25, c => c.InveptSingleContext, "single-context INVEPT"),
        (26, c => c.InveptAllContext, "all-context INVEPT"),
        (32, c => c.Invvpid, "INVVPID"),
        (40, c => c.InvvpidIndividualAddress, "individual-address INVVPID"),
        (41, c => c.InvvpidSingleContext, "single-context INVVPID"),
        (42, c => c.InvvpidAllContext, "all-context INVVPID"),
        (43, c => c.InvvpidSingleContextRetainingGlobals, "single-context-retaining-globals INVVPID"),
    ];

    [Fact]
    public void Each_accessor_reads_exactly_its_bit()
    {
        foreach (var (bit, _, name) in Table)
        {
            var caps = new EptVpidCapabilities(1UL << bit);
            foreach (var (otherBit, get, otherName) in Table)
            {
                Assert.True(get(caps) == (otherBit == bit), $"bit {bit} ({name}) seen by '{otherName}': {get(caps)}");
            }
        }
    }

    [Fact]
    public void Bochs_skylake_x_snapshot_offers_every_invalidation_type()
    {
        // The snapshot equals what Bochs' corei7_skylake_x reports in MSR 0x48C (CpuModelProbeTests boots the probe).
        var c = CpuModels.BochsCoreI7SkylakeX.EptCapabilities;
        Assert.True(c.InveptSingleContext && c.InveptAllContext);
        Assert.True(c.InvvpidIndividualAddress && c.InvvpidSingleContext && c.InvvpidAllContext && c.InvvpidSingleContextRetainingGlobals);
    }
}
