using System;
using System.Collections.Generic;
using System.Linq;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Diagnostics;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Checking;

/// <summary>
/// Data-driven vectors derived from the SDM's text (Intel SDM Vol. 3C §27.1-§27.4): each check has at least
/// one passing and one failing case; each starts from the valid template and changes only what the rule
/// needs, so a failing vector's first failure must be exactly that check.
/// </summary>
public sealed class EntryCheckVectorTests
{
    public static TheoryData<EntryCheckVector> Vectors => new(EntryCheckVector.Load());

    [Theory]
    [MemberData(nameof(Vectors))]
    public void VectorBehavesAsTheSdmSays(EntryCheckVector vector)
    {
        Assert.True(Enum.TryParse(vector.Check, out EntryCheckId id), "unknown check " + vector.Check);
        Assert.Equal(EntryCheckText.Cite((EntryCheckSection)((ushort)id >> 8)).Split(' ')[4], vector.Section);
        var failures = new EntryCheckFailure[64];
        EntryCheckReport report = vector.Run(failures, out _);
        string found = string.Join(", ", failures.Take(report.Written).Select(f => f.Check.ToString()));
        if (vector.Fails)
        {
            Assert.True(report.FailureCount > 0, "expected " + vector.Check + ", no failure");
            if (vector.Anywhere)
            {
                // A rule the SDM lists although an earlier rule always catches the same VMCS first.
                Assert.True(failures.Take(report.Written).Any(f => f.Check == id), $"expected {id} among: {found}");
                return;
            }

            Assert.True(id == failures[0].Check, $"expected {id} first, found: {found}");
            if (vector.ExpectedQualification is ulong q)
            {
                Assert.Equal(q, report.Outcome.Qualification);
            }

            Assert.Equal(failures[0].Outcome, report.Outcome);
            Assert.Equal(failures[0].Outcome.Kind == EntryOutcomeKind.EntryFailure ? failures[0].Outcome.ExitReason : 0,
                VmEntryChecker.OutcomeOf(id).ExitReason);
        }
        else
        {
            Assert.True(report.Passed, "expected a clean pass, found: " + found);
            Assert.Equal(0, report.SkippedMemoryChecks);
        }
    }

    [Fact]
    public void EveryCheckHasAPassingAndAFailingVector()
    {
        List<EntryCheckVector> vectors = EntryCheckVector.Load();
        var missing = new List<string>();
        foreach (EntryCheckId id in Enum.GetValues<EntryCheckId>())
        {
            if (id == EntryCheckId.None)
            {
                continue;
            }

            string name = id.ToString();
            if (!vectors.Any(v => v.Check == name && v.Fails))
            {
                missing.Add(name + " (fail)");
            }

            if (!vectors.Any(v => v.Check == name && !v.Fails))
            {
                missing.Add(name + " (pass)");
            }
        }

        Assert.True(missing.Count == 0, "vectors missing: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("corei7_skylake_x")]
    [InlineData("corei7_icelake_u")]
    [InlineData("corei7_sandy_bridge_2600k")]
    [InlineData("core2_penryn_t9600")]
    public void TemplateIsValidOnEveryModel(string model)
    {
        VmxCapabilities caps = EntryCheckVector.Model(model);
        var image = new VmcsImage();
        VmcsTemplate.LongModeGuest(image, caps, VmcsTemplateLayout.Default);
        var failures = new EntryCheckFailure[16];
        EntryCheckReport r = VmEntryChecker.Check(image, caps, default, failures);
        Assert.True(r.Passed, string.Join(", ", failures.Take(r.Written).Select(f => f.Check.ToString())));
        Assert.Equal(VmcsFields.Count, image.PresentCount);
    }

    [Fact]
    public void StopAtFirstFailureStopsAndCollectModeCollects()
    {
        var v = new EntryCheckVector(0, "", "", true, "HostCsSelector=0x0B; GuestRflags=0; GuestTrAccessRights=0");
        var buffer = new EntryCheckFailure[8];
        EntryCheckReport all = v.Run(buffer, out VmcsImage image);
        Assert.True(all.FailureCount >= 3);
        EntryCheckReport first = VmEntryChecker.Check(image, VmxCapabilityModels.BochsCoreI7SkylakeX, new EntryCheckOptions { StopAtFirstFailure = true }, buffer);
        Assert.Equal(1, first.FailureCount);
        Assert.Equal(EntryCheckId.HostSelectorRplTi, buffer[0].Check);
        Assert.Equal(VmInstructionError.EntryInvalidHostStateFields, first.Outcome.Error);
        EntryCheckReport none = VmEntryChecker.Check(image, VmxCapabilityModels.BochsCoreI7SkylakeX, default, Span<EntryCheckFailure>.Empty);
        Assert.Equal(all.FailureCount, none.FailureCount);
        Assert.Equal(0, none.Written);
    }
}
