using System;
using System.Linq;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>The guest corpus on Bochs 2.7's other CPU models. A model with everything the kernel needs (long mode; VMX
/// with EPT and unrestricted guest, or SVM with NPT) runs every guest and must give the same vendor-neutral RESULT
/// values as QEMU's SVM; a model without must end with the one specific status line naming what is missing, never
/// crash, reset or hang (every run has a timeout). All 17 models run in <c>./build.sh test</c> (about 65 s of the
/// suite on two cores); <c>dotnet test --project tests/Xen.Sdk.Reference.Tests -- --filter-class '*BochsCpuModelTests*'</c>
/// runs just the matrix.</summary>
public sealed class BochsCpuModelTests
{
    /// <summary>What a model must do: <c>vmx</c> / <c>svm</c> = run the corpus (with <c>nrip</c> the RUN lines' NRIP
    /// value on SVM, the VMCS revision on VMX), or a fault status.</summary>
    public static TheoryData<string, string, string> DefaultModels => new()
    {
        { "phenom_8650_toliman", "svm", "0" },                               // NPT without NRIP save: lengths from Iced
        { "corei7_icelake_u", "vmx", "0x4" },                                // VMCS revision 4, VPID, 5-level-capable EPT caps
        { "corei5_lynnfield_750", "fault", "VMX-without-unrestricted-guest" },
        { "turion64_tyler", "fault", "SVM-without-nested-paging" },
        { "core_duo_t2400_yonah", "fault", "CPU-without-long-mode" },        // has VMX, but is 32-bit only
    };

    public static TheoryData<string, string, string> OtherModels => new()
    {
        { "zambezi", "svm", "1" },
        { "trinity_apu", "svm", "1" },
        { "corei5_arrandale_m520", "vmx", "0x2b" },
        { "corei7_sandy_bridge_2600k", "vmx", "0x2b" },
        { "corei7_ivy_bridge_3770k", "vmx", "0x2b" },
        { "corei7_haswell_4770", "vmx", "0x2b" },
        { "broadwell_ult", "vmx", "0x2b" },
        { "corei3_cnl", "vmx", "0x2b" },
        { "tigerlake", "vmx", "0x4" },
        { "athlon64_clawhammer", "fault", "CPU-without-VMX-or-SVM" },
        { "athlon64_venice", "fault", "CPU-without-VMX-or-SVM" },
        { "atom_n270", "fault", "CPU-without-long-mode" },
    };

    [Theory]
    [MemberData(nameof(DefaultModels))]
    public void ModelRunsTheCorpusOrStopsWithASpecificStatus(string model, string kind, string expected) => Check(model, kind, expected);

    [Theory]
    [MemberData(nameof(OtherModels))]
    public void FullMatrix(string model, string kind, string expected) => Check(model, kind, expected);

    private static void Check(string model, string kind, string expected)
    {
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        var log = KernelImage.RunBochs(model, TimeSpan.FromSeconds(kind == "fault" ? 60 : 180), KernelImage.AllGuestsIso("run=all"), tripleFaultExits: true);
        Assert.Equal(1, log.Boots);
        if (kind != "fault")
        {
            // Tsc.Calibrate against Bochs's PIT: at ips=200000000 the emulated clock runs 200,000 TSC ticks per ms
            // (Bochs's TSC advances once per instruction); the kernel's calibration must land within 1%.
            long perMs = long.Parse(log.Platform!["tsc_per_ms"]);
            Assert.InRange(perMs, 198_000, 202_000);
            Assert.InRange(long.Parse(log.Timing!["first_guest_entry_us"]), 1, 1_000_000);
        }
        if (kind == "fault")
        {
            var r = Assert.Single(log.Results);
            Assert.Equal("none", r["guest"]);
            Assert.Equal("error", r["outcome"]);
            Assert.Equal(expected, r["fault"]);
            Assert.Empty(log.Runs);
            return;
        }
        Assert.True(log.Done != null, "no XENSDK DONE line:\n" + log.Text);
        KernelImage.AssertSameResultsAsQemu(log, "Bochs " + model);
        Assert.All(log.Results, r => Assert.Equal(kind, r["vendor"]));
        Assert.All(log.Checks.Where(c => c["guest"] != "badvmcb"), c => Assert.Equal("0", c["failures"]));
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
        Assert.Equal("0", log.Done!["heap_allocs_during_guests"]);
        if (kind == "svm") Assert.All(log.Runs, r => Assert.Equal(expected, r["nrip"]));
        else
        {
            Assert.Equal(expected, log.Vmx!["revision"]);
            Assert.Equal("1", log.Vmx["vpid"]);
            Assert.All(log.Runs, r => Assert.Equal("0", r["invept_status"]));
        }
    }
}
