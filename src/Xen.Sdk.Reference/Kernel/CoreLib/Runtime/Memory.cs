using System.Runtime.CompilerServices;

namespace System.Runtime.InteropServices
{
    /// <summary>Span and array reinterpretation (the freestanding subset of the BCL type).</summary>
    public static unsafe class MemoryMarshal
    {
        /// <summary>Reference to element 0 of an array.</summary>
        [Intrinsic]
        public static ref T GetArrayDataReference<T>(T[] array) => ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data);

        /// <summary>Reference to element 0 of a span.</summary>
        public static ref T GetReference<T>(Span<T> span) => ref span._reference;

        /// <summary>Reference to element 0 of a span.</summary>
        public static ref T GetReference<T>(ReadOnlySpan<T> span) => ref span._reference;

        /// <summary>Span from a reference and a length.</summary>
        public static Span<T> CreateSpan<T>(scoped ref T reference, int length) => new Span<T>(ref Unsafe.AsRef(ref reference), length);

        /// <summary>Span from a reference and a length.</summary>
        public static ReadOnlySpan<T> CreateReadOnlySpan<T>(scoped ref readonly T reference, int length) =>
            new ReadOnlySpan<T>(ref Unsafe.AsRef(in reference), length);

        /// <summary>Bytes of a span of unmanaged elements.</summary>
        public static Span<byte> AsBytes<T>(Span<T> span) where T : struct =>
            new Span<byte>(ref Unsafe.As<T, byte>(ref span._reference), checked(span.Length * Unsafe.SizeOf<T>()));

        /// <summary>Bytes of a span of unmanaged elements.</summary>
        public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> span) where T : struct =>
            new ReadOnlySpan<byte>(ref Unsafe.As<T, byte>(ref span._reference), checked(span.Length * Unsafe.SizeOf<T>()));

        /// <summary>Reinterprets a span.</summary>
        public static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> span) where TFrom : struct where TTo : struct =>
            new Span<TTo>(ref Unsafe.As<TFrom, TTo>(ref span._reference), (int)((ulong)(uint)span.Length * (ulong)Unsafe.SizeOf<TFrom>() / (ulong)Unsafe.SizeOf<TTo>()));

        /// <summary>Reinterprets a span.</summary>
        public static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> span) where TFrom : struct where TTo : struct =>
            new ReadOnlySpan<TTo>(ref Unsafe.As<TFrom, TTo>(ref span._reference), (int)((ulong)(uint)span.Length * (ulong)Unsafe.SizeOf<TFrom>() / (ulong)Unsafe.SizeOf<TTo>()));

        /// <summary>Reads a struct from the start of a span (fails fast when too short).</summary>
        public static T Read<T>(ReadOnlySpan<byte> source) where T : struct
        {
            if (Unsafe.SizeOf<T>() > source.Length) ThrowHelper.ThrowArgumentOutOfRangeException();
            return Unsafe.ReadUnaligned<T>(ref source._reference);
        }

        /// <summary>Reads a struct when the span is long enough.</summary>
        public static bool TryRead<T>(ReadOnlySpan<byte> source, out T value) where T : struct
        {
            if (Unsafe.SizeOf<T>() > source.Length) { value = default; return false; }
            value = Unsafe.ReadUnaligned<T>(ref source._reference);
            return true;
        }

        /// <summary>Writes a struct at the start of a span (fails fast when too short).</summary>
        public static void Write<T>(Span<byte> destination, in T value) where T : struct
        {
            if (Unsafe.SizeOf<T>() > destination.Length) ThrowHelper.ThrowArgumentOutOfRangeException();
            Unsafe.WriteUnaligned(ref destination._reference, value);
        }

        /// <summary>Writes a struct when the span is long enough.</summary>
        public static bool TryWrite<T>(Span<byte> destination, in T value) where T : struct
        {
            if (Unsafe.SizeOf<T>() > destination.Length) return false;
            Unsafe.WriteUnaligned(ref destination._reference, value);
            return true;
        }

        /// <summary>Reference to a struct at the start of a span.</summary>
        public static ref T AsRef<T>(Span<byte> span) where T : struct
        {
            if (Unsafe.SizeOf<T>() > span.Length) ThrowHelper.ThrowArgumentOutOfRangeException();
            return ref Unsafe.As<byte, T>(ref span._reference);
        }

        /// <summary>Reference to a struct at the start of a span.</summary>
        public static ref readonly T AsRef<T>(ReadOnlySpan<byte> span) where T : struct
        {
            if (Unsafe.SizeOf<T>() > span.Length) ThrowHelper.ThrowArgumentOutOfRangeException();
            return ref Unsafe.As<byte, T>(ref span._reference);
        }
    }
}

