namespace Xen.Sdk.Paging.Formats;

/// <summary>What the validator and walkers can find wrong with one present entry.</summary>
public enum EntryProblem : byte
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>A reserved bit is set (above MAXPHYADDR, in a large page's address field, a must-be-zero bit, NX without NXE ...).</summary>
    ReservedBits,
    /// <summary>EPT: write allowed without read (EPT misconfiguration, Intel SDM Vol. 3C §29.3.3.1).</summary>
    WriteWithoutRead,
    /// <summary>EPT: execute-only entry but IA32_VMX_EPT_VPID_CAP bit 0 is clear (EPT misconfiguration).</summary>
    ExecuteOnlyUnsupported,
    /// <summary>EPT leaf memory type 2, 3 or 7 (EPT misconfiguration).</summary>
    ReservedMemoryType,
    /// <summary>A large-page leaf at a level where the CPU has no such pages (the page-size bit is then reserved).</summary>
    LargePageUnsupported,
    /// <summary>NPT: U/S clear; nested walks are user accesses, so every access through the entry faults
    /// (AMD APM Vol. 2 §15.25.5).</summary>
    UserBitClear,
}

/// <summary>A paging format: how entries are laid out and what a CPU accepts. Implemented by structs
/// (<see cref="EptFormat"/>, <see cref="NptFormat"/>, <see cref="LongModeFormat"/>, <see cref="PaeFormat"/>,
/// <see cref="Legacy32Format"/>) carrying the capability-derived settings; builders, walkers and the validator are
/// generic over it, so every call is direct. Levels are numbered from 1 (page table) up to <see cref="Levels"/> (root).</summary>
public interface IPagingFormat
{
    /// <summary>Number of levels (2 for 32-bit, 3 for PAE, 4 or 5).</summary>
    int Levels { get; }
    /// <summary>log2 of the entry size: 3 (8 bytes) or 2 (4 bytes).</summary>
    int EntryShift { get; }
    /// <summary>Width of the input address space in bits (48, 57 or 32).</summary>
    int InputBits { get; }
    /// <summary>Exclusive upper bound of output addresses the format can encode for this CPU.</summary>
    ulong OutputLimit { get; }
    /// <summary>log2 of the bytes one entry of <paramref name="level"/> covers (12 for level 1).</summary>
    int LevelShift(int level);
    /// <summary>Entries in a table of <paramref name="level"/> (512, 1024, or 4 for the PAE PDPT).</summary>
    int EntryCount(int level);
    /// <summary>True if a leaf may be placed at <paramref name="level"/> on this CPU.</summary>
    bool LeafAllowed(int level);
    /// <summary>True if the entry is present.</summary>
    bool IsPresent(ulong entry);
    /// <summary>True if the present entry at <paramref name="level"/> maps a page (rather than pointing at a table).</summary>
    bool IsLeaf(ulong entry, int level);
    /// <summary>An entry at <paramref name="level"/> pointing at the table <paramref name="table"/>, granting everything (leaves restrict).</summary>
    ulong MakeTable(int level, ulong table);
    /// <summary>The table address in a non-leaf entry.</summary>
    ulong TableAddress(ulong entry);
    /// <summary>The leaf bits (everything but the address) for <paramref name="attributes"/> at <paramref name="level"/>;
    /// false if the attributes cannot be encoded.</summary>
    bool TryMakeLeafTemplate(int level, in PageAttributes attributes, out ulong template);
    /// <summary>Combines a leaf template with an output address aligned to the level's page size.</summary>
    ulong EncodeLeaf(int level, ulong template, ulong address);
    /// <summary>The output address of a leaf at <paramref name="level"/>.</summary>
    ulong LeafAddress(int level, ulong entry);
    /// <summary>Decodes a leaf's attributes.</summary>
    bool TryDecodeLeaf(int level, ulong entry, out PageAttributes attributes);
    /// <summary>The accessed bit (0 if the format has none enabled).</summary>
    ulong AccessedBit { get; }
    /// <summary>The dirty bit of leaves (0 if the format has none enabled).</summary>
    ulong DirtyBit { get; }
    /// <summary>What is wrong with a present entry at <paramref name="level"/> on this CPU, if anything.</summary>
    EntryProblem Check(int level, ulong entry);
}
