using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.MemoryTypes;
using Xen.Sdk.Paging.Validation;
using Xen.Sdk.Paging.Walking;

namespace Xen.Sdk.Paging.Tests;

public enum OpKind { Map, Unmap, Protect, Split, Merge }

/// <summary>One generated operation. Addresses are 4 KiB page numbers within a 4 GiB window chosen by Region.</summary>
public sealed record Op(OpKind Kind, int Region, long Page, long Pages, long OutDelta, int Attr, PageSize Largest)
{
    public override string ToString() => $"{Kind}(r{Region} p{Page:x} n{Pages:x} d{OutDelta:x} a{Attr} {Largest})";
}

/// <summary>Random operation sequences (map/unmap/protect/split/merge) on every format, compared at every probed
/// address with a dictionary of 4 KiB pages; after each sequence the validator must accept the tables, every
/// reachable table must be non-empty and accounted for, and unmapping everything must free every table but the root.</summary>
public class ModelProperties
{
    private const long PagesPerGiB = 262144;

    private static Gen<long> PageGen =>
        Gen.Frequency(
            (2, Gen.Constant(0L)),
            (4, Gen.Choose(0, 511).Select(k => (long)k * 512)),
            (4, Gen.Choose(0, 511).SelectMany(k => Gen.Choose(0, 511), (k, j) => (long)k * 512 + j)));

    private static Gen<long> LengthGen =>
        Gen.Frequency(
            (5, Gen.Choose(1, 8).Select(n => (long)n)),
            (4, Gen.Choose(1, 3).Select(n => (long)n * 512)),
            (3, Gen.Choose(1, 2).SelectMany(n => Gen.Choose(-3, 3), (n, j) => Math.Max(1L, n * 512L + j))),
            (1, Gen.Constant(PagesPerGiB)));

    private static Gen<long> DeltaGen =>
        Gen.Frequency((5, Gen.Constant(0L)), (2, Gen.Constant(PagesPerGiB)), (2, Gen.Choose(1, 600).Select(j => (long)j)));

    private static Gen<Op> OpGen =>
        from kind in Gen.Frequency((5, Gen.Constant(OpKind.Map)), (2, Gen.Constant(OpKind.Unmap)), (2, Gen.Constant(OpKind.Protect)),
                                   (1, Gen.Constant(OpKind.Split)), (1, Gen.Constant(OpKind.Merge)))
        from region in Gen.Choose(0, 4)
        from page in PageGen
        from pages in LengthGen
        from delta in DeltaGen
        from attr in Gen.Choose(0, 7)
        from largest in Gen.Frequency((6, Gen.Constant(PageSize.Size1GiB)), (1, Gen.Constant(PageSize.Size2MiB)), (1, Gen.Constant(PageSize.Size4KiB)))
        select new Op(kind, region, page, pages, delta, attr, largest);

    private static Arbitrary<Op[]> Ops => OpGen.ArrayOf().Select(a => a.Take(14).ToArray()).ToArbitrary();

