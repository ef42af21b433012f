using System.Runtime.CompilerServices;

namespace System.Collections.Generic
{
    /// <summary>Equality comparer used by compiler-generated record equality. ilc replaces <c>Create</c> with a
    /// <c>newobj</c> of the exact comparer for T (its comparer intrinsics), so comparisons of primitives, enums and
    /// IEquatable structs never box.</summary>
    public abstract class EqualityComparer<T>
    {
        /// <summary>The comparer for T.</summary>
        public static EqualityComparer<T> Default { [Intrinsic] get; } = Create();

        [Intrinsic]
        private static EqualityComparer<T> Create()
        {
            Internal.Runtime.KernelHooks.FailFast("EqualityComparer<T>.Create not expanded by the compiler");
            return null;
        }

        /// <summary>Equality.</summary>
        public abstract bool Equals(T x, T y);

        /// <summary>Hash.</summary>
        public abstract int GetHashCode(T obj);
    }

    /// <summary>Comparer for types implementing IEquatable of themselves.</summary>
    public sealed class GenericEqualityComparer<T> : EqualityComparer<T> where T : IEquatable<T>
    {
        /// <summary>Equality.</summary>
        public override bool Equals(T x, T y)
        {
            if (x != null) return y != null && x.Equals(y);
            return y == null;
        }

        /// <summary>Hash.</summary>
        public override int GetHashCode(T obj) => obj == null ? 0 : obj.GetHashCode();
    }

    /// <summary>Comparer falling back to <see cref="object.Equals(object)"/>.</summary>
    public sealed class ObjectEqualityComparer<T> : EqualityComparer<T>
    {
        /// <summary>Equality.</summary>
        public override bool Equals(T x, T y)
        {
            if (x != null) return y != null && x.Equals(y);
            return y == null;
        }

        /// <summary>Hash.</summary>
        public override int GetHashCode(T obj) => obj == null ? 0 : obj.GetHashCode();
    }

    /// <summary>Comparer for enums: compares the underlying bits without boxing.</summary>
    public sealed class EnumEqualityComparer<T> : EqualityComparer<T> where T : struct, Enum
    {
        /// <summary>Equality.</summary>
        public override bool Equals(T x, T y) => Unsafe.SizeOf<T>() switch
        {
            1 => Unsafe.As<T, byte>(ref x) == Unsafe.As<T, byte>(ref y),
            2 => Unsafe.As<T, ushort>(ref x) == Unsafe.As<T, ushort>(ref y),
            4 => Unsafe.As<T, uint>(ref x) == Unsafe.As<T, uint>(ref y),
            _ => Unsafe.As<T, ulong>(ref x) == Unsafe.As<T, ulong>(ref y),
        };

        /// <summary>Hash.</summary>
        public override int GetHashCode(T obj) => Unsafe.SizeOf<T>() switch
        {
            1 => Unsafe.As<T, byte>(ref obj),
            2 => Unsafe.As<T, ushort>(ref obj),
            4 => (int)Unsafe.As<T, uint>(ref obj),
            _ => Unsafe.As<T, ulong>(ref obj).GetHashCode(),
        };
    }

    /// <summary>Comparer for nullable values.</summary>
    public sealed class NullableEqualityComparer<T> : EqualityComparer<T?> where T : struct, IEquatable<T>
    {
        /// <summary>Equality.</summary>
        public override bool Equals(T? x, T? y)
        {
            if (x.HasValue) return y.HasValue && x.value.Equals(y.value);
            return !y.HasValue;
        }

        /// <summary>Hash.</summary>
        public override int GetHashCode(T? obj) => obj.HasValue ? obj.value.GetHashCode() : 0;
    }

    /// <summary>Ordinal string comparer.</summary>
    public sealed class StringEqualityComparer : EqualityComparer<string>
    {
        /// <summary>Equality.</summary>
        public override bool Equals(string x, string y) => string.Equals(x, y);

