using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.MemoryTypes;
using Xunit;
using static Xen.Sdk.Paging.MemoryType;
using A = Xen.Sdk.Paging.MemoryTypes.AmdMemoryType;

namespace Xen.Sdk.Paging.Tests;

/// <summary>AMD nested-paging memory types (AMD APM Vol. 2 §15.25.8 "Combining Memory Types, MTRRs", rev. 3.45
/// Tables 15-19 and 15-20, transcribed cell by cell) and the Intel EPT rule (Intel SDM Vol. 3C §29.3.7.2), plus
/// properties the manuals state in prose, and the per-vendor RAM memory-type derivation.</summary>
public class NestedMemoryTypeVectors
{
    private static readonly MemoryType[] PatTypes = [Uncacheable, UncachedMinus, WriteCombining, WriteProtected, WriteThrough, WriteBack];
    private static readonly MemoryType[] MtrrTypes = [Uncacheable, WriteCombining, WriteProtected, WriteThrough, WriteBack];

    /// <summary>Table 15-19 "Combining Guest and Host PAT Types": rows guest UC, UC-, WC, WP, WT, WB; columns host
    /// UC, UC-, WC, WP, WT, WB (the order the APM prints them).</summary>
    private static readonly A[,] Table15_19 =
    {
        { A.Uncacheable, A.Uncacheable, A.Uncacheable, A.Uncacheable, A.Uncacheable, A.Uncacheable },
        { A.Uncacheable, A.UncachedMinus, A.WriteCombining, A.Uncacheable, A.Uncacheable, A.Uncacheable },
        { A.WriteCombining, A.WriteCombining, A.WriteCombining, A.WriteCombiningPlus, A.WriteCombiningPlus, A.WriteCombiningPlus },
        { A.Uncacheable, A.Uncacheable, A.Uncacheable, A.WriteProtected, A.Uncacheable, A.WriteProtected },
        { A.Uncacheable, A.Uncacheable, A.Uncacheable, A.Uncacheable, A.WriteThrough, A.WriteThrough },
        { A.Uncacheable, A.Uncacheable, A.WriteCombining, A.WriteProtected, A.WriteThrough, A.WriteBack },
    };

    /// <summary>Table 15-20 "Combining PAT and MTRR Types": rows combined PAT type UC, UC-, WC, WC+, WP, WT, WB; columns
    /// MTRR UC, WC, WP, WT, WB.</summary>
    private static readonly A[] Table15_20Rows = [A.Uncacheable, A.UncachedMinus, A.WriteCombining, A.WriteCombiningPlus, A.WriteProtected, A.WriteThrough, A.WriteBack];
    private static readonly A[,] Table15_20 =
    {
        { A.Uncacheable, A.CacheDisabled, A.CacheDisabled, A.CacheDisabled, A.CacheDisabled },
        { A.Uncacheable, A.WriteCombining, A.CacheDisabled, A.CacheDisabled, A.CacheDisabled },
        { A.WriteCombining, A.WriteCombining, A.WriteCombining, A.WriteCombining, A.WriteCombining },
        { A.WriteCombining, A.WriteCombining, A.WriteCombiningPlus, A.WriteCombiningPlus, A.WriteCombiningPlus },
        { A.Uncacheable, A.CacheDisabled, A.WriteProtected, A.CacheDisabled, A.WriteProtected },
        { A.Uncacheable, A.CacheDisabled, A.CacheDisabled, A.WriteThrough, A.WriteThrough },
        { A.Uncacheable, A.WriteCombining, A.WriteProtected, A.WriteThrough, A.WriteBack },
    };

    public static TheoryData<MemoryType, MemoryType, A> GuestHostCells()
    {
        var d = new TheoryData<MemoryType, MemoryType, A>();
        for (int g = 0; g < 6; g++)
            for (int h = 0; h < 6; h++)
                d.Add(PatTypes[g], PatTypes[h], Table15_19[g, h]);
        return d;
    }

    public static TheoryData<A, MemoryType, A> PatMtrrCells()
    {
        var d = new TheoryData<A, MemoryType, A>();
        for (int p = 0; p < Table15_20Rows.Length; p++)
            for (int m = 0; m < 5; m++)
                d.Add(Table15_20Rows[p], MtrrTypes[m], Table15_20[p, m]);
        return d;
    }

