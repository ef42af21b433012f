using System;
using System.Collections.Generic;
using System.Globalization;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Emulators;

/// <summary>Checks of the <c>XENSDK BENCH</c> line (docs/reference.md "Measured figures"): its presence, the iteration
/// counts as configured, every figure positive and every ratio finite and positive. Timing targets are never asserted:
/// the figures depend on the machine and its load.</summary>
public static class BenchLine
{
    /// <summary>The bench guest's defaults (Kernel/Tools/Guests.cs <c>BenchDefaultIterations</c>/<c>BenchDefaultBatches</c>).</summary>
    public const int DefaultIterations = 64, DefaultBatches = 12;

    private static readonly string[] Kinds = { "bare", "null_hypercall", "xen_version", "cpuid" };
    private static readonly string[] Ratios = { "ratio_null_hypercall", "ratio_xen_version", "ratio_cpuid", "ratio_xen_version_null" };

    public static void AssertSane(Dictionary<string, string> bench, int batchIterations = DefaultIterations, int batches = DefaultBatches)
    {
        Assert.Equal("bench", bench["guest"]);
        Assert.Equal(batchIterations.ToString(CultureInfo.InvariantCulture), bench["batch_iterations"]);
        Assert.Equal(batches.ToString(CultureInfo.InvariantCulture), bench["batches"]);
        string total = (batchIterations * batches).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(total, bench["iterations"]);
        // Every bare hypercall was resumed by the world switch, none reached the dispatcher.
        Assert.Equal(total, bench["bare_exits"]);
        foreach (string k in new[] { "null_hypercall_ticks", "xen_version_ticks", "cpuid_ticks", "bare_ticks", "tsc_per_ms" })
            Assert.True(ulong.Parse(bench[k], CultureInfo.InvariantCulture) > 0, k + " = " + bench[k]);
        foreach (string kind in Kinds)
        {
            ulong median = ulong.Parse(bench[kind + "_median"], CultureInfo.InvariantCulture);
            ulong min = ulong.Parse(bench[kind + "_min"], CultureInfo.InvariantCulture);
            Assert.True(min > 0 && min <= median, $"{kind}: min {min}, median {median}");
        }
        foreach (string r in Ratios)
        {
            double v = double.Parse(bench[r], NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(double.IsFinite(v) && v > 0, r + " = " + bench[r]);
        }
    }
}
