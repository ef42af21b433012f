using System;
using System.IO;

namespace Xen.Sdk.Packaging.Tests;

internal static class RepoPaths
{
    public static readonly string[] Libraries =
    [
        "Xen.Sdk.Abi", "Xen.Sdk.Paging", "Xen.Sdk.Rings", "Xen.Sdk.Vmx", "Xen.Sdk.Svm", "Xen.Sdk.Reference",
    ];

    public static string Root { get; } = FindRoot();

    public static string Packages => Path.Combine(Root, "artifacts", "packages");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Xen.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Xen.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The one package file for <paramref name="id"/> with <paramref name="extension"/>.</summary>
    public static string PackageFile(string id, string extension)
    {
        // "Xen.Sdk.Abi.0.1.0.nupkg" but not "Xen.Sdk.Abi.Foo.0.1.0.nupkg": the id is followed by the version.
        var matches = Array.FindAll(
            Directory.GetFiles(Packages, id + ".*" + extension),
            f => char.IsAsciiDigit(Path.GetFileName(f)[id.Length + 1]));
        if (matches.Length != 1)
        {
            throw new InvalidOperationException(
                $"expected exactly one {id}*{extension} in {Packages} (run ./build.sh pack), found {matches.Length}");
        }

        return matches[0];
    }

    public static string VersionOf(string id, string nupkgPath)
    {
        var name = Path.GetFileNameWithoutExtension(nupkgPath);
        return name.Substring(id.Length + 1);
    }
}
