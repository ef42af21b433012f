using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace System
{
    /// <summary>A contiguous region of memory (ref struct: a managed reference and a length).</summary>
    [NonVersionable]
    public readonly ref struct Span<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        /// <summary>Span over an array.</summary>
        public Span(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref MemoryMarshal.GetArrayDataReference(array);
            _length = array.Length;
        }

        /// <summary>Span over part of an array.</summary>
        public Span(T[] array, int start, int length)
        {
            if (array == null) { if (start != 0 || length != 0) ThrowHelper.ThrowArgumentOutOfRangeException(); this = default; return; }
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length) ThrowHelper.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)(uint)start);
            _length = length;
        }

        /// <summary>Span over unmanaged memory.</summary>
        public unsafe Span(void* pointer, int length)
        {
            if (length < 0) ThrowHelper.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        /// <summary>Span of one element.</summary>
        public Span(ref T reference) { _reference = ref reference; _length = 1; }

        internal Span(ref T reference, int length) { _reference = ref reference; _length = length; }

        /// <summary>An element (bounds checked).</summary>
        public ref T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelper.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        /// <summary>Element count.</summary>
        public int Length { [Intrinsic] get => _length; }

        /// <summary>True when empty.</summary>
        public bool IsEmpty => _length == 0;

        /// <summary>The empty span.</summary>
        public static Span<T> Empty => default;

        /// <summary>Reference to element 0 (or null reference when empty), for <c>fixed</c>.</summary>
        public ref T GetPinnableReference()
        {
            ref T ret = ref Unsafe.NullRef<T>();
            if (_length != 0) ret = ref _reference;
            return ref ret;
        }

        /// <summary>Zeroes the span.</summary>
        public void Clear()
        {
            SpanHelpers.ClearWithoutReferences(ref Unsafe.As<T, byte>(ref _reference), (nuint)(uint)_length * (nuint)Unsafe.SizeOf<T>());
        }

        /// <summary>Fills the span.</summary>
        public void Fill(T value)
        {
            for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, i) = value;
        }

        /// <summary>Copies into a destination at least as long; fails fast otherwise.</summary>
        public void CopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length) ThrowHelper.ThrowArgumentException();
            Buffer.Memmove(ref destination._reference, ref _reference, (nuint)(uint)_length);
        }

        /// <summary>Copies when the destination is long enough.</summary>
        public bool TryCopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length) return false;
            Buffer.Memmove(ref destination._reference, ref _reference, (nuint)(uint)_length);
            return true;
        }

        /// <summary>Slice from an index.</summary>
        public Span<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelper.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        /// <summary>Slice.</summary>
        public Span<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length) ThrowHelper.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        /// <summary>Read-only view.</summary>
        public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);

        /// <summary>Array conversion.</summary>
        public static implicit operator Span<T>(T[] array) => new Span<T>(array);

        /// <summary>Struct enumerator.</summary>
        public Enumerator GetEnumerator() => new Enumerator(this);

        /// <summary>Struct enumerator.</summary>
        public ref struct Enumerator
        {
            private readonly Span<T> _span;
            private int _index;
            internal Enumerator(Span<T> span) { _span = span; _index = -1; }
            /// <summary>Advances.</summary>
            public bool MoveNext() { int i = _index + 1; if (i < _span.Length) { _index = i; return true; } return false; }
            /// <summary>Current element.</summary>
            public ref T Current => ref _span[_index];
        }

        /// <summary>Not supported on spans.</summary>
        public override bool Equals(object obj) => false;

        /// <summary>Not supported on spans.</summary>
        public override int GetHashCode() => 0;

        /// <summary>Reference equality of two spans.</summary>
        public static bool operator ==(Span<T> left, Span<T> right) => left._length == right._length && Unsafe.AreSame(ref left._reference, ref right._reference);

        /// <summary>Reference inequality of two spans.</summary>
        public static bool operator !=(Span<T> left, Span<T> right) => !(left == right);
    }

    /// <summary>A read-only contiguous region of memory.</summary>
    [NonVersionable]
    public readonly ref struct ReadOnlySpan<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        /// <summary>Span over an array.</summary>
        public ReadOnlySpan(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref MemoryMarshal.GetArrayDataReference(array);
            _length = array.Length;
        }

        /// <summary>Span over part of an array.</summary>
        public ReadOnlySpan(T[] array, int start, int length)
        {
            if (array == null) { if (start != 0 || length != 0) ThrowHelper.ThrowArgumentOutOfRangeException(); this = default; return; }
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length) ThrowHelper.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)(uint)start);
            _length = length;
        }

        /// <summary>Span over unmanaged memory.</summary>
        public unsafe ReadOnlySpan(void* pointer, int length)
        {
            if (length < 0) ThrowHelper.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        /// <summary>Span of one element.</summary>
        public ReadOnlySpan(ref readonly T reference) { _reference = ref Unsafe.AsRef(in reference); _length = 1; }

        internal ReadOnlySpan(ref T reference, int length) { _reference = ref reference; _length = length; }

        /// <summary>An element (bounds checked).</summary>
        public ref readonly T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelper.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        /// <summary>Element count.</summary>
        public int Length { [Intrinsic] get => _length; }

        /// <summary>True when empty.</summary>
        public bool IsEmpty => _length == 0;

        /// <summary>The empty span.</summary>
        public static ReadOnlySpan<T> Empty => default;

        /// <summary>Reference to element 0 (or null reference when empty), for <c>fixed</c>.</summary>
        public ref readonly T GetPinnableReference()
        {
            ref T ret = ref Unsafe.NullRef<T>();
            if (_length != 0) ret = ref _reference;
            return ref ret;
        }

        /// <summary>Copies into a destination at least as long; fails fast otherwise.</summary>
        public void CopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length) ThrowHelper.ThrowArgumentException();
            Buffer.Memmove(ref destination._reference, ref _reference, (nuint)(uint)_length);
        }

        /// <summary>Copies when the destination is long enough.</summary>
        public bool TryCopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length) return false;
            Buffer.Memmove(ref destination._reference, ref _reference, (nuint)(uint)_length);
            return true;
        }

        /// <summary>Slice from an index.</summary>
        public ReadOnlySpan<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelper.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        /// <summary>Slice.</summary>
        public ReadOnlySpan<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length) ThrowHelper.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        /// <summary>Array conversion.</summary>
        public static implicit operator ReadOnlySpan<T>(T[] array) => new ReadOnlySpan<T>(array);

        /// <summary>Struct enumerator.</summary>
        public Enumerator GetEnumerator() => new Enumerator(this);

        /// <summary>Struct enumerator.</summary>
        public ref struct Enumerator
        {
            private readonly ReadOnlySpan<T> _span;
            private int _index;
            internal Enumerator(ReadOnlySpan<T> span) { _span = span; _index = -1; }
            /// <summary>Advances.</summary>
            public bool MoveNext() { int i = _index + 1; if (i < _span.Length) { _index = i; return true; } return false; }
            /// <summary>Current element.</summary>
            public ref readonly T Current => ref _span[_index];
        }

        /// <summary>Not supported on spans.</summary>
        public override bool Equals(object obj) => false;

        /// <summary>Not supported on spans.</summary>
        public override int GetHashCode() => 0;

        /// <summary>Reference equality of two spans.</summary>
        public static bool operator ==(ReadOnlySpan<T> left, ReadOnlySpan<T> right) => left._length == right._length && Unsafe.AreSame(ref left._reference, ref right._reference);

        /// <summary>Reference inequality of two spans.</summary>
        public static bool operator !=(ReadOnlySpan<T> left, ReadOnlySpan<T> right) => !(left == right);
    }

    /// <summary>Span extension methods the SDK uses (the freestanding subset of <c>System.MemoryExtensions</c>).</summary>
    public static class MemoryExtensions
    {
        /// <summary>Span over an array.</summary>
        public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);

        /// <summary>Span over part of an array.</summary>
        public static Span<T> AsSpan<T>(this T[] array, int start) => new Span<T>(array, start, array.Length - start);

        /// <summary>Span over part of an array.</summary>
        public static Span<T> AsSpan<T>(this T[] array, int start, int length) => new Span<T>(array, start, length);

        /// <summary>Characters of a string.</summary>
        public static ReadOnlySpan<char> AsSpan(this string text) => text;

        /// <summary>Bytewise equality of two spans of unmanaged elements.</summary>
        public static bool SequenceEqual<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> other) where T : unmanaged, IEquatable<T>
        {
            if (span.Length != other.Length) return false;
            for (int i = 0; i < span.Length; i++) if (!span[i].Equals(other[i])) return false;
            return true;
        }

        /// <summary>Bytewise equality of two spans of unmanaged elements.</summary>
        public static bool SequenceEqual<T>(this Span<T> span, ReadOnlySpan<T> other) where T : unmanaged, IEquatable<T>
            => SequenceEqual((ReadOnlySpan<T>)span, other);

        /// <summary>First index of a value, or -1.</summary>
        public static int IndexOf<T>(this ReadOnlySpan<T> span, T value) where T : unmanaged, IEquatable<T>
        {
            for (int i = 0; i < span.Length; i++) if (span[i].Equals(value)) return i;
            return -1;
        }

        /// <summary>First index of a value, or -1.</summary>
        public static int IndexOf<T>(this Span<T> span, T value) where T : unmanaged, IEquatable<T> => IndexOf((ReadOnlySpan<T>)span, value);
    }
}
