using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;

namespace Xen.Sdk.Paging.Walking;

/// <summary>The guest's paging mode, from CR0.PG, CR4.PAE, EFER.LMA and CR4.LA57 (Intel SDM Vol. 3A §4.1.1, Table 4-1).</summary>
public enum GuestPagingMode : byte
{
    /// <summary>CR0.PG = 0: linear = physical.</summary>
    None,
    /// <summary>32-bit paging.</summary>
    Legacy32,
    /// <summary>PAE paging.</summary>
    Pae,
    /// <summary>4-level paging.</summary>
    LongMode4,
    /// <summary>5-level paging.</summary>
    LongMode5,
}

/// <summary>The guest control registers that govern paging, as data.</summary>
public readonly struct GuestPagingState
{
    /// <summary>CR0.PG (bit 31).</summary>
    public const ulong Cr0Pg = 1UL << 31;
    /// <summary>CR0.WP (bit 16).</summary>
    public const ulong Cr0Wp = 1UL << 16;
    /// <summary>CR4.PSE (bit 4).</summary>
    public const ulong Cr4Pse = 1UL << 4;
    /// <summary>CR4.PAE (bit 5).</summary>
    public const ulong Cr4Pae = 1UL << 5;
    /// <summary>CR4.LA57 (bit 12).</summary>
    public const ulong Cr4La57 = 1UL << 12;
    /// <summary>CR4.SMEP (bit 20).</summary>
    public const ulong Cr4Smep = 1UL << 20;
    /// <summary>CR4.SMAP (bit 21).</summary>
    public const ulong Cr4Smap = 1UL << 21;
    /// <summary>EFER.LMA (bit 10).</summary>
    public const ulong EferLma = 1UL << 10;
    /// <summary>EFER.NXE (bit 11).</summary>
    public const ulong EferNxe = 1UL << 11;

    /// <summary>CR0.</summary>
    public ulong Cr0 { get; init; }
    /// <summary>CR3.</summary>
    public ulong Cr3 { get; init; }
    /// <summary>CR4.</summary>
    public ulong Cr4 { get; init; }
    /// <summary>IA32_EFER.</summary>
    public ulong Efer { get; init; }
    /// <summary>The guest's MAXPHYADDR.</summary>
    public byte MaxPhysicalAddressBits { get; init; }
    /// <summary>The guest CPU has 1 GiB pages.</summary>
    public bool Pages1GiB { get; init; }

    /// <summary>The paging mode.</summary>
    public GuestPagingMode Mode
        => (Cr0 & Cr0Pg) == 0 ? GuestPagingMode.None
         : (Cr4 & Cr4Pae) == 0 ? GuestPagingMode.Legacy32
         : (Efer & EferLma) == 0 ? GuestPagingMode.Pae
         : (Cr4 & Cr4La57) != 0 ? GuestPagingMode.LongMode5 : GuestPagingMode.LongMode4;
}

/// <summary>An access by guest code to a linear address.</summary>
public readonly struct GuestAccess
{
    /// <summary>Read, write or fetch.</summary>
    public AccessKind Kind { get; init; }
    /// <summary>CPL = 3 (a user-mode access). Implicit supervisor accesses (GDT, TSS ...) use false.</summary>
    public bool User { get; init; }
    /// <summary>An implicit supervisor-mode access (SMAP applies whatever EFLAGS.AC is).</summary>
    public bool Implicit { get; init; }
    /// <summary>EFLAGS.AC (SMAP does not block explicit supervisor data accesses with AC = 1).</summary>
    public bool AlignmentCheck { get; init; }
    /// <summary>Set accessed/dirty flags in the guest entries on success, as the CPU does.</summary>
    public bool SetAccessedDirty { get; init; }
}