namespace System.Buffers.Binary
{
    using System.Runtime.CompilerServices;

    /// <summary>Endian-explicit reads and writes (x86 is little-endian).</summary>
    public static class BinaryPrimitives
    {
        /// <summary>Byte swap.</summary>
        public static ushort ReverseEndianness(ushort value) => (ushort)((value >> 8) | (value << 8));
        /// <summary>Byte swap.</summary>
        public static short ReverseEndianness(short value) => (short)ReverseEndianness((ushort)value);
        /// <summary>Byte swap.</summary>
        public static uint ReverseEndianness(uint value) =>
            (value >> 24) | ((value >> 8) & 0xFF00u) | ((value << 8) & 0xFF0000u) | (value << 24);
        /// <summary>Byte swap.</summary>
        public static int ReverseEndianness(int value) => (int)ReverseEndianness((uint)value);
        /// <summary>Byte swap.</summary>
        public static ulong ReverseEndianness(ulong value) =>
            ((ulong)ReverseEndianness((uint)value) << 32) | ReverseEndianness((uint)(value >> 32));
        /// <summary>Byte swap.</summary>
        public static long ReverseEndianness(long value) => (long)ReverseEndianness((ulong)value);
        /// <summary>Byte swap.</summary>
        public static byte ReverseEndianness(byte value) => value;

        private static void Check(int length, int size) { if (length < size) ThrowHelper.ThrowArgumentOutOfRangeException(); }

        /// <summary>Read.</summary>
        public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> s) { Check(s.Length, 2); return Unsafe.ReadUnaligned<ushort>(ref s._reference); }
        /// <summary>Read.</summary>
        public static short ReadInt16LittleEndian(ReadOnlySpan<byte> s) { Check(s.Length, 2); return Unsafe.ReadUnaligned<short>(ref s._reference); }
        /// <summary>Read.</summary>
        public static uint ReadUInt32LittleEndian(ReadOnlySpan<byte> s) { Check(s.Length, 4); return Unsafe.ReadUnaligned<uint>(ref s._reference); }
        /// <summary>Read.</summary>
        public static int ReadInt32LittleEndian(ReadOnlySpan<byte> s) { Check(s.Length, 4); return Unsafe.ReadUnaligned<int>(ref s._reference); }
        /// <summary>Read.</summary>
        public static ulong ReadUInt64LittleEndian(ReadOnlySpan<byte> s) { Check(s.Length, 8); return Unsafe.ReadUnaligned<ulong>(ref s._reference); }
        /// <summary>Read.</summary>
        public static long ReadInt64LittleEndian(ReadOnlySpan<byte> s) { Check(s.Length, 8); return Unsafe.ReadUnaligned<long>(ref s._reference); }
        /// <summary>Read.</summary>
        public static ushort ReadUInt16BigEndian(ReadOnlySpan<byte> s) => ReverseEndianness(ReadUInt16LittleEndian(s));
        /// <summary>Read.</summary>
        public static uint ReadUInt32BigEndian(ReadOnlySpan<byte> s) => ReverseEndianness(ReadUInt32LittleEndian(s));
        /// <summary>Read.</summary>
        public static ulong ReadUInt64BigEndian(ReadOnlySpan<byte> s) => ReverseEndianness(ReadUInt64LittleEndian(s));
        /// <summary>Write.</summary>
        public static void WriteUInt16LittleEndian(Span<byte> d, ushort v) { Check(d.Length, 2); Unsafe.WriteUnaligned(ref d._reference, v); }
        /// <summary>Write.</summary>
        public static void WriteInt16LittleEndian(Span<byte> d, short v) { Check(d.Length, 2); Unsafe.WriteUnaligned(ref d._reference, v); }
        /// <summary>Write.</summary>
        public static void WriteUInt32LittleEndian(Span<byte> d, uint v) { Check(d.Length, 4); Unsafe.WriteUnaligned(ref d._reference, v); }
        /// <summary>Write.</summary>
        public static void WriteInt32LittleEndian(Span<byte> d, int v) { Check(d.Length, 4); Unsafe.WriteUnaligned(ref d._reference, v); }
        /// <summary>Write.</summary>
        public static void WriteUInt64LittleEndian(Span<byte> d, ulong v) { Check(d.Length, 8); Unsafe.WriteUnaligned(ref d._reference, v); }
        /// <summary>Write.</summary>
        public static void WriteInt64LittleEndian(Span<byte> d, long v) { Check(d.Length, 8); Unsafe.WriteUnaligned(ref d._reference, v); }
        /// <summary>Write.</summary>
        public static void WriteUInt16BigEndian(Span<byte> d, ushort v) => WriteUInt16LittleEndian(d, ReverseEndianness(v));
        /// <summary>Write.</summary>
        public static void WriteUInt32BigEndian(Span<byte> d, uint v) => WriteUInt32LittleEndian(d, ReverseEndianness(v));
        /// <summary>Write.</summary>
        public static void WriteUInt64BigEndian(Span<byte> d, ulong v) => WriteUInt64LittleEndian(d, ReverseEndianness(v));
        /// <summary>Try read.</summary>
        public static bool TryReadUInt16LittleEndian(ReadOnlySpan<byte> s, out ushort v) { if (s.Length < 2) { v = 0; return false; } v = Unsafe.ReadUnaligned<ushort>(ref s._reference); return true; }
        /// <summary>Try read.</summary>
        public static bool TryReadUInt32LittleEndian(ReadOnlySpan<byte> s, out uint v) { if (s.Length < 4) { v = 0; return false; } v = Unsafe.ReadUnaligned<uint>(ref s._reference); return true; }
        /// <summary>Try read.</summary>
        public static bool TryReadUInt64LittleEndian(ReadOnlySpan<byte> s, out ulong v) { if (s.Length < 8) { v = 0; return false; } v = Unsafe.ReadUnaligned<ulong>(ref s._reference); return true; }
        /// <summary>Try write.</summary>
        public static bool TryWriteUInt16LittleEndian(Span<byte> d, ushort v) { if (d.Length < 2) return false; Unsafe.WriteUnaligned(ref d._reference, v); return true; }
        /// <summary>Try write.</summary>
        public static bool TryWriteUInt32LittleEndian(Span<byte> d, uint v) { if (d.Length < 4) return false; Unsafe.WriteUnaligned(ref d._reference, v); return true; }
        /// <summary>Try write.</summary>
        public static bool TryWriteUInt64LittleEndian(Span<byte> d, ulong v) { if (d.Length < 8) return false; Unsafe.WriteUnaligned(ref d._reference, v); return true; }
    }
}

