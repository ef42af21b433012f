using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xen.Sdk.Reference.Tests.Emulators;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Build;

/// <summary>The image build's products and the freestanding check: it passes on the SDK assemblies and fails, naming
/// the member, on an assembly that uses BCL surface the kernel core library does not provide.</summary>
public sealed class KernelBuildTests
{
    private static string ToolDll => Directory.GetFiles(Path.Combine(KernelImage.RepoRoot, "src", "Xen.Sdk.Reference", "Kernel", "Tools", "bin"),
        "Xen.Sdk.Reference.KernelTool.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).First();

    private static string CoreLib => Directory.GetFiles(Path.Combine(KernelImage.RepoRoot, "src", "Xen.Sdk.Reference", "Kernel", "CoreLib", "bin"),
        "System.Private.CoreLib.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).First();

    private static string RefPack => Path.GetDirectoryName(typeof(object).Assembly.Location) is { } runtimeDir
        ? Directory.GetDirectories(Path.Combine(runtimeDir, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref")).OrderBy(d => d).Last() + "/ref/net10.0"
        : throw new InvalidOperationException();

    private static (int Code, string Output) Check(params string[] assemblies)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { ToolDll, "check", "--corelib", CoreLib, "--refpack", RefPack }.Concat(assemblies)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));
        return (p.ExitCode, output);
    }

    [Fact]
    public void MultibootHeaderIsValid()
    {
        // Multiboot Specification 0.6.96 §3.1.1: magic 0x1BADB002 in the first 8 KiB, 4-byte aligned; flags + magic +
        // checksum = 0 (mod 2^32); bit 16 set means the a.out-kludge address fields are valid.
        byte[] image = File.ReadAllBytes(KernelImage.Bin);
        int at = Enumerable.Range(0, Math.Min(8192, image.Length) / 4).Select(i => i * 4)
            .First(o => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(o)) == 0x1BADB002);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(at + 4));
        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(at + 8));
        Assert.Equal(0u, unchecked(0x1BADB002 + flags + checksum));
        Assert.NotEqual(0u, flags & (1u << 16));
        uint loadAddr = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(at + 16));
        uint loadEnd = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(at + 20));
        Assert.True(loadEnd - loadAddr <= image.Length, "load_end_addr must not lie past the end of the flat file");
        Assert.True(File.Exists(KernelImage.Iso));
        Assert.All(KernelImage.GuestNames, g => Assert.True(File.Exists(KernelImage.Guest(g)), g));
    }

    [Fact]
    public void CheckPassesForTheSdkAssemblies()
    {
        string bin = Path.GetDirectoryName(typeof(ExitDispatcher<,,,>).Assembly.Location)!;
        var sdk = Directory.GetFiles(bin, "Xen.Sdk.*.dll").Where(f => !Path.GetFileName(f).Contains("Tests", StringComparison.Ordinal)).ToArray();
        Assert.Contains(sdk, f => f.EndsWith("Xen.Sdk.Svm.dll", StringComparison.Ordinal));
        var (code, output) = Check(sdk);
        Assert.True(code == 0, output);
        Assert.Contains("0 missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFailsNamingTheMemberForANonFreestandingAssembly()
    {
        // The tool itself is host code: Console, LINQ, collections.
        var (code, output) = Check(ToolDll);
        Assert.Equal(1, code);
        Assert.Contains("error XSK0002", output, StringComparison.Ordinal);
        Assert.Contains("'System.Console::WriteLine(System.String)System.Void'", output, StringComparison.Ordinal);
        Assert.Contains("Used by: Xen.Sdk.Reference.KernelTool.", output, StringComparison.Ordinal);
        Assert.Contains("error XSK0003", output, StringComparison.Ordinal);
    }
}
