using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>One parsed serial log: the <c>XENSDK</c> lines in the documented result format
/// (docs/reference.md, "Serial result format").</summary>
public sealed class SerialLog
{
    public SerialLog(string text, int? exitCode, TimeSpan elapsed)
    {
        Text = text;
        ExitCode = exitCode;
        Elapsed = elapsed;
        foreach (var line in text.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.StartsWith("XENSDK RESULT ", StringComparison.Ordinal)) Results.Add(ParseKeyValues(l["XENSDK RESULT ".Length..]));
            else if (l.StartsWith("XENSDK BENCH ", StringComparison.Ordinal)) Bench.Add(ParseKeyValues(l["XENSDK BENCH ".Length..]));
            else if (l.StartsWith("XENSDK DONE ", StringComparison.Ordinal)) Done = ParseKeyValues(l["XENSDK DONE ".Length..]);
            else if (l.StartsWith("XENSDK CONSOLE ", StringComparison.Ordinal)) Console.Add(l["XENSDK CONSOLE ".Length..]);
            else if (l.StartsWith("XENSDK TIMING ", StringComparison.Ordinal))
                foreach (var kv in ParseKeyValues(l["XENSDK TIMING ".Length..])) (Timing ??= new(StringComparer.Ordinal))[kv.Key] = kv.Value;
            else if (l.StartsWith("XENSDK VMRUN-CHECK ", StringComparison.Ordinal)) Checks.Add(ParseKeyValues(l["XENSDK VMRUN-CHECK ".Length..]));
            else if (l.StartsWith("XENSDK VMENTRY-CHECK ", StringComparison.Ordinal)) Checks.Add(ParseKeyValues(l["XENSDK VMENTRY-CHECK ".Length..]));
            else if (l.StartsWith("XENSDK RUN ", StringComparison.Ordinal)) Runs.Add(ParseKeyValues(l["XENSDK RUN ".Length..]));
            else if (l.StartsWith("XENSDK VMX ", StringComparison.Ordinal)) Vmx = ParseKeyValues(l["XENSDK VMX ".Length..]);
            else if (l.StartsWith("XENSDK PLATFORM ", StringComparison.Ordinal)) Platform = ParseKeyValues(l["XENSDK PLATFORM ".Length..]);
            if (l.StartsWith("XENSDK BOOT ", StringComparison.Ordinal)) Boots++;
        }
    }

    public string Text { get; }
    public int? ExitCode { get; }
    public TimeSpan Elapsed { get; }
    public List<Dictionary<string, string>> Results { get; } = new();
    public List<Dictionary<string, string>> Bench { get; } = new();
    public List<string> Console { get; } = new();
    public List<Dictionary<string, string>> Checks { get; } = new();
    public List<Dictionary<string, string>> Runs { get; } = new();
    public Dictionary<string, string>? Vmx { get; }
    public Dictionary<string, string>? Platform { get; }
    /// <summary>How many times the kernel started (<c>XENSDK BOOT</c> lines): more than one means the machine reset.</summary>
    public int Boots { get; }
    public Dictionary<string, string>? Done { get; }
    public Dictionary<string, string>? Timing { get; }

    public Dictionary<string, string> Result(string guest) =>
        Results.SingleOrDefault(r => r["guest"] == guest) ?? throw new Xunit.Sdk.XunitException($"no XENSDK RESULT line for guest '{guest}' in the serial log:\n{Text}");

    public static Dictionary<string, string> ParseKeyValues(string s)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq > 0) d[token[..eq]] = token[(eq + 1)..];
        }
        return d;
    }
}

/// <summary>Locates the kernel image the test build produced and boots it under QEMU (multiboot, -kernel/-initrd)
/// or Bochs (the GRUB ISO), each with a hard timeout.</summary>
public static class KernelImage
{
    public static readonly string RepoRoot = FindRepoRoot();
    public static string Directory => Path.Combine(RepoRoot, "artifacts", "kernel");
    public static string Bin => Path.Combine(Directory, "kernel.bin");
    public static string Iso => Path.Combine(Directory, "kernel.iso");
    public static string Guest(string name) => Path.Combine(Directory, "guests", name + ".bin");
    public static readonly string[] GuestNames = { "long64", "prot32", "real16", "misbehave", "triple", "bench", "badvmcb", "mmio", "xenbus", "hostile", "timer", "fifo", "sched", "xstx" };

