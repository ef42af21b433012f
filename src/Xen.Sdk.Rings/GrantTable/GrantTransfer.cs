using Xen.Sdk.Abi;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings.GrantTable;

/// <summary>
/// The page-transfer protocol on the 32-bit <c>flags | domid &lt;&lt; 16</c> header word that grant entries
/// v1 and v2 share (<c>struct grant_entry_header</c>, xen/include/public/grant_table.h). Transfers use the
/// entry header in both versions (v2's status array is only for access grants); they differ only in where
/// the transferred frame goes (v1 <c>frame</c>, 32 bits; v2 <c>full_page.frame</c>, 64 bits), which the
/// callers pass as a pointer.
/// <code>
///  guest   Offer:   domid, then (release) flags = GTF_accept_transfer
///  xen     Commit:  cmpxchg flags|domid: exactly accept_transfer from the sender -> | GTF_transfer_committed
///  xen     Complete: frame, then | GTF_transfer_completed
///  guest   End:     not committed -> cmpxchg flags to 0 (reclaimed); committed, not completed -> in progress;
///                   completed -> frame read after the flags, then flags = 0
/// </code>
/// </summary>
internal static unsafe class GrantTransfer
{
    private const uint Committed = (uint)GrantEntryFlags.TransferCommitted;
    private const uint Completed = (uint)GrantEntryFlags.TransferCompleted;

    public static void Offer(uint* header, DomainId domain)
    {
        ((ushort*)header)[1] = domain.Value; // domid, offset 2 of the header
        // xen_wmb(): domid before flags; Xen must never see accept_transfer with a stale domid.
        Atomic.WriteRelease((ushort*)header, (ushort)GrantEntryFlags.AcceptTransfer);
    }

    public static GrantStatus Commit(uint* header, DomainId sender)
    {
        uint w = Atomic.ReadAcquire(header);
        for (int attempt = 0; ; attempt++)
        {
            if ((w & 0xFFFF) != (uint)GrantEntryFlags.AcceptTransfer || (w >> 16) != sender.Value) return GrantStatus.PermissionDenied;
            uint seen = Atomic.CompareExchange(header, w | Committed, w);
            if (seen == w) return GrantStatus.Okay;
            if (attempt == GrantTableV1.MaxRetries) return GrantStatus.GeneralError; // "shared grant entry is unstable"
            w = seen;
        }
    }

    public static void Complete<TFrame>(uint* header, TFrame* frameField, TFrame frame)
        where TFrame : unmanaged
    {
        *frameField = frame;
        // xen_wmb() before the flag: the locked OR is a full barrier, so a guest that sees
        // GTF_transfer_completed (acquire) reads the new frame.
        Atomic.Or32(header, Completed);
    }

    /// <summary>Ends a transfer offer; on completion copies the frame (after the flags) and frees the entry.</summary>
    public static GrantTransferState End<TFrame>(uint* header, TFrame* frameField, out TFrame frame)
        where TFrame : unmanaged
    {
        frame = default;
        GrantTransferState state = End(header);
        if (state != GrantTransferState.Completed) return state;
        // xen_rmb(): the frame is read after GTF_transfer_completed (End's acquire load or locked
        // compare-exchange of the header comes first; loads are not reordered before it).
        frame = *frameField;
        Atomic.WriteRelease((ushort*)header, 0); // flags = 0: the entry is free again (after the frame read)
        return GrantTransferState.Completed;
    }

    private static GrantTransferState End(uint* header)
    {
        uint w = Atomic.ReadAcquire(header);
        for (int i = 0; i <= GrantTableV1.MaxRetries * 16 && (w & Committed) == 0; i++)
        {
            uint seen = Atomic.CompareExchange(header, w & 0xFFFF_0000u, w);
            if (seen == w) return GrantTransferState.NotTransferred;
            w = seen;
        }
        // Committed: the guest must not touch the entry until Xen sets GTF_transfer_completed.
        if ((w & Committed) == 0 || (w & Completed) == 0) return GrantTransferState.InProgress;
        return GrantTransferState.Completed;
    }
}
