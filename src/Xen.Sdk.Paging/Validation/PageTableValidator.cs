using System;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.MemoryTypes;

namespace Xen.Sdk.Paging.Validation;

/// <summary>Kinds of validation findings.</summary>
public enum IssueKind : byte
{
    /// <summary>A present entry has a problem (see <see cref="ValidationIssue.Problem"/>).</summary>
    BadEntry = 1,
    /// <summary>A table pointer or leaf address lies at or above the format's output limit (MAXPHYADDR).</summary>
    AddressBeyondLimit,
    /// <summary>Part of a required range is not mapped.</summary>
    NotCovered,
    /// <summary>Part of a required range is mapped, but not onto the same address (identity required).</summary>
    NotIdentity,
}

/// <summary>One validation finding.</summary>
public readonly struct ValidationIssue
{
    /// <summary>What kind.</summary>
    public IssueKind Kind { get; init; }
    /// <summary>For <see cref="IssueKind.BadEntry"/>: the problem.</summary>
    public EntryProblem Problem { get; init; }
    /// <summary>The level of the entry (0 for coverage findings).</summary>
    public int Level { get; init; }
    /// <summary>The first input address concerned.</summary>
    public ulong Input { get; init; }
    /// <summary>The bytes concerned (the entry's span, or the uncovered run).</summary>
    public ulong Length { get; init; }
    /// <summary>The raw entry.</summary>
    public ulong Entry { get; init; }
}

/// <summary>Checks tables against a CPU's rules: reserved bits for its MAXPHYADDR, illegal combinations (EPT write
/// without read, execute-only without the capability, reserved memory types, large pages without support, NPT
/// entries without U/S), and coverage of required ranges. Results go into a caller buffer; the return value is the
/// total number of findings (which may exceed the buffer). No allocation, no exceptions.</summary>
public static class PageTableValidator
{
    private ref struct Checker<TFormat> : IEntryVisitor where TFormat : struct, IPagingFormat
    {
        public TFormat Fmt;
        public Span<ValidationIssue> Out;
        public int Count;

        public bool Visit(int level, ulong input, ulong entry, bool leaf)
        {
            EntryProblem p = Fmt.Check(level, entry);
            ulong span = 1UL << Fmt.LevelShift(level);
            if (p != EntryProblem.None)
            {
                Add(new ValidationIssue { Kind = IssueKind.BadEntry, Problem = p, Level = level, Input = input, Length = span, Entry = entry });
                return false;
            }
            ulong addr = leaf ? Fmt.LeafAddress(level, entry) : Fmt.TableAddress(entry);
            if (addr >= Fmt.OutputLimit || (leaf && span > Fmt.OutputLimit - addr))
            {
                Add(new ValidationIssue { Kind = IssueKind.AddressBeyondLimit, Level = level, Input = input, Length = span, Entry = entry });
                return false;
            }
            return true;
        }

        public void Add(in ValidationIssue issue)
        {
            if (Count < Out.Length) Out[Count] = issue;
            Count++;
        }
    }

    /// <summary>Validates second-level tables.</summary>
    public static int Validate<TFormat, TFrames>(in SecondLevelTables<TFormat, TFrames> tables, Span<ValidationIssue> issues)
        where TFormat : struct, IPagingFormat
        where TFrames : IPageFrameSource
        => Validate(tables.Format, tables.Frames, tables.Root, issues);

    /// <summary>Validates guest tables.</summary>
    public static int Validate<TFormat, TFrames>(in GuestPageTables<TFormat, TFrames> tables, Span<ValidationIssue> issues)
        where TFormat : struct, IPagingFormat
        where TFrames : IGuestFrameSource
    {
        var fmt = tables.Format;
        var mem = new GuestTableMemory<TFrames>(tables.Frames);
        var c = new Checker<TFormat> { Fmt = fmt, Out = issues };
        Traversal.Run(ref fmt, ref mem, tables.Root.Value, ref c);
        return c.Count;
    }

    /// <summary>Validates any tables of the format rooted at <paramref name="root"/> (for instance tables someone else built).</summary>
    public static int Validate<TFormat, TFrames>(TFormat format, TFrames frames, HostPhysicalAddress root, Span<ValidationIssue> issues)
        where TFormat : struct, IPagingFormat
        where TFrames : IPageFrameSource
    {
        var mem = new HostTableMemory<TFrames>(frames);
        var c = new Checker<TFormat> { Fmt = format, Out = issues };
        Traversal.Run(ref format, ref mem, root.Value, ref c);
        return c.Count;
    }

    /// <summary>Checks that every byte of <paramref name="required"/> is mapped (and, with
    /// <paramref name="requireIdentity"/>, onto the same address). Uncovered runs are reported coalesced.
    /// Returns the number of findings, starting at <paramref name="issueCount"/> already in the buffer.</summary>
    public static int CheckCoverage<TFormat, TFrames>(in SecondLevelTables<TFormat, TFrames> tables, ReadOnlySpan<PhysicalRange> required,
        bool requireIdentity, Span<ValidationIssue> issues, int issueCount = 0)
        where TFormat : struct, IPagingFormat
        where TFrames : IPageFrameSource
    {
        int count = issueCount;
        for (int r = 0; r < required.Length; r++)
        {
            ulong a = required[r].Start & ~0xFFFUL, end = required[r].End;
            ulong runStart = 0;
            IssueKind runKind = 0;
            while (a < end)
            {
                IssueKind k = 0;
                ulong step;
                if (tables.TryLookup(new GuestPhysicalAddress(a), out HostPhysicalAddress h, out PageSize size, out _))
                {
                    step = 1UL << tables.Format.LevelShift((int)size);
                    if (requireIdentity && h.Value != a) k = IssueKind.NotIdentity;
                }
                else
                {
                    k = IssueKind.NotCovered;
                    step = 0x1000;
                }
                ulong next = (a & ~(step - 1)) + step;
                if (k != runKind)
                {
                    if (runKind != 0) Add(issues, ref count, new ValidationIssue { Kind = runKind, Input = runStart, Length = a - runStart });
                    runKind = k;
                    runStart = a;
                }
                a = next;
            }
            if (runKind != 0) Add(issues, ref count, new ValidationIssue { Kind = runKind, Input = runStart, Length = (a < end ? a : end) - runStart });
        }
        return count;
    }

    private static void Add(Span<ValidationIssue> issues, ref int count, in ValidationIssue issue)
    {
        if (count < issues.Length) issues[count] = issue;
        count++;
    }
}
