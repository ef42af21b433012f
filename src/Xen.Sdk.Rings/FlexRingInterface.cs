namespace Xen.Sdk.Rings;

/// <summary>
/// The indexes page of <c>DEFINE_XEN_FLEX_RING_AND_INTF</c> (<c>struct name##_data_intf</c>,
/// xen/include/public/io/ring.h) and the two data rings it describes: <c>in</c> is the first half of the
/// <c>2^ring_order</c>-page data allocation and <c>out</c> the second half, each
/// <c>XEN_FLEX_RING_SIZE(ring_order)</c> bytes.
/// </summary>
/// <remarks>
/// <code>
/// offset   0  in_cons, 4 in_prod      (uint32, free-running)
/// offset   8  pad1[56]
/// offset  64  out_cons, 68 out_prod
/// offset  72  pad2[56]
/// offset 128  ring_order
/// offset 132  ref[] (grant_ref_t of each data page)
/// </code>
/// Which side produces <c>in</c> and <c>out</c> is protocol-specific (e.g. pvcalls: <c>in</c> is written by the
/// backend); pick the matching Attach method.
/// </remarks>
public static unsafe class FlexRingInterface
{
    /// <summary>Offset of <c>in_cons</c>.</summary>
    public const int InConsOffset = 0;
    /// <summary>Offset of <c>in_prod</c>.</summary>
    public const int InProdOffset = 4;
    /// <summary>Offset of <c>out_cons</c>.</summary>
    public const int OutConsOffset = 64;
    /// <summary>Offset of <c>out_prod</c>.</summary>
    public const int OutProdOffset = 68;
    /// <summary>Offset of <c>ring_order</c>.</summary>
    public const int RingOrderOffset = 128;
    /// <summary>Offset of the flexible array <c>ref[]</c>.</summary>
    public const int RefOffset = 132;

    /// <summary>
    /// Reads <c>ring_order</c> once from the (peer-written) indexes page and validates it against
    /// <paramref name="maxOrder"/>; <see cref="RingError.InvalidSize"/> when it is larger.
    /// </summary>
    public static RingError ReadRingOrder(byte* intf, uint maxOrder, out uint order)
    {
        order = Internal.Atomic.ReadAcquire((uint*)(intf + RingOrderOffset));
        if (order > maxOrder || FlexRing.RingSize(order) == 0)
        {
            order = 0;
            return RingError.InvalidSize;
        }
        return RingError.None;
    }

    /// <summary>A reader of <c>in</c> (data = the whole allocation), from the current <c>in_cons</c>.</summary>
    public static bool TryAttachInReader(byte* intf, byte* data, uint order, out ByteRingReader reader)
        => ByteRingReader.TryCreate(data, FlexRing.RingSize(order), (uint*)(intf + InConsOffset), (uint*)(intf + InProdOffset),
                                    Internal.Atomic.ReadAcquire((uint*)(intf + InConsOffset)), out reader);

    /// <summary>A writer of <c>in</c>, from the current <c>in_prod</c>.</summary>
    public static bool TryAttachInWriter(byte* intf, byte* data, uint order, out ByteRingWriter writer)
        => ByteRingWriter.TryCreate(data, FlexRing.RingSize(order), (uint*)(intf + InConsOffset), (uint*)(intf + InProdOffset),
                                    Internal.Atomic.ReadAcquire((uint*)(intf + InProdOffset)), out writer);

    /// <summary>A reader of <c>out</c> (the second half of the allocation), from the current <c>out_cons</c>.</summary>
    public static bool TryAttachOutReader(byte* intf, byte* data, uint order, out ByteRingReader reader)
    {
        uint size = FlexRing.RingSize(order);
        return ByteRingReader.TryCreate(data == null ? null : data + size, size, (uint*)(intf + OutConsOffset), (uint*)(intf + OutProdOffset),
                                        Internal.Atomic.ReadAcquire((uint*)(intf + OutConsOffset)), out reader);
    }

    /// <summary>A writer of <c>out</c>, from the current <c>out_prod</c>.</summary>
    public static bool TryAttachOutWriter(byte* intf, byte* data, uint order, out ByteRingWriter writer)
    {
        uint size = FlexRing.RingSize(order);
        return ByteRingWriter.TryCreate(data == null ? null : data + size, size, (uint*)(intf + OutConsOffset), (uint*)(intf + OutProdOffset),
                                        Internal.Atomic.ReadAcquire((uint*)(intf + OutProdOffset)), out writer);
    }
}
