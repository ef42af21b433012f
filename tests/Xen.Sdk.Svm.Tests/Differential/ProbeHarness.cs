using System;
using System.Diagnostics;
using System.IO;

namespace Xen.Sdk.Svm.Tests.Differential;

/// <summary>
/// Builds and boots svmprobe (Differential/Probe/svmprobe.asm): a 32-bit multiboot harness, not the reference
/// kernel, that runs the mutant module with real VMRUNs under QEMU TCG or Bochs and prints one line per
/// mutant. Its host is in legacy protected mode, so profiles are evaluated with hostLongMode = false.
/// </summary>
internal static class ProbeHarness
{
    public const ulong Guest = 0x50_0000, GuestCr3 = 0x52_0000, Iopm = 0x41_0000, Msrpm = 0x41_4000;

    /// <summary>The base VMCB the probe mutates: a flat 32-bit protected-mode guest at a page of UD2s, every
    /// exception intercepted (so any accepted VMRUN exits at once), IOPM/MSRPM inside guest-unused RAM.</summary>
    public static Vmcb BaseVmcb()
    {
        var v = new Vmcb();
        VmcbSetup.Reset(ref v, asid: 1);
        VmcbSetup.ProtectedMode(ref v, (uint)Guest, (uint)Guest + 0x1_0000);
        v.Cr3 = GuestCr3;
        v.ExceptionIntercepts = 0xFFFF_FFFF;
        v.Intercepts3 |= SvmIntercept3.Shutdown | SvmIntercept3.Hlt | SvmIntercept3.Intr | SvmIntercept3.Nmi;
        v.Intercepts4 |= SvmIntercept4.Vmmcall;
        VmcbSetup.PermissionMaps(ref v, Iopm, Msrpm);
        return v;
    }

    public static string? Which(string tool)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string p = Path.Combine(dir, tool);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Assembles and links the probe; returns the ELF path, or null with a reason.</summary>
    public static string? Build(out string reason)
    {
        reason = "";
        if (Which("nasm") is null || Which("ld") is null) { reason = "nasm/ld not installed"; return null; }
        string src = Path.Combine(AppContext.BaseDirectory, "Differential", "Probe");
        string dir = Directory.CreateTempSubdirectory("svmprobe").FullName;
        string obj = Path.Combine(dir, "svmprobe.o"), elf = Path.Combine(dir, "svmprobe.elf");
        Run("nasm", $"-f elf32 -o {obj} {Path.Combine(src, "svmprobe.asm")}", 60);
        Run("ld", $"-m elf_i386 -nostdlib --no-warn-rwx-segments -z max-page-size=0x1000 -T {Path.Combine(src, "svmprobe.ld")} -o {elf} {obj}", 60);
        return elf;
    }

    public static string Run(string file, string args, int timeoutSeconds, string? workDir = null)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir ?? "" };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {timeoutSeconds} s");
        }
        return o + err.Result;
    }
}