/// <summary>The result of a guest-virtual walk through the second level.</summary>
public readonly struct GuestWalkResult
{
    /// <summary>Ok, PageFault (inject #PF with <see cref="ErrorCode"/>, CR2 = the linear address), NonCanonical,
    /// or a second-level fault in <see cref="Nested"/> (EptViolation, EptMisconfiguration, NestedPageFault).</summary>
    public WalkOutcome Outcome { get; init; }
    /// <summary>The linear address.</summary>
    public GuestVirtualAddress LinearAddress { get; init; }
    /// <summary>The guest-physical address (on success, or the table entry address for a nested fault).</summary>
    public GuestPhysicalAddress GuestAddress { get; init; }
    /// <summary>The host-physical address (on success).</summary>
    public HostPhysicalAddress HostAddress { get; init; }
    /// <summary>Leaf level (1 = 4 KiB), or where the walk stopped.</summary>
    public int Level { get; init; }
    /// <summary>The #PF error code.</summary>
    public PageFaultErrorCode ErrorCode { get; init; }
    /// <summary>The second-level result of the failing (or final) nested access.</summary>
    public SecondLevelWalk Nested { get; init; }
    /// <summary>The guest translation allows user accesses (U/S AND).</summary>
    public bool User { get; init; }
    /// <summary>The guest translation allows writes (R/W AND).</summary>
    public bool Writable { get; init; }
    /// <summary>The guest translation is execute-disable (XD OR, with NXE).</summary>
    public bool ExecuteDisable { get; init; }
    /// <summary>True when translated.</summary>
    public bool IsOk => Outcome == WalkOutcome.Ok;
}

/// <summary>The two-dimensional walk: guest-virtual to guest-physical through the guest's page tables, each table
/// read through the second level, then the final guest-physical address through the second level. Implements the
/// access-rights rules of Intel SDM Vol. 3A §4.6 "Access Rights" (CR0.WP, CR4.SMEP/SMAP, EFER.NXE, U/S, R/W, XD),
/// reserved-bit checks of §4.3-§4.5, the #PF error code of §4.7, and A/D updates of §4.8.</summary>
public static unsafe class GuestWalker
{
    /// <summary>Translates <paramref name="linear"/> for <paramref name="access"/>.</summary>
    public static GuestWalkResult Walk<TMem>(ref TMem memory, in GuestPagingState state, GuestVirtualAddress linear, in GuestAccess access)
        where TMem : IGuestPhysicalMemory
    {
        // Pse: a CPU whose CR4.PSE is set has PSE (the bit cannot be set otherwise), so CR4 alone decides 4 MiB pages here.
        var caps = new PagingCapabilities { MaxPhysicalAddressBits = state.MaxPhysicalAddressBits, Pages1GiB = state.Pages1GiB, NoExecute = true, Pse = true };
        bool nxe = (state.Efer & GuestPagingState.EferNxe) != 0;
        ulong va = linear.Value;
        switch (state.Mode)
        {
            case GuestPagingMode.None:
                return Final(ref memory, linear, new GuestPhysicalAddress(va & 0xFFFF_FFFFUL), 0, access, true, true, false, false);
            case GuestPagingMode.Legacy32:
                return Walk(ref memory, new Legacy32Format(caps, (state.Cr4 & GuestPagingState.Cr4Pse) != 0), state.Cr3 & 0xFFFF_F000UL, state, linear, va & 0xFFFF_FFFFUL, access, false);
            case GuestPagingMode.Pae:
                return Walk(ref memory, new PaeFormat(caps, nxe), state.Cr3 & 0xFFFF_FFE0UL, state, linear, va & 0xFFFF_FFFFUL, access, nxe);
            default:
            {
                int levels = state.Mode == GuestPagingMode.LongMode5 ? 5 : 4;
                int bits = levels == 5 ? 57 : 48;
                // Canonical check: bits 63:(bits-1) all equal (Intel SDM Vol. 3A §3.3.7.1).
                long top = (long)va >> (bits - 1);
                if (top != 0 && top != -1)
                    return new GuestWalkResult { Outcome = WalkOutcome.NonCanonical, LinearAddress = linear };
                ulong root = state.Cr3 & 0x000F_FFFF_FFFF_F000UL & (((1UL << state.MaxPhysicalAddressBits) - 1));
                return Walk(ref memory, new LongModeFormat(caps, levels, nxe), root, state, linear, va & ((1UL << bits) - 1), access, nxe);
            }
        }
    }

