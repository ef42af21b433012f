using Xen.Sdk.Abi;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.GrantTable;

/// <summary>What <see cref="GrantTableV1.TryEndTransfer"/> found.</summary>
public enum GrantTransferState
{
    /// <summary>Nothing was transferred; the entry has been reclaimed (flags 0).</summary>
    NotTransferred = 0,
    /// <summary>Xen committed a transfer but has not completed it yet: call again.</summary>
    InProgress = 1,
    /// <summary>The transfer completed; the frame is returned and the entry is free.</summary>
    Completed = 2,
}

/// <summary>
/// A version-1 grant table (<c>grant_entry_v1_t[]</c>, xen/include/public/grant_table.h) and its flag
/// protocol, as the granting guest and as the hypervisor. <c>flags</c> and <c>domid</c> share one 32-bit
/// word, which the hypervisor updates with a bounded compare-exchange loop (a guest can change the entry at
/// any time); every grant reference is range-checked.
/// </summary>
public unsafe readonly struct GrantTableV1
{
    private const uint TypeMask = (uint)GrantEntryFlags.TypeMask;
    private const uint Reading = (uint)GrantEntryFlags.Reading;
    private const uint Writing = (uint)GrantEntryFlags.Writing;
    /// <summary>Compare-exchange attempts against a changing entry before giving up (Xen uses 4).</summary>
    public const int MaxRetries = 4;

    private readonly GrantEntryV1* _entries;
    private readonly uint _count;

    /// <summary>A view of <paramref name="count"/> entries (8 bytes each, 512 per page).</summary>
    public GrantTableV1(GrantEntryV1* entries, uint count)
    {
        _entries = entries;
        _count = count;
    }

    /// <summary>Number of entries.</summary>
    public uint Count => _count;

    private uint* Combo(GrantRef gref) => gref.Value < _count ? (uint*)(_entries + gref.Value) : null;

    /// <summary>Current flags of an entry (0 when out of range).</summary>
    public GrantEntryFlags Flags(GrantRef gref)
    {
        uint* c = Combo(gref);
        return c == null ? 0 : (GrantEntryFlags)(ushort)Atomic.ReadAcquire(c);
    }

    // ---- guest (granting domain) ----

    /// <summary>
    /// Guest: grants <paramref name="domain"/> access to <paramref name="frame"/> (<c>GTF_permit_access</c>,
    /// optionally <c>GTF_readonly</c>). domid and frame are written first, then flags (release): the
    /// hypervisor must never see a valid type with a stale frame or domid.
    /// </summary>
    public bool TryGrantAccess(GrantRef gref, DomainId domain, uint frame, bool readOnly)
    {
        uint* c = Combo(gref);
        if (c == null) return false;
        _entries[gref.Value].Frame = frame;
        _entries[gref.Value].Domid = domain;
        // xen_wmb() then flags: release store of the 16-bit flags.
        Atomic.WriteRelease((ushort*)c, (ushort)((uint)GrantEntryFlags.PermitAccess | (readOnly ? (uint)GrantEntryFlags.Readonly : 0)));
        return true;
    }

    /// <summary>
    /// Guest: revokes an access grant if nobody uses it: compare-exchanges flags to 0 unless Xen has
    /// <c>GTF_reading</c>/<c>GTF_writing</c> set. False while it is in use (retry later) or out of range.
    /// </summary>
    public bool TryEndAccess(GrantRef gref)
    {
        uint* c = Combo(gref);
        if (c == null) return false;
        uint w = Atomic.ReadAcquire(c);
        for (int i = 0; i <= MaxRetries * 16; i++)
        {
            if ((w & (Reading | Writing)) != 0) return false;
            uint seen = Atomic.CompareExchange(c, w & 0xFFFF_0000u, w);
            if (seen == w) return true;
            w = seen;
        }
        return false;
    }

    /// <summary>Guest: offers the entry for a page transfer from <paramref name="domain"/> (<c>GTF_accept_transfer</c>).</summary>
    public bool TryGrantTransfer(GrantRef gref, DomainId domain)
    {
        uint* c = Combo(gref);
        if (c == null) return false;
        GrantTransfer.Offer(c, domain);
        return true;
    }

    /// <summary>
    /// Guest: ends a transfer offer. If Xen has not committed a transfer the entry is reclaimed
    /// (<see cref="GrantTransferState.NotTransferred"/>); if it committed but did not complete,
    /// <see cref="GrantTransferState.InProgress"/> (call again); when complete, <paramref name="frame"/> is the
    /// transferred frame, read after the flags (acquire).
    /// </summary>
    public GrantTransferState TryEndTransfer(GrantRef gref, out uint frame)
    {
        frame = 0;
        uint* c = Combo(gref);
        if (c == null) return GrantTransferState.NotTransferred;
        return GrantTransfer.End(c, &_entries[gref.Value].Frame, out frame);
    }

    // ---- hypervisor ----

    /// <summary>
    /// Hypervisor: validates and pins an access grant for <paramref name="mapper"/> (Xen's
    /// <c>_set_status_v1</c>): type must be <c>GTF_permit_access</c>, domid must be the mapping domain, a
    /// writable mapping needs a grant without <c>GTF_readonly</c>. Sets <c>GTF_reading</c> (and
    /// <c>GTF_writing</c>) with a compare-exchange of flags+domid, at most <see cref="MaxRetries"/> retries.
    /// <paramref name="frame"/> is read after the flags are pinned.
    /// </summary>
    public GrantStatus TryMap(GrantRef gref, DomainId mapper, bool readOnly, out uint frame)
    {
        frame = 0;
        uint* c = Combo(gref);
        if (c == null) return GrantStatus.BadGntref;
        uint w = Atomic.ReadAcquire(c);
        for (int attempt = 0; ; attempt++)
        {
            uint flags = w & 0xFFFF;
            if ((flags & TypeMask) != (uint)GrantEntryFlags.PermitAccess || (w >> 16) != mapper.Value) return GrantStatus.PermissionDenied;
            uint updated = w | Reading;
            if (!readOnly)
            {
                if ((flags & (uint)GrantEntryFlags.Readonly) != 0) return GrantStatus.PermissionDenied;
                updated |= Writing;
            }
            uint seen = Atomic.CompareExchange(c, updated, w);
            if (seen == w) break;
            if (attempt == MaxRetries) return GrantStatus.GeneralError; // "shared grant entry is unstable"
            w = seen;
        }
        // The compare-exchange is a full barrier: the frame read below is the one the guest wrote before flags.
        frame = Atomic.ReadAcquire(&_entries[gref.Value].Frame);
        return GrantStatus.Okay;
    }

    /// <summary>Hypervisor: drops the pins of a mapping (clears <c>GTF_writing</c> if it was writable, and <c>GTF_reading</c> when it was the last).</summary>
    public bool Release(GrantRef gref, bool wasWritable, bool lastReader)
    {
        uint* c = Combo(gref);
        if (c == null) return false;
        uint bits = (wasWritable ? Writing : 0) | (lastReader ? Reading : 0);
        if (bits != 0) Atomic.And32(c, ~bits);
        return true;
    }

    /// <summary>
    /// Hypervisor: commits a transfer into the entry (Xen's <c>gnttab_prepare_for_transfer</c>): flags must be
    /// exactly <c>GTF_accept_transfer</c> and domid the sender; sets <c>GTF_transfer_committed</c>.
    /// </summary>
    public GrantStatus TryCommitTransfer(GrantRef gref, DomainId sender)
    {
        uint* c = Combo(gref);
        return c == null ? GrantStatus.BadGntref : GrantTransfer.Commit(c, sender);
    }

    /// <summary>Hypervisor: completes a committed transfer: writes the frame, then (release) <c>GTF_transfer_completed</c>.</summary>
    public bool CompleteTransfer(GrantRef gref, uint frame)
    {
        uint* c = Combo(gref);
        if (c == null) return false;
        GrantTransfer.Complete(c, &_entries[gref.Value].Frame, frame);
        return true;
    }
}