    /// <summary>All 36 cells of AMD APM Vol. 2 Table 15-19.</summary>
    [Theory, MemberData(nameof(GuestHostCells))]
    public void GuestAndHostPatTypes(MemoryType guest, MemoryType host, A combined)
        => Assert.Equal(combined, MemoryTypeRules.CombineNestedPat(guest, host));

    /// <summary>All 35 cells of AMD APM Vol. 2 Table 15-20.</summary>
    [Theory, MemberData(nameof(PatMtrrCells))]
    public void PatAndMtrrTypes(A pat, MemoryType mtrr, A effective)
        => Assert.Equal(effective, MemoryTypeRules.CombineAmdPatMtrr(pat, mtrr));

    /// <summary>Worked examples through both tables (§15.25.8): guest WC over a host-WB nested page in WB memory is
    /// WC+ (the coherent variant, not Intel's WC); guest UC- over host WB in an MTRR-WC range is CD, over host WC it is
    /// WC; guest WB over host WB is whatever the MTRR says; the old Intel-precedence reading got the first two wrong.</summary>
    [Fact]
    public void NestedEffectiveExamples()
    {
        Assert.Equal(A.WriteCombiningPlus, MemoryTypeRules.NptEffective(WriteCombining, WriteBack, WriteBack));
        Assert.Equal(A.CacheDisabled, MemoryTypeRules.NptEffective(UncachedMinus, WriteBack, WriteCombining));
        Assert.Equal(A.WriteCombining, MemoryTypeRules.NptEffective(UncachedMinus, WriteCombining, WriteCombining));
        Assert.Equal(A.WriteThrough, MemoryTypeRules.NptEffective(WriteBack, WriteBack, WriteThrough));
        Assert.Equal(A.CacheDisabled, MemoryTypeRules.NptEffective(WriteBack, Uncacheable, WriteBack));
        Assert.Equal(A.WriteCombining, MemoryTypeRules.NptEffective(WriteCombining, Uncacheable, WriteBack));
        Assert.Equal(A.CacheDisabled, MemoryTypeRules.NptEffective(WriteBack, WriteBack, WriteBack, cacheDisable: true));
        Assert.Equal(A.Uncacheable, MemoryTypeRules.NptEffective(Uncacheable, WriteBack, Uncacheable, cacheDisable: true));
        // Reserved encodings (2, 3) are never produced by a valid PAT; they give UC rather than a guess.
        Assert.Equal(A.Uncacheable, MemoryTypeRules.CombineNestedPat((MemoryType)2, WriteBack));
        Assert.Equal(A.Uncacheable, MemoryTypeRules.CombineAmdPatMtrr(A.WriteBack, UncachedMinus));
    }

    private static Arbitrary<MemoryType> Pat => Gen.Elements(PatTypes).ToArbitrary();
    private static Arbitrary<MemoryType> Mtrr => Gen.Elements(MtrrTypes).ToArbitrary();

    /// <summary>UC dominates: a guest UC page is uncacheable whatever the host type and MTRR (UC or CD), and an MTRR-UC
    /// range is never cached (UC, or WC where a WC type asks for write combining).</summary>
    [Property(MaxTest = 200)]
    public Property UncacheableDominates() => Prop.ForAll(Pat, Pat, Mtrr, (g, h, m) =>
    {
        A fromGuest = MemoryTypeRules.NptEffective(Uncacheable, h, m);
        A fromMtrr = MemoryTypeRules.NptEffective(g, h, Uncacheable);
        return (fromGuest is A.Uncacheable or A.CacheDisabled) && (fromMtrr is A.Uncacheable or A.WriteCombining);
    });

    /// <summary>Table 15-19 is symmetric in guest and host except where WC is involved (the APM: the host type emulates
    /// a guest MTRR, and a WC PAT type overrides an MTRR; guest WC over a cacheable host becomes WC+).</summary>
    [Property(MaxTest = 200)]
    public Property SymmetricWithoutWc() => Prop.ForAll(Pat, Pat, (g, h) =>
        g == WriteCombining || h == WriteCombining || MemoryTypeRules.CombineNestedPat(g, h) == MemoryTypeRules.CombineNestedPat(h, g));