    private static readonly PageAttributes[] EptAttrs =
    [
        new(PageAccess.ReadWriteExecute), new(PageAccess.Read), new(PageAccess.Read | PageAccess.Write, MemoryType.Uncacheable),
        new(PageAccess.Read | PageAccess.Execute, MemoryType.WriteThrough, PageFlags.IgnorePat), new(PageAccess.Execute),
        new(PageAccess.ReadWriteExecute, MemoryType.WriteCombining), new(PageAccess.Read | PageAccess.Write, MemoryType.WriteProtected),
        new(PageAccess.ReadWriteExecute, MemoryType.WriteBack, PageFlags.SuppressVe),
    ];
    private static readonly PageAttributes[] NptAttrs =
    [
        new(PageAccess.ReadWriteExecute), new(PageAccess.Read), new(PageAccess.Read | PageAccess.Write, MemoryType.Uncacheable),
        new(PageAccess.Read | PageAccess.Execute, MemoryType.WriteThrough), new(PageAccess.Read | PageAccess.Write),
        new(PageAccess.ReadWriteExecute, MemoryType.UncachedMinus), new(PageAccess.Read | PageAccess.Execute),
        new(PageAccess.ReadWriteExecute, MemoryType.WriteThrough),
    ];
    private static readonly PageAttributes[] GuestAttrs =
    [
        new(PageAccess.ReadWriteExecute | PageAccess.User), new(PageAccess.Read), new(PageAccess.Read | PageAccess.Write | PageAccess.User, MemoryType.Uncacheable),
        new(PageAccess.Read | PageAccess.Execute, MemoryType.WriteThrough, PageFlags.Global), new(PageAccess.Read | PageAccess.User),
        new(PageAccess.ReadWriteExecute), new(PageAccess.Read | PageAccess.Execute | PageAccess.User, MemoryType.UncachedMinus),
        new(PageAccess.Read | PageAccess.Write),
    ];
    private static readonly PageAttributes[] Legacy32Attrs =
    [
        new(PageAccess.ReadWriteExecute | PageAccess.User), new(PageAccess.Read | PageAccess.Execute),
        new(PageAccess.ReadWriteExecute, MemoryType.Uncacheable), new(PageAccess.Read | PageAccess.Execute | PageAccess.User, MemoryType.WriteThrough, PageFlags.Global),
        new(PageAccess.Read | PageAccess.Execute | PageAccess.User), new(PageAccess.ReadWriteExecute),
        new(PageAccess.ReadWriteExecute | PageAccess.User, MemoryType.UncachedMinus), new(PageAccess.Read | PageAccess.Execute, MemoryType.Uncacheable),
    ];

    private static GuestPagingState LongModeState(byte maxPhys, bool g1) => new()
    {
        Cr0 = GuestPagingState.Cr0Pg | GuestPagingState.Cr0Wp, Cr4 = GuestPagingState.Cr4Pae,
        Efer = GuestPagingState.EferLma | GuestPagingState.EferNxe, MaxPhysicalAddressBits = maxPhys, Pages1GiB = g1,
    };

    internal static Harness Make(string name) => name switch
    {
        "ept-skylake" => new SecondLevelHarness<EptFormat>(name, new EptFormat(CpuModels.BochsCoreI7SkylakeX), EptAttrs, autoMerge: true),
        "ept-sandybridge" => new SecondLevelHarness<EptFormat>(name, new EptFormat(CpuModels.BochsCoreI7SandyBridge2600K), EptAttrs, autoMerge: false),
        "ept5-modern" => new SecondLevelHarness<EptFormat>(name, new EptFormat(CpuModels.ModernIntel, 5, accessedDirty: true), EptAttrs, autoMerge: true),
        "npt-qemu64" => new SecondLevelHarness<NptFormat>(name, new NptFormat(CpuModels.QemuQemu64Svm), NptAttrs, autoMerge: true),
        "npt-modern" => new SecondLevelHarness<NptFormat>(name, new NptFormat(CpuModels.ModernAmd), NptAttrs, autoMerge: false),
        "guest-lm4" => new GuestHarness<LongModeFormat>(name, new LongModeFormat(CpuModels.BochsRyzen), GuestAttrs, true, LongModeState(40, true)),
        "guest-lm5" => new GuestHarness<LongModeFormat>(name, new LongModeFormat(CpuModels.ModernIntel, 5), GuestAttrs, false,
            LongModeState(46, true) with { Cr4 = GuestPagingState.Cr4Pae | GuestPagingState.Cr4La57 }),
        "guest-pae" => new GuestHarness<PaeFormat>(name, new PaeFormat(CpuModels.BochsRyzen), GuestAttrs, true, new GuestPagingState
        {
            Cr0 = GuestPagingState.Cr0Pg | GuestPagingState.Cr0Wp, Cr4 = GuestPagingState.Cr4Pae, Efer = GuestPagingState.EferNxe, MaxPhysicalAddressBits = 40,
        }),
        "guest-32" => new GuestHarness<Legacy32Format>(name, new Legacy32Format(CpuModels.BochsRyzen), Legacy32Attrs, true, new GuestPagingState
        {
            Cr0 = GuestPagingState.Cr0Pg | GuestPagingState.Cr0Wp, Cr4 = GuestPagingState.Cr4Pse, MaxPhysicalAddressBits = 40,
        }),
        _ => throw new ArgumentException(name),
    };

