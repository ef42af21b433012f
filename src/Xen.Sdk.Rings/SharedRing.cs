using System;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Rings;

/// <summary>
/// Shared-ring layout arithmetic and initialisation (<c>SHARED_RING_INIT</c>, <c>__RING_SIZE</c>,
/// xen/include/public/io/ring.h).
/// </summary>
public static unsafe class SharedRing
{
    /// <summary>The Xen ring page size (<c>XEN_PAGE_SIZE</c>), whatever the OS page size.</summary>
    public const int PageSize = 4096;

    /// <summary><c>XEN_PAGE_SHIFT</c>.</summary>
    public const int PageShift = 12;

    /// <summary>
    /// Size in bytes of one ring entry, <c>sizeof(union __name##_sring_entry)</c>: the larger of the two
    /// structs, rounded up to the larger alignment (as a C union is).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EntrySize<TRequest, TResponse>()
        where TRequest : unmanaged
        where TResponse : unmanaged
    {
        // Only Unsafe.SizeOf arithmetic: the JIT folds the whole expression to a constant per instantiation.
        int size = Math.Max(Unsafe.SizeOf<TRequest>(), Unsafe.SizeOf<TResponse>());
        int align = Math.Max(AlignmentOf<TRequest>(), AlignmentOf<TResponse>());
        return (size + align - 1) & -align;
    }

    /// <summary>
    /// The natural alignment of an unmanaged struct (what C's <c>_Alignof</c> gives for the same fields):
    /// <c>sizeof({ byte; T })</c> is the alignment of T plus <c>sizeof(T)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AlignmentOf<T>()
        where T : unmanaged
        => Unsafe.SizeOf<AlignProbe<T>>() - Unsafe.SizeOf<T>();

    /// <summary>
    /// Number of entries of a ring occupying <paramref name="bytes"/> bytes (header included): the largest
    /// power of two of entries that fit after the 64-byte header (<c>__RING_SIZE</c>). 0 if none fits.
    /// </summary>
    public static uint EntryCount(nuint bytes, int entrySize)
    {
        if (entrySize <= 0 || bytes < (nuint)(SharedRingHeader.EntriesOffset + entrySize)) return 0;
        ulong n = ((ulong)bytes - SharedRingHeader.EntriesOffset) / (ulong)entrySize;
        if (n > 0x8000_0000UL) n = 0x8000_0000UL; // a 32-bit RING_IDX cannot tell more entries apart
        return RoundDownPowerOfTwo((uint)n);
    }

    /// <summary>Number of entries for a request/response pair in <paramref name="bytes"/> bytes.</summary>
    public static uint EntryCount<TRequest, TResponse>(nuint bytes)
        where TRequest : unmanaged
        where TResponse : unmanaged
        => EntryCount(bytes, EntrySize<TRequest, TResponse>());

    /// <summary>
    /// <c>SHARED_RING_INIT</c>: producers 0, events 1, the private and padding bytes zeroed. Entries are
    /// left as they are.
    /// </summary>
    public static void Initialize(void* sring)
    {
        // SAFETY: the caller owns at least the 64-byte header at sring.
        SharedRingHeader* h = (SharedRingHeader*)sring;
        h->RequestProducer = 0;
        h->ResponseProducer = 0;
        h->RequestEvent = 1;
        h->ResponseEvent = 1;
        new Span<byte>((byte*)sring + 16, 48).Clear();
    }

    internal static uint RoundDownPowerOfTwo(uint x)
    {
        if (x == 0) return 0;
        uint r = 1;
        while ((x >>= 1) != 0) r <<= 1;
        return r;
    }

#pragma warning disable CS0649 // never written: only its size matters
    private struct AlignProbe<T>
        where T : unmanaged
    {
        public byte Pad;
        public T Value;
    }
#pragma warning restore CS0649
}