    private static GuestWalkResult Walk<TMem, TFormat>(ref TMem memory, TFormat fmt, ulong table, in GuestPagingState state,
        GuestVirtualAddress linear, ulong va, in GuestAccess access, bool nxe)
        where TMem : IGuestPhysicalMemory
        where TFormat : struct, IPagingFormat
    {
        bool pae = fmt.Levels == 3;
        int size = 1 << fmt.EntryShift;
        bool user = true, writable = true, xd = false;
        byte** ptrs = stackalloc byte*[5];
        int used = 0;
        uint baseCode = (access.Kind == AccessKind.Write ? PageFaultErrorCode.Write : 0u) | (access.User ? PageFaultErrorCode.User : 0u);
        bool smep = (state.Cr4 & GuestPagingState.Cr4Smep) != 0;
        if (access.Kind == AccessKind.Execute && (smep || (nxe && fmt.EntryShift == 3))) baseCode |= PageFaultErrorCode.InstructionFetch;

        for (int level = fmt.Levels; level >= 1; level--)
        {
            int idx = (int)((va >> fmt.LevelShift(level)) & (ulong)(fmt.EntryCount(level) - 1));
            var entryGpa = new GuestPhysicalAddress(table + (ulong)(idx * size));
            var na = new NestedAccess { Kind = AccessKind.Read, UserMode = access.User, Origin = NestedOrigin.GuestPagingStructure, LinearAddress = linear };
            SecondLevelWalk n = memory.Translate(entryGpa, na);
            if (!n.IsOk) return Nested(linear, entryGpa, level, n);
            // SAFETY: MapFrame gives the whole 4 KiB frame holding the entry; the offset is inside it and entry-aligned.
            byte* ptr = memory.MapFrame(new HostPhysicalAddress(n.HostAddress.Value & ~0xFFFUL)) + (n.HostAddress.Value & 0xFFF);
            ulong e = size == 8 ? *(ulong*)ptr : *(uint*)ptr;
            if (!fmt.IsPresent(e))
                return PageFault(linear, level, baseCode);
            if (fmt.Check(level, e) != EntryProblem.None)
                return PageFault(linear, level, baseCode | PageFaultErrorCode.Present | PageFaultErrorCode.Reserved);
            ptrs[used++] = ptr;
            if (!(pae && level == 3))
            {
                user &= (e & 4) != 0;
                writable &= (e & 2) != 0;
                if (nxe && size == 8) xd |= (e & (1UL << 63)) != 0;
            }
            if (fmt.IsLeaf(e, level))
            {
                if (!Allowed(state, access, user, writable, xd))
                    return PageFault(linear, level, baseCode | PageFaultErrorCode.Present);
                ulong offset = va & ((1UL << fmt.LevelShift(level)) - 1);
                var gpa = new GuestPhysicalAddress(fmt.LeafAddress(level, e) + offset);
                if (access.SetAccessedDirty)
                {
                    // Setting A/D is a write to each guest entry: the second level must allow it (the CPU's locked update).
                    bool needLeafDirty = access.Kind == AccessKind.Write && (e & 0x40) == 0;
                    for (int i = 0; i < used; i++)
                    {
                        bool isLeaf = i == used - 1;
                        ulong cur = size == 8 ? *(ulong*)ptrs[i] : *(uint*)ptrs[i];
                        bool pdpte = pae && i == 0;
                        if (pdpte || ((cur & 0x20) != 0 && !(isLeaf && needLeafDirty))) continue;
                        var wa = new NestedAccess { Kind = AccessKind.Write, UserMode = access.User, Origin = NestedOrigin.GuestPagingStructure, LinearAddress = linear };
                        int lvl = fmt.Levels - i;
                        ulong eGpa = EntryAddress(fmt, table, va, lvl, i, ptrs, state, size);
                        SecondLevelWalk w = memory.Translate(new GuestPhysicalAddress(eGpa), wa);
                        if (!w.IsOk) return Nested(linear, new GuestPhysicalAddress(eGpa), lvl, w);
                        ulong set = 0x20 | (isLeaf && access.Kind == AccessKind.Write ? 0x40UL : 0);
                        if (size == 8) *(ulong*)ptrs[i] |= set; else *(uint*)ptrs[i] |= (uint)set;
                    }
                }
                return Final(ref memory, linear, gpa, level, access, user, writable, xd, true);
            }
            table = fmt.TableAddress(e);
        }
        return PageFault(linear, 1, baseCode);
    }

