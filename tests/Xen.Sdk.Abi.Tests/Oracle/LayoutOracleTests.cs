using System;
using System.IO;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>Differential tests against gcc + Xen 4.17 headers. `./build.sh abi-check` runs this class alone.</summary>
public sealed class LayoutOracleTests
{
    [Fact]
    public void EveryTypeFieldAndConstantMatchesGcc()
    {
        var r = LayoutOracle.Result;
        var path = Environment.GetEnvironmentVariable("XEN_SDK_ABI_CHECK_SUMMARY");
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, string.Join("\n", r.Mismatches) + (r.Mismatches.Count > 0 ? "\n" : "") + r.Summary + "\n");
        }

        Assert.True(r.Mismatches.Count == 0, r.Summary + "\n" + string.Join("\n", r.Mismatches));
    }

    [Fact]
    public void TheCatalogIsNotEmpty()
    {
        // Guards against a reflection mistake that would make the oracle vacuously green.
        Assert.True(AbiCatalog.Types.Count > 50, $"only {AbiCatalog.Types.Count} [CType] types found");
        Assert.True(AbiCatalog.FieldCount > 300, $"only {AbiCatalog.FieldCount} fields found");
        Assert.True(AbiCatalog.Constants.Count > 100, $"only {AbiCatalog.Constants.Count} constants found");
    }
}
