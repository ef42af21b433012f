using System.Runtime.CompilerServices;
using Xen.Sdk.Paging.Entries;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Paging.Walking;

/// <summary>Walks EPT tables the way the CPU does (Intel SDM Vol. 3C §29.3.2 "EPT Translation Mechanism",
/// §29.3.3 "EPT-Induced VM Exits"), reporting an EPT misconfiguration for a misconfigured entry, and an EPT
/// violation with the exit-qualification bits of Intel SDM Vol. 3C §28.2.1 Table 28-7 otherwise.</summary>
public static unsafe class EptWalker
{
    /// <summary>Translates <paramref name="guest"/> for <paramref name="access"/>. With <paramref name="updateAccessedDirty"/>
    /// and A/D enabled in <paramref name="format"/>, sets the accessed flag of every entry used and the dirty flag
    /// of the leaf for writes, as the CPU does (Intel SDM Vol. 3C §29.3.5 "Accessed and Dirty Flags for EPT").</summary>
    public static SecondLevelWalk Walk<TFrames>(ref TFrames frames, in EptFormat format, HostPhysicalAddress root,
        GuestPhysicalAddress guest, in NestedAccess access, bool updateAccessedDirty = false)
        where TFrames : IPageFrameSource
    {
        ulong gpa = guest.Value;
        bool ad = format.AccessedDirtyEnabled;
        // Intel SDM Vol. 3C §29.3.3.2: with EPT A/D flags enabled, accesses to guest paging structures are writes.
        bool asWrite = access.Kind == AccessKind.Write || (ad && access.Origin == NestedOrigin.GuestPagingStructure);
        ulong q = access.Kind switch
        {
            AccessKind.Read => EptViolationQualification.DataRead,
            AccessKind.Write => EptViolationQualification.DataWrite,
            _ => EptViolationQualification.InstructionFetch,
        };
        if (asWrite && access.Kind != AccessKind.Write) q |= EptViolationQualification.DataWrite; // both bits 0 and 1
        if (access.Origin != NestedOrigin.Physical)
        {
            q |= EptViolationQualification.LinearAddressValid;
            if (access.Origin == NestedOrigin.GuestFinal)
            {
                q |= EptViolationQualification.FinalTranslation;
                if (format.AdvancedExitInformation)
                    q |= (access.LinearUser ? EptViolationQualification.LinearUser : 0)
                       | (access.LinearWritable ? EptViolationQualification.LinearWritable : 0)
                       | (access.LinearExecuteDisable ? EptViolationQualification.LinearExecuteDisable : 0);
            }
        }

        ulong and = 0x407; // AND of bits 0, 1, 2 and 10 over the entries used
        ulong table = root.Value & EptEntry.AddressMask;
        ulong* used0 = stackalloc ulong[5];
        int used = 0;
        if ((gpa >> format.InputBits) != 0)
            return Violation(guest, format.Levels, 0, q);
        for (int level = format.Levels; level >= 1; level--)
        {
            // SAFETY: MapFrame gives the 4 KiB table; the index is below 512.
            ulong* ep = (ulong*)frames.MapFrame(new HostPhysicalAddress(table)) + ((gpa >> (3 + 9 * level)) & 511);
            ulong e = *ep;
            and &= e;
            if (!format.IsPresent(e))
                return Violation(guest, level, e, q | Bits(and, format.ModeBasedExecute));
            if (format.Check(level, e) != EntryProblem.None)
                return new SecondLevelWalk { Outcome = WalkOutcome.EptMisconfiguration, GuestAddress = guest, Level = level, Entry = e };
            used0[used++] = (ulong)ep;
            if (format.IsLeaf(e, level))
            {
                bool allowed = access.Kind switch
                {
                    AccessKind.Read => (and & 1) != 0 && (!asWrite || (and & 2) != 0),
                    AccessKind.Write => (and & 2) != 0,
                    _ => format.ModeBasedExecute && access.UserMode ? (and & 0x400) != 0 : (and & 4) != 0,
                };
                if (!allowed) return Violation(guest, level, e, q | Bits(and, format.ModeBasedExecute));
                if (updateAccessedDirty && ad)
                {
                    for (int i = 0; i < used; i++) *(ulong*)used0[i] |= EptEntry.AccessedBit;
                    if (asWrite) *ep |= EptEntry.DirtyBit;
                    e = *ep;
                }
                format.TryDecodeLeaf(level, e, out PageAttributes leafAttrs);
                PageAccess eff = ((and & 1) != 0 ? PageAccess.Read : 0) | ((and & 2) != 0 ? PageAccess.Write : 0)
                               | ((and & 4) != 0 ? PageAccess.Execute : 0) | (format.ModeBasedExecute && (and & 0x400) != 0 ? PageAccess.UserExecute : 0);
                ulong offset = gpa & ((1UL << format.LevelShift(level)) - 1);
                return new SecondLevelWalk
                {
                    Outcome = WalkOutcome.Ok, GuestAddress = guest, Level = level, Entry = e,
                    HostAddress = new HostPhysicalAddress(format.LeafAddress(level, e) + offset),
                    Attributes = new PageAttributes(eff, leafAttrs.MemoryType, leafAttrs.Flags),
                };
            }
            table = e & EptEntry.AddressMask;
        }
        return Violation(guest, 1, 0, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(ulong and, bool mbe)
        => ((and & 7) << 3) | (mbe && (and & 0x400) != 0 ? EptViolationQualification.UserExecutable : 0);

    private static SecondLevelWalk Violation(GuestPhysicalAddress guest, int level, ulong entry, ulong q)
        => new() { Outcome = WalkOutcome.EptViolation, GuestAddress = guest, Level = level, Entry = entry, Qualification = new EptViolationQualification(q) };
}

/// <summary>Walks AMD nested page tables the way the CPU does: every access is a user access (AMD APM Vol. 2
/// §15.25.5 "Nested Table Walk"); a fault is reported as #VMEXIT_NPF with EXITINFO1 as in AMD APM Vol. 2 §15.25.6.</summary>
public static unsafe class NptWalker
{
    /// <summary>Translates <paramref name="guest"/>. With <paramref name="updateAccessedDirty"/> sets A on every
    /// entry used and D on the leaf for writes, as the CPU does.</summary>
    public static SecondLevelWalk Walk<TFrames>(ref TFrames frames, in NptFormat format, HostPhysicalAddress root,
        GuestPhysicalAddress guest, in NestedAccess access, bool updateAccessedDirty = false)
        where TFrames : IPageFrameSource
    {
        ulong gpa = guest.Value;
        ulong code = NpfErrorCode.User
                   | (access.Kind == AccessKind.Write ? NpfErrorCode.Write : 0)
                   | (access.Kind == AccessKind.Execute ? NpfErrorCode.InstructionFetch : 0)
                   | (access.Origin == NestedOrigin.GuestPagingStructure ? NpfErrorCode.GuestPageTable : NpfErrorCode.FinalTranslation);
        ulong table = root.Value & X64EntryBits.AddressMask;
        bool writable = true, user = true, nx = false;
        ulong* used0 = stackalloc ulong[5];
        int used = 0;
        if ((gpa >> format.InputBits) != 0)
            return Fault(guest, format.Levels, 0, code | NpfErrorCode.Present | NpfErrorCode.Reserved);
        for (int level = format.Levels; level >= 1; level--)
        {
            // SAFETY: MapFrame gives the 4 KiB table; the index is below 512.
            ulong* ep = (ulong*)frames.MapFrame(new HostPhysicalAddress(table)) + ((gpa >> (3 + 9 * level)) & 511);
            ulong e = *ep;
            if ((e & X64EntryBits.Present) == 0) return Fault(guest, level, e, code);
            if (format.ReservedBits(level, e) != 0) return Fault(guest, level, e, code | NpfErrorCode.Present | NpfErrorCode.Reserved);
            writable &= (e & X64EntryBits.Writable) != 0;
            user &= (e & X64EntryBits.User) != 0;
            nx |= (e & X64EntryBits.NoExecute) != 0;
            used0[used++] = (ulong)ep;
            if (format.IsLeaf(e, level))
            {
                bool allowed = user && access.Kind switch
                {
                    AccessKind.Write => writable,
                    AccessKind.Execute => !nx,
                    _ => true,
                };
                if (!allowed) return Fault(guest, level, e, code | NpfErrorCode.Present);
                if (updateAccessedDirty)
                {
                    for (int i = 0; i < used; i++) *(ulong*)used0[i] |= X64EntryBits.Accessed;
                    if (access.Kind == AccessKind.Write) *ep |= X64EntryBits.Dirty;
                    e = *ep;
                }
                format.TryDecodeLeaf(level, e, out PageAttributes leafAttrs);
                PageAccess eff = PageAccess.Read | (writable ? PageAccess.Write : 0) | (!nx ? PageAccess.Execute : 0);
                return new SecondLevelWalk
                {
                    Outcome = WalkOutcome.Ok, GuestAddress = guest, Level = level, Entry = e,
                    HostAddress = new HostPhysicalAddress(format.LeafAddress(level, e) + (gpa & ((1UL << format.LevelShift(level)) - 1))),
                    Attributes = new PageAttributes(eff, leafAttrs.MemoryType),
                };
            }
            table = e & X64EntryBits.AddressMask;
        }
        return Fault(guest, 1, 0, code);
    }

    private static SecondLevelWalk Fault(GuestPhysicalAddress guest, int level, ulong entry, ulong code)
        => new() { Outcome = WalkOutcome.NestedPageFault, GuestAddress = guest, Level = level, Entry = entry, ErrorCode = new NpfErrorCode(code) };
}
