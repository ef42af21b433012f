using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using Xen.Sdk.Paging.Capabilities;
using Xunit;

namespace Xen.Sdk.Paging.Tests.Probe;

/// <summary>Reads the capability snapshots in <see cref="CpuModels"/> from the emulated CPUs themselves: boots
/// pagingprobe.asm (a boot sector printing CPUID leaves and the VMX MSRs on COM1) under QEMU TCG and Bochs, decodes what
/// the CPU reported into a <see cref="PagingCapabilities"/> and compares it with the library's snapshot field by field.
/// Each run takes ~0.1-0.2 s here; every machine with a snapshot runs by default.</summary>
public class CpuModelProbeTests
{
    /// <summary>(snapshot name, emulator, CPU model).</summary>
    public static TheoryData<string, string, string> Machines => new()
    {
        { nameof(CpuModels.QemuQemu64Svm), "qemu", "qemu64,+svm,+npt" },
        { nameof(CpuModels.QemuEpycTcg), "qemu", "EPYC,+svm,+npt" },
        { nameof(CpuModels.QemuMaxTcg), "qemu", "max" },
        { nameof(CpuModels.BochsCoreI7SkylakeX), "bochs", "corei7_skylake_x" },
        { nameof(CpuModels.BochsCoreI7IcelakeU), "bochs", "corei7_icelake_u" },
        { nameof(CpuModels.BochsCoreI7Haswell4770), "bochs", "corei7_haswell_4770" },
        { nameof(CpuModels.BochsCoreI7SandyBridge2600K), "bochs", "corei7_sandy_bridge_2600k" },
        { nameof(CpuModels.BochsCore2PenrynT9600), "bochs", "core2_penryn_t9600" },
        { nameof(CpuModels.BochsRyzen), "bochs", "ryzen" },
        { nameof(CpuModels.BochsPhenom8650Toliman), "bochs", "phenom_8650_toliman" },
    };

