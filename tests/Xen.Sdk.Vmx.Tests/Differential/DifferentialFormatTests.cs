using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Differential;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Differential;

/// <summary>
/// The formats of the differential run (mutant module in, result lines out). These tests prove the formats
/// and the corpus; they are not the differential test itself, which needs the kernel's VMX backend under
/// Bochs (see docs/vmx.md).
/// </summary>
public sealed class DifferentialFormatTests
{
    private static MutantListBuilder NewBuilder(out VmcsImage baseImage)
    {
        baseImage = new VmcsImage();
        VmcsTemplate.LongModeGuest(baseImage, VmxCapabilityModels.BochsCoreI7SkylakeX, VmcsTemplateLayout.Default);
        return new MutantListBuilder(baseImage, VmxCapabilityModels.BochsCoreI7SkylakeX);
    }

    [Fact]
    public void CorpusOf600MutantsCoversControlsHostAndGuestAndRoundTrips()
    {
        MutantListBuilder builder = NewBuilder(out VmcsImage baseImage);
        MutantCorpus.Fill(builder, 600, seed: 20261124);
        byte[] module = builder.ToArray();
        string? outPath = Environment.GetEnvironmentVariable("XEN_SDK_VMX_MUTANTS_OUT");
        if (!string.IsNullOrEmpty(outPath))
        {
            File.WriteAllBytes(outPath, module);
        }

        Assert.True(MutantList.TryOpen(module, out MutantList list));
        Assert.Equal(600, list.Count);
        Assert.True(list.TryGetCapabilities(out VmxCapabilities caps));
        Assert.Equal(VmxCapabilityModels.BochsCoreI7SkylakeX, caps);
        var image = new VmcsImage();
        var byKind = new Dictionary<string, int>();
        var failures = new EntryCheckFailure[1];
        foreach (Mutant m in list)
        {
            Assert.True(image.TryReadFrom(list.BaseImage, out _));
            Assert.True(m.ApplyTo(image).Succeeded);
            EntryCheckReport r = VmEntryChecker.Check(image, caps, new EntryCheckOptions { StopAtFirstFailure = true }, failures);
            Assert.Equal(m.Predicted, r.Outcome);
            Assert.Equal(m.PredictedCheck, r.Passed ? EntryCheckId.None : failures[0].Check);
            string key = r.Outcome.Kind == EntryOutcomeKind.VmFailValid ? "error" + (uint)r.Outcome.Error
                : r.Outcome.Kind == EntryOutcomeKind.EntryFailure ? "exit" + r.Outcome.ExitReason : "success";
            byKind[key] = byKind.GetValueOrDefault(key) + 1;
        }

        // Every outcome class appears often enough to be a meaningful differential sample.
        Assert.True(byKind.GetValueOrDefault("error7") >= 50, Describe(byKind));
        Assert.True(byKind.GetValueOrDefault("error8") >= 50, Describe(byKind));
        Assert.True(byKind.GetValueOrDefault("exit33") >= 50, Describe(byKind));
        Assert.True(byKind.GetValueOrDefault("success") >= 50, Describe(byKind));
    }

    private static string Describe(Dictionary<string, int> d) => string.Join(", ", d.Select(kv => kv.Key + "=" + kv.Value));

    [Fact]
    public void MalformedModulesAreRejected()
    {
        MutantListBuilder builder = NewBuilder(out _);
        MutantCorpus.Fill(builder, 5, seed: 1);
        byte[] module = builder.ToArray();
        Assert.False(MutantList.TryOpen(module.AsSpan(0, module.Length - 1), out _));
        Assert.False(MutantList.TryOpen(module.AsSpan(0, 16), out _));
        module[0] ^= 1;
        Assert.False(MutantList.TryOpen(module, out _));
    }

    [Property]
    public bool ResultLinesRoundTrip(uint id, byte kind, uint error, ushort reason, uint qual, uint skip)
    {
        DifferentialResult r = (kind % 5) switch
        {
            0 => new DifferentialResult(id, EntryOutcome.Success, reason),
            1 => new DifferentialResult(id, new EntryOutcome(EntryOutcomeKind.VmFailInvalid, 0, 0, 0), 0),
            2 => new DifferentialResult(id, new EntryOutcome(EntryOutcomeKind.VmFailValid, (VmInstructionError)error, 0, 0), 0),
            3 => new DifferentialResult(id, new EntryOutcome(EntryOutcomeKind.EntryFailure, 0, reason, qual), 0),
            _ => new DifferentialResult(id, default, 0, skip | 1),
        };
        Span<byte> line = stackalloc byte[64];
        return r.TryFormat(line, out int n) && DifferentialResult.TryParse(line[..n], out DifferentialResult back) && back == r;
    }

    [Theory]
    [InlineData("VMXM 17 failvalid 7", true)]
    [InlineData("[serial] VMXM 18 entryfail 33 0\r\n", true)]
    [InlineData("VMXM 19 ok 12", true)]
    [InlineData("VMXM 20 failinvalid", true)]
    [InlineData("VMXM 21 skip 2", true)]
    [InlineData("VMXM x ok 12", false)]
    [InlineData("VMXM 22 ok", false)]
    [InlineData("VMXM 23 entryfail 33 0 junk", false)]
    [InlineData("VMXM 24 bogus 1", false)]
    public void ResultLineExamples(string text, bool valid)
    {
        Assert.Equal(valid, DifferentialResult.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void AgreementComparesKindErrorReasonAndQualification()
    {
        var fail7 = new EntryOutcome(EntryOutcomeKind.VmFailValid, VmInstructionError.EntryInvalidControlFields, 0, 0);
        var fail8 = new EntryOutcome(EntryOutcomeKind.VmFailValid, VmInstructionError.EntryInvalidHostStateFields, 0, 0);
        Assert.True(new DifferentialResult(1, fail7, 0).Agrees(fail7));
        Assert.False(new DifferentialResult(1, fail8, 0).Agrees(fail7));
        Assert.True(new DifferentialResult(1, EntryOutcome.Success, 12).Agrees(EntryOutcome.Success));
        var link = new EntryOutcome(EntryOutcomeKind.EntryFailure, 0, 33, 4);
        Assert.False(new DifferentialResult(1, new EntryOutcome(EntryOutcomeKind.EntryFailure, 0, 33, 0), 0).Agrees(link));
        Assert.False(new DifferentialResult(1, default, 0, 1).Agrees(EntryOutcome.Success));
    }
}