    // The guest-physical address of the entry used at position i (recomputed from the pointers' page offsets:
    // the frame's guest address is not kept, so walk again from CR3 through the entries already read).
    private static ulong EntryAddress<TFormat>(TFormat fmt, ulong lastTable, ulong va, int level, int i, byte** ptrs, in GuestPagingState state, int size)
        where TFormat : struct, IPagingFormat
    {
        ulong table = fmt.Levels == 3 ? state.Cr3 & 0xFFFF_FFE0UL
                    : size == 4 ? state.Cr3 & 0xFFFF_F000UL
                    : state.Cr3 & 0x000F_FFFF_FFFF_F000UL & ((1UL << state.MaxPhysicalAddressBits) - 1);
        for (int k = 0; k < i; k++)
        {
            ulong e = size == 8 ? *(ulong*)ptrs[k] : *(uint*)ptrs[k];
            table = fmt.TableAddress(e);
        }
        int idx = (int)((va >> fmt.LevelShift(level)) & (ulong)(fmt.EntryCount(level) - 1));
        return table + (ulong)(idx * size);
    }

    /// <summary>Intel SDM Vol. 3A §4.6.1 "Determination of Access Rights".</summary>
    private static bool Allowed(in GuestPagingState s, in GuestAccess a, bool user, bool writable, bool xd)
    {
        bool wp = (s.Cr0 & GuestPagingState.Cr0Wp) != 0;
        bool smap = (s.Cr4 & GuestPagingState.Cr4Smap) != 0;
        bool smep = (s.Cr4 & GuestPagingState.Cr4Smep) != 0;
        if (a.User && !a.Implicit)
        {
            if (!user) return false;
            return a.Kind switch
            {
                AccessKind.Write => writable,
                AccessKind.Execute => !xd,
                _ => true,
            };
        }
        // Supervisor-mode access.
        switch (a.Kind)
        {
            case AccessKind.Execute:
                if (xd) return false;
                if (user && smep) return false;
                return true;
            case AccessKind.Read:
                if (user && smap && (a.Implicit || !a.AlignmentCheck)) return false;
                return true;
            default:
                if (user && smap && (a.Implicit || !a.AlignmentCheck)) return false;
                return !wp || writable;
        }
    }

    private static GuestWalkResult Final<TMem>(ref TMem memory, GuestVirtualAddress linear, GuestPhysicalAddress gpa, int level,
        in GuestAccess access, bool user, bool writable, bool xd, bool paging)
        where TMem : IGuestPhysicalMemory
    {
        var na = new NestedAccess
        {
            Kind = access.Kind, UserMode = access.User, Origin = NestedOrigin.GuestFinal, LinearAddress = linear,
            LinearUser = paging && user, LinearWritable = paging && writable, LinearExecuteDisable = paging && xd,
        };
        SecondLevelWalk n = memory.Translate(gpa, na);
        if (!n.IsOk) return Nested(linear, gpa, level, n);
        return new GuestWalkResult
        {
            Outcome = WalkOutcome.Ok, LinearAddress = linear, GuestAddress = gpa, HostAddress = n.HostAddress, Level = level,
            Nested = n, User = user, Writable = writable, ExecuteDisable = xd,
        };
    }

    private static GuestWalkResult PageFault(GuestVirtualAddress linear, int level, uint code)
        => new() { Outcome = WalkOutcome.PageFault, LinearAddress = linear, Level = level, ErrorCode = new PageFaultErrorCode(code) };

    private static GuestWalkResult Nested(GuestVirtualAddress linear, GuestPhysicalAddress gpa, int level, in SecondLevelWalk n)
        => new() { Outcome = n.Outcome, LinearAddress = linear, GuestAddress = gpa, Level = level, Nested = n };
}
