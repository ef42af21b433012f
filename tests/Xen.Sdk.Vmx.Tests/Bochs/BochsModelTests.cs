using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Bochs;

/// <summary>The stored capability models against what Bochs itself reports (the oracle).</summary>
public sealed class BochsModelTests
{
    public static TheoryData<string> Models => new(BochsProbe.Models);

    private static VmxCapabilities Model(string name) => name switch
    {
        "corei7_skylake_x" => VmxCapabilityModels.BochsCoreI7SkylakeX,
        "corei7_icelake_u" => VmxCapabilityModels.BochsCoreI7IcelakeU,
        "corei7_sandy_bridge_2600k" => VmxCapabilityModels.BochsCoreI7SandyBridge2600K,
        "core2_penryn_t9600" => VmxCapabilityModels.BochsCore2PenrynT9600,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ModelMatchesRecordedProbe(string model)
    {
        Dictionary<string, List<string>> recorded = BochsProbe.ParseRecorded(File.ReadAllText(Path.Combine(BochsProbe.Dir, "bochs-2.7-probe.txt")));
        Assert.Equal(BochsProbe.ToCapabilities(recorded[model]), Model(model));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void RecordedProbeMatchesALiveBochsRun(string model)
    {
        if (!BochsProbe.ToolsAvailable)
        {
            Assert.Skip("bochs, nasm or unshare not installed");
        }

        Dictionary<string, List<string>> recorded = BochsProbe.ParseRecorded(File.ReadAllText(Path.Combine(BochsProbe.Dir, "bochs-2.7-probe.txt")));
        List<string> live = BochsProbe.Run(model, Path.Combine(Path.GetTempPath(), "xen-sdk-vmx-probe-" + Environment.ProcessId + "-" + model));
        Assert.Equal(recorded[model], live);
    }

    [Fact]
    public void BochsFactsFromEmulatorsDocHold()
    {
        // docs/EMULATORS.md: corei7_skylake_x revision id 0x2b; secondary controls allow EPT and unrestricted guest.
        VmxCapabilities c = VmxCapabilityModels.BochsCoreI7SkylakeX;
        Assert.Equal(0x2Bu, c.RevisionId);
        Assert.True(c.Supports(SecondaryProcessorControls.EnableEpt | SecondaryProcessorControls.UnrestrictedGuest));
        Assert.False(VmxCapabilityModels.BochsCore2PenrynT9600.Supports(SecondaryProcessorControls.EnableEpt));
    }
}
