// Primitive types: each wraps one field of itself, as the ECMA-335 type system requires.
namespace System
{
    /// <summary>The <c>bool</c> primitive.</summary>
    public readonly struct Boolean : IEquatable<bool>
    {
        private readonly bool m_value;
        /// <summary>Value equality.</summary>
        public bool Equals(bool obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is bool v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => m_value ? 1 : 0;
    }
    /// <summary>The <c>char</c> primitive.</summary>
    public readonly struct Char : IEquatable<char>, IComparable<char>
    {
        private readonly char m_value;
        /// <summary>Largest value.</summary>
        public const char MaxValue = '\uffff';
        /// <summary>Smallest value.</summary>
        public const char MinValue = '\0';
        /// <summary>Value equality.</summary>
        public bool Equals(char obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is char v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value;
        /// <summary>Ordering.</summary>
        public int CompareTo(char value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>sbyte</c> primitive.</summary>
    public readonly struct SByte : IEquatable<sbyte>, IComparable<sbyte>
    {
        private readonly sbyte m_value;
        /// <summary>Largest value.</summary>
        public const sbyte MaxValue = 127;
        /// <summary>Smallest value.</summary>
        public const sbyte MinValue = -128;
        /// <summary>Value equality.</summary>
        public bool Equals(sbyte obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is sbyte v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value;
        /// <summary>Ordering.</summary>
        public int CompareTo(sbyte value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>byte</c> primitive.</summary>
    public readonly struct Byte : IEquatable<byte>, IComparable<byte>
    {
        private readonly byte m_value;
        /// <summary>Largest value.</summary>
        public const byte MaxValue = 255;
        /// <summary>Smallest value.</summary>
        public const byte MinValue = 0;
        /// <summary>Value equality.</summary>
        public bool Equals(byte obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is byte v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value;
        /// <summary>Ordering.</summary>
        public int CompareTo(byte value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>short</c> primitive.</summary>
    public readonly struct Int16 : IEquatable<short>, IComparable<short>
    {
        private readonly short m_value;
        /// <summary>Largest value.</summary>
        public const short MaxValue = 32767;
        /// <summary>Smallest value.</summary>
        public const short MinValue = -32768;
        /// <summary>Value equality.</summary>
        public bool Equals(short obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is short v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value;
        /// <summary>Ordering.</summary>
        public int CompareTo(short value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>ushort</c> primitive.</summary>
    public readonly struct UInt16 : IEquatable<ushort>, IComparable<ushort>
    {
        private readonly ushort m_value;
        /// <summary>Largest value.</summary>
        public const ushort MaxValue = 65535;
        /// <summary>Smallest value.</summary>
        public const ushort MinValue = 0;
        /// <summary>Value equality.</summary>
        public bool Equals(ushort obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is ushort v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value;
        /// <summary>Ordering.</summary>
        public int CompareTo(ushort value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>int</c> primitive.</summary>
    public readonly struct Int32 : IEquatable<int>, IComparable<int>
    {
        private readonly int m_value;
        /// <summary>Largest value.</summary>
        public const int MaxValue = 2147483647;
        /// <summary>Smallest value.</summary>
        public const int MinValue = -2147483648;
        /// <summary>Value equality.</summary>
        public bool Equals(int obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is int v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value;
        /// <summary>Ordering.</summary>
        public int CompareTo(int value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>uint</c> primitive.</summary>
    public readonly struct UInt32 : IEquatable<uint>, IComparable<uint>
    {
        private readonly uint m_value;
        /// <summary>Largest value.</summary>
        public const uint MaxValue = 4294967295;
        /// <summary>Smallest value.</summary>
        public const uint MinValue = 0;
        /// <summary>Value equality.</summary>
        public bool Equals(uint obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is uint v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value;
        /// <summary>Ordering.</summary>
        public int CompareTo(uint value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>long</c> primitive.</summary>
    public readonly struct Int64 : IEquatable<long>, IComparable<long>
    {
        private readonly long m_value;
        /// <summary>Largest value.</summary>
        public const long MaxValue = 9223372036854775807;
        /// <summary>Smallest value.</summary>
        public const long MinValue = -9223372036854775808;
        /// <summary>Value equality.</summary>
        public bool Equals(long obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is long v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value ^ (int)(m_value >> 32);
        /// <summary>Ordering.</summary>
        public int CompareTo(long value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>ulong</c> primitive.</summary>
    public readonly struct UInt64 : IEquatable<ulong>, IComparable<ulong>
    {
        private readonly ulong m_value;
        /// <summary>Largest value.</summary>
        public const ulong MaxValue = 18446744073709551615;
        /// <summary>Smallest value.</summary>
        public const ulong MinValue = 0;
        /// <summary>Value equality.</summary>
        public bool Equals(ulong obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is ulong v && v == m_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)m_value ^ (int)(m_value >> 32);
        /// <summary>Ordering.</summary>
        public int CompareTo(ulong value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>float</c> primitive.</summary>
    public readonly struct Single : IEquatable<float>, IComparable<float>
    {
        private readonly float m_value;
        /// <summary>Value equality.</summary>
        public bool Equals(float obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is float v && v == m_value;
        /// <summary>Hash of the bits.</summary>
        public override unsafe int GetHashCode() { float v = m_value; return *(int*)&v; }
        /// <summary>Ordering.</summary>
        public int CompareTo(float value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>The <c>double</c> primitive.</summary>
    public readonly struct Double : IEquatable<double>, IComparable<double>
    {
        /// <summary>NaN test.</summary>
        public static unsafe bool IsNaN(double d) => (*(ulong*)&d & 0x7FFFFFFFFFFFFFFFUL) > 0x7FF0000000000000UL;
        private readonly double m_value;
        /// <summary>Value equality.</summary>
        public bool Equals(double obj) => m_value == obj;
        /// <summary>Value equality with a boxed value.</summary>
        public override bool Equals(object obj) => obj is double v && v == m_value;
        /// <summary>Hash of the bits.</summary>
        public override unsafe int GetHashCode() { double v = m_value; return (int)*(long*)&v ^ (int)(*(long*)&v >> 32); }
        /// <summary>Ordering.</summary>
        public int CompareTo(double value) => m_value < value ? -1 : m_value > value ? 1 : 0;
    }
    /// <summary>Pointer-sized signed integer.</summary>
    public readonly unsafe struct IntPtr : IEquatable<nint>
    {
        private readonly void* _value;
        /// <summary>Zero.</summary>
        public static readonly nint Zero;
        /// <summary>Creates from an int.</summary>
        public IntPtr(int value) { _value = (void*)value; }
        /// <summary>Creates from a long.</summary>
        public IntPtr(long value) { _value = (void*)value; }
        /// <summary>Creates from a pointer.</summary>
        public IntPtr(void* value) { _value = value; }
        /// <summary>Size in bytes.</summary>
        public static int Size => 8;
        /// <summary>Pointer.</summary>
        public void* ToPointer() => _value;
        /// <summary>Value.</summary>
        public long ToInt64() => (long)_value;
        /// <summary>Value equality.</summary>
        public bool Equals(nint other) => (nint)_value == other;
        /// <summary>Value equality.</summary>
        public override bool Equals(object obj) => obj is nint v && v == (nint)_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)(long)_value ^ (int)((long)_value >> 32);
        /// <summary>Conversion.</summary>
        public static explicit operator IntPtr(int value) => new IntPtr(value);
        /// <summary>Conversion.</summary>
        public static explicit operator IntPtr(long value) => new IntPtr(value);
        /// <summary>Conversion.</summary>
        public static explicit operator IntPtr(void* value) => new IntPtr(value);
        /// <summary>Conversion.</summary>
        public static explicit operator void*(IntPtr value) => value._value;
        /// <summary>Conversion.</summary>
        public static explicit operator long(IntPtr value) => (long)value._value;
        /// <summary>Conversion.</summary>
        public static explicit operator int(IntPtr value) => (int)(long)value._value;
        /// <summary>Equality.</summary>
        public static bool operator ==(IntPtr a, IntPtr b) => a._value == b._value;
        /// <summary>Inequality.</summary>
        public static bool operator !=(IntPtr a, IntPtr b) => a._value != b._value;
    }

    /// <summary>Pointer-sized unsigned integer.</summary>
    public readonly unsafe struct UIntPtr : IEquatable<nuint>
    {
        private readonly void* _value;
        /// <summary>Zero.</summary>
        public static readonly nuint Zero;
        /// <summary>Creates from a uint.</summary>
        public UIntPtr(uint value) { _value = (void*)value; }
        /// <summary>Creates from a ulong.</summary>
        public UIntPtr(ulong value) { _value = (void*)value; }
        /// <summary>Creates from a pointer.</summary>
        public UIntPtr(void* value) { _value = value; }
        /// <summary>Size in bytes.</summary>
        public static int Size => 8;
        /// <summary>Pointer.</summary>
        public void* ToPointer() => _value;
        /// <summary>Value.</summary>
        public ulong ToUInt64() => (ulong)_value;
        /// <summary>Value equality.</summary>
        public bool Equals(nuint other) => (nuint)_value == other;
        /// <summary>Value equality.</summary>
        public override bool Equals(object obj) => obj is nuint v && v == (nuint)_value;
        /// <summary>Hash.</summary>
        public override int GetHashCode() => (int)(ulong)_value ^ (int)((ulong)_value >> 32);
        /// <summary>Conversion.</summary>
        public static explicit operator UIntPtr(uint value) => new UIntPtr(value);
        /// <summary>Conversion.</summary>
        public static explicit operator UIntPtr(ulong value) => new UIntPtr(value);
        /// <summary>Conversion.</summary>
        public static explicit operator UIntPtr(void* value) => new UIntPtr(value);
        /// <summary>Conversion.</summary>
        public static explicit operator void*(UIntPtr value) => value._value;
        /// <summary>Conversion.</summary>
        public static explicit operator ulong(UIntPtr value) => (ulong)value._value;
        /// <summary>Equality.</summary>
        public static bool operator ==(UIntPtr a, UIntPtr b) => a._value == b._value;
        /// <summary>Inequality.</summary>
        public static bool operator !=(UIntPtr a, UIntPtr b) => a._value != b._value;
    }
}
