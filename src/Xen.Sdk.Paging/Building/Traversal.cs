namespace Xen.Sdk.Paging.Building;

/// <summary>Visits present entries.</summary>
internal interface IEntryVisitor
{
    /// <summary>Called for each present entry; return false to stop descending into a non-leaf.</summary>
    bool Visit(int level, ulong input, ulong entry, bool leaf);
}

internal static unsafe class Traversal
{
    public static void Run<TFormat, TMem, TVisitor>(ref TFormat fmt, ref TMem mem, ulong root, ref TVisitor visitor)
        where TFormat : struct, Formats.IPagingFormat
        where TMem : struct, ITableMemory
        where TVisitor : struct, IEntryVisitor, allows ref struct
        => Level(ref fmt, ref mem, root, fmt.Levels, 0, ref visitor);

    private static void Level<TFormat, TMem, TVisitor>(ref TFormat fmt, ref TMem mem, ulong table, int level, ulong baseInput, ref TVisitor visitor)
        where TFormat : struct, Formats.IPagingFormat
        where TMem : struct, ITableMemory
        where TVisitor : struct, IEntryVisitor, allows ref struct
    {
        byte* p = mem.Map(table);
        int n = fmt.EntryCount(level);
        int shift = fmt.LevelShift(level);
        for (int i = 0; i < n; i++)
        {
            // SAFETY: p maps a 4 KiB table and i < EntryCount(level).
            ulong e = fmt.EntryShift == 3 ? ((ulong*)p)[i] : ((uint*)p)[i];
            if (!fmt.IsPresent(e)) continue;
            ulong input = baseInput + ((ulong)i << shift);
            bool leaf = fmt.IsLeaf(e, level);
            if (visitor.Visit(level, input, e, leaf) && !leaf && level > 1)
                Level(ref fmt, ref mem, fmt.TableAddress(e), level - 1, input, ref visitor);
        }
    }
}
