using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Xml.Linq;
using Xunit;

namespace Xen.Sdk.Packaging.Tests;

/// <summary>What every package must carry: assembly, XML docs, README, license, SourceLink, symbols.</summary>
public sealed class PackageContentTests
{
    // The SourceLink custom debug information record (Portable PDB specification).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Libraries => new(RepoPaths.Libraries);

    [Fact]
    public void ExactlyOnePackageAndOneSymbolPackagePerLibrary()
    {
        var nupkgs = Directory.GetFiles(RepoPaths.Packages, "*.nupkg").Select(Path.GetFileName).Order().ToArray();
        var snupkgs = Directory.GetFiles(RepoPaths.Packages, "*.snupkg").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(RepoPaths.Libraries.Length, nupkgs.Length);
        Assert.Equal(RepoPaths.Libraries.Length, snupkgs.Length);
        foreach (var id in RepoPaths.Libraries)
        {
            Assert.Single(nupkgs, n => n!.StartsWith(id + ".", StringComparison.Ordinal) && char.IsDigit(n[id.Length + 1]));
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void NupkgCarriesAssemblyDocsReadmeAndRepositoryCommit(string id)
    {
        using var zip = ZipFile.OpenRead(RepoPaths.PackageFile(id, ".nupkg"));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains($"lib/net10.0/{id}.dll", names);
        Assert.Contains($"lib/net10.0/{id}.xml", names);
        Assert.Contains("README.md", names);

        var nuspec = XDocument.Load(zip.GetEntry(id + ".nuspec")!.Open());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var meta = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("MIT", meta.Element(ns + "license")?.Value);
        Assert.Equal("README.md", meta.Element(ns + "readme")?.Value);
        var repo = meta.Element(ns + "repository");
        Assert.NotNull(repo);
        Assert.StartsWith("https://github.com/", repo!.Attribute("url")?.Value, StringComparison.Ordinal);
        var commit = repo.Attribute("commit")?.Value ?? "";
        Assert.Matches("^[0-9a-f]{40}$", commit);
        var head = Git("rev-parse HEAD");
        if (head is not null)
        {
            Assert.Equal(head, commit);
        }

        // The XML docs must document the public surface (not an empty file).
        using var xml = zip.GetEntry($"lib/net10.0/{id}.xml")!.Open();
        var members = XDocument.Load(xml).Descendants("member").Count();
        Assert.True(members > 0, $"{id}.xml documents no members");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void SnupkgCarriesPortablePdbWithSourceLink(string id)
    {
        using var zip = ZipFile.OpenRead(RepoPaths.PackageFile(id, ".snupkg"));
        var pdbEntry = zip.GetEntry($"lib/net10.0/{id}.pdb");
        Assert.NotNull(pdbEntry);
        using var copy = new MemoryStream();
        using (var s = pdbEntry!.Open())
        {
            s.CopyTo(copy);
        }

        copy.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(copy);
        var reader = provider.GetMetadataReader();
        string? sourceLink = null;
        foreach (var handle in reader.CustomDebugInformation)
        {
            var cdi = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(cdi.Kind) == SourceLinkKind)
            {
                sourceLink = System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(cdi.Value));
            }
        }

        Assert.NotNull(sourceLink);
        Assert.Contains("raw.githubusercontent.com", sourceLink, StringComparison.Ordinal);
    }

    private static string? Git(string args)
    {
        try
        {
            var psi = new ProcessStartInfo("git", args)
            {
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
