using System;
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
        Assert.Equal("5", log.Done!["guests"]);
    }
}