    /// <summary>RESULT keys that do not depend on the vendor or the CPU model (exits/rip/ms do: external-interrupt exits,
    /// the entry-failure RIP, emulator speed).</summary>
    public static readonly string[] VendorNeutralKeys =
    {
        "outcome", "reason", "fault", "cpuid", "io", "hlt", "msr_read", "msr_write", "hypercall", "npf", "mmio",
        "console_io", "xen_version", "sched_op", "enosys", "rejected", "console_bytes", "hypercall_page", "allocs",
        // Interrupt delivery and Xen services (irq_window_exits depends on which exit opened the window: not compared).
        "irq_window", "irq_injected", "evtchn_op", "hvm_op", "memory_op", "grant_table_op", "grant_copy_bytes", "upcalls",
        "events", "xenstore", "xenstore_errors", "ring_errors", "xs_reconnects", "xs_watch_events", "console_ring_bytes",
    };

    /// <summary>The one (guest, key) pair not compared: the <c>sched</c> guest's <c>events</c>. Its periodic timer fires
    /// at the exits after each deadline, so when a loaded host holds the guest back between two of its hypercalls (QEMU
    /// runs on wall time) the timer fires more often; the guest's own checks hold either way (each block returns on a
    /// new event, at least a period apart), and every other figure, its hypercall and sched_op counts included, is
    /// independent of timing.</summary>
    public static readonly (string Guest, string Key) TimingDependent = ("sched", "events");

    private static readonly Dictionary<string, Lazy<string>> s_isos = new();

    /// <summary>A GRUB ISO with every guest and the given command line, built once per test run (the image build's own
    /// ISO runs <c>run=all skip=triple</c> for plain Bochs configurations, see docs/reference.md).</summary>
    public static string AllGuestsIso(string commandLine) => CachedIso(commandLine, GuestNames);

    /// <summary>A GRUB ISO with the given guests and command line, built once per test run.</summary>
    public static string CachedIso(string commandLine, IEnumerable<string> guests)
    {
        var list = guests.ToList();
        string name = (commandLine + "_" + string.Join("_", list)).Replace(' ', '_').Replace('=', '-');
        Lazy<string> iso;
        lock (s_isos)
        {
            if (!s_isos.TryGetValue(name, out iso!))
                s_isos[name] = iso = new Lazy<string>(() => BuildIso(name, commandLine, list.Select(Guest)));
        }
        return iso.Value;
    }

    private static readonly Lazy<SerialLog> s_qemuOracle = new(() => RunQemu("all", GuestNames, TimeSpan.FromSeconds(60)));

    /// <summary>Every guest under QEMU's SVM (no NRIP save: lengths from Iced), booted once per test run: the oracle the
    /// Bochs runs are compared with.</summary>
    public static SerialLog QemuOracle => s_qemuOracle.Value;

    /// <summary>Asserts that every guest's RESULT line in <paramref name="log"/> carries the same vendor-neutral values as
    /// under QEMU's SVM.</summary>
    public static void AssertSameResultsAsQemu(SerialLog log, string what)
    {
        var oracle = QemuOracle;
        Xunit.Assert.Equal(GuestNames.Length, oracle.Results.Count);
        Xunit.Assert.Equal(GuestNames.Length, log.Results.Count);
        foreach (string guest in GuestNames)
        {
            var a = oracle.Result(guest);
            var b = log.Result(guest);
            foreach (string key in VendorNeutralKeys)
            {
                if ((guest, key) == TimingDependent) continue;
                Xunit.Assert.True(a[key] == b[key], $"{guest}: {key} is {a[key]} under QEMU SVM but {b[key]} under {what}");
            }
        }
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Xen.Sdk.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root (Xen.Sdk.sln) not found above " + AppContext.BaseDirectory);
    }

    public static bool Has(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => File.Exists(Path.Combine(p, tool)));

    /// <summary>Boots the image under QEMU TCG with AMD SVM and NPT and the given guests as multiboot modules.</summary>
    public static SerialLog RunQemu(string run, IEnumerable<string> guests, TimeSpan timeout, string cpu = "qemu64,+svm,+npt") =>
        RunQemuModules("run=" + run, guests.Select(Guest), timeout, cpu);

