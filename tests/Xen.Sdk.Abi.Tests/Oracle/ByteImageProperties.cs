using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>
/// FsCheck: for every mirrored struct and both bitnesses, random scalars written through the C# type give
/// the same bytes as the C struct filled with the same scalars by gcc-compiled code. Each property run
/// sends one batch (every type, several cases each) through one process per bitness.
/// </summary>
public sealed class ByteImageProperties
{
    private const int CasesPerType = 3;

    private static readonly ulong[] s_edges = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000000000000000, ulong.MaxValue };

    /// <summary>Full-range 64-bit values, biased towards sign and width boundaries.</summary>
    private static Gen<ulong> Value =>
        Gen.Frequency(
            (1, Gen.Elements(s_edges)),
            (4, Gen.Choose(int.MinValue, int.MaxValue).Zip(Gen.Choose(int.MinValue, int.MaxValue))
                .Select(p => ((ulong)(uint)p.Item1 << 32) | (uint)p.Item2)));

    private static Gen<List<ByteImage.Case>> Batch(Arch arch)
    {
        var types = AbiCatalog.Types;
        var slots = new List<int>();
        for (int ti = 0; ti < types.Count; ti++)
        {
            if (types[ti].AppliesTo(arch))
            {
                for (int c = 0; c < CasesPerType; c++)
                {
                    slots.Add(ti);
                }
            }
        }

        int total = slots.Sum(ti => types[ti].Leaves.Count);
        return Value.ArrayOf(total).Select(all =>
        {
            var cases = new List<ByteImage.Case>(slots.Count);
            int at = 0;
            foreach (var ti in slots)
            {
                int n = types[ti].Leaves.Count;
                cases.Add(new ByteImage.Case(ti, all.AsSpan(at, n).ToArray()));
                at += n;
            }

            return cases;
        });
    }

    private static bool Check(Arch arch, List<ByteImage.Case> batch)
    {
        var c = ByteImage.CImages(arch, batch);
        var bad = new List<string>();
        for (int i = 0; i < batch.Count; i++)
        {
            var t = AbiCatalog.Types[batch[i].TypeIndex];
            var cs = ByteImage.CsImage(t, batch[i].Values);
            if (i >= c.Length || c[i] != cs)
            {
                int at = i >= c.Length ? 0 : Enumerable.Range(0, Math.Min(c[i].Length, cs.Length) / 2).FirstOrDefault(b => c[i].Substring(b * 2, 2) != cs.Substring(b * 2, 2));
                var near = t.Members.Where(m => m.Offset <= at).OrderByDescending(m => m.Offset).FirstOrDefault();
                bad.Add($"{arch} {t}: byte images differ first at byte {at} (near {near?.Designator ?? "?"})");
            }
        }

        Assert.True(bad.Count == 0, string.Join("\n", bad.Distinct().Take(40)));
        return true;
    }

    [Property(MaxTest = 4)]
    public Property X86_64ByteImagesMatchGcc() => Prop.ForAll(Batch(Arch.X86_64).ToArbitrary(), b => Check(Arch.X86_64, b));

    [Property(MaxTest = 4)]
    public Property X86_32ByteImagesMatchGcc() => Prop.ForAll(Batch(Arch.X86_32).ToArbitrary(), b => Check(Arch.X86_32, b));
}
