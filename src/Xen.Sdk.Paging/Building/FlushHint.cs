using Xen.Sdk.Paging.Capabilities;

namespace Xen.Sdk.Paging.Building;

/// <summary>INVEPT types (Intel SDM Vol. 3C §31.3 "INVEPT — Invalidate Translations Derived from EPT").</summary>
public enum InveptType : byte
{
    /// <summary>Nothing to invalidate.</summary>
    None = 0,
    /// <summary>Single-context (type 1): translations derived from the given EPTP.</summary>
    SingleContext = 1,
    /// <summary>All-context (type 2).</summary>
    AllContext = 2,
}

/// <summary>VMCB TLB_CONTROL values (AMD APM Vol. 2 §15.16.1 "TLB Flush", VMCB offset 058h bits 39:32).</summary>
public enum NptTlbControl : byte
{
    /// <summary>0: do nothing.</summary>
    DoNothing = 0,
    /// <summary>1: flush the entire TLB (all ASIDs) on VMRUN.</summary>
    FlushAll = 1,
    /// <summary>3: flush this guest's TLB entries (requires FlushByAsid).</summary>
    FlushGuest = 3,
    /// <summary>7: flush this guest's non-global entries (requires FlushByAsid).</summary>
    FlushGuestNonGlobal = 7,
}

/// <summary>What a guest kernel must do after its own page tables changed.</summary>
public enum GuestFlushKind : byte
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>INVLPG each page of the range (few pages, no global pages changed).</summary>
    Invlpg,
    /// <summary>Reload CR3 (many pages, no global pages changed).</summary>
    ReloadCr3,
    /// <summary>Toggle CR4.PGE (global pages changed).</summary>
    FlushGlobal,
}

/// <summary>Invalidation needed after builder operations: which input range had a present translation changed or
/// removed (turning a not-present entry present never needs a flush, since not-present results are not cached —
/// Intel SDM Vol. 3A §4.10.2.3; Intel SDM Vol. 3C §29.4.1). Take it with the builder's <c>TakeFlushHint()</c>.</summary>
public readonly struct FlushHint
{
    /// <summary>True if some present translation changed.</summary>
    public bool Required { get; }
    /// <summary>Lowest input address changed.</summary>
    public ulong Start { get; }
    /// <summary>Exclusive end of the changed input range.</summary>
    public ulong End { get; }
    /// <summary>Guest tables: a global page's entry changed.</summary>
    public bool GlobalChanged { get; }

    internal FlushHint(bool required, ulong start, ulong end, bool global)
    {
        Required = required;
        Start = start;
        End = end;
        GlobalChanged = global;
    }

    /// <summary>The INVEPT to execute: single-context when the CPU supports it, else all-context.</summary>
    public InveptType ForEpt(in PagingCapabilities capabilities)
        => !Required ? InveptType.None
         : capabilities.EptCapabilities.InveptSingleContext ? InveptType.SingleContext : InveptType.AllContext;

    /// <summary>The TLB_CONTROL value for the next VMRUN: flush this ASID when FlushByAsid exists, else everything.</summary>
    public NptTlbControl ForNpt(in PagingCapabilities capabilities)
        => !Required ? NptTlbControl.DoNothing : capabilities.NptFlushByAsid ? NptTlbControl.FlushGuest : NptTlbControl.FlushAll;

    /// <summary>For guest tables: INVLPG up to <paramref name="invlpgLimit"/> pages, else a CR3 reload, or a global flush.</summary>
    public GuestFlushKind ForGuest(int invlpgLimit = 32)
        => !Required ? GuestFlushKind.None
         : GlobalChanged ? GuestFlushKind.FlushGlobal
         : (End - Start) >> 12 <= (ulong)invlpgLimit ? GuestFlushKind.Invlpg : GuestFlushKind.ReloadCr3;
}
