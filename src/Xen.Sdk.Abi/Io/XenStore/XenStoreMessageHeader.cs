using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// <c>struct xsd_sockmsg</c>: the 16-byte header in front of every XenStore message on the ring or socket
/// (xen/io/xs_wire.h). <see cref="Length"/> payload bytes follow, usually NUL-terminated strings; a payload
/// may not exceed <see cref="XenStore.PayloadMax"/> bytes. Identical for 64-bit and 32-bit guests.
/// </summary>
[CType("struct xsd_sockmsg", "xen/io/xs_wire.h")]
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct XenStoreMessageHeader
{
    /// <summary><c>sizeof(struct xsd_sockmsg)</c>.</summary>
    public const int Size = 16;

    /// <summary><c>_Alignof</c> of the C type (the same for x86_64 and x86_32).</summary>
    public const int Alignment = 4;

    /// <summary><c>type</c>: the operation (<c>XS_???</c>), raw; see <see cref="MessageType"/>.</summary>
    [CField("type")]
    [FieldOffset(0)]
    public uint Type;

    /// <summary><c>req_id</c>: request identifier chosen by the client, echoed in the daemon's reply.</summary>
    [CField("req_id")]
    [FieldOffset(4)]
    public uint RequestId;

    /// <summary><c>tx_id</c>: transaction id, 0 when the request is not part of a transaction.</summary>
    [CField("tx_id")]
    [FieldOffset(8)]
    public uint TransactionId;

    /// <summary><c>len</c>: number of payload bytes following this header.</summary>
    [CField("len")]
    [FieldOffset(12)]
    public uint Length;

    /// <summary><see cref="Type"/> as a <see cref="XenStoreMessageType"/> (values outside the enum are kept as they are).</summary>
    public XenStoreMessageType MessageType
    {
        readonly get => (XenStoreMessageType)Type;
        set => Type = (uint)value;
    }

    /// <summary>
    /// Copies a <c>XenStoreMessageHeader</c> out of <paramref name="source"/> (for example guest memory) into a private value.
    /// Read shared memory once this way, then validate and use only the copy (XSA-155).
    /// </summary>
    /// <param name="source">At least <see cref="Size"/> bytes; only the first <see cref="Size"/> are read.</param>
    /// <param name="value">The copy, or <see langword="default"/> when <paramref name="source"/> is too short.</param>
    /// <returns><see langword="false"/> when <paramref name="source"/> is shorter than <see cref="Size"/>.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out XenStoreMessageHeader value)
    {
        if (source.Length < Size)
        {
            value = default;
            return false;
        }

        // SAFETY: the struct is unmanaged with Size bytes and source holds at least Size bytes; the read is
        // unaligned-tolerant and the target is little-endian x86 like the guest.
        value = Unsafe.ReadUnaligned<XenStoreMessageHeader>(ref MemoryMarshal.GetReference(source));
        return true;
    }

    /// <summary>Writes this value's <see cref="Size"/> bytes to the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    /// <returns><see langword="false"/> (and nothing written) when <paramref name="destination"/> is shorter than <see cref="Size"/>.</returns>
    public readonly bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        // SAFETY: destination holds at least Size bytes; the write is unaligned-tolerant.
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(destination), this);
        return true;
    }
}
