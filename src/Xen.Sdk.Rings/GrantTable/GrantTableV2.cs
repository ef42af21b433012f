using Xen.Sdk.Abi;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.GrantTable;

/// <summary>
/// A version-2 grant table (<c>grant_entry_v2_t[]</c>, 16 bytes each, plus the <c>grant_status_t</c>
/// status array, xen/include/public/grant_table.h). In v2 the guest writes only the entries and the
/// hypervisor writes only the status words (<c>GTF_reading</c>/<c>GTF_writing</c>), so the hypervisor
/// pins a grant by setting status bits, then re-reads the entry (after a full barrier) and backs out if the
/// guest changed it meanwhile. Every grant reference is range-checked; every retry loop is bounded.
/// </summary>
public unsafe readonly struct GrantTableV2
{
    private const uint Reading = (uint)GrantEntryFlags.Reading;
    private const uint Writing = (uint)GrantEntryFlags.Writing;

    private readonly GrantEntryV2* _entries;
    private readonly ushort* _status;
    private readonly uint _count;

    /// <summary>A view of <paramref name="count"/> entries and their status words.</summary>
    public GrantTableV2(GrantEntryV2* entries, ushort* status, uint count)
    {
        _entries = entries;
        _status = status;
        _count = count;
    }

    /// <summary>Number of entries.</summary>
    public uint Count => _count;

    /// <summary>The status word of an entry (0 when out of range).</summary>
    public ushort Status(GrantRef gref) => gref.Value < _count ? Atomic.ReadAcquire(_status + gref.Value) : (ushort)0;

    private uint* Header(GrantRef gref) => gref.Value < _count ? (uint*)(_entries + gref.Value) : null;

    // ---- guest ----

    /// <summary>Guest: grants a full page (<c>full_page.frame</c>); frame and domid first, flags last (release).</summary>
    public bool TryGrantAccess(GrantRef gref, DomainId domain, ulong frame, bool readOnly)
    {
        uint* h = Header(gref);
        if (h == null) return false;
        _entries[gref.Value].FullPageFrame = frame;
        _entries[gref.Value].Hdr.Domid = domain;
        // xen_wmb() then flags.
        Atomic.WriteRelease((ushort*)h, Flags(GrantEntryFlags.PermitAccess, readOnly));
        return true;
    }

    /// <summary>Guest: grants <paramref name="length"/> bytes at <paramref name="offset"/> of a page (<c>GTF_sub_page</c>); false if the range leaves the page.</summary>
    public bool TryGrantSubPage(GrantRef gref, DomainId domain, ulong frame, ushort offset, ushort length, bool readOnly)
    {
        uint* h = Header(gref);
        if (h == null || offset + length > SharedRing.PageSize) return false;
        _entries[gref.Value].SubPageFrame = frame;
        _entries[gref.Value].SubPagePageOff = offset;
        _entries[gref.Value].SubPageLength = length;
        _entries[gref.Value].Hdr.Domid = domain;
        Atomic.WriteRelease((ushort*)h, (ushort)(Flags(GrantEntryFlags.PermitAccess, readOnly) | (ushort)GrantEntryFlags.SubPage));
        return true;
    }

    /// <summary>Guest: re-grants <paramref name="transitiveRef"/> of <paramref name="transitiveDomain"/> to <paramref name="domain"/> (<c>GTF_transitive</c>).</summary>
    public bool TryGrantTransitive(GrantRef gref, DomainId domain, DomainId transitiveDomain, GrantRef transitiveRef)
    {
        uint* h = Header(gref);
        if (h == null) return false;
        _entries[gref.Value].TransitiveTransDomid = transitiveDomain;
        _entries[gref.Value].TransitiveGref = transitiveRef;
        _entries[gref.Value].Hdr.Domid = domain;
        Atomic.WriteRelease((ushort*)h, (ushort)GrantEntryFlags.Transitive);
        return true;
    }

    /// <summary>
    /// Guest: revokes a grant (Linux's <c>gnttab_end_foreign_access_ref_v2</c>): flags = 0, full barrier, then
    /// the status word: false if the grantee still has it mapped (then it stays usable by that mapping until
    /// released; call again later).
    /// </summary>
    public bool TryEndAccess(GrantRef gref)
    {
        uint* h = Header(gref);
        if (h == null) return false;
        Atomic.WriteRelease((ushort*)h, 0);
        // xen_mb(): our flags = 0 must be visible before we read status, pairing with the hypervisor's
        // status-then-recheck in TryMap; one of the two sides sees the other.
        Atomic.FullBarrier();
        return (Atomic.ReadAcquire(_status + gref.Value) & (Reading | Writing)) == 0;
    }

    /// <summary>
    /// Guest: offers the entry for a page transfer from <paramref name="domain"/> (<c>GTF_accept_transfer</c>;
    /// the v2 transfer entry is <c>full_page</c>, whose <c>frame</c> Xen fills in).
    /// </summary>
    public bool TryGrantTransfer(GrantRef gref, DomainId domain)
    {
        uint* h = Header(gref);
        if (h == null) return false;
        GrantTransfer.Offer(h, domain);
        return true;
    }

    /// <summary>
    /// Guest: ends a transfer offer (Linux's <c>gnttab_end_foreign_transfer_ref</c> without the spin): not
    /// committed, the entry is reclaimed; committed but not completed, <see cref="GrantTransferState.InProgress"/>
    /// (call again); completed, <paramref name="frame"/> is <c>full_page.frame</c>, read after the flags.
    /// </summary>
    public GrantTransferState TryEndTransfer(GrantRef gref, out ulong frame)
    {
        frame = 0;
        uint* h = Header(gref);
        if (h == null) return GrantTransferState.NotTransferred;
        return GrantTransfer.End(h, &_entries[gref.Value].FullPageFrame, out frame);
    }

    // ---- hypervisor ----

    /// <summary>
    /// Hypervisor: commits a transfer into the entry (Xen's <c>gnttab_prepare_for_transfer</c>, which works on
    /// the entry header in both versions): flags exactly <c>GTF_accept_transfer</c>, domid the sender; sets
    /// <c>GTF_transfer_committed</c> with a bounded compare-exchange.
    /// </summary>
    public GrantStatus TryCommitTransfer(GrantRef gref, DomainId sender)
    {
        uint* h = Header(gref);
        return h == null ? GrantStatus.BadGntref : GrantTransfer.Commit(h, sender);
    }

    /// <summary>
    /// Hypervisor: completes a committed transfer (Xen's <c>gnttab_transfer</c> for a v2 table): writes
    /// <c>full_page.frame</c>, then sets <c>GTF_transfer_completed</c> in the header.
    /// </summary>
    public bool CompleteTransfer(GrantRef gref, ulong frame)
    {
        uint* h = Header(gref);
        if (h == null) return false;
        GrantTransfer.Complete(h, &_entries[gref.Value].FullPageFrame, frame);
        return true;
    }

    /// <summary>
    /// Hypervisor: validates and pins a grant for <paramref name="mapper"/> (Xen's <c>_set_status_v2</c>):
    /// type <c>GTF_permit_access</c>, domid = mapper, no <c>GTF_readonly</c> for a writable mapping; sets
    /// status bits, then after a full barrier re-reads flags and domid and undoes the pin if they changed.
    /// Returns the frame and, for a sub-page grant, the granted range.
    /// </summary>
    public GrantStatus TryMap(GrantRef gref, DomainId mapper, bool readOnly, out ulong frame, out ushort offset, out ushort length)
    {
        frame = 0;
        offset = 0;
        length = SharedRing.PageSize;
        uint* h = Header(gref);
        if (h == null) return GrantStatus.BadGntref;
        uint w = Atomic.ReadAcquire(h);
        uint flags = w & 0xFFFF;
        if ((flags & (uint)GrantEntryFlags.TypeMask) != (uint)GrantEntryFlags.PermitAccess || (w >> 16) != mapper.Value) return GrantStatus.PermissionDenied;
        if (!readOnly && (flags & (uint)GrantEntryFlags.Readonly) != 0) return GrantStatus.PermissionDenied;
        uint bits = Reading | (readOnly ? 0 : Writing);
        if (!Or16(_status + gref.Value, (ushort)bits)) return GrantStatus.GeneralError;
        // xen_mb() (the locked RMW in Or16): the status bits are visible before we re-read the entry.
        if (Atomic.ReadAcquire(h) != w)
        {
            And16(_status + gref.Value, (ushort)~bits);
            return GrantStatus.GeneralError;
        }
        // Copy the body once, after the pin (no double fetch); validate the copy.
        GrantEntryV2 body = _entries[gref.Value];
        if ((flags & (uint)GrantEntryFlags.SubPage) != 0)
        {
            if (body.SubPagePageOff + body.SubPageLength > SharedRing.PageSize)
            {
                And16(_status + gref.Value, (ushort)~bits);
                return GrantStatus.BadPage;
            }
            frame = body.SubPageFrame;
            offset = body.SubPagePageOff;
            length = body.SubPageLength;
        }
        else
        {
            frame = body.FullPageFrame;
        }
        return GrantStatus.Okay;
    }

    /// <summary>Hypervisor: clears status bits when mappings go away.</summary>
    public bool Release(GrantRef gref, bool wasWritable, bool lastReader)
    {
        if (gref.Value >= _count) return false;
        uint bits = (wasWritable ? Writing : 0) | (lastReader ? Reading : 0);
        return bits == 0 || And16(_status + gref.Value, (ushort)~bits);
    }

    private static ushort Flags(GrantEntryFlags type, bool readOnly) => (ushort)((uint)type | (readOnly ? (uint)GrantEntryFlags.Readonly : 0));

    // 16-bit atomic OR/AND through a bounded compare-exchange of the aligned 32-bit word holding it.
    private static bool Or16(ushort* p, ushort bits) => Update16(p, bits, 0xFFFF);

    private static bool And16(ushort* p, ushort mask) => Update16(p, 0, mask);

    private static bool Update16(ushort* p, ushort or, ushort and)
    {
        // SAFETY: the status array is 2-byte aligned and page-sized, so the aligned word lies inside it.
        uint* word = (uint*)((nuint)p & ~(nuint)3);
        int shift = (int)((nuint)p & 2) * 8;
        uint w = Atomic.ReadAcquire(word);
        for (int i = 0; i <= GrantTableV1.MaxRetries * 16; i++)
        {
            uint half = (w >> shift) & 0xFFFF;
            uint updated = (w & ~(0xFFFFu << shift)) | (((half | or) & and) << shift);
            uint seen = Atomic.CompareExchange(word, updated, w);
            if (seen == w) return true;
            w = seen;
        }
        return false;
    }
}