    [Fact]
    public void AsymmetricWithWc()
    {
        Assert.Equal(A.WriteCombining, MemoryTypeRules.CombineNestedPat(WriteCombining, Uncacheable));
        Assert.Equal(A.Uncacheable, MemoryTypeRules.CombineNestedPat(Uncacheable, WriteCombining));
    }

    /// <summary>A host WB nested page keeps the guest's type (WC becomes the coherent WC+, UC- becomes UC), and a host
    /// WB MTRR keeps the combined PAT type (UC/UC- become CD).</summary>
    [Property(MaxTest = 100)]
    public Property HostWriteBackIsNeutral() => Prop.ForAll(Pat, g =>
    {
        A c = MemoryTypeRules.CombineNestedPat(g, WriteBack);
        A expected = g switch { WriteCombining => A.WriteCombiningPlus, UncachedMinus => A.Uncacheable, _ => (A)g };
        return c == expected;
    });

    /// <summary>Intel SDM Vol. 3C §29.3.7.2: with "ignore PAT" set the effective type is the EPT type whatever the guest
    /// PAT type; with it clear the EPT type takes the MTRR column of Table 12-7 (vectors: every EPT type with every PAT
    /// type against the table rows in <see cref="MemoryTypeVectors.Table12_7"/>); CR0.CD = 1 gives UC; guest paging off
    /// means PAT type WB, so the EPT type.</summary>
    [Fact]
    public void EptIgnorePatVectors()
    {
        foreach (MemoryType ept in MtrrTypes)
            foreach (MemoryType pat in PatTypes)
            {
                Assert.Equal(ept, MemoryTypeRules.EptEffective(ept, ignorePat: true, pat));
                Assert.Equal(Uncacheable, MemoryTypeRules.EptEffective(ept, ignorePat: true, pat, guestCacheDisable: true));
                Assert.Equal(Uncacheable, MemoryTypeRules.EptEffective(ept, ignorePat: false, pat, guestCacheDisable: true));
            }
        foreach (var row in MemoryTypeVectors.Table12_7)
        {
            var (mtrr, pat, effective) = row.Data;
            Assert.Equal(effective, MemoryTypeRules.EptEffective(mtrr, ignorePat: false, pat));
        }
        foreach (MemoryType ept in MtrrTypes)
            Assert.Equal(ept, MemoryTypeRules.EptEffective(ept, ignorePat: false, WriteBack));
    }

    /// <summary>Linux's PAT layout (PA1 = WC), so a host can encode WC in a nested leaf.</summary>
    private static readonly PatValue LinuxPat = new(0x0007010600070106UL);

