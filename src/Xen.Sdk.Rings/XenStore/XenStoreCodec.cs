using System;
using Xen.Sdk.Abi.Io;

namespace Xen.Sdk.Rings.XenStore;

/// <summary>
/// The XenStore wire format (xen/include/public/io/xs_wire.h): a 16-byte <c>struct xsd_sockmsg</c> header
/// (type, request id, transaction id, payload length) followed by at most <c>XENSTORE_PAYLOAD_MAX</c>
/// payload bytes, usually NUL-separated strings.
/// </summary>
public static class XenStoreCodec
{
    /// <summary>Largest encoded message: header plus <c>XENSTORE_PAYLOAD_MAX</c>.</summary>
    public const int MaxMessageSize = XenStoreMessageHeader.Size + Abi.Io.XenStore.PayloadMax;

    /// <summary>
    /// Encodes a message into <paramref name="destination"/>; false when the payload exceeds
    /// <c>XENSTORE_PAYLOAD_MAX</c> or the destination is too short.
    /// </summary>
    public static bool TryEncode(XenStoreMessageType type, uint requestId, uint transactionId, ReadOnlySpan<byte> payload, Span<byte> destination, out int written)
    {
        written = 0;
        if (payload.Length > Abi.Io.XenStore.PayloadMax || destination.Length < XenStoreMessageHeader.Size + payload.Length) return false;
        var h = new XenStoreMessageHeader { Type = (uint)type, RequestId = requestId, TransactionId = transactionId, Length = (uint)payload.Length };
        h.TryWrite(destination);
        payload.CopyTo(destination.Slice(XenStoreMessageHeader.Size));
        written = XenStoreMessageHeader.Size + payload.Length;
        return true;
    }

    /// <summary>
    /// Appends <paramref name="text"/> and, when <paramref name="terminate"/>, a NUL to a payload being built
    /// in <paramref name="payload"/> at <paramref name="position"/> (e.g. <c>path\0value</c> for <c>XS_WRITE</c>).
    /// </summary>
    public static bool TryAppend(Span<byte> payload, ref int position, ReadOnlySpan<byte> text, bool terminate)
    {
        int need = text.Length + (terminate ? 1 : 0);
        if (position < 0 || payload.Length - position < need) return false;
        text.CopyTo(payload.Slice(position));
        if (terminate) payload[position + text.Length] = 0;
        position += need;
        return true;
    }

    /// <summary>
    /// Decodes and validates a header: <see cref="RingError.MalformedMessage"/> when its length exceeds
    /// <c>XENSTORE_PAYLOAD_MAX</c>.
    /// </summary>
    public static RingError DecodeHeader(ReadOnlySpan<byte> source, out XenStoreMessageHeader header)
    {
        if (!XenStoreMessageHeader.TryRead(source, out header)) return RingError.InvalidSize;
        return header.Length > Abi.Io.XenStore.PayloadMax ? RingError.MalformedMessage : RingError.None;
    }

    /// <summary>The <paramref name="index"/>-th NUL-terminated (or final unterminated) field of a payload.</summary>
    public static bool TryGetField(ReadOnlySpan<byte> payload, int index, out ReadOnlySpan<byte> field)
    {
        field = default;
        for (int i = 0; i <= index; i++)
        {
            if (payload.IsEmpty) return false;
            int nul = payload.IndexOf((byte)0);
            ReadOnlySpan<byte> f = nul < 0 ? payload : payload.Slice(0, nul);
            if (i == index)
            {
                field = f;
                return true;
            }
            if (nul < 0) return false;
            payload = payload.Slice(nul + 1);
        }
        return false;
    }

    /// <summary>
    /// For an <c>XS_ERROR</c> reply, the errno its error-name payload stands for (<c>xsd_errors</c>). The payload
    /// is read as a C string (up to its first NUL), the way Linux's xenbus compares it with <c>strcmp</c>.
    /// </summary>
    public static bool TryGetErrno(in XenStoreMessageHeader header, ReadOnlySpan<byte> payload, out int errno)
    {
        errno = 0;
        if (header.MessageType != XenStoreMessageType.Error) return false;
        int nul = payload.IndexOf((byte)0);
        return XenStoreErrors.TryParse(nul < 0 ? payload : payload.Slice(0, nul), out errno);
    }

    /// <summary>
    /// Encodes the <c>XS_ERROR</c> reply a XenStore server sends for <paramref name="errno"/> (xenstored's
    /// <c>send_error</c>): the <c>xsd_errors</c> name with its terminating NUL as the payload; an errno the table
    /// does not have is sent as <c>EINVAL</c>, the table's first entry. False when the destination is too short.
    /// </summary>
    public static bool TryEncodeError(int errno, uint requestId, uint transactionId, Span<byte> destination, out int written)
    {
        int index = 0;
        for (int i = 0; i < XenStoreErrors.Count; i++)
        {
            if (XenStoreErrors.GetErrno(i) == errno)
            {
                index = i;
                break;
            }
        }
        ReadOnlySpan<byte> name = XenStoreErrors.GetName(index);
        written = 0;
        int need = XenStoreMessageHeader.Size + name.Length + 1;
        if (destination.Length < need) return false;
        var h = new XenStoreMessageHeader { Type = (uint)XenStoreMessageType.Error, RequestId = requestId, TransactionId = transactionId, Length = (uint)(name.Length + 1) };
        h.TryWrite(destination);
        name.CopyTo(destination.Slice(XenStoreMessageHeader.Size));
        destination[need - 1] = 0;
        written = need;
        return true;
    }
}