    private static ulong RegionBase(Harness h, int region)
        => region < 4 || h.InputLimit <= (4UL << 30) ? (ulong)(region & 3) << 30 : h.InputLimit - (4UL << 30);

    private readonly record struct ModelPage(ulong OutPage, int Attr);

    /// <summary>Runs one sequence; returns null on success or a failure description.</summary>
    internal static string? Run(string format, Op[] ops)
    {
        using Harness h = Make(format);
        var model = new Dictionary<ulong, ModelPage>();
        var probes = new List<ulong>();
        var issues = new ValidationIssue[16];
        var rng = new Random(ops.Length * 7919 + ops.Sum(o => (int)o.Page));
        foreach (Op op in ops)
        {
            ulong basePage = RegionBase(h, op.Region) >> 12;
            ulong first = basePage + (ulong)op.Page;
            ulong count = (ulong)op.Pages;
            if (first + count > h.InputLimit >> 12) count = (h.InputLimit >> 12) - first;
            ulong input = first << 12, length = count << 12;
            PageAttributes attrs = h.Attributes[op.Attr];
            bool touchedPresent = false;
            ulong lo = ulong.MaxValue, hi = 0;
            void Touch(ulong page) { touchedPresent = true; if (page < lo) lo = page; if (page > hi) hi = page; }
            PagingStatus st;
            switch (op.Kind)
            {
                case OpKind.Map:
                {
                    ulong outFirst = ((ulong)op.Page + (ulong)op.OutDelta) + (((ulong)op.Region & 3) << 18);
                    st = h.Map(input, outFirst << 12, length, attrs, op.Largest);
                    if (st == PagingStatus.OutOfRange && (outFirst + count) << 12 > h.OutputLimit) break;
                    if (st != PagingStatus.Ok) return $"{op}: {st}";
                    for (ulong i = 0; i < count; i++)
                    {
                        if (model.ContainsKey(first + i)) Touch(first + i);
                        model[first + i] = new ModelPage(outFirst + i, op.Attr);
                    }
                    break;
                }
                case OpKind.Unmap:
                    st = h.Unmap(input, length);
                    if (st != PagingStatus.Ok) return $"{op}: {st}";
                    for (ulong i = 0; i < count; i++) if (model.Remove(first + i)) Touch(first + i);
                    break;
                case OpKind.Protect:
                    st = h.Protect(input, length, attrs);
                    if (st != PagingStatus.Ok) return $"{op}: {st}";
                    for (ulong i = 0; i < count; i++)
                        if (model.TryGetValue(first + i, out ModelPage m))
                        {
                            if (!h.Attributes[m.Attr].Equals(attrs)) Touch(first + i);
                            model[first + i] = m with { Attr = op.Attr };
                        }
                    break;
                case OpKind.Split:
                    st = h.Split(input, op.Largest);
                    if (st != PagingStatus.Ok && !(st == PagingStatus.NotMapped && !model.ContainsKey(first))) return $"{op}: {st}";
                    break;
                default:
                    h.Merge(input, length);
                    break;
            }
            FlushHint hint = h.TakeFlush();
            if (touchedPresent && !hint.Required) return $"{op}: a present translation changed but no flush was requested";
            if (touchedPresent && (hint.Start > lo << 12 || hint.End < (hi + 1) << 12)) return $"{op}: flush range {hint.Start:x}-{hint.End:x} misses the change";
            foreach (ulong p in new[] { first, first + count - 1, first + count, first - 1 }) probes.Add(p);
            string? f = Probe(h, model, first, op) ?? Probe(h, model, first + count - 1, op);
            if (f != null) return f;
        }
        // Final probes: everything the model knows (sampled), op boundaries and random pages.
        var keys = model.Keys.ToList();
        for (int i = 0; i < 2048 && keys.Count > 0; i++) probes.Add(keys[rng.Next(keys.Count)]);
        for (int i = 0; i < 256; i++) probes.Add((RegionBase(h, rng.Next(5)) >> 12) + (ulong)rng.Next(0, (int)(4 * PagesPerGiB)));
        int walked = 0;
        foreach (ulong p in probes)
        {
            if (p >= h.InputLimit >> 12) continue;
            string? f = Probe(h, model, p, null);
            if (f != null) return f;
            if (walked++ < 400)
            {
                bool mapped = model.TryGetValue(p, out ModelPage m);
                f = h.CheckWalk(p << 12 | 0x123, mapped, mapped ? m.OutPage << 12 : 0, mapped ? h.Attributes[m.Attr] : default);
                if (f != null) return $"walk {p << 12:x}: {f}";
            }
        }
        int n = h.Validate(issues);
        if (n != 0) return $"validator: {n} issues, first {issues[0].Kind} {issues[0].Problem} level {issues[0].Level} at {issues[0].Input:x} entry {issues[0].Entry:x}";
        h.Census(out int tables, out int empty);
        if (empty != 0) return $"{empty} empty tables left allocated";
        if (tables != h.LiveFrames) return $"{h.LiveFrames} frames live but {tables} tables reachable (leak)";
        for (int r = 0; r < 5; r++) h.Unmap(RegionBase(h, r), Math.Min(4UL << 30, h.InputLimit - RegionBase(h, r)));
        h.Census(out tables, out empty);
        if (tables != 1 || h.LiveFrames != 1) return $"after unmapping everything: {tables} tables reachable, {h.LiveFrames} frames live";
        h.Release();
        return h.LiveFrames == 0 ? null : $"release left {h.LiveFrames} frames";
    }