    /// <summary>Boots the image under QEMU TCG with the given command line and module files.</summary>
    public static SerialLog RunQemuModules(string append, IEnumerable<string> modules, TimeSpan timeout, string cpu = "qemu64,+svm,+npt")
    {
        var args = new List<string>
        {
            "-machine", "pc,accel=tcg", "-cpu", cpu, "-m", "256M", "-kernel", Bin,
            "-append", append, "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        };
        var list = modules.ToList();
        if (list.Count > 0) { args.Add("-initrd"); args.Add(string.Join(",", list)); }
        return Run("qemu-system-x86_64", args, timeout, null);
    }

    /// <summary>Boots the GRUB ISO under Bochs (in its own network namespace: the RFB display opens no port on the
    /// machine's network), with the debugger prompt answered and COM1 to a file.</summary>
    /// <param name="cpuModel">Bochs <c>cpu: model=</c>.</param>
    /// <param name="timeout">Hard limit for the whole run.</param>
    /// <param name="iso">The ISO (default: the image build's).</param>
    /// <param name="tripleFaultExits">Configure Bochs 2.7 so that a guest triple fault reaches the hypervisor on SVM too:
    /// <c>reset_on_triple_fault=0</c> and CPU panics reported instead of fatal, and a debugger <c>c</c> for each of the
    /// breaks Bochs takes at a triple fault (docs/reference.md "Triple faults on Bochs 2.7").</param>
    /// <param name="stopWhen">Ends the run early (kills Bochs) once the serial log satisfies it.</param>
    public static SerialLog RunBochs(string cpuModel, TimeSpan timeout, string? iso = null, bool tripleFaultExits = false,
        Func<string, bool>? stopWhen = null)
    {
        iso ??= Iso;
        string dir = Path.Combine(Path.GetTempPath(), "xensdk-bochs-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        try
        {
            string serial = Path.Combine(dir, "serial.log");
            File.WriteAllText(Path.Combine(dir, "bochsrc"), $"""
                megs: 128
                cpu: model={cpuModel}, ips=200000000{(tripleFaultExits ? ", reset_on_triple_fault=0" : "")}
                romimage: file=/usr/share/bochs/BIOS-bochs-latest
                vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
                ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
                ata0-master: type=cdrom, path={iso}, status=inserted
                boot: cdrom
                display_library: rfb, options="timeout=0"
                sound: driver=dummy
                speaker: enabled=0
                clock: sync=none
                com1: enabled=1, mode=file, dev={serial}
                log: {Path.Combine(dir, "bochs.log")}
                {(tripleFaultExits ? "panic: action=fatal, cpu0=report" : "")}
                """);
            File.WriteAllText(Path.Combine(dir, "cont.rc"), "c\n");
            // Bochs 2.7 (built with its debugger) breaks into the debugger at every triple fault, before it resets or
            // shuts down: answer those breaks with "c" when a triple fault is expected.
            string stdin = tripleFaultExits || stopWhen != null ? string.Concat(Enumerable.Repeat("c\n", 16)) + "quit\n" : "quit\n";
            var log = Run("unshare", new[] { "-n", "bochs", "-q", "-f", Path.Combine(dir, "bochsrc"), "-rc", Path.Combine(dir, "cont.rc") }, timeout, stdin,
                stopWhen == null ? null : () => File.Exists(serial) && stopWhen(ReadShared(serial)));
            string text = File.Exists(serial) ? ReadShared(serial) : "";
            return new SerialLog(text, log.ExitCode, log.Elapsed);
        }
        finally
        {
            try { System.IO.Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static string ReadShared(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var r = new StreamReader(f);
        return r.ReadToEnd();
    }


    /// <summary>Builds a GRUB ISO with the image, one multiboot command line and the given modules (grub-mkrescue).</summary>
    public static string BuildIso(string name, string commandLine, IEnumerable<string> modules)
    {
        string dir = Path.Combine(Directory, "iso-" + name);
        if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, true);
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "boot", "grub"));
        File.Copy(Bin, Path.Combine(dir, "boot", "kernel.bin"));
        var cfg = new StringBuilder("set timeout=0\nset default=0\nmenuentry \"Xen.Sdk " + name + "\" {\n  multiboot /boot/kernel.bin " + commandLine + "\n");
        foreach (string m in modules)
        {
            File.Copy(m, Path.Combine(dir, "boot", Path.GetFileName(m)));
            cfg.Append("  module /boot/").Append(Path.GetFileName(m)).Append('\n');
        }
        cfg.Append("  boot\n}\n");
        File.WriteAllText(Path.Combine(dir, "boot", "grub", "grub.cfg"), cfg.ToString());
        string iso = Path.Combine(Directory, name + ".iso");
        var r = Run("grub-mkrescue", new[] { "-o", iso, dir }, TimeSpan.FromSeconds(60), null);
        if (!File.Exists(iso)) throw new InvalidOperationException("grub-mkrescue failed: " + r.Text);
        return iso;
    }

    private static SerialLog Run(string file, IEnumerable<string> args, TimeSpan timeout, string? stdin, Func<bool>? stopWhen = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.Append(e.Data).Append('\n'); };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (stopWhen != null)
        {
            while (!p.HasExited && sw.Elapsed < timeout && !stopWhen()) Thread.Sleep(200);
            if (!p.HasExited && sw.Elapsed < timeout)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                lock (output) return new SerialLog(output.ToString(), null, sw.Elapsed);
            }
        }
        if (!p.WaitForExit(timeout - sw.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : timeout - sw.Elapsed))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            lock (output)
                throw new Xunit.Sdk.XunitException($"{file} did not finish within {timeout.TotalSeconds:F0} s (the kernel must always end with a status). Serial so far:\n{output}");
        }
        p.WaitForExit();
        lock (output) return new SerialLog(output.ToString(), p.ExitCode, sw.Elapsed);
    }
}