        /// <summary>Hash.</summary>
        public override int GetHashCode(string obj) => obj == null ? 0 : obj.GetHashCode();
    }
}

namespace System.Numerics
{
    /// <summary>Bit operations (portable implementations; the kernel targets the baseline x86-64 instruction set).</summary>
    public static class BitOperations
    {
        /// <summary>Population count.</summary>
        public static int PopCount(ulong value)
        {
            value -= (value >> 1) & 0x5555555555555555UL;
            value = (value & 0x3333333333333333UL) + ((value >> 2) & 0x3333333333333333UL);
            value = (value + (value >> 4)) & 0x0F0F0F0F0F0F0F0FUL;
            return (int)((value * 0x0101010101010101UL) >> 56);
        }

        /// <summary>Population count.</summary>
        public static int PopCount(uint value) => PopCount((ulong)value);

        /// <summary>Trailing zero count (64 for zero).</summary>
        public static int TrailingZeroCount(ulong value)
        {
            if (value == 0) return 64;
            int n = 0;
            while ((value & 1) == 0) { value >>= 1; n++; }
            return n;
        }

        /// <summary>Trailing zero count (32 for zero).</summary>
        public static int TrailingZeroCount(uint value) => value == 0 ? 32 : TrailingZeroCount((ulong)value);

        /// <summary>Trailing zero count (32 for zero).</summary>
        public static int TrailingZeroCount(int value) => TrailingZeroCount((uint)value);

        /// <summary>Trailing zero count (64 for zero).</summary>
        public static int TrailingZeroCount(long value) => TrailingZeroCount((ulong)value);

        /// <summary>Leading zero count (64 for zero).</summary>
        public static int LeadingZeroCount(ulong value)
        {
            if (value == 0) return 64;
            int n = 0;
            while ((value & 0x8000000000000000UL) == 0) { value <<= 1; n++; }
            return n;
        }

        /// <summary>Leading zero count (32 for zero).</summary>
        public static int LeadingZeroCount(uint value) => LeadingZeroCount((ulong)value) - 32;

        /// <summary>Floor of log2 (0 for zero).</summary>
        public static int Log2(ulong value) => value == 0 ? 0 : 63 - LeadingZeroCount(value);

        /// <summary>Floor of log2 (0 for zero).</summary>
        public static int Log2(uint value) => Log2((ulong)value);

        /// <summary>Power of two.</summary>
        public static bool IsPow2(ulong value) => value != 0 && (value & (value - 1)) == 0;

        /// <summary>Power of two.</summary>
        public static bool IsPow2(uint value) => value != 0 && (value & (value - 1)) == 0;

        /// <summary>Power of two.</summary>
        public static bool IsPow2(int value) => value > 0 && (value & (value - 1)) == 0;

        /// <summary>Power of two.</summary>
        public static bool IsPow2(long value) => value > 0 && (value & (value - 1)) == 0;

        /// <summary>Rotate.</summary>
        public static ulong RotateLeft(ulong value, int offset) => (value << offset) | (value >> (64 - offset));

        /// <summary>Rotate.</summary>
        public static uint RotateLeft(uint value, int offset) => (value << offset) | (value >> (32 - offset));

        /// <summary>Rotate.</summary>
        public static ulong RotateRight(ulong value, int offset) => (value >> offset) | (value << (64 - offset));

        /// <summary>Rotate.</summary>
        public static uint RotateRight(uint value, int offset) => (value >> offset) | (value << (32 - offset));

        /// <summary>Round up to a power of two.</summary>
        public static ulong RoundUpToPowerOf2(ulong value)
        {
            --value;
            value |= value >> 1; value |= value >> 2; value |= value >> 4; value |= value >> 8; value |= value >> 16; value |= value >> 32;
            return value + 1;
        }

        /// <summary>Round up to a power of two.</summary>
        public static uint RoundUpToPowerOf2(uint value) => (uint)RoundUpToPowerOf2((ulong)value);
    }
}
