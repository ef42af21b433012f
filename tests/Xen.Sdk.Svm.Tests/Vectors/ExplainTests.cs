using System;
using System.IO;
using Xen.Sdk.Svm.Diagnostics;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Vectors;

/// <summary>Host-only text output: content checks (the sample in docs/svm.md comes from these).</summary>
public sealed class ExplainTests
{
    [Fact]
    public void Report_explanation_names_rule_reference_field_and_exit()
    {
        var v = GoodVmcb.Create();
        v.Efer &= ~VmcbSetup.EferSvme;
        v.GuestAsid = 0;
        v.EventInjection = SvmEvent.Create(SvmEventType.Exception, 2);
        var report = VmrunChecker.Check(in v, SvmCheckContext.Qemu72);
        string text = SvmExplain.Explain(in v, report);
        Assert.Contains("EFER.SVME is zero. (AMD APM Vol. 2 §15.5.1); field 4D0h = 0000000000000D00h", text);
        Assert.Contains("ASID is equal to zero.", text);
        Assert.Contains("(AMD APM Vol. 2 §15.20)", text);
        Assert.Contains("VMEXIT_INVALID", text);
        Dump("report.txt", text);
    }

    [Fact]
    public void Vmcb_dump_and_diff_show_offsets_and_changes()
    {
        var a = GoodVmcb.Create();
        a.MarkClean(SvmCapabilities.Qemu72Tcg.WithFeatures(SvmFeatures.VmcbClean));
        var b = a;
        b.Cr0 |= 1ul << 29;
        b.Rip = 0x1234;
        string dump = SvmExplain.Explain(in a);
        Assert.Contains("558h save.Cr0 = 80000031h", dump);
        Assert.Contains("010h control.Intercepts4 = 3h (Vmrun, Vmmcall)", dump);
        string diff = SvmExplain.Diff(in a, in b);
        Assert.Contains("558h save.Cr0: 80000031h -> A0000031h", diff);
        Assert.Contains("578h save.Rip: 400000h -> 1234h", diff);
        Assert.Contains("0C0h control.CleanBits", diff); // the tracked CR0 write cleared the CRx clean bit
        Dump("dump.txt", dump);
        Dump("diff.txt", diff);
    }

    [Fact]
    public void Exit_explanations_decode_the_info_words()
    {
        var caps = SvmCapabilities.Qemu72Tcg;
        var io = new SvmExit((ulong)SvmExitCode.Ioio, SvmIoExitInfo.Create(0x3F8, false, 1, 64).Value, 0x401002, default, 0);
        Assert.Contains("OUT port 03F8h size 1 a64, next RIP 401002h", SvmExplain.Explain(in io, in caps));
        var npf = new SvmExit(0x400, SvmNestedPageFault.Create(0xFEE00000, false, true, true, false, false, true, false).ErrorCode, 0xFEE00000, default, 0);
        Assert.Contains("GPA FEE00000h not-present write final-translation", SvmExplain.Explain(in npf, in caps));
        var pf = new SvmExit(0x4E, 2, 0xDEAD000, SvmEvent.ExternalInterrupt(0x20), 0);
        string t = SvmExplain.Explain(in pf, in caps);
        Assert.Contains("exception 14 error code 2h address DEAD000h", t);
        Assert.Contains("during delivery of ExternalInterrupt vector 32", t);
        Dump("exits.txt", SvmExplain.Explain(in io, in caps) + "\n" + SvmExplain.Explain(in npf, in caps) + "\n" + t + "\n");
    }

    private static void Dump(string name, string text)
    {
        string? dir = Environment.GetEnvironmentVariable("XEN_SDK_SVM_EXPLAIN_DIR");
        if (dir is not null) File.WriteAllText(Path.Combine(dir, name), text);
    }
}
