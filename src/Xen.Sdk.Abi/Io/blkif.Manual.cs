using System;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>Ring-slot access for blkif backends that serve both 64-bit and 32-bit frontends.</summary>
public static partial class Blkif
{
    /// <summary>
    /// The bytes of ring slot <paramref name="index"/> (taken modulo <see cref="RingEntries"/>) of a one-page
    /// blkif shared ring laid out for <paramref name="abi"/>: 112-byte slots for x86_64 frontends, 108-byte
    /// slots for x86_32 ones (the frontend's XenStore <c>protocol</c> node tells which, see <see cref="IoProtocols"/>).
    /// </summary>
    /// <param name="ring">The shared ring page (<c>struct blkif_sring</c>), at least 4096 bytes.</param>
    /// <param name="index">A free-running request or response index.</param>
    /// <param name="abi"><see cref="XenArchitectures.X86_64"/> or <see cref="XenArchitectures.X86_32"/>.</param>
    /// <param name="slot">The slot's bytes (read a private copy from them with <c>TryRead</c>), or empty.</param>
    /// <returns><see langword="false"/> when <paramref name="abi"/> is not a single bitness or the page is short.</returns>
    public static bool TryGetSlot(ReadOnlySpan<byte> ring, uint index, XenArchitectures abi, out ReadOnlySpan<byte> slot)
    {
        int entry = EntrySize(abi);
        int offset = SharedRing.RingOffset + ((int)(index & (RingEntries - 1)) * entry);
        if (entry == 0 || ring.Length < offset + entry)
        {
            slot = default;
            return false;
        }

        slot = ring.Slice(offset, entry);
        return true;
    }

    /// <summary>The writable form of <see cref="TryGetSlot(ReadOnlySpan{byte}, uint, XenArchitectures, out ReadOnlySpan{byte})"/>, for producing responses.</summary>
    /// <param name="ring">The shared ring page, at least 4096 bytes.</param>
    /// <param name="index">A free-running request or response index.</param>
    /// <param name="abi"><see cref="XenArchitectures.X86_64"/> or <see cref="XenArchitectures.X86_32"/>.</param>
    /// <param name="slot">The slot's bytes, or empty.</param>
    /// <returns><see langword="false"/> when <paramref name="abi"/> is not a single bitness or the page is short.</returns>
    public static bool TryGetSlot(Span<byte> ring, uint index, XenArchitectures abi, out Span<byte> slot)
    {
        int entry = EntrySize(abi);
        int offset = SharedRing.RingOffset + ((int)(index & (RingEntries - 1)) * entry);
        if (entry == 0 || ring.Length < offset + entry)
        {
            slot = default;
            return false;
        }

        slot = ring.Slice(offset, entry);
        return true;
    }

    /// <summary>
    /// Reads the read/write request in slot <paramref name="index"/> once, into a private copy in the 64-bit
    /// representation (a 32-bit frontend's request is widened field by field). Validate the copy, never the
    /// ring (XSA-155). Other operations (<see cref="OpDiscard"/>, <see cref="OpIndirect"/>) share the slot: read
    /// the slot with the matching struct and bitness instead.
    /// </summary>
    /// <param name="ring">The shared ring page, at least 4096 bytes.</param>
    /// <param name="index">The free-running request index (<c>req_cons</c>).</param>
    /// <param name="abi">The frontend's bitness.</param>
    /// <param name="request">The private copy, or default.</param>
    /// <returns><see langword="false"/> when <paramref name="abi"/> is not a single bitness or the page is short.</returns>
    public static bool TryReadRequest(ReadOnlySpan<byte> ring, uint index, XenArchitectures abi, out BlkifRequest64 request)
    {
        if (!TryGetSlot(ring, index, abi, out ReadOnlySpan<byte> slot))
        {
            request = default;
            return false;
        }

        if (abi == XenArchitectures.X86_64)
        {
            return BlkifRequest64.TryRead(slot, out request);
        }

        bool ok = BlkifRequest32.TryRead(slot, out BlkifRequest32 narrow);
        request = narrow.Widen();
        return ok;
    }

    /// <summary>Writes a response into slot <paramref name="index"/> in the layout of <paramref name="abi"/>.</summary>
    /// <param name="ring">The shared ring page, at least 4096 bytes.</param>
    /// <param name="index">The free-running response index (<c>rsp_prod_pvt</c>).</param>
    /// <param name="abi">The frontend's bitness.</param>
    /// <param name="id">The request's <c>id</c>, echoed.</param>
    /// <param name="operation">The request's <c>operation</c>, echoed.</param>
    /// <param name="status">A <c>BLKIF_RSP_*</c> status (<see cref="RspOkay"/>, <see cref="RspError"/>, <see cref="RspEopnotsupp"/>).</param>
    /// <returns><see langword="false"/> when <paramref name="abi"/> is not a single bitness or the page is short.</returns>
    public static bool TryWriteResponse(Span<byte> ring, uint index, XenArchitectures abi, ulong id, byte operation, short status)
    {
        if (!TryGetSlot(ring, index, abi, out Span<byte> slot))
        {
            return false;
        }

        return abi == XenArchitectures.X86_64
            ? new BlkifResponse64 { Id = id, Operation = operation, Status = status }.TryWrite(slot)
            : new BlkifResponse32 { Id = id, Operation = operation, Status = status }.TryWrite(slot);
    }

    private static int EntrySize(XenArchitectures abi) => abi switch
    {
        XenArchitectures.X86_64 => BlkifSringEntry64.Size,
        XenArchitectures.X86_32 => BlkifSringEntry32.Size,
        _ => 0,
    };
}

/// <summary>Conversion of a 32-bit frontend's request to the 64-bit representation.</summary>
public partial struct BlkifRequest32
{
    /// <summary>The same request in the x86_64 layout (every field and segment copied; no information is lost).</summary>
    /// <returns>The widened request.</returns>
    public readonly BlkifRequest64 Widen()
    {
        var wide = new BlkifRequest64
        {
            Operation = Operation,
            NrSegments = NrSegments,
            Handle = Handle,
            Id = Id,
            SectorNumber = SectorNumber,
        };
        SegBuffer segments = Seg;
        for (int i = 0; i < SegBuffer.Length; i++)
        {
            wide.Seg[i] = segments[i];
        }

        return wide;
    }
}