    /// <summary>The per-vendor derivation gives the guest the memory types it would get natively over the same MTRRs,
    /// for every guest PAT type: on Intel exactly (Table 12-7 with the EPT type as the MTRR); on AMD exactly by the
    /// AMD64 PAT/MTRR table (Table 15-20 applied to the guest type itself), except that a guest WC page may become
    /// the coherent WC+. Random MTRR layouts: a default type and up to four variable ranges.</summary>
    [Property(MaxTest = 60)]
    public Property DerivedTypesGiveTheGuestItsNativeTypes() => Prop.ForAll(
        Mtrr,
        Gen.Choose(0, 15).Three().Select(t => (t.Item1, t.Item2, t.Item3)).ArrayOf().Select(a => a.Take(4).ToArray()).ToArbitrary(),
        Gen.Elements(true, false).ToArbitrary(),
        (def, vars, hostHasWc) =>
        {
            var m = MtrrSnapshot.Uniform(def, 40);
            int used = 0;
            foreach (var (slot, size, type) in vars)
            {
                ulong length = 1UL << (21 + size % 6);           // 2 MiB .. 64 MiB
                ulong start = (ulong)slot * length % (256UL << 20);
                m.SetVariableRange(used++, start, length, MtrrTypes[type % 5]);
            }
            PatValue hostPat = hostHasWc ? LinuxPat : PatValue.PowerOn;
            PhysicalRange[] ram = [new(0, 256UL << 20)];
            var intel = new MemoryTypeRange[64];
            var amd = new MemoryTypeRange[64];
            if (MemoryTypeMap.Derive(m, ram, CpuVendor.Intel, hostPat, intel, out int ni, out int undefinedI) != PagingStatus.Ok) return false;
            if (MemoryTypeMap.Derive(m, ram, CpuVendor.Amd, hostPat, amd, out int na, out _) != PagingStatus.Ok) return false;
            for (ulong a = 0; a < (256UL << 20); a += 1UL << 20)
            {
                m.TryGetType(a, out MemoryType mtrr);
                MemoryType ept = intel.Take(ni).Single(r => r.Start <= a && a < r.End).Type;
                MemoryType npt = amd.Take(na).Single(r => r.Start <= a && a < r.End).Type;
                if (hostPat.IndexOf(npt) < 0) return false;        // must be encodable in the nested leaf
                foreach (MemoryType g in PatTypes)
                {
                    if (MemoryTypeRules.EptEffective(ept, ignorePat: false, g) != MemoryTypeRules.Combine(mtrr, g)) return false;
                    A native = MemoryTypeRules.CombineAmdPatMtrr((A)g, mtrr);
                    A nested = MemoryTypeRules.NptEffective(g, npt, mtrr);
                    bool ok = nested == native || (g == WriteCombining && native == A.WriteCombining && nested == A.WriteCombiningPlus);
                    // Without a WC entry in the host PAT, guest UC- over MTRR WC cannot stay WC: it is CD.
                    if (!ok && !(hostPat.IndexOf(WriteCombining) < 0 && g == UncachedMinus && mtrr == WriteCombining && nested == A.CacheDisabled))
                        return false;
                }
            }
            return true;
        });

    /// <summary>The AMD derivation maps into NPT: leaves carry WB (and WC over the MTRR-WC range) through the host PAT,
    /// and the ranges still split where the MTRR type changes.</summary>
    [Fact]
    public void AmdDerivationMapsIntoNpt()
    {
        var m = MtrrSnapshot.Uniform(WriteBack, 40);
        m.SetVariableRange(0, 0xC000_0000, 0x2000_0000, Uncacheable);
        m.SetVariableRange(1, 0xE000_0000, 0x1000_0000, WriteCombining);
        var ranges = new MemoryTypeRange[8];
        Assert.Equal(PagingStatus.Ok, MemoryTypeMap.Derive(m, [new PhysicalRange(0, 0x1_0000_0000)], CpuVendor.Amd, LinuxPat, ranges, out int n, out int undefined));
        Assert.Equal(0, undefined);
        Assert.Equal(
            new[] { new MemoryTypeRange(0, 0xC000_0000, WriteBack), new MemoryTypeRange(0xC000_0000, 0x2000_0000, WriteBack),
                    new MemoryTypeRange(0xE000_0000, 0x1000_0000, WriteCombining), new MemoryTypeRange(0xF000_0000, 0x1000_0000, WriteBack) },
            ranges.AsSpan(0, n).ToArray());
        using var arena = new HostArena(1 << 20);
        var frames = arena.Frames;
        Assert.Equal(PagingStatus.Ok, SecondLevelTables<NptFormat, Frames.ArenaFrameSource>.Create(new NptFormat(CpuModels.BochsRyzen, hostPat: LinuxPat), frames, out var npt));
        Assert.Equal(PagingStatus.Ok, MemoryTypeMap.MapIdentity(ref npt, ranges.AsSpan(0, n), PageAccess.ReadWriteExecute));
        Assert.True(npt.TryLookup(new GuestPhysicalAddress(0xE000_1000), out _, out _, out PageAttributes wc));
        Assert.Equal(WriteCombining, wc.MemoryType);
        Assert.True(npt.TryLookup(new GuestPhysicalAddress(0xC000_1000), out _, out _, out PageAttributes uc));
        Assert.Equal(WriteBack, uc.MemoryType);      // the host MTRR makes it UC; the nested leaf stays neutral
        npt.Release();
    }
}
