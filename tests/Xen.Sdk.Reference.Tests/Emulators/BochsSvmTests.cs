using System;
using System.Linq;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>The same image and guests from the GRUB ISO on Bochs 2.7's <c>ryzen</c> model (SVM with NPT and NRIP
/// save: instruction lengths come from the processor). One boot runs every guest except the triple-fault one
/// (Bochs 2.7 resets the machine on a guest triple fault instead of taking the shutdown intercept).</summary>
public sealed class BochsSvmTests
{
    [Fact]
    public void RyzenRunsEveryGuestWithTheSameResultsAsQemu()
    {
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        var log = KernelImage.RunBochs("ryzen", TimeSpan.FromSeconds(150));
        Assert.True(log.Done != null, "no XENSDK DONE line:\n" + log.Text);
        Assert.Contains("nrip=1", log.Text, StringComparison.Ordinal);
        Assert.Equal("shutdown", log.Result("long64")["outcome"]);
        Assert.Equal("poweroff", log.Result("long64")["reason"]);
        Assert.Equal("shutdown", log.Result("prot32")["outcome"]);
        Assert.Equal("halted", log.Result("real16")["outcome"]);
        Assert.Equal("unmapped-mmio", log.Result("misbehave")["fault"]);
        Assert.Equal("5", log.Result("misbehave")["rejected"]);
        Assert.Equal("shutdown", log.Result("bench")["outcome"]);
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
        Assert.Equal("entry-failure", log.Result("badvmcb")["fault"]);   // Bochs's VMRUN checks agree with the SDK checker
        Assert.All(log.Checks.Where(c => c["guest"] != "badvmcb"), c => Assert.Equal("0", c["failures"]));
        Assert.Equal("10", log.Result("mmio")["mmio"]);
        Assert.Equal("9", log.Done!["guests"]);
        // Same vendor-neutral RESULT values as QEMU (SVM without NRIP save) for every guest the ISO runs.
        var guests = KernelImage.GuestNames.Where(g => g != "triple").ToArray();
        var qemu = KernelImage.RunQemu("all", guests, TimeSpan.FromSeconds(60));
        foreach (string guest in guests)
            foreach (string key in BochsVmxTests.VendorNeutralKeys)
                Assert.True(qemu.Result(guest)[key] == log.Result(guest)[key], $"{guest}: {key} is {qemu.Result(guest)[key]} under QEMU but {log.Result(guest)[key]} under Bochs ryzen");
    }
}
