using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Xen.Sdk.Vmx.Tests.Bochs;

/// <summary>Parses probe output and (when Bochs, nasm and unshare are present) runs the probe.</summary>
internal static class BochsProbe
{
    public static readonly string[] Models = ["corei7_skylake_x", "corei7_icelake_u", "corei7_sandy_bridge_2600k", "core2_penryn_t9600"];

    public static string Dir => Path.Combine(Fields.VmcsFieldGenerator.RepoRoot, "tests/Xen.Sdk.Vmx.Tests/Bochs");

    /// <summary>Splits a recorded file into per-model line lists.</summary>
    public static Dictionary<string, List<string>> ParseRecorded(string text)
    {
        var result = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("model ", StringComparison.Ordinal))
            {
                current = [];
                result[line[6..]] = current;
            }
            else if (current != null && (line.StartsWith('M') || line.StartsWith('C')))
            {
                current.Add(line);
            }
        }

        return result;
    }

    /// <summary>Builds a capability snapshot from probe lines, decoding CPUID per the SDM (Vol. 2A CPUID).</summary>
    public static VmxCapabilities ToCapabilities(IEnumerable<string> lines)
    {
        var caps = default(VmxCapabilities);
        var cpuid = new Dictionary<uint, uint[]>();
        foreach (string line in lines)
        {
            string[] p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            uint key = uint.Parse(p[0].AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (line[0] == 'M')
            {
                ulong v = p[1] == "G" ? 0 : ulong.Parse(p[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                caps.TrySetMsr(key, v);
            }
            else
            {
                cpuid[key] = [Hex(p[1]), Hex(p[2]), Hex(p[3]), Hex(p[4])];
            }
        }

        static uint Hex(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        static bool Bit(uint v, int b) => ((v >> b) & 1) != 0;
        uint[] l1 = cpuid[1], l7 = cpuid[7], e1 = cpuid[0x80000001], la = cpuid[0xA], e8 = cpuid[0x80000008];
        CpuFeatures f = 0;
        void Set(bool on, CpuFeatures x)
        {
            if (on)
            {
                f |= x;
            }
        }

        Set(Bit(l1[2], 5), CpuFeatures.Vmx);
        Set(Bit(l1[2], 6), CpuFeatures.Smx);
        Set(Bit(l1[2], 17), CpuFeatures.Pcid);
        Set(Bit(l1[2], 26), CpuFeatures.Xsave);
        Set(Bit(l7[2], 16), CpuFeatures.La57);
        Set(Bit(l7[2], 7), CpuFeatures.CetShadowStack);
        Set(Bit(l7[3], 20), CpuFeatures.CetIbt);
        Set(Bit(l7[2], 31), CpuFeatures.Pks);
        Set(Bit(l7[1], 14), CpuFeatures.Mpx);
        Set(Bit(l7[1], 25), CpuFeatures.ProcessorTrace);
        Set(Bit(l7[3], 19), CpuFeatures.ArchLbr);
        Set((la[0] & 0xFF) >= 2, CpuFeatures.PerfGlobalCtrl);
        Set(Bit(e1[3], 29), CpuFeatures.LongMode);
        Set(Bit(e1[3], 20), CpuFeatures.ExecuteDisable);
        Set(Bit(e1[3], 26), CpuFeatures.Pages1G);
        Set(Bit(l7[1], 7), CpuFeatures.Smep);
        Set(Bit(l7[1], 20), CpuFeatures.Smap);
        Set(Bit(l7[2], 3), CpuFeatures.Pku);
        Set(Bit(l7[1], 10), CpuFeatures.Invpcid);
        Set(Bit(e1[3], 27), CpuFeatures.Rdtscp);
        caps.Features = f;
        int gp = (int)(la[0] >> 8) & 0xFF, fixedCount = (int)(la[3] & 0x1F);
        caps.PerfGlobalCtrlValidBits = ((1UL << gp) - 1) | (((1UL << fixedCount) - 1) << 32);
        caps.PhysicalAddressBits = (byte)e8[0];
        caps.LinearAddressBits = (byte)(e8[0] >> 8);
        return caps;
    }

    /// <summary>bochs, nasm and a working <c>unshare -n</c> (it needs the privilege to create a network namespace).</summary>
    public static bool ToolsAvailable => s_tools.Value;

    private static readonly Lazy<bool> s_tools = new(() => OnPath("bochs") && OnPath("nasm") && OnPath("unshare") && UnshareWorks());

    private static bool UnshareWorks()
    {
        try
        {
            using Process p = Process.Start(new ProcessStartInfo("unshare", "-n true") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            return p.WaitForExit(10_000) && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Assembles the probe and runs it under one model; returns its M/C lines.</summary>
    public static List<string> Run(string model, string workDir)
    {
        Directory.CreateDirectory(workDir);
        string bin = Path.Combine(workDir, "probe.bin"), img = Path.Combine(workDir, "floppy.img");
        string shared = Path.Combine(Fields.VmcsFieldGenerator.RepoRoot, "tests", "Shared", "BootSector") + Path.DirectorySeparatorChar;
        Exec("nasm", ["-f", "bin", "-i", shared, Path.Combine(Dir, "probe.asm"), "-o", bin], workDir, 30);
        byte[] floppy = new byte[1474560];
        File.ReadAllBytes(bin).CopyTo(floppy, 0);
        File.WriteAllBytes(img, floppy);
        string serial = Path.Combine(workDir, "serial." + model + ".txt");
        File.Delete(serial);
        string rc = Path.Combine(workDir, "bochsrc." + model);
        File.WriteAllText(rc, $"""
            megs: 32
            romimage: file=/usr/share/bochs/BIOS-bochs-latest
            vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
            floppya: 1_44={img}, status=inserted
            boot: floppy
            cpu: model={model}
            com1: enabled=1, mode=file, dev={serial}
            display_library: rfb, options="timeout=0"
            sound: driver=dummy
            speaker: enabled=0
            clock: sync=none
            log: {Path.Combine(workDir, "bochs." + model + ".log")}

            """);
        string cont = Path.Combine(workDir, "cont.rc");
        File.WriteAllText(cont, "c\n");
        // unshare -n: the RFB display would listen on the network otherwise (docs/EMULATORS.md).
        Exec("unshare", ["-n", "bochs", "-q", "-f", rc, "-rc", cont], workDir, 60);
        string output = File.Exists(serial) ? File.ReadAllText(serial) : "";
        var lines = new List<string>();
        foreach (string l in output.Split('\n'))
        {
            string t = l.Trim();
            if (t.Length > 1 && (t[0] == 'M' || t[0] == 'C') && Uri.IsHexDigit(t[1]))
            {
                lines.Add(t);
            }
        }

        return lines;
    }

    private static string Exec(string file, string[] args, string dir, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        try
        {
            // Answers Bochs' debugger prompt if it shows one; the process may already have exited.
            p.StandardInput.WriteLine("quit");
            p.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(true);
            throw new TimeoutException($"{file} did not finish in {timeoutSeconds} s");
        }

        return stdout + stderr.Result;
    }

    private static bool OnPath(string name)
    {
        foreach (string d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (File.Exists(Path.Combine(d, name)))
            {
                return true;
            }
        }

        return false;
    }
}
