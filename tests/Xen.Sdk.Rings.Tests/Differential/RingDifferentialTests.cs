using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Rings.Tests.Native;
using Xunit;

namespace Xen.Sdk.Rings.Tests.Differential;

/// <summary>
/// Byte-exact differential tests: every FsCheck-generated operation sequence runs through Xen's io/ring.h
/// macros (Native/ring_script.c, gcc) and through FrontRing/BackRing; traces and shared pages must be identical.
/// Each property case batches 25 sequences into one C process.
/// </summary>
public sealed class RingDifferentialTests
{
    public static class Arbs
    {
        public static Arbitrary<RingScript[]> Scripts() =>
            Gen.ArrayOf(RingScript.Generator(), 25).ToArbitrary();
    }

    [Property(MaxTest = 60, Arbitrary = new[] { typeof(Arbs) })]
    public void SequencesMatchXenMacrosByteForByte(RingScript[] scripts) => Compare(scripts);

    [Fact]
    public void NotifyCornerCasesMatchXenMacros()
    {
        // Event thresholds exactly at, before and after the old/new producer (see docs/rings.md).
        static RingOp O(char c, int n = 0) => new(c, n);
        var scripts = new List<RingScript>();
        foreach (uint start in new[] { 0u, 0xFFFF_FFFEu, 0x7FFF_FFFFu })
            for (int type = 0; type < 3; type++)
            {
                scripts.Add(new RingScript(type, 1, start, new[] { O('G'), O('p', 1), O('P'), O('P'), O('c', 1), O('G'), O('P'), O('p', 2), O('P') }));
                scripts.Add(new RingScript(type, 1, start, new[] { O('p', 3), O('P'), O('c', 3), O('r', 3), O('F'), O('R'), O('R'), O('d', 3), O('F'), O('r', 1), O('R') }));
                scripts.Add(new RingScript(type, 2, start, new[] { O('p', 999), O('q'), O('G'), O('c', 999), O('G'), O('r', 999), O('s'), O('F'), O('d', 999), O('F'), O('p', 999), O('P') }));
            }
        Compare(scripts.ToArray());
    }

    private static void Compare(RingScript[] scripts)
    {
        string exe = NativeOracle.Build("ring_script.c");
        var input = new StringBuilder();
        foreach (RingScript s in scripts) input.Append(s.ToInput());
        var (code, stdout, stderr) = NativeOracle.Run(exe, "", input.ToString());
        Assert.True(code == 0, "C oracle failed: " + stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * scripts.Length, lines.Length);
        for (int i = 0; i < scripts.Length; i++)
        {
            var (trace, page) = RingScriptRunner.Run(scripts[i]);
            Assert.Equal(lines[2 * i], "T " + trace);
            string hex = Convert.ToHexString(page).ToLowerInvariant();
            string expected = lines[2 * i + 1].Substring(2);
            if (hex != expected)
            {
                int at = Enumerable.Range(0, Math.Min(hex.Length, expected.Length)).First(j => hex[j] != expected[j]) / 2;
                Assert.Fail($"page differs at byte {at} for script {scripts[i]}");
            }
        }
    }

    [Fact]
    public void RingSizesMatchRingSizeMacro()
    {
        // __RING_SIZE for the three pairs of structs and 1..4 pages, as gcc computes it (first trace token).
        string exe = NativeOracle.Build("ring_script.c");
        var input = new StringBuilder();
        for (int type = 0; type < 3; type++)
            for (int pages = 1; pages <= 4; pages++) input.Append($"B {type} {pages} 0 E\n");
        var (_, stdout, _) = NativeOracle.Run(exe, "", input.ToString());
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int i = 0;
        for (int type = 0; type < 3; type++)
            for (int pages = 1; pages <= 4; pages++, i += 2)
            {
                uint expected = uint.Parse(lines[i].Split(' ')[1].Substring(1));
                nuint bytes = (nuint)(pages * 4096);
                uint actual = type switch
                {
                    0 => SharedRing.EntryCount<Req0, Rsp0>(bytes),
                    1 => SharedRing.EntryCount<Req1, Rsp1>(bytes),
                    _ => SharedRing.EntryCount<Req2, Rsp2>(bytes),
                };
                Assert.Equal(expected, actual);
            }
        Assert.Equal(16, SharedRing.EntrySize<Req1, Rsp1>()); // union {u8[12]; u64} is 16 bytes in C
    }
}
