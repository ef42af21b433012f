using System;
using System.Runtime.CompilerServices;
using Xen.Sdk.Rings.Internal;

namespace Xen.Sdk.Rings;

/// <summary>
/// The producer end of a Xen byte ring: a power-of-two byte buffer with free-running 32-bit
/// <c>cons</c>/<c>prod</c> indices, as used by the console (<c>xencons_interface</c>), XenStore
/// (<c>xenstore_domain_interface</c>) and the flex rings (<c>DEFINE_XEN_FLEX_RING</c>,
/// xen/include/public/io/ring.h). The producer index is kept privately; the shared copy is only written.
/// </summary>
/// <remarks>
/// A mutable struct: call its methods on the storage that holds it. A consumer index more than <see cref="Size"/>
/// behind or past the produced bytes is reported as <see cref="RingError.ConsumerOverflow"/> (sticky in
/// <see cref="Error"/>).
/// </remarks>
public unsafe struct ByteRingWriter
{
    private byte* _data;
    private uint* _cons;
    private uint* _prod;
    private uint _size;
    private uint _prodPvt;
    private RingError _error;

    /// <summary>
    /// Creates a writer over <paramref name="size"/> bytes at <paramref name="data"/> (a power of two) with
    /// the shared indices at <paramref name="consumer"/> and <paramref name="producer"/>. The private producer
    /// index starts at <paramref name="startIndex"/> (normally the current shared <c>prod</c>, read once).
    /// </summary>
    public static bool TryCreate(byte* data, uint size, uint* consumer, uint* producer, uint startIndex, out ByteRingWriter writer)
    {
        writer = default;
        if (data == null || consumer == null || producer == null || size == 0 || (size & (size - 1)) != 0 || size > 0x8000_0000u)
            return false;
        writer._data = data;
        writer._size = size;
        writer._cons = consumer;
        writer._prod = producer;
        writer._prodPvt = startIndex;
        return true;
    }

    /// <summary>Ring size in bytes.</summary>
    public readonly uint Size => _size;

    /// <summary>The private (and last published) producer index.</summary>
    public readonly uint Producer => _prodPvt;

    /// <summary>The first inconsistency seen in the consumer's index, or <see cref="RingError.None"/>.</summary>
    public readonly RingError Error => _error;

    /// <summary>Free bytes, from the consumer index read now; validated (<c>prod - cons &lt;= size</c>).</summary>
    public RingError FreeSpace(out uint free)
    {
        free = 0;
        if (_error != RingError.None) return _error;
        // Acquire: the consumer finished reading the bytes before it published cons, so we may overwrite them.
        uint cons = Atomic.ReadAcquire(_cons);
        uint used = _prodPvt - cons;
        // cons past prod wraps `used` above size; cons more than size behind is equally impossible.
        if (used > _size)
        {
            _error = RingError.ConsumerOverflow;
            return _error;
        }
        free = _size - used;
        return RingError.None;
    }

    /// <summary>
    /// Writes as much of <paramref name="source"/> as fits (a partial write when the ring is nearly full) and
    /// publishes it. <paramref name="written"/> is the number of bytes taken.
    /// </summary>
    public RingError Write(ReadOnlySpan<byte> source, out int written)
    {
        written = 0;
        RingError e = FreeSpace(out uint free);
        if (e != RingError.None) return e;
        int n = source.Length < (long)free ? source.Length : (int)free;
        if (n == 0) return RingError.None;
        Copy(source.Slice(0, n));
        written = n;
        return RingError.None;
    }

    /// <summary>Writes all of <paramref name="source"/> or nothing; false (nothing written) when it does not fit now or on error.</summary>
    public bool TryWriteAll(ReadOnlySpan<byte> source)
    {
        if (FreeSpace(out uint free) != RingError.None || (uint)source.Length > free) return false;
        if (source.Length != 0) Copy(source);
        return true;
    }

    private void Copy(ReadOnlySpan<byte> src)
    {
        uint mask = _size - 1;
        uint at = _prodPvt & mask;
        uint first = _size - at;
        // SAFETY: at < size and both pieces stay inside [data, data + size): first piece at..size, second 0..rest.
        var ring = new Span<byte>(_data, (int)_size);
        if ((uint)src.Length <= first)
        {
            src.CopyTo(ring.Slice((int)at));
        }
        else
        {
            src.Slice(0, (int)first).CopyTo(ring.Slice((int)at));
            src.Slice((int)first).CopyTo(ring);
        }
        _prodPvt += (uint)src.Length;
        // xen_wmb(): the consumer must see the bytes before the new prod (release store).
        Atomic.WriteRelease(_prod, _prodPvt);
    }
}
