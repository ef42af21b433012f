using System;

namespace Xen.Sdk.Rings;

/// <summary>
/// The flex byte-ring helpers of <c>DEFINE_XEN_FLEX_RING</c> (xen/include/public/io/ring.h):
/// <c>name_mask</c>, <c>name_read_packet</c>, <c>name_write_packet</c>, <c>name_queued</c> and
/// <c>XEN_FLEX_RING_SIZE</c>, with every offset bounded by the span instead of trusted.
/// </summary>
public static class FlexRing
{
    /// <summary><c>XEN_FLEX_RING_SIZE(order)</c>: bytes of each of the two rings of a <c>2^order</c>-page allocation. 0 for an order above 20.</summary>
    public static uint RingSize(uint order) => order > 20 ? 0 : 1u << (int)(order + SharedRing.PageShift - 1);

    /// <summary><c>name_mask</c>: <c>idx &amp; (ring_size - 1)</c>.</summary>
    public static uint Mask(uint index, uint ringSize) => index & (ringSize - 1);

    /// <summary><c>name_queued</c>: bytes between <paramref name="cons"/> and <paramref name="prod"/> (a full ring is <paramref name="ringSize"/>).</summary>
    public static uint Queued(uint prod, uint cons, uint ringSize)
    {
        if (prod == cons) return 0;
        prod = Mask(prod, ringSize);
        cons = Mask(cons, ringSize);
        if (prod == cons) return ringSize;
        return prod > cons ? prod - cons : ringSize - (cons - prod);
    }

    /// <summary>
    /// <c>name_write_packet</c>: copies <paramref name="packet"/> to <paramref name="ring"/> at
    /// <paramref name="maskedProd"/>, wrapping at the end, and advances <paramref name="maskedProd"/>
    /// (masked). False (nothing written) when the packet is larger than the ring, the ring is not a power of two
    /// or <paramref name="maskedProd"/> is outside it. Free space is the caller's check, as in C.
    /// </summary>
    public static bool WritePacket(Span<byte> ring, ReadOnlySpan<byte> packet, ref uint maskedProd)
    {
        uint size = (uint)ring.Length;
        if (size == 0 || (size & (size - 1)) != 0 || maskedProd >= size || (uint)packet.Length > size) return false;
        uint first = size - maskedProd;
        if ((uint)packet.Length <= first)
        {
            packet.CopyTo(ring.Slice((int)maskedProd));
        }
        else
        {
            packet.Slice(0, (int)first).CopyTo(ring.Slice((int)maskedProd));
            packet.Slice((int)first).CopyTo(ring);
        }
        maskedProd = Mask(maskedProd + (uint)packet.Length, size);
        return true;
    }

    /// <summary><c>name_read_packet</c>: the mirror of <see cref="WritePacket"/>, advancing <paramref name="maskedCons"/>.</summary>
    public static bool ReadPacket(ReadOnlySpan<byte> ring, Span<byte> packet, ref uint maskedCons)
    {
        uint size = (uint)ring.Length;
        if (size == 0 || (size & (size - 1)) != 0 || maskedCons >= size || (uint)packet.Length > size) return false;
        uint first = size - maskedCons;
        if ((uint)packet.Length <= first)
        {
            ring.Slice((int)maskedCons, packet.Length).CopyTo(packet);
        }
        else
        {
            ring.Slice((int)maskedCons, (int)first).CopyTo(packet);
            ring.Slice(0, packet.Length - (int)first).CopyTo(packet.Slice((int)first));
        }
        maskedCons = Mask(maskedCons + (uint)packet.Length, size);
        return true;
    }
}
