using System;
using System.Collections.Generic;
using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary><see cref="ExitCounters.Count"/> indexes the per-reason counters by <see cref="ExitReason"/> (it relies on
/// the fields' declaration order). For every reason, and for out-of-range values cast to <see cref="ExitReason"/>, exactly
/// the named counter and <see cref="ExitCounters.Total"/> move (None and out-of-range count as Unknown); the fields are
/// found by name through reflection, in the test only.</summary>
public sealed class HotPathExitCounterTests
{
    /// <summary>The counter each reason must land in, by name (written out, not derived from the order).</summary>
    private static readonly Dictionary<ExitReason, string> CounterOf = new()
    {
        [ExitReason.None] = "Unknown", [ExitReason.Cpuid] = "Cpuid", [ExitReason.IoPort] = "Io", [ExitReason.Hlt] = "Hlt",
        [ExitReason.MsrRead] = "MsrRead", [ExitReason.MsrWrite] = "MsrWrite", [ExitReason.Hypercall] = "Hypercall",
        [ExitReason.NestedPageFault] = "NestedPageFault", [ExitReason.Exception] = "Exception", [ExitReason.Shutdown] = "Shutdown",
        [ExitReason.InterruptWindow] = "InterruptWindow", [ExitReason.ExternalInterrupt] = "ExternalInterrupt",
        [ExitReason.EntryFailure] = "EntryFailure", [ExitReason.Unknown] = "Unknown",
    };

    private static readonly FieldInfo[] Fields = typeof(ExitCounters).GetFields(BindingFlags.Public | BindingFlags.Instance);

    private static Dictionary<string, ulong> Snapshot(ExitCounters c)
    {
        var d = new Dictionary<string, ulong>();
        object boxed = c;
        foreach (var f in Fields) d[f.Name] = (ulong)f.GetValue(boxed)!;
        return d;
    }

    private static string CounterFor(byte value) => CounterOf.TryGetValue((ExitReason)value, out var name) ? name : "Unknown";

    [Fact]
    public void EveryReasonIsCoveredByTheTable()
    {
        foreach (ExitReason r in Enum.GetValues<ExitReason>()) Assert.True(CounterOf.ContainsKey(r), r.ToString());
        foreach (string name in CounterOf.Values) Assert.Contains(Fields, f => f.Name == name);
    }

    [Fact]
    public void EachByteValueMovesExactlyItsCounterAndTotal()
    {
        for (int v = 0; v < 256; v++)
        {
            var c = new ExitCounters();
            // Non-zero background so an increment of the wrong field, or a write past the counters, shows.
            object boxed = c;
            for (int i = 0; i < Fields.Length; i++) Fields[i].SetValue(boxed, (ulong)(1000 + i));
            c = (ExitCounters)boxed;
            var before = Snapshot(c);
            c.Count((ExitReason)v);
            var after = Snapshot(c);
            string expected = CounterFor((byte)v);
            foreach (var f in Fields)
            {
                ulong delta = after[f.Name] - before[f.Name];
                ulong want = f.Name == "Total" || f.Name == expected ? 1UL : 0UL;
                Assert.True(delta == want, $"reason {v}: {f.Name} moved by {delta}, expected {want}");
            }
        }
    }

    [Property(MaxTest = 200)]
    public Property SequencesMatchAHistogram(byte[] reasons)
    {
        reasons ??= Array.Empty<byte>();
        var c = new ExitCounters();
        var model = new Dictionary<string, ulong>();
        foreach (byte r in reasons)
        {
            c.Count((ExitReason)r);
            string name = CounterFor(r);
            model[name] = model.GetValueOrDefault(name) + 1;
        }
        var got = Snapshot(c);
        bool ok = got["Total"] == (ulong)reasons.Length;
        foreach (var f in Fields)
            if (f.Name != "Total") ok &= got[f.Name] == model.GetValueOrDefault(f.Name);
        return ok.ToProperty();
    }
}