    private static string? Probe(Harness h, Dictionary<ulong, ModelPage> model, ulong page, Op? op)
    {
        if (page >= h.InputLimit >> 12) return null;
        bool mapped = model.TryGetValue(page, out ModelPage m);
        bool got = h.TryLookup(page << 12 | 0xABC, out ulong output, out _, out PageAttributes a);
        if (got != mapped) return $"{op}: page {page << 12:x} mapped={got}, model says {mapped}";
        if (!mapped) return null;
        if (output != (m.OutPage << 12 | 0xABC)) return $"{op}: page {page << 12:x} -> {output:x}, model says {m.OutPage << 12 | 0xABC:x}";
        if (!a.Equals(h.Attributes[m.Attr])) return $"{op}: page {page << 12:x} attributes {a.Access}/{a.MemoryType}/{a.Flags}, model says attr {m.Attr}";
        return null;
    }

    private static Property Check(string format) => Prop.ForAll(Ops, ops =>
    {
        string? failure = Run(format, ops);
        return failure == null ? true.Label("ok") : false.Label(failure);
    });

    [Property(MaxTest = 40)] public Property EptSkylake() => Check("ept-skylake");
    [Property(MaxTest = 30)] public Property EptSandyBridgeNo1GiB() => Check("ept-sandybridge");
    [Property(MaxTest = 30)] public Property Ept5LevelWithAccessedDirty() => Check("ept5-modern");
    [Property(MaxTest = 30)] public Property NptQemu64No1GiB() => Check("npt-qemu64");
    [Property(MaxTest = 30)] public Property NptModern() => Check("npt-modern");
    [Property(MaxTest = 30)] public Property GuestLongMode4() => Check("guest-lm4");
    [Property(MaxTest = 20)] public Property GuestLongMode5() => Check("guest-lm5");
    [Property(MaxTest = 30)] public Property GuestPae() => Check("guest-pae");
    [Property(MaxTest = 30)] public Property Guest32BitPse() => Check("guest-32");
}
