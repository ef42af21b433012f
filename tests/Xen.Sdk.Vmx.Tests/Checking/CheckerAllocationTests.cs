using System;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Diagnostics;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Checking;

public sealed class CheckerAllocationTests
{
    [Fact]
    public void CheckingAndDecodingDoNotAllocate()
    {
        var image = new VmcsImage();
        VmxCapabilities caps = VmxCapabilityModels.BochsCoreI7SkylakeX;
        VmcsTemplate.LongModeGuest(image, caps, VmcsTemplateLayout.Default);
        image.Write(VmcsFields.GuestTrAccessRights, 0x83u); // one failure, so the failure path runs too
        var buffer = new EntryCheckFailure[8];
        var options = default(EntryCheckOptions);
        VmEntryChecker.Check(image, caps, options, buffer); // warm up (JIT)
        Xen.Sdk.Vmx.Exits.VmExitInfo.Read(image);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int failures = 0;
        for (int i = 0; i < 100; i++)
        {
            failures += VmEntryChecker.Check(image, caps, options, buffer).FailureCount;
            _ = Xen.Sdk.Vmx.Exits.VmExitInfo.Read(image);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100, failures);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ExplainNamesTheRuleFieldAndOutcome()
    {
        var image = new VmcsImage();
        VmxCapabilities caps = VmxCapabilityModels.BochsCoreI7SkylakeX;
        VmcsTemplate.LongModeGuest(image, caps, VmcsTemplateLayout.Default);
        var copy = new VmcsImage();
        copy.CopyFrom(image);
        image.Write(VmcsFields.GuestCsAccessRights, 0xE09Bu);
        var buffer = new EntryCheckFailure[4];
        EntryCheckReport r = VmEntryChecker.Check(image, caps, default, buffer);
        string text = VmcsExplain.Explain(r, buffer);
        Assert.Contains("GuestCsDbWithL", text, StringComparison.Ordinal);
        Assert.Contains("§27.3.1.2", text, StringComparison.Ordinal);
        Assert.Contains("GuestCsAccessRights", text, StringComparison.Ordinal);
        Assert.Contains("80000021H", text, StringComparison.Ordinal);
        string diff = VmcsExplain.Diff(copy, image);
        Assert.Contains("GuestCsAccessRights", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("GuestRip", diff, StringComparison.Ordinal);
        string all = VmcsExplain.Explain(image);
        Assert.Contains("HostRip", all, StringComparison.Ordinal);
        Assert.Contains("PG", all, StringComparison.Ordinal);
    }
}
