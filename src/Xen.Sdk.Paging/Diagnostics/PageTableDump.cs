using System.Globalization;
using System.Text;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.Validation;

namespace Xen.Sdk.Paging.Diagnostics;

/// <summary>Host-only text output (allocates; never called by kernel code): table dumps and validation reports.</summary>
public static class PageTableDump
{
    private sealed class Collector
    {
        public readonly StringBuilder Text = new();
        public bool Have;
        public ulong InStart, InEnd, OutStart, OutEnd;
        public PageAttributes Attrs;
        public long Count4K, Count2M, Count1G;
        public long Leaves, Tables;

        public void Leaf(ulong input, ulong output, ulong size, int level, in PageAttributes a)
        {
            Leaves++;
            if (Have && input == InEnd && output == OutEnd && a == Attrs)
            {
                InEnd += size;
                OutEnd += size;
            }
            else
            {
                Flush();
                Have = true;
                InStart = input; InEnd = input + size; OutStart = output; OutEnd = output + size; Attrs = a;
                Count4K = Count2M = Count1G = 0;
            }
            if (level == 1) Count4K++; else if (level == 2) Count2M++; else Count1G++;
        }

        public void Flush()
        {
            if (!Have) return;
            Text.Append(CultureInfo.InvariantCulture, $"{InStart:x16}-{InEnd - 1:x16} -> {OutStart:x16}-{OutEnd - 1:x16} {Describe(Attrs)}");
            if (Count1G != 0) Text.Append(CultureInfo.InvariantCulture, $" 1G x{Count1G}");
            if (Count2M != 0) Text.Append(CultureInfo.InvariantCulture, $" 2M x{Count2M}");
            if (Count4K != 0) Text.Append(CultureInfo.InvariantCulture, $" 4K x{Count4K}");
            Text.Append('\n');
            Have = false;
        }
    }

    private struct Visitor<TFormat> : IEntryVisitor where TFormat : struct, IPagingFormat
    {
        public TFormat Fmt;
        public Collector C;
        public ulong InputMask;

        public bool Visit(int level, ulong input, ulong entry, bool leaf)
        {
            if (!leaf) { C.Tables++; return true; }
            Fmt.TryDecodeLeaf(level, entry, out PageAttributes a);
            C.Leaf(input & InputMask, Fmt.LeafAddress(level, entry), 1UL << Fmt.LevelShift(level), level, a);
            return true;
        }
    }

    /// <summary>Describes attributes as text, e.g. <c>RWX- WB</c> or <c>R-XU UC IPAT</c>.</summary>
    public static string Describe(in PageAttributes a)
    {
        var sb = new StringBuilder();
        sb.Append((a.Access & PageAccess.Read) != 0 ? 'R' : '-');
        sb.Append((a.Access & PageAccess.Write) != 0 ? 'W' : '-');
        sb.Append((a.Access & PageAccess.Execute) != 0 ? 'X' : '-');
        sb.Append((a.Access & PageAccess.User) != 0 ? 'U' : (a.Access & PageAccess.UserExecute) != 0 ? 'x' : '-');
        sb.Append(' ').Append(TypeName(a.MemoryType));
        if ((a.Flags & PageFlags.IgnorePat) != 0) sb.Append(" IPAT");
        if ((a.Flags & PageFlags.Global) != 0) sb.Append(" G");
        if ((a.Flags & PageFlags.SuppressVe) != 0) sb.Append(" SVE");
        return sb.ToString();
    }

    /// <summary>Short name of a memory type.</summary>
    public static string TypeName(MemoryType t) => t switch
    {
        MemoryType.Uncacheable => "UC",
        MemoryType.WriteCombining => "WC",
        MemoryType.WriteThrough => "WT",
        MemoryType.WriteProtected => "WP",
        MemoryType.WriteBack => "WB",
        MemoryType.UncachedMinus => "UC-",
        _ => "?" + ((int)t).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Dumps second-level tables: one line per run of leaves contiguous in input and output with equal
    /// attributes, like QEMU's <c>info tlb</c> but coalesced, then a summary line.</summary>
    public static string Dump<TFormat, TFrames>(in SecondLevelTables<TFormat, TFrames> tables)
        where TFormat : struct, IPagingFormat
        where TFrames : IPageFrameSource
    {
        var fmt = tables.Format;
        var mem = new HostTableMemory<TFrames>(tables.Frames);
        return Run(ref fmt, ref mem, tables.Root.Value, ~0UL);
    }

    /// <summary>Dumps guest tables (input addresses shown without sign extension).</summary>
    public static string Dump<TFormat, TFrames>(in GuestPageTables<TFormat, TFrames> tables)
        where TFormat : struct, IPagingFormat
        where TFrames : IGuestFrameSource
    {
        var fmt = tables.Format;
        var mem = new GuestTableMemory<TFrames>(tables.Frames);
        return Run(ref fmt, ref mem, tables.Root.Value, ~0UL);
    }

    private static string Run<TFormat, TMem>(ref TFormat fmt, ref TMem mem, ulong root, ulong mask)
        where TFormat : struct, IPagingFormat
        where TMem : struct, ITableMemory
    {
        var v = new Visitor<TFormat> { Fmt = fmt, C = new Collector(), InputMask = mask };
        Traversal.Run(ref fmt, ref mem, root, ref v);
        v.C.Flush();
        v.C.Text.Append(CultureInfo.InvariantCulture, $"{v.C.Leaves} leaves, {v.C.Tables + 1} tables\n");
        return v.C.Text.ToString();
    }

    /// <summary>A readable report of validation findings, one line each.</summary>
    public static string Report(System.ReadOnlySpan<ValidationIssue> issues, int total)
    {
        var sb = new StringBuilder();
        if (total == 0) return "no problems found\n";
        for (int i = 0; i < issues.Length && i < total; i++)
        {
            ValidationIssue v = issues[i];
            string what = v.Kind switch
            {
                IssueKind.BadEntry => v.Problem switch
                {
                    EntryProblem.ReservedBits => "reserved bits set",
                    EntryProblem.WriteWithoutRead => "EPT write permission without read (EPT misconfiguration)",
                    EntryProblem.ExecuteOnlyUnsupported => "execute-only entry, but the CPU lacks execute-only EPT (EPT misconfiguration)",
                    EntryProblem.ReservedMemoryType => "reserved EPT memory type (EPT misconfiguration)",
                    EntryProblem.LargePageUnsupported => "large page at a level the CPU does not support",
                    EntryProblem.UserBitClear => "NPT entry without U/S: every guest access through it faults",
                    _ => "bad entry",
                },
                IssueKind.AddressBeyondLimit => "address at or beyond MAXPHYADDR",
                IssueKind.NotCovered => "required range not mapped",
                IssueKind.NotIdentity => "required range not identity-mapped",
                _ => "problem",
            };
            if (v.Level != 0)
                sb.Append(CultureInfo.InvariantCulture, $"level {v.Level} entry for {v.Input:x16}-{v.Input + v.Length - 1:x16} = {v.Entry:x16}: {what}\n");
            else
                sb.Append(CultureInfo.InvariantCulture, $"{v.Input:x16}-{v.Input + v.Length - 1:x16}: {what}\n");
        }
        if (total > issues.Length) sb.Append(CultureInfo.InvariantCulture, $"... and {total - issues.Length} more\n");
        return sb.ToString();
    }
}