    [Theory, MemberData(nameof(Machines))]
    public void SnapshotEqualsWhatTheCpuReports(string snapshot, string emulator, string model)
    {
        Assert.SkipUnless(OnPath("nasm"), "nasm not installed");
        Assert.SkipUnless(emulator == "qemu" ? OnPath("qemu-system-x86_64") : OnPath("bochs") && s_unshare.Value,
            emulator == "qemu" ? "qemu-system-x86_64 not installed" : "bochs not installed, or unshare -n not permitted here");
        string dir = Directory.CreateTempSubdirectory("pagingprobe").FullName;
        try
        {
            string image = BuildImage(dir);
            string serial = emulator == "qemu" ? RunQemu(image, model, dir) : RunBochs(image, model, dir);
            Assert.True(serial.Contains("\nE\n", StringComparison.Ordinal) || serial.StartsWith("E\n", StringComparison.Ordinal),
                $"probe under {emulator} {model} did not finish; serial output:\n{serial}");
            PagingCapabilities cpu = Decode(serial);
            PagingCapabilities expected = (PagingCapabilities)typeof(CpuModels).GetProperty(snapshot)!.GetValue(null)!;
            string diff = Differences(expected, cpu);
            Assert.True(diff.Length == 0, $"CpuModels.{snapshot} differs from what {emulator} -cpu {model} reported:\n{diff}probe output:\n{serial}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The decoder itself, on recorded lines (so a decoding slip is caught without an emulator): Bochs 2.7
    /// <c>ryzen</c> reports flush-by-ASID (CPUID 8000000Ah EDX bit 6) and QEMU <c>-cpu max</c> LA57 with a 57-bit
    /// linear width.</summary>
    [Fact]
    public void DecodesRecordedOutput()
    {
        PagingCapabilities ryzen = Decode("""
            C00000000 0000000D 68747541 444D4163 69746E65
            C00000001 00800F11 00010800 76D8320B 178BFBFF
            C00000007 00000000 209C01A9 00000000 00000000
            C80000000 8000001F 68747541 444D4163 69746E65
            C80000001 00800F11 20000000 35C223FF 2FD3FBFF
            C80000008 00003028 00000001 00000000 00000000
            C8000000A 00000001 00008000 00000000 0000044F
            E

            """.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal(CpuVendor.Amd, ryzen.Vendor);
        Assert.True(ryzen.Npt && ryzen.NptFlushByAsid && ryzen.Pages1GiB && ryzen.Smep && ryzen.Smap && !ryzen.La57);
        Assert.Equal(40, ryzen.MaxPhysicalAddressBits);
        PagingCapabilities sandy = Decode("""
            C00000000 0000000D 756E6547 6C65746E 49656E69
            C00000001 000206A7 00010800 179AE3BF BFEBFBFF
            C00000007 00000000 00000000 00000000 00000000
            C80000000 80000008 00000000 00000000 00000000
            C80000001 00000000 00000000 00000001 28100000
            C80000008 00003028 00000000 00000000 00000000
            M00000482 F7F9FFFE0401E172
            M0000048B 000000FF00000000
            M0000048C 00000F0106114141
            E

            """.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal(CpuModels.BochsCoreI7SandyBridge2600K, sandy);
    }

    /// <summary>Decodes probe output (CPUID bit positions: Intel SDM Vol. 2A "CPUID", AMD APM Vol. 3 Appendix E; VMX MSRs:
    /// Intel SDM Vol. 3D §A.3.3 and §A.10).</summary>
    internal static PagingCapabilities Decode(string serial)
    {
        var leaves = new Dictionary<uint, uint[]>();
        var msrs = new Dictionary<uint, ulong>();
        foreach (string raw in serial.Split('\n'))
        {
            string line = raw.Trim();
            string[] p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith('C') && p.Length == 5)
                leaves[Hex32(p[0][1..])] = [Hex32(p[1]), Hex32(p[2]), Hex32(p[3]), Hex32(p[4])];
            else if (line.StartsWith('M') && p.Length == 2 && p[1] != "G")
                msrs[Hex32(p[0][1..])] = ulong.Parse(p[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        uint[] Leaf(uint n) => leaves.TryGetValue(n, out uint[]? v) ? v : new uint[4];
        static bool Bit(ulong v, int b) => ((v >> b) & 1) != 0;
        uint[] l0 = Leaf(0), l1 = Leaf(1), l7 = Leaf(7), e1 = Leaf(0x8000_0001), e8 = Leaf(0x8000_0008), ea = Leaf(0x8000_000A);
        string vendor = Encoding.ASCII.GetString([.. BitConverter.GetBytes(l0[1]), .. BitConverter.GetBytes(l0[3]), .. BitConverter.GetBytes(l0[2])]);
        ulong procBased = msrs.GetValueOrDefault(0x482u), procBased2 = msrs.GetValueOrDefault(0x48Bu);
        bool secondary = Bit(procBased, 63);
        bool ept = secondary && Bit(procBased2, 32 + 1);
        return new PagingCapabilities
        {
            Vendor = vendor == "AuthenticAMD" ? CpuVendor.Amd : CpuVendor.Intel,
            MaxPhysicalAddressBits = (byte)e8[0],
            LinearAddressBits = (byte)(e8[0] >> 8),
            Pse = Bit(l1[3], 3),
            Pae = Bit(l1[3], 6),
            Pat = Bit(l1[3], 16),
            Pages1GiB = Bit(e1[3], 26),
            NoExecute = Bit(e1[3], 20),
            La57 = Bit(l7[2], 16),
            Smep = Bit(l7[1], 7),
            Smap = Bit(l7[1], 20),
            Ept = ept,
            EptCapabilities = new EptVpidCapabilities(ept ? msrs.GetValueOrDefault(0x48Cu) : 0),
            EptModeBasedExecute = secondary && Bit(procBased2, 32 + 22),
            Npt = Bit(e1[2], 2) && Bit(ea[3], 0),
            NptFlushByAsid = Bit(e1[2], 2) && Bit(ea[3], 6),
        };
    }

    private static uint Hex32(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>One line per differing property: "Name: snapshot X, CPU Y".</summary>
    internal static string Differences(PagingCapabilities snapshot, PagingCapabilities cpu)
    {
        var sb = new StringBuilder();
        foreach (var prop in typeof(PagingCapabilities).GetProperties())
        {
            if (prop.GetIndexParameters().Length != 0 || prop.Name == nameof(PagingCapabilities.PhysicalAddressMask)) continue;
            object? a = prop.GetValue(snapshot), b = prop.GetValue(cpu);
            if (!Equals(a, b))
                sb.Append(prop.Name).Append(": snapshot ").Append(Show(a)).Append(", CPU ").Append(Show(b)).Append('\n');
        }
        return sb.ToString();

        static string Show(object? v) => v is EptVpidCapabilities c ? "0x" + c.Value.ToString("X", CultureInfo.InvariantCulture) : v?.ToString() ?? "null";
    }

    private static string BuildImage(string dir)
    {
        string bin = Path.Combine(dir, "probe.bin"), img = Path.Combine(dir, "floppy.img");
        string probe = Path.Combine(AppContext.BaseDirectory, "Probe");
        Exec("nasm", ["-f", "bin", "-i", probe + Path.DirectorySeparatorChar, Path.Combine(probe, "pagingprobe.asm"), "-o", bin], dir, 30);
        byte[] floppy = new byte[1474560];
        File.ReadAllBytes(bin).CopyTo(floppy, 0);
        File.WriteAllBytes(img, floppy);
        return img;
    }

    private static string RunQemu(string image, string cpu, string dir)
    {
        string serial = Path.Combine(dir, "serial.txt");
        Exec("qemu-system-x86_64", ["-machine", "pc,accel=tcg", "-cpu", cpu, "-m", "32M", "-drive", $"file={image},format=raw,if=floppy",
            "-boot", "a", "-display", "none", "-serial", $"file:{serial}", "-monitor", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"], dir, 30);
        return File.Exists(serial) ? File.ReadAllText(serial) : "";
    }

    private static string RunBochs(string image, string model, string dir)
    {
        string serial = Path.Combine(dir, "serial.txt"), rc = Path.Combine(dir, "bochsrc"), cont = Path.Combine(dir, "cont.rc");
        File.WriteAllText(rc, $"""
            megs: 32
            romimage: file=/usr/share/bochs/BIOS-bochs-latest
            vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
            floppya: 1_44={image}, status=inserted
            boot: floppy
            cpu: model={model}
            com1: enabled=1, mode=file, dev={serial}
            display_library: rfb, options="timeout=0"
            sound: driver=dummy
            speaker: enabled=0
            clock: sync=none
            log: {Path.Combine(dir, "bochs.log")}

            """);
        File.WriteAllText(cont, "c\n");
        // unshare -n: Bochs' RFB display would otherwise listen on the machine's network (docs/EMULATORS.md).
        Exec("unshare", ["-n", "bochs", "-q", "-f", rc, "-rc", cont], dir, 60);
        return File.Exists(serial) ? File.ReadAllText(serial) : "";
    }

    private static void Exec(string file, string[] args, string dir, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        try
        {
            p.StandardInput.WriteLine("quit");   // answers Bochs' debugger prompt if it shows one
            p.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {timeoutSeconds} s");
        }
        p.WaitForExit();
    }

    /// <summary>Bochs runs in its own network namespace; creating one needs privileges a CI runner may lack.</summary>
    private static readonly Lazy<bool> s_unshare = new(() =>
    {
        if (!OnPath("unshare")) return false;
        try
        {
            using Process p = Process.Start(new ProcessStartInfo("unshare", "-n true") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            return p.WaitForExit(10_000) && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    private static bool OnPath(string name)
    {
        foreach (string d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(d, name))) return true;
        return false;
    }
}