/// <summary>
/// Streaming reader of XenStore messages from a byte ring: accumulates a message across any number of
/// partial reads (a message may be split by the ring's wrap-around or written in several pieces, and may
/// be larger than the 1024-byte ring) into a caller-owned buffer of <see cref="XenStoreCodec.MaxMessageSize"/>
/// bytes; validates the header before reading the payload.
/// </summary>
/// <remarks>
/// The struct holds only the progress; pass the same buffer to every call for one message (allocate it once,
/// e.g. a byte array created at start-up, or stack memory in a loop that owns the reader). Keeping the
/// buffer outside the struct keeps it GC-safe on every target framework.
/// </remarks>
public struct XenStoreMessageReader
{
    private int _have;
    private int _length;
    private XenStoreMessageHeader _header;

    /// <summary>Whether a whole message is buffered (then see <see cref="Header"/> and <see cref="GetPayload"/>).</summary>
    public readonly bool IsComplete => _have >= XenStoreMessageHeader.Size && _have == XenStoreMessageHeader.Size + _length;

    /// <summary>The header of the buffered message (valid once the 16 header bytes arrived).</summary>
    public readonly XenStoreMessageHeader Header => _header;

    /// <summary>The payload of a complete message inside <paramref name="buffer"/> (a private copy: the peer cannot change it).</summary>
    public readonly ReadOnlySpan<byte> GetPayload(ReadOnlySpan<byte> buffer)
        => IsComplete && buffer.Length >= _have ? buffer.Slice(XenStoreMessageHeader.Size, _length) : default;

    /// <summary>
    /// Reads what is available, up to the end of the current message, into <paramref name="buffer"/> (at least
    /// <see cref="XenStoreCodec.MaxMessageSize"/> bytes, else <see cref="RingError.InvalidSize"/>);
    /// <paramref name="complete"/> true when a whole message is buffered. Call <see cref="Next"/> after handling
    /// it. A header announcing more than <c>XENSTORE_PAYLOAD_MAX</c> bytes yields <see cref="RingError.MalformedMessage"/>.
    /// </summary>
    public RingError Poll(ref ByteRingReader ring, Span<byte> buffer, out bool complete)
    {
        complete = false;
        if (buffer.Length < XenStoreCodec.MaxMessageSize) return RingError.InvalidSize;
        if (_have < XenStoreMessageHeader.Size) _length = 0;
        if (IsComplete)
        {
            complete = true;
            return RingError.None;
        }
        // At most two rounds: the header, then the payload it announces.
        for (int round = 0; round < 3; round++)
        {
            bool needHeader = _have < XenStoreMessageHeader.Size;
            int want = needHeader ? XenStoreMessageHeader.Size - _have : XenStoreMessageHeader.Size + _length - _have;
            RingError e = ring.Read(buffer.Slice(_have, want), out int got);
            if (e != RingError.None) return e;
            _have += got;
            if (got < want) return RingError.None;
            if (needHeader)
            {
                e = XenStoreCodec.DecodeHeader(buffer.Slice(0, XenStoreMessageHeader.Size), out _header);
                if (e != RingError.None)
                {
                    _have = 0;
                    return e;
                }
                _length = (int)_header.Length;
            }
            if (IsComplete)
            {
                complete = true;
                return RingError.None;
            }
        }
        return RingError.None;
    }

    /// <summary>Forgets the buffered message, ready for the next one.</summary>
    public void Next()
    {
        _have = 0;
        _length = 0;
        _header = default;
    }
}

/// <summary>
/// Streaming writer of one XenStore message at a time: encodes it into a caller-owned buffer, then
/// <see cref="Pump"/> moves as much as fits into the ring each time space appears (a message can be larger
/// than the ring). Pass the same buffer to every call for one message.
/// </summary>
public struct XenStoreMessageWriter
{
    private int _length;
    private int _sent;

    /// <summary>Whether a message is still (partly) unsent.</summary>
    public readonly bool IsBusy => _sent < _length;

    /// <summary>Starts a message, encoded into <paramref name="buffer"/>; false when one is still being sent, the payload is too long or the buffer too short.</summary>
    public bool TryBegin(XenStoreMessageType type, uint requestId, uint transactionId, ReadOnlySpan<byte> payload, Span<byte> buffer)
    {
        if (IsBusy) return false;
        if (!XenStoreCodec.TryEncode(type, requestId, transactionId, payload, buffer, out int n)) return false;
        _length = n;
        _sent = 0;
        return true;
    }

    /// <summary>Writes as much of the pending message in <paramref name="buffer"/> as fits; <paramref name="done"/> true once all of it was written.</summary>
    public RingError Pump(ref ByteRingWriter ring, ReadOnlySpan<byte> buffer, out bool done)
    {
        done = !IsBusy;
        if (done) return RingError.None;
        if (buffer.Length < _length) return RingError.InvalidSize;
        RingError e = ring.Write(buffer.Slice(_sent, _length - _sent), out int n);
        _sent += n;
        done = !IsBusy;
        return e;
    }
}
