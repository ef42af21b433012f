using System;
using System.Linq;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>The image and every guest on Bochs 2.7's <c>ryzen</c> model (SVM with NPT, NRIP save and flush-by-ASID:
/// instruction lengths come from the processor), one boot for all eight guests. The oracle for the guests is QEMU's SVM
/// (vendor-neutral RESULT values must be equal); the oracle for the VMRUNs (ASIDs, TLB_CONTROL, the checker's verdicts)
/// is Bochs itself.</summary>
public sealed class BochsSvmTests
{
    [Fact]
    public void RyzenRunsEveryGuestWithTheSameResultsAsQemu()
    {
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        // asids=3: the allocator hands out ASIDs 1 and 2 only, so every second guest starts a new generation.
        var log = KernelImage.RunBochs("ryzen", TimeSpan.FromSeconds(150), KernelImage.AllGuestsIso("run=all vpids=2 asids=3"), tripleFaultExits: true);
        Assert.True(log.Done != null, "no XENSDK DONE line:\n" + log.Text);
        Assert.Equal(1, log.Boots);                                         // no machine reset, not even for the triple fault
        KernelImage.AssertSameResultsAsQemu(log, "SVM on Bochs ryzen");
        Assert.All(log.Runs, r => Assert.Equal("1", r["nrip"]));
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
        Assert.Equal("5", log.Result("misbehave")["rejected"]);
        Assert.Equal("10", log.Result("mmio")["mmio"]);
        Assert.Equal("entry-failure", log.Result("badvmcb")["fault"]);   // Bochs's VMRUN checks agree with the SDK checker
        Assert.All(log.Checks.Where(c => c["guest"] != "badvmcb"), c => Assert.Equal("0", c["failures"]));

        // The guest's triple fault reached the hypervisor as #VMEXIT(SHUTDOWN) (AMD APM Vol. 2 §15.11).
        var triple = log.Result("triple");
        Assert.Equal("triple-fault", triple["fault"]);
        Assert.Equal("1", triple["shutdown"]);

        // ASIDs from Xen.Sdk.Svm's allocator: 1, 2, 1, 2 ... ; a flush of the whole TLB (TLB_CONTROL 1) on the first
        // VMRUN of each generation (the TLB's state at the first VMRUN is unknown; recycled ASIDs carry stale entries),
        // none otherwise. Bochs accepted every VMRUN (ASID 0 would be VMEXIT_INVALID).
        Assert.Equal(KernelImage.GuestNames.Length, log.Runs.Count);
        for (int i = 0; i < log.Runs.Count; i++)
        {
            Assert.Equal((i % 2 + 1).ToString(), log.Runs[i]["asid"]);
            Assert.Equal((i / 2 + 1).ToString(), log.Runs[i]["asid_generation"]);
            Assert.Equal(i % 2 == 0 ? "1" : "0", log.Runs[i]["tlb_control"]);
        }
        Assert.Equal("0", log.Done!["heap_allocs_during_guests"]);
        Assert.Equal(KernelImage.GuestNames.Length.ToString(), log.Done["guests"]);
        BenchLine.AssertSane(Assert.Single(log.Bench));
    }

    [Fact]
    public void WithDefaultSettingsBochs27ResetsTheMachineOnAGuestTripleFault()
    {
        // Bochs 2.7 (cpu/exception.cc) on a triple fault calls VMexit_TripleFault() (VMX only) and then, with the default
        // reset_on_triple_fault=1, resets the machine; the SVM SHUTDOWN intercept is checked only in shutdown(), which is
        // reached when reset_on_triple_fault=0. So under the default configuration the machine resets: BIOS, GRUB and the
        // kernel start again. The test sees exactly that: the triple guest started, no RESULT for it, a second BOOT line.
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        var log = KernelImage.RunBochs("ryzen", TimeSpan.FromSeconds(90), KernelImage.CachedIso("run=all", new[] { "triple" }),
            stopWhen: text => text.Split("XENSDK BOOT ").Length - 1 >= 2);
        Assert.True(log.Boots >= 2, "expected the machine to reset and the kernel to boot again:\n" + log.Text);
        int run = log.Text.IndexOf("XENSDK RUN guest=triple", StringComparison.Ordinal);
        int second = log.Text.IndexOf("XENSDK BOOT ", log.Text.IndexOf("XENSDK BOOT ", StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        Assert.True(run >= 0 && run < second, "the triple guest must have been started before the reset:\n" + log.Text);
        Assert.DoesNotContain("XENSDK RESULT guest=triple", log.Text[..second], StringComparison.Ordinal);
    }
}
