using System;
using System.IO;
using System.Linq;
using System.Text;
using Xen.Sdk.Svm.Diagnostics;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Differential;

/// <summary>
/// The differential test with real VMRUNs today, through svmprobe (a 32-bit legacy-mode harness, not the
/// reference kernel): every mutant of Data/svm-mutants.bin is executed by QEMU TCG's VMRUN and the exit code
/// compared with the checker's QEMU profile. The CPUID lines it prints are the oracle for the capability
/// snapshot.
/// </summary>
public sealed class ProbeDifferentialTests
{
    private static readonly Lazy<(string? Log, string Reason)> QemuRun = new(RunQemu);

    private static (string?, string) RunQemu()
    {
        string? qemu = ProbeHarness.Which("qemu-system-x86_64");
        if (qemu is null) return (null, "qemu-system-x86_64 not installed");
        string? elf = ProbeHarness.Build(out string why);
        if (elf is null) return (null, why);
        string dir = Path.GetDirectoryName(elf)!;
        var baseVmcb = ProbeHarness.BaseVmcb();
        File.WriteAllBytes(Path.Combine(dir, "base.bin"), Vmcb.AsBytes(ref baseVmcb).ToArray());
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Data", "svm-mutants.bin"), Path.Combine(dir, "mutants.bin"), true);
        string log = Path.Combine(dir, "qemu.log");
        ProbeHarness.Run(qemu, $"-machine pc,accel=tcg -cpu qemu64,+svm,+npt -m 64M -kernel svmprobe.elf -initrd base.bin,mutants.bin " +
            $"-display none -serial file:qemu.log -monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04", 120, dir);
        string text = File.ReadAllText(log);
        string? keep = Environment.GetEnvironmentVariable("XEN_SDK_SVM_PROBE_LOG");
        if (keep is not null) File.WriteAllText(keep, text);
        return (text, "");
    }

    private static string Log()
    {
        var (log, reason) = QemuRun.Value;
        if (log is null) Assert.Skip(reason);
        return log!;
    }

    internal static string Checks(VmrunCheckReport r)
    {
        var sb = new StringBuilder();
        foreach (SvmCheck c in r) sb.Append(c).Append(' ');
        return sb.ToString().Trim();
    }

    [Fact]
    public void Qemu_cpuid_matches_the_Qemu72Tcg_snapshot()
    {
        string log = Log();
        uint[] Leaf(string leaf)
        {
            string line = log.Split('\n').First(l => l.StartsWith("SVMCPUID " + leaf, StringComparison.Ordinal));
            return line.Trim().Split(' ').Skip(2).Select(h => Convert.ToUInt32(h, 16)).ToArray();
        }
        uint[] a = Leaf("8000000A"), e1 = Leaf("80000001"), e8 = Leaf("80000008"), s1 = Leaf("00000001"), s7 = Leaf("00000007");
        var fromCpu = SvmCapabilities.FromCpuid(a[0], a[1], a[3], e1[3], e8[0], s7[1], s7[2], s1[2]);
        var snap = SvmCapabilities.Qemu72Tcg;
        Assert.Equal(snap.Revision, fromCpu.Revision);
        Assert.Equal(snap.AsidCount, fromCpu.AsidCount);
        Assert.Equal(snap.Features, fromCpu.Features);
        Assert.Equal(snap.PhysicalAddressBits, fromCpu.PhysicalAddressBits);
        Assert.Equal(snap.LinearAddressBits, fromCpu.LinearAddressBits);
        Assert.Equal(snap.LongMode, fromCpu.LongMode);
    }

    [Fact]
    public void Qemu_VMRUN_agrees_with_the_checker_on_every_mutant()
    {
        string log = Log();
        Assert.Contains("SVMMUT-END", log);
        byte[] module = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "svm-mutants.bin"));
        var ctx = new SvmCheckContext(SvmCapabilities.Qemu72Tcg, SvmCheckProfile.Qemu72, hostLongMode: false);
        var outcomes = SvmDifferential.Compare(module, log, ctx);
        Assert.True(outcomes.Count >= 300, $"only {outcomes.Count} mutants ran");
        Assert.InRange(outcomes.Count(o => o.ActualInvalid), 60, outcomes.Count - 60);
        var bad = outcomes.Where(o => !o.Agrees)
            .Select(o => $"mutant {o.Id}: QEMU exit {o.ExitCode:X}h, predicted {(o.PredictedInvalid ? "VMEXIT_INVALID " + Checks(o.Report) : "entry")}")
            .ToArray();
        Assert.True(bad.Length == 0, $"{bad.Length} disagreement(s):\n" + string.Join("\n", bad));
    }
}
