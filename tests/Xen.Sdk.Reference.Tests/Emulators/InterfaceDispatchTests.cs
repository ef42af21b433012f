using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Reference.Kernel.SelfTests;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>
/// Interface dispatch on objects in the kernel runtime (Kernel/CoreLib/Runtime/InterfaceDispatch.cs, the boot stub's
/// <c>RhpInitialDynamicInterfaceDispatch</c>). The kernel's boot self-test runs <see cref="InterfaceDispatchProbes.Run"/>
/// on the emulated CPU: shared generic code calling thirteen classes through five interfaces (eight instantiations) —
/// different slot orders, two interfaces on one class, explicit implementations, inherited and overridden
/// implementations, a generic interface over a struct and over a class, exact matches on a variant interface, a default
/// interface method, float arguments and a struct returned through memory. The oracle is CoreCLR's own interface
/// dispatch running the same code in this test process: every value must be equal.
/// </summary>
public sealed class InterfaceDispatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static long[] CoreClr(long seed)
    {
        var values = new long[InterfaceDispatchProbes.Count];
        int n = InterfaceDispatchProbes.Run(new ProbeAlpha(), new ProbeBeta(), new ProbeGamma(), new ProbeBase(), new ProbeDerived(),
            new ProbeLeaf(), new ProbeSum(), new ProbeDiff(), new ProbeDefaultOnly(), new ProbeDefaultOverride(), new ProbeVariantExact(),
            new ProbeVariantBoth(), new ProbeText(), seed, values);
        Assert.Equal(InterfaceDispatchProbes.Count, n);
        return values;
    }

    private static SerialLog BootQemu(string append)
    {
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required (Debian package qemu-system-x86)");
        return KernelImage.RunQemuModules(append, Array.Empty<string>(), Timeout);
    }

    private static Dictionary<string, string> SelfTestLine(SerialLog log)
    {
        const string prefix = "XENSDK SELFTEST interface_dispatch=";
        var lines = log.Text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, "expected one interface_dispatch SELFTEST line:\n" + log.Text);
        return SerialLog.ParseKeyValues(lines[0]["XENSDK SELFTEST ".Length..]);
    }

    private static void AssertAgreesWithCoreClr(SerialLog log, long seed, string what)
    {
        Assert.DoesNotContain("XENSDK PANIC", log.Text, StringComparison.Ordinal);
        var line = SelfTestLine(log);
        Assert.True(line["interface_dispatch"] == "ok", $"{what}: self-test failed:\n{log.Text}");
        Assert.Equal(seed.ToString(CultureInfo.InvariantCulture), line["seed"]);
        Assert.Equal(InterfaceDispatchProbes.Count.ToString(CultureInfo.InvariantCulture), line["count"]);
        // The runtime resolved dispatch cells (ilc did not devirtualise the probes away), found repeats in its cache,
        // and allocated nothing while dispatching.
        Assert.True(int.Parse(line["resolved"], CultureInfo.InvariantCulture) >= 20, $"{what}: too few resolutions: {line["resolved"]}");
        Assert.True(int.Parse(line["cache_hits"], CultureInfo.InvariantCulture) > 0, $"{what}: no cache hits");
        Assert.Equal("0", line["allocs_during"]);
        long[] kernel = line["values"].Split(',').Select(v => unchecked((long)ulong.Parse(v, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray();
        long[] expected = CoreClr(seed);
        Assert.Equal(expected.Length, kernel.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == kernel[i], $"{what}, seed {seed}: value {i} is 0x{kernel[i]:x} on the kernel, 0x{expected[i]:x} under CoreCLR");
    }

    [Fact]
    public void ProbesReturnADistinctValuePerImplementationUnderCoreClr()
    {
        // Guards the probe design itself: the five implementations of IDispatchProbe give five different answers, so a
        // dispatch to the wrong class cannot go unnoticed.
        long[] v = CoreClr(0);
        Assert.Equal(6, v.Take(6).Distinct().Count());
        Assert.Equal(v[18], v[24]);      // the same generic-interface call through a generic method and an interface local
        Assert.NotEqual(v[18], v[19]);   // ProbeSum and ProbeDiff differ
        Assert.NotEqual(v[27], v[28]);   // default method and its override
        Assert.Equal(0x9B1, v[29]);      // exact match on a variant interface
        Assert.Equal(0x9C2, v[30]);      // the exact instantiation wins over the variant one
    }

    [Property(MaxTest = 4)]
    public Property QemuKernelDispatchAgreesWithCoreClr(ushort seedBits)
    {
        long seed = seedBits;
        var log = BootQemu("run=none dispatch-seed=" + seed.ToString(CultureInfo.InvariantCulture));
        AssertAgreesWithCoreClr(log, seed, "QEMU");
        return true.ToProperty();
    }

    [Fact]
    public void VariantDispatchPanicsNamingTheInterfaceAndSlot()
    {
        // CoreCLR dispatches IDispatchVariant<object>.Get to ProbeVariant's IDispatchVariant<string> implementation by
        // covariance; the kernel runtime supports exact matches only and must stop rather than guess.
        Assert.Equal(0x9A1, VariantProbe.Call(new ProbeVariant()));
        var log = BootQemu("run=none dispatch-probe=variant");
        Assert.Equal("ok", SelfTestLine(log)["interface_dispatch"]);
        Assert.True(log.ExitCode == 35, $"QEMU exit status {log.ExitCode} (35 expected: panic)\n{log.Text}");
        string panic = log.Text.Split('\n').SingleOrDefault(l => l.StartsWith("XENSDK PANIC runtime: interface dispatch:", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException("no interface dispatch panic:\n" + log.Text);
        Assert.Contains("variant interface dispatch", panic, StringComparison.Ordinal);
        Assert.Contains("XENSDK SELFTEST dispatch_probe=variant calling", log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("dispatch_probe=variant result=", log.Text, StringComparison.Ordinal);
        var kv = SerialLog.ParseKeyValues(panic);
        // The addresses in the message name the interface, the object's type and the call site in the image's symbols.
        var symbols = Symbols();
        Assert.Contains(symbols[Convert.ToUInt64(kv["interface"], 16)], n => n.EndsWith("SelfTests_IDispatchVariant_1<Object>", StringComparison.Ordinal));
        Assert.Contains(symbols[Convert.ToUInt64(kv["type"], 16)], n => n.EndsWith("SelfTests_ProbeVariant", StringComparison.Ordinal));
        Assert.Contains(symbols[Convert.ToUInt64(kv["cell"], 16)], n => n.Contains("IDispatchVariant_1<Object>__Get", StringComparison.Ordinal));
        Assert.Equal("1", kv["slot"]);   // generic interfaces keep their dictionary in slot 0
    }

    [Fact]
    public void InterfaceCallOnNullPanics()
    {
        var log = BootQemu("run=none dispatch-probe=null");
        Assert.Equal("ok", SelfTestLine(log)["interface_dispatch"]);
        Assert.True(log.ExitCode == 35, $"QEMU exit status {log.ExitCode} (35 expected: panic)\n{log.Text}");
        Assert.Contains("XENSDK SELFTEST dispatch_probe=null calling", log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("dispatch_probe=null result=", log.Text, StringComparison.Ordinal);
        string panic = log.Text.Split('\n').SingleOrDefault(l => l.StartsWith("XENSDK PANIC runtime: interface dispatch: null reference", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException("no null-reference dispatch panic:\n" + log.Text);
        var kv = SerialLog.ParseKeyValues(panic);
        Assert.Contains(Symbols()[Convert.ToUInt64(kv["interface"], 16)], n => n.EndsWith("SelfTests_IDispatchVariant_1<Object>", StringComparison.Ordinal));
        Assert.Equal("1", kv["slot"]);
    }

    [Fact]
    public void BochsVmxRunsTheSelfTestAndVpidEnableInOnTheVmcsImageClass()
    {
        Assert.True(KernelImage.Has("bochs"), "bochs is required (Debian packages bochs bochsbios vgabios)");
        Assert.True(KernelImage.Has("unshare"), "unshare is required (util-linux)");
        // The kernel calls Xen.Sdk.Vmx's Vpid.EnableIn<TVmcs> with the VmcsImage class: shared code whose VMCS writes
        // go through interface dispatch. Bochs then enters the guest with the VPID those writes put in the VMCS.
        var log = KernelImage.RunBochs("corei7_skylake_x", TimeSpan.FromSeconds(120),
            KernelImage.CachedIso("run=all dispatch-seed=77", new[] { "long64" }));
        AssertAgreesWithCoreClr(log, 77, "Bochs corei7_skylake_x");
        Assert.Equal("1", log.Vmx!["vpid"]);
        var run = Assert.Single(log.Runs);
        Assert.Equal("1", run["vpid"]);
        Assert.All(log.Checks, c => Assert.Equal("0", c["failures"]));
        var r = log.Result("long64");
        Assert.Equal("vmx", r["vendor"]);
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);
    }

    private static Dictionary<ulong, List<string>> Symbols()
    {
        string elf = Path.Combine(KernelImage.Directory, "kernel.elf");
        var psi = new ProcessStartInfo("nm", new[] { elf }) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var map = new Dictionary<ulong, List<string>>();
        foreach (string line in text.Split('\n'))
        {
            string[] parts = line.Split(' ', 3);
            if (parts.Length == 3 && ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address))
            {
                if (!map.TryGetValue(address, out var names)) map[address] = names = new List<string>();
                names.Add(parts[2].Trim());
            }
        }
        return map;
    }
}