namespace System
{
    using System.Runtime.CompilerServices;

    /// <summary>Block memory operations.</summary>
    public static unsafe class Buffer
    {
        /// <summary>Copies bytes between possibly overlapping regions.</summary>
        public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
        {
            if (sourceBytesToCopy > destinationSizeInBytes) ThrowHelper.ThrowArgumentOutOfRangeException();
            SpanHelpers.Memmove(ref *(byte*)destination, ref *(byte*)source, (nuint)sourceBytesToCopy);
        }

        internal static void Memmove<T>(ref T destination, ref T source, nuint elementCount)
        {
            SpanHelpers.Memmove(ref Unsafe.As<T, byte>(ref destination), ref Unsafe.As<T, byte>(ref source), elementCount * (nuint)Unsafe.SizeOf<T>());
        }

        // ilc: copies of structs holding references (no GC here, so no write barrier is needed).
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
            => SpanHelpers.Memmove(ref destination, ref source, byteCount);
    }

    internal static unsafe class SpanHelpers
    {
        // The loops below are simple byte/qword loops; the kernel moves little data outside page copies.
        internal static void Memmove(ref byte destination, ref byte source, nuint len)
        {
            byte* d = (byte*)Unsafe.AsPointer(ref destination);
            byte* s = (byte*)Unsafe.AsPointer(ref source);
            if (d == s || len == 0) return;
            if (d < s || d >= s + len)
            {
                nuint i = 0;
                for (; i + 8 <= len; i += 8) *(ulong*)(d + i) = *(ulong*)(s + i);
                for (; i < len; i++) d[i] = s[i];
            }
            else
            {
                nuint i = len;
                while (i >= 8) { i -= 8; *(ulong*)(d + i) = *(ulong*)(s + i); }
                while (i > 0) { i--; d[i] = s[i]; }
            }
        }

        internal static void MemCopy(ref byte destination, ref byte source, nuint len) => Memmove(ref destination, ref source, len);

        internal static void ClearWithoutReferences(ref byte b, nuint byteLength) => Fill(ref b, 0, byteLength);

        internal static void MemZero(ref byte b, nuint byteLength) => Fill(ref b, 0, byteLength);

        internal static void MemSet(ref byte b, byte value, nuint byteLength) => Fill(ref b, value, byteLength);

        internal static void Fill(ref byte b, byte value, nuint len)
        {
            byte* d = (byte*)Unsafe.AsPointer(ref b);
            ulong v = value * 0x0101010101010101UL;
            nuint i = 0;
            for (; i + 8 <= len; i += 8) *(ulong*)(d + i) = v;
            for (; i < len; i++) d[i] = value;
        }
    }
}
