using System;
using System.Linq;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>The same image and guests from the GRUB ISO on Bochs 2.7's <c>corei7_skylake_x</c> model (Intel VMX with
/// EPT and unrestricted guest), one boot for every guest the ISO runs. The oracle is the SVM backend under QEMU
/// (booted here too, ~1 s): each guest's RESULT line must carry the same outcome and the same handled-exit counts on
/// both vendors.</summary>
public sealed class BochsVmxTests
{
    /// <summary>RESULT keys that do not depend on the vendor (exits/rip/ms do: external-interrupt exits, the
    /// entry-failure RIP, emulator speed).</summary>
    internal static readonly string[] VendorNeutralKeys =
    {
        "outcome", "reason", "fault", "cpuid", "io", "hlt", "msr_read", "msr_write", "hypercall", "npf", "mmio",
        "console_io", "xen_version", "sched_op", "enosys", "rejected", "console_bytes", "hypercall_page", "allocs",
        // Interrupt delivery and Xen services (irq_window_exits depends on which exit opened the window: not compared).
        "irq_window", "irq_injected", "evtchn_op", "hvm_op", "memory_op", "grant_table_op", "grant_copy_bytes", "upcalls", "events", "xenstore",
        "xenstore_errors", "ring_errors", "xs_reconnects", "xs_watch_events", "console_ring_bytes",
    };

    [Fact]
    public void SkylakeXRunsEveryGuestWithTheSameResultsAsSvm()
    {
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required");
        var vmx = KernelImage.RunBochs("corei7_skylake_x", TimeSpan.FromSeconds(120));
        Assert.True(vmx.Done != null, "no XENSDK DONE line:\n" + vmx.Text);
        Assert.Contains("XENSDK VMX revision=0x2b", vmx.Text, StringComparison.Ordinal);
        Assert.Contains("vendor=vmx", vmx.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(vmx.Console, l => l.Contains("FAIL", StringComparison.Ordinal));

        var guests = KernelImage.GuestNames.Where(g => g != "triple").ToArray();   // the ISO skips triple (see BochsSvmTests)
        var svm = KernelImage.RunQemu("all", guests, TimeSpan.FromSeconds(60));
        Assert.Equal(guests.Length, svm.Results.Count);
        Assert.Equal(guests.Length, vmx.Results.Count);
        foreach (string guest in guests)
        {
            var a = svm.Result(guest);
            var b = vmx.Result(guest);
            Assert.Equal("vmx", b["vendor"]);
            foreach (string key in VendorNeutralKeys)
                Assert.True(a[key] == b[key], $"{guest}: {key} is {a[key]} under SVM (QEMU) but {b[key]} under VMX (Bochs)");
        }

        Assert.Equal("poweroff", vmx.Result("long64")["reason"]);
        Assert.Equal("halted", vmx.Result("real16")["outcome"]);
        Assert.Equal("10", vmx.Result("mmio")["mmio"]);
        Assert.Equal("unmapped-mmio", vmx.Result("misbehave")["fault"]);
        // Xen.Sdk.Vmx's VM-entry checker: every well-formed VMCS passes before VMLAUNCH; the broken one is predicted
        // to fail as a VM-entry failure (kind 3), and Bochs reports exactly that (exit reason 80000021H).
        Assert.All(vmx.Checks.Where(c => c["guest"] != "badvmcb"), c => Assert.Equal("0", c["failures"]));
        var before = vmx.Checks.Single(c => c["guest"] == "badvmcb" && c["when"] == "before-first-vmlaunch");
        Assert.NotEqual("0", before["failures"]);
        Assert.Equal("3", before["outcome"]);
        Assert.Contains("XENSDK VMENTRY-FAILURE guest=badvmcb status=0 error=0 exit_reason=0x80000021", vmx.Text, StringComparison.Ordinal);
        Assert.Equal("entry-failure", vmx.Result("badvmcb")["fault"]);
        Assert.Equal("0", vmx.Done!["timeout"]);
        Assert.Single(vmx.Bench);
    }

    [Fact]
    public void PenrynWithoutEptIsRefusedWithTheControlsNamed()
    {
        // core2_penryn_t9600 has VMX but neither EPT nor unrestricted guest: Xen.Sdk.Vmx's control adjustment reports
        // secondary controls 82H (bits 1 and 7) as refused, and the kernel stops with a clear result instead of running.
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        var log = KernelImage.RunBochs("core2_penryn_t9600", TimeSpan.FromSeconds(60));
        Assert.Contains("refused_secondary=0x82 ", log.Text, StringComparison.Ordinal);
        var r = Assert.Single(log.Results);
        Assert.Equal("none", r["guest"]);
        Assert.Equal("error", r["outcome"]);
        Assert.Equal("VMX-without-EPT-or-unrestricted-guest", r["fault"]);
    }
}
