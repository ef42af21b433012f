using System;
using System.Linq;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>The reference hypervisor on QEMU 7.2 TCG with AMD SVM and NPT (no NRIP save: instruction lengths come
/// from the kernel's decoder). QEMU executing VMRUN is the oracle: its VMRUN checks, nested paging walks, intercepts
/// and exit codes are not ours. Each guest checks the hypervisor's answers itself and reports through console_io.</summary>
public sealed class QemuSvmTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static SerialLog Boot(string guest)
    {
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required (Debian package qemu-system-x86)");
        var log = KernelImage.RunQemu(guest, new[] { guest }, Timeout);
        // isa-debug-exit: (0x10 << 1) | 1 = 33 is the kernel's success status; the result lines decide the rest.
        Assert.True(log.ExitCode == 33, $"QEMU exit status {log.ExitCode} (33 expected: the kernel ran and exited through isa-debug-exit)\n{log.Text}");
        Assert.NotNull(log.Done);
        return log;
    }

    [Fact]
    public void Long64GuestRunsEveryServiceAndPowersOff()
    {
        var log = Boot("long64");
        var r = log.Result("long64");
        Assert.Equal("svm", r["vendor"]);
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);
        Assert.Equal("none", r["fault"]);
        Assert.Equal("2", r["cpuid"]);                 // 0x40000000 and 0x40000002
        Assert.Equal("1", r["msr_write"]);             // hypercall page installed
        Assert.Equal("1", r["msr_read"]);
        Assert.Equal("0x30000", r["hypercall_page"]);
        Assert.Equal("3", r["console_io"]);
        Assert.Equal("1", r["xen_version"]);
        Assert.Equal("2", r["sched_op"]);              // yield, shutdown
        Assert.True(int.Parse(r["io"]) >= 42, "the guest printed through the emulated 16550");
        Assert.Equal("0", r["allocs"]);                // nothing allocated while the guest ran
        Assert.Contains(log.Console, l => l == "long64: long64: xen_version 4.17 ok");
        Assert.Contains(log.Console, l => l == "long64: long64: hello through the emulated 16550");
        Assert.Contains(log.Console, l => l == "long64: long64: all checks passed, shutting down");
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public void Protected32GuestEnteredLikePvhUsesThe32BitConvention()
    {
        var log = Boot("prot32");
        var r = log.Result("prot32");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);
        Assert.Equal("1", r["xen_version"]);
        Assert.Contains(log.Console, l => l == "prot32: prot32: all checks passed, shutting down");
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public void RealModeGuestSeesTheXenSignatureAndHalts()
    {
        var log = Boot("real16");
        var r = log.Result("real16");
        Assert.Equal("halted", r["outcome"]);
        Assert.Equal("1", r["hlt"]);
        Assert.Equal("1", r["cpuid"]);
        Assert.Contains(log.Console, l => l == "real16: real16: hello from real mode, Xen signature seen");
    }

    [Fact]
    public void MisbehavingGuestGetsErrorValuesAndIsStoppedOnUnmappedMmio()
    {
        var log = Boot("misbehave");
        var r = log.Result("misbehave");
        Assert.Contains(log.Console, l => l == "misbehave: misbehave: all checks passed; now touching unmapped MMIO");
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
        Assert.Equal("faulted", r["outcome"]);
        Assert.Equal("unmapped-mmio", r["fault"]);
        Assert.Equal("1", r["npf"]);
        Assert.Equal("2", r["enosys"]);                // hypercall 55 and a number above 2^32 (xen_version 99 is a sub-command)
        Assert.Equal("5", r["rejected"]);              // 3 x -EFAULT, 2 x -EINVAL
        Assert.Equal("1", log.Done!["faulted"]);       // the hypervisor itself carried on to its DONE line
    }

    [Fact]
    public void TripleFaultStopsOnlyTheGuest()
    {
        var log = Boot("triple");
        var r = log.Result("triple");
        Assert.Equal("faulted", r["outcome"]);
        Assert.Equal("triple-fault", r["fault"]);
        Assert.Equal("1", r["shutdown"]);              // #VMEXIT(SHUTDOWN), exit code 7Fh
    }

    [Fact]
    public void AllGuestsInOneBootAndNoAllocationAfterBoot()
    {
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required");
        var log = KernelImage.RunQemu("all", KernelImage.GuestNames, Timeout);
        Assert.Equal(33, log.ExitCode);
        Assert.Equal(KernelImage.GuestNames.Length, log.Results.Count);
        Assert.All(log.Results, r => Assert.Equal("0", r["allocs"]));
        Assert.Equal("0", log.Done!["heap_allocs_during_guests"]);   // nor in any guest's setup (docs/reference.md)
        Assert.Equal(KernelImage.GuestNames.Length.ToString(), log.Done!["guests"]);
        // ASIDs from Xen.Sdk.Svm's allocator (QEMU: 16 ASIDs): one per guest, 1..n, a full flush only at the first VMRUN.
        Assert.Equal(Enumerable.Range(1, KernelImage.GuestNames.Length).Select(i => i.ToString()), log.Runs.Select(r => r["asid"]));
        Assert.Equal(new[] { "1" }.Concat(Enumerable.Repeat("0", KernelImage.GuestNames.Length - 1)), log.Runs.Select(r => r["tlb_control"]));
        Assert.All(log.Runs, r => Assert.Equal("0", r["nrip"]));
        Assert.Equal("10", log.Done["shutdown"]);  // + the timer, fifo, sched and xstx guests
        Assert.Equal("1", log.Done["halted"]);
        Assert.Equal("3", log.Done["faulted"]);
        // The SDK's VMRUN checker passed every well-formed VMCB before its first VMRUN.
        Assert.All(log.Checks.Where(c => c["guest"] != "badvmcb"), c => Assert.Equal("0", c["failures"]));
        Assert.Equal("0", log.Done["timeout"]);
        BenchLine.AssertSane(Assert.Single(log.Bench));
    }

    [Fact]
    public void BenchGuestMeasuresInterleavedBatchesAsConfigured()
    {
        // bench-iterations / bench-batches from the command line reach the guest; the four kinds (bare round trip in the
        // world switch, null hypercall, xen_version, CPUID) are measured in interleaved batches, the kernel prints mean,
        // median and minimum per kind and the ratios of the medians to the bare round trip. No timing is asserted.
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required");
        var log = KernelImage.RunQemuModules("run=all bench-iterations=20 bench-batches=7", new[] { KernelImage.Guest("bench") }, Timeout);
        Assert.Equal(33, log.ExitCode);
        var r = log.Result("bench");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("0", r["allocs"]);
        Assert.Equal("140", r["xen_version"]);                 // 20 x 7, the bare and null hypercalls are not Xen's
        BenchLine.AssertSane(Assert.Single(log.Bench), 20, 7);
    }

    [Fact]
    public void MmioMovesOfEverySizeAreDecodedWithIcedAndEmulated()
    {
        var log = Boot("mmio");
        var r = log.Result("mmio");
        Assert.Contains(log.Console, l => l == "mmio: mmio: all checks passed");
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);
        Assert.Equal("10", r["npf"]);                   // ten MOVs to the device page, each a nested page fault
        Assert.Equal("10", r["mmio"]);                  // ... each decoded and emulated
    }

    [Fact]
    public void VmrunCheckerAndQemuAgreeOnAnInvalidVmcb()
    {
        // EFER.SVME cleared in the guest VMCB: Xen.Sdk.Svm's checker predicts the failure before VMRUN (check 0,
        // EferSvmeClear) and QEMU's VMRUN refuses the state with VMEXIT_INVALID; the kernel prints both and carries on.
        var log = Boot("badvmcb");
        var before = log.Checks.Single(c => c["when"] == "before-first-vmrun");
        Assert.Equal("1", before["failures"]);
        Assert.Equal(((int)Xen.Sdk.Svm.SvmCheck.EferSvmeClear).ToString(System.Globalization.CultureInfo.InvariantCulture), before["checks"]);
        Assert.Contains(log.Checks, c => c["when"] == "vmexit-invalid" && c["failures"] == "1");
        Assert.Contains("XENSDK VMEXIT_INVALID", log.Text, StringComparison.Ordinal);
        var r = log.Result("badvmcb");
        Assert.Equal("faulted", r["outcome"]);
        Assert.Equal("entry-failure", r["fault"]);
    }

    [Fact]
    public void KernelPanicsWithADiagnosisInsteadOfTripleFaulting()
    {
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required");
        var log = KernelImage.RunQemu("selftest-trap", Array.Empty<string>(), Timeout);
        Assert.Equal(35, log.ExitCode);                // failure status (0x11 << 1) | 1
        Assert.Contains("XENSDK TRAP vector=14 name=\"#PF page fault\"", log.Text, StringComparison.Ordinal);
        Assert.Contains("cr2=0x00007ffffffff000", log.Text, StringComparison.Ordinal);
        Assert.Contains("XENSDK PANIC host exception", log.Text, StringComparison.Ordinal);
        // The kernel prints the faulting instruction's bytes; Iced decodes them here: the deliberate store.
        string code = log.Text.Split('\n').Single(l => l.StartsWith("XENSDK TRAP code=", StringComparison.Ordinal))["XENSDK TRAP code=".Length..];
        var decoder = Iced.Intel.Decoder.Create(64, new Iced.Intel.ByteArrayCodeReader(Convert.FromHexString(code)));
        decoder.Decode(out var insn);
        Assert.Equal(Iced.Intel.Mnemonic.Mov, insn.Mnemonic);
        Assert.Equal(Iced.Intel.OpKind.Memory, insn.Op0Kind);
    }
}
