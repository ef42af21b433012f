using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Oracles;

/// <summary>
/// Exit codes against an oracle nobody on this project wrote: the Linux UAPI header
/// <c>asm/svm.h</c> (Debian linux-libc-dev), compiled by gcc. Every SVM_EXIT_* constant it defines must
/// equal the <see cref="SvmExitCode"/> member of the same meaning.
/// </summary>
public sealed class LinuxSvmHeaderTests
{
    private const string Header = "/usr/include/x86_64-linux-gnu/asm/svm.h";

    // Linux name -> our name (names that differ only by spelling).
    private static string Map(string linux)
    {
        var m = Regex.Match(linux, @"^(READ|WRITE)_(CR|DR)(\d+)$");
        if (m.Success) return $"{(m.Groups[2].Value == "CR" ? "Cr" : "Dr")}{m.Groups[3].Value}{(m.Groups[1].Value == "READ" ? "Read" : "Write")}";
        m = Regex.Match(linux, @"^CR(\d+)_WRITE_TRAP$");
        if (m.Success) return $"Cr{m.Groups[1].Value}WriteTrap";
        return linux switch
        {
            "EXCP_BASE" => nameof(SvmExitCode.ExceptionDE),
            "LAST_EXCP" => nameof(SvmExitCode.ExceptionVector31),
            "INTR" => "Intr", "NMI" => "Nmi", "SMI" => "Smi", "INIT" => "Init", "VINTR" => "Vintr",
            "CR0_SEL_WRITE" => "Cr0SelectiveWrite", "IDTR_READ" => "IdtrRead", "GDTR_READ" => "GdtrRead",
            "LDTR_READ" => "LdtrRead", "TR_READ" => "TrRead", "IDTR_WRITE" => "IdtrWrite", "GDTR_WRITE" => "GdtrWrite",
            "LDTR_WRITE" => "LdtrWrite", "TR_WRITE" => "TrWrite", "RDTSC" => "Rdtsc", "RDPMC" => "Rdpmc",
            "PUSHF" => "Pushf", "POPF" => "Popf", "CPUID" => "Cpuid", "RSM" => "Rsm", "IRET" => "Iret",
            "SWINT" => "SoftwareInterrupt", "INVD" => "Invd", "PAUSE" => "Pause", "HLT" => "Hlt", "INVLPG" => "Invlpg",
            "INVLPGA" => "Invlpga", "IOIO" => "Ioio", "MSR" => "Msr", "TASK_SWITCH" => "TaskSwitch",
            "FERR_FREEZE" => "FerrFreeze", "SHUTDOWN" => "Shutdown", "VMRUN" => "Vmrun", "VMMCALL" => "Vmmcall",
            "VMLOAD" => "Vmload", "VMSAVE" => "Vmsave", "STGI" => "Stgi", "CLGI" => "Clgi", "SKINIT" => "Skinit",
            "RDTSCP" => "Rdtscp", "ICEBP" => "Icebp", "WBINVD" => "Wbinvd", "MONITOR" => "Monitor", "MWAIT" => "Mwait",
            "MWAIT_COND" => "MwaitConditional", "XSETBV" => "Xsetbv", "RDPRU" => "Rdpru", "EFER_WRITE_TRAP" => "EferWriteTrap",
            "INVPCID" => "Invpcid", "NPF" => "NestedPageFault", "AVIC_INCOMPLETE_IPI" => "AvicIncompleteIpi",
            "AVIC_UNACCELERATED_ACCESS" => "AvicNoAcceleration", "VMGEXIT" => "Vmgexit", "ERR" => "Invalid",
            _ => "",
        };
    }

    [Fact]
    public void Every_Linux_SVM_EXIT_constant_matches()
    {
        if (!File.Exists(Header)) Assert.Fail($"{Header} missing: install linux-libc-dev (the oracle)");
        string src = File.ReadAllText(Header);
        string[] names = Regex.Matches(src, @"#define SVM_EXIT_([A-Z0-9_]+)\s+(-?\w+)\s*$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Where(n => n != "REASONS" && n != "SW").Distinct().ToArray();
        Assert.True(names.Length > 90, $"only {names.Length} constants parsed");

        string dir = Directory.CreateTempSubdirectory("svmexit").FullName;
        string c = Path.Combine(dir, "p.c");
        File.WriteAllText(c, "#include <stdio.h>\n#include <asm/svm.h>\nint main(void){\n" +
            string.Concat(names.Select(n => $"printf(\"{n} %llx\\n\", (unsigned long long)(long long)(SVM_EXIT_{n}));\n")) + "return 0;}\n");
        Run("gcc", $"-o {dir}/p {c}");
        string output = Run($"{dir}/p", "");

        int compared = 0;
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] p = line.Split(' ');
            string ours = Map(p[0]);
            Assert.False(ours.Length == 0, $"no mapping for SVM_EXIT_{p[0]}");
            ulong expected = ulong.Parse(p[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.Equal(expected, (ulong)Enum.Parse<SvmExitCode>(ours));
            compared++;
        }
        Assert.Equal(names.Length, compared);
    }

    private static string Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd();
        string e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {e}");
        return o;
    }
}
