using System;
using System.IO;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>The checked-in *.g.cs files are exactly what the generator produces from the *.xabi data files.</summary>
public sealed class GeneratorTests
{
    [Fact]
    public void GeneratedCodeIsUpToDate()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Xen.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.NotNull(dir);
        var script = Path.Combine(dir!, "src", "Xen.Sdk.Abi", "Generator", "abigen.py");
        var (rc, stdout, stderr) = Gcc.Run("python3", $"{script} --check", null);
        Assert.True(rc == 0, $"abigen.py --check failed ({rc}): {stdout}{stderr}");
    }
}
