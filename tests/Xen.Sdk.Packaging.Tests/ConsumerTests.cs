using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace Xen.Sdk.Packaging.Tests;

/// <summary>
/// A fresh project outside the repository restores the just-packed packages (Xen.Sdk.* only from
/// artifacts/packages, mapped by package source mapping; a private global packages folder so nothing stale
/// is reused), calls one public API of each package and runs.
/// </summary>
public sealed class ConsumerTests
{
    [Fact]
    public void FreshConsumerRestoresPackagesAndRuns()
    {
        var work = Directory.CreateTempSubdirectory("xen-sdk-consumer-").FullName;
        try
        {
            var references = new StringBuilder();
            foreach (var id in RepoPaths.Libraries)
            {
                var version = RepoPaths.VersionOf(id, RepoPaths.PackageFile(id, ".nupkg"));
                references.Append($"    <PackageReference Include=\"{id}\" Version=\"{version}\" />\n");
            }

            File.WriteAllText(Path.Combine(work, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                {references}  </ItemGroup>
                </Project>
                """);
            var userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" />
                  </config>
                  <fallbackPackageFolders>
                    <clear />
                    <add key="user" value="{userPackages}" />
                  </fallbackPackageFolders>
                  <packageSources>
                    <clear />
                    <add key="xen-sdk-local" value="{RepoPaths.Packages}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                  <packageSourceMapping>
                    <packageSource key="xen-sdk-local">
                      <package pattern="Xen.Sdk.*" />
                    </packageSource>
                    <packageSource key="nuget.org">
                      <package pattern="*" />
                    </packageSource>
                  </packageSourceMapping>
                </configuration>
                """);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "Program.cs"), Path.Combine(work, "Program.cs"));

            var (code, output) = Run("dotnet", "run -c Release", work);
            Assert.True(code == 0, "consumer failed:\n" + output);
            var lines = output.Split('\n', StringSplitOptions.TrimEntries);
            foreach (var id in RepoPaths.Libraries)
            {
                Assert.Contains(lines, l => l.StartsWith(id + ": ", StringComparison.Ordinal));
            }

            // What each call computed (values from the headers and manuals, not from this repository).
            Assert.True(Array.IndexOf(lines, "Xen.Sdk.Abi: interface 0x00040e00, blkif request 112 bytes (x86_64) / 108 (x86_32)") >= 0, "missing " + "Xen.Sdk.Abi: interface 0x00040e00, blkif request 112 bytes (x86_64) / 108 (x86_32)" + " in:\n" + output);
            Assert.True(Array.IndexOf(lines, "Xen.Sdk.Paging: map Ok, GPA 0x12345678 -> HPA 0x52345678") >= 0, "missing " + "Xen.Sdk.Paging: map Ok, GPA 0x12345678 -> HPA 0x52345678" + " in:\n" + output);
            Assert.True(Array.IndexOf(lines, "Xen.Sdk.Rings: backend consumed request 42, notify True") >= 0, "missing " + "Xen.Sdk.Rings: backend consumed request 42, notify True" + " in:\n" + output);
            Assert.True(Array.IndexOf(lines, "Xen.Sdk.Vmx: VM entry passes (0 failures)") >= 0, "missing " + "Xen.Sdk.Vmx: VM entry passes (0 failures)" + " in:\n" + output);
            Assert.True(Array.IndexOf(lines, "Xen.Sdk.Svm: VMRUN consistency checks pass") >= 0, "missing " + "Xen.Sdk.Svm: VMRUN consistency checks pass" + " in:\n" + output);
            Assert.True(Array.IndexOf(lines, "Xen.Sdk.Reference: hypercall stub 0 calls the hypervisor with a 3-byte VMMCALL") >= 0, "missing " + "Xen.Sdk.Reference: hypercall stub 0 calls the hypervisor with a 3-byte VMMCALL" + " in:\n" + output);

            // The restored Xen.Sdk packages are the ones from artifacts/packages, not some cached copy.
            foreach (var id in RepoPaths.Libraries)
            {
                var restored = Directory.GetFiles(Path.Combine(work, "packages", id.ToLowerInvariant()), "*.nupkg", SearchOption.AllDirectories).Single();
                Assert.Equal(File.ReadAllBytes(RepoPaths.PackageFile(id, ".nupkg")), File.ReadAllBytes(restored));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (int Code, string Output) Run(string file, string args, string dir)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
