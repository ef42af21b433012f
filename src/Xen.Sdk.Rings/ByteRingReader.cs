using System;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings;

/// <summary>
/// The consumer end of a Xen byte ring (console, XenStore, flex rings). The consumer index is kept
/// privately; bytes are copied out once (no double fetch); a producer index that runs more than
/// <see cref="Size"/> ahead (or behind the consumer) is reported as <see cref="RingError.ProducerOverflow"/>.
/// </summary>
/// <remarks>A mutable struct: call its methods on the storage that holds it.</remarks>
public unsafe struct ByteRingReader
{
    private byte* _data;
    private uint* _cons;
    private uint* _prod;
    private uint _size;
    private uint _consPvt;
    private RingError _error;

    /// <summary>
    /// Creates a reader over <paramref name="size"/> bytes at <paramref name="data"/> (a power of two) with the
    /// shared indices at <paramref name="consumer"/> and <paramref name="producer"/>; the private consumer
    /// index starts at <paramref name="startIndex"/> (normally the current shared <c>cons</c>, read once).
    /// </summary>
    public static bool TryCreate(byte* data, uint size, uint* consumer, uint* producer, uint startIndex, out ByteRingReader reader)
    {
        reader = default;
        if (data == null || consumer == null || producer == null || size == 0 || (size & (size - 1)) != 0 || size > 0x8000_0000u)
            return false;
        reader._data = data;
        reader._size = size;
        reader._cons = consumer;
        reader._prod = producer;
        reader._consPvt = startIndex;
        return true;
    }

    /// <summary>Ring size in bytes.</summary>
    public readonly uint Size => _size;

    /// <summary>The private (and last published) consumer index.</summary>
    public readonly uint Consumer => _consPvt;

    /// <summary>The first inconsistency seen in the producer's index, or <see cref="RingError.None"/>.</summary>
    public readonly RingError Error => _error;

    /// <summary>Unread bytes (<c>prod - cons</c>), validated against the ring size.</summary>
    public RingError Available(out uint count)
    {
        count = 0;
        if (_error != RingError.None) return _error;
        // xen_rmb() (acquire): the bytes are read only after prod.
        uint prod = Atomic.ReadAcquire(_prod);
        uint n = prod - _consPvt;
        if (n > _size)
        {
            _error = RingError.ProducerOverflow;
            return _error;
        }
        count = n;
        return RingError.None;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length unread bytes out without consuming them.</summary>
    public RingError Peek(Span<byte> destination, out int read)
    {
        read = 0;
        RingError e = Available(out uint avail);
        if (e != RingError.None) return e;
        int n = destination.Length < (long)avail ? destination.Length : (int)avail;
        CopyOut(destination.Slice(0, n));
        read = n;
        return RingError.None;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length unread bytes out and consumes them.</summary>
    public RingError Read(Span<byte> destination, out int read)
    {
        RingError e = Peek(destination, out read);
        if (e == RingError.None && read != 0) Consume((uint)read);
        return e;
    }

    /// <summary>Consumes <paramref name="count"/> bytes (already peeked): publishes the new <c>cons</c>. False if fewer are available.</summary>
    public bool Skip(uint count)
    {
        if (Available(out uint avail) != RingError.None || count > avail) return false;
        if (count != 0) Consume(count);
        return true;
    }

    private void CopyOut(Span<byte> dst)
    {
        if (dst.Length == 0) return;
        uint at = _consPvt & (_size - 1);
        uint first = _size - at;
        // SAFETY: at < size; both pieces stay inside [data, data + size).
        var ring = new ReadOnlySpan<byte>(_data, (int)_size);
        if ((uint)dst.Length <= first)
        {
            ring.Slice((int)at, dst.Length).CopyTo(dst);
        }
        else
        {
            ring.Slice((int)at, (int)first).CopyTo(dst);
            ring.Slice(0, dst.Length - (int)first).CopyTo(dst.Slice((int)first));
        }
    }

    private void Consume(uint count)
    {
        _consPvt += count;
        // xen_mb() in the C consumers (e.g. xencons): the bytes must be fully read before the producer sees
        // the new cons and reuses the space; a release store orders our earlier loads before it.
        Atomic.WriteRelease(_cons, _consPvt);
    }
}
