using System;
using System.Linq;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>The same image and guests on Bochs 2.7's <c>corei7_skylake_x</c> model (Intel VMX with EPT, VPID and
/// unrestricted guest), one boot for every guest. The oracle for the guests is the SVM backend under QEMU: each guest's
/// RESULT line must carry the same outcome and the same handled-exit counts on both vendors. The oracle for VPIDs,
/// INVVPID and INVEPT is Bochs executing them (a malformed descriptor or unsupported type is VMfail; an entry with
/// "enable VPID" and VPID 0 is VMfailValid 7).</summary>
public sealed class BochsVmxTests
{
    [Fact]
    public void SkylakeXRunsEveryGuestWithTheSameResultsAsSvm()
    {
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required");
        // vpids=2: the pool is VPIDs 1 and 2, so from the third guest on every VPID is a reused one. No special Bochs
        // settings: under VMX Bochs 2.7 delivers the guest triple fault as VM exit 2 even with reset_on_triple_fault=1.
        var vmx = KernelImage.RunBochs("corei7_skylake_x", TimeSpan.FromSeconds(150), KernelImage.AllGuestsIso("run=all vpids=2 asids=3"));
        Assert.True(vmx.Done != null, "no XENSDK DONE line:\n" + vmx.Text);
        Assert.Equal(1, vmx.Boots);
        Assert.Equal("0x2b", vmx.Vmx!["revision"]);
        Assert.DoesNotContain(vmx.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
        KernelImage.AssertSameResultsAsQemu(vmx, "VMX on Bochs corei7_skylake_x");
        Assert.All(vmx.Results, r => Assert.Equal("vmx", r["vendor"]));

        Assert.Equal("poweroff", vmx.Result("long64")["reason"]);
        Assert.Equal("halted", vmx.Result("real16")["outcome"]);
        Assert.Equal("10", vmx.Result("mmio")["mmio"]);
        Assert.Equal("unmapped-mmio", vmx.Result("misbehave")["fault"]);
        // The guest's #UD went back to the guest (the #UD intercept only serves VMMCALL emulation); with an empty IDT it
        // escalated to a triple fault, VM exit reason 2 (Intel SDM Vol. 3C §26.2).
        Assert.Equal("triple-fault", vmx.Result("triple")["fault"]);
        Assert.Equal("0", vmx.Result("triple")["exception"]);
        // Xen.Sdk.Vmx's VM-entry checker (with VPID on): every well-formed VMCS passes before VMLAUNCH; the broken one is
        // predicted to fail as a VM-entry failure (kind 3), and Bochs reports exactly that (exit reason 80000021H).
        Assert.All(vmx.Checks.Where(c => c["guest"] != "badvmcb"), c => Assert.Equal("0", c["failures"]));
        var before = vmx.Checks.Single(c => c["guest"] == "badvmcb" && c["when"] == "before-first-vmlaunch");
        Assert.NotEqual("0", before["failures"]);
        Assert.Equal("3", before["outcome"]);
        Assert.Contains("XENSDK VMENTRY-FAILURE guest=badvmcb status=0 error=0 exit_reason=0x80000021", vmx.Text, StringComparison.Ordinal);
        Assert.Equal("entry-failure", vmx.Result("badvmcb")["fault"]);
        Assert.Equal("0", vmx.Done!["timeout"]);
        BenchLine.AssertSane(Assert.Single(vmx.Bench));

        // VPIDs: enabled from the capability MSRs; INVVPID and INVEPT single-context (IA32_VMX_EPT_VPID_CAP bits 41, 25).
        Assert.Equal("1", vmx.Vmx["vpid"]);
        Assert.Equal("2", vmx.Vmx["vpid_pool"]);
        Assert.Equal("1", vmx.Vmx["invvpid_type"]);
        Assert.Equal("1", vmx.Vmx["invept_type"]);
        Assert.Equal(KernelImage.GuestNames.Length, vmx.Runs.Count);
        for (int i = 0; i < vmx.Runs.Count; i++)
        {
            var r = vmx.Runs[i];
            Assert.Equal((i % 2 + 1).ToString(), r["vpid"]);               // Xen.Sdk.Vmx's VpidAllocator, next-fit
            Assert.Equal(i < 2 ? "0" : "1", r["invvpid"]);                // a reused VPID is flushed before it is handed out
            Assert.Equal("1", r["invept"]);
            Assert.Equal("0", r["invept_status"]);                          // VMsucceed
        }
        Assert.Equal("0", vmx.Done["heap_allocs_during_guests"]);          // nothing allocated after boot
    }

    [Fact]
    public void PenrynWithoutEptIsRefusedWithTheControlsNamed()
    {
        // core2_penryn_t9600 has VMX but neither EPT nor unrestricted guest: Xen.Sdk.Vmx's control adjustment reports
        // secondary controls 82H (bits 1 and 7) as refused, and the kernel stops with a status naming both.
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        var log = KernelImage.RunBochs("core2_penryn_t9600", TimeSpan.FromSeconds(60));
        Assert.Equal("0x82", log.Vmx!["refused_secondary"]);
        Assert.Equal("0", log.Vmx["vpid"]);                                 // no secondary controls for VPID either
        var r = Assert.Single(log.Results);
        Assert.Equal("none", r["guest"]);
        Assert.Equal("error", r["outcome"]);
        Assert.Equal("VMX-without-EPT-and-unrestricted-guest", r["fault"]);
    }
}
