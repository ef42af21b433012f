using System.Runtime.CompilerServices;

namespace System.Threading
{
    /// <summary>Atomic operations. The JIT expands the <c>[Intrinsic]</c> ones to <c>lock cmpxchg</c>/<c>xchg</c>/<c>lock xadd</c>;
    /// the recursive bodies are never executed.</summary>
    public static class Interlocked
    {
        /// <summary>Compare and exchange.</summary>
        [Intrinsic] public static int CompareExchange(ref int location1, int value, int comparand) => CompareExchange(ref location1, value, comparand);
        /// <summary>Compare and exchange.</summary>
        [Intrinsic] public static long CompareExchange(ref long location1, long value, long comparand) => CompareExchange(ref location1, value, comparand);
        /// <summary>Compare and exchange.</summary>
        public static uint CompareExchange(ref uint location1, uint value, uint comparand) =>
            (uint)CompareExchange(ref Unsafe.As<uint, int>(ref location1), (int)value, (int)comparand);
        /// <summary>Compare and exchange.</summary>
        public static ulong CompareExchange(ref ulong location1, ulong value, ulong comparand) =>
            (ulong)CompareExchange(ref Unsafe.As<ulong, long>(ref location1), (long)value, (long)comparand);
        /// <summary>Exchange.</summary>
        [Intrinsic] public static int Exchange(ref int location1, int value) => Exchange(ref location1, value);
        /// <summary>Exchange.</summary>
        [Intrinsic] public static long Exchange(ref long location1, long value) => Exchange(ref location1, value);
        /// <summary>Exchange.</summary>
        public static uint Exchange(ref uint location1, uint value) => (uint)Exchange(ref Unsafe.As<uint, int>(ref location1), (int)value);
        /// <summary>Exchange.</summary>
        public static ulong Exchange(ref ulong location1, ulong value) => (ulong)Exchange(ref Unsafe.As<ulong, long>(ref location1), (long)value);
        /// <summary>Fetch and add.</summary>
        [Intrinsic] internal static int ExchangeAdd(ref int location1, int value) => ExchangeAdd(ref location1, value);
        /// <summary>Fetch and add.</summary>
        [Intrinsic] internal static long ExchangeAdd(ref long location1, long value) => ExchangeAdd(ref location1, value);
        /// <summary>Add and fetch.</summary>
        public static int Add(ref int location1, int value) => ExchangeAdd(ref location1, value) + value;
        /// <summary>Add and fetch.</summary>
        public static long Add(ref long location1, long value) => ExchangeAdd(ref location1, value) + value;
        /// <summary>Add and fetch.</summary>
        public static uint Add(ref uint location1, uint value) => (uint)Add(ref Unsafe.As<uint, int>(ref location1), (int)value);
        /// <summary>Add and fetch.</summary>
        public static ulong Add(ref ulong location1, ulong value) => (ulong)Add(ref Unsafe.As<ulong, long>(ref location1), (long)value);
        /// <summary>Increment.</summary>
        public static int Increment(ref int location) => Add(ref location, 1);
        /// <summary>Increment.</summary>
        public static long Increment(ref long location) => Add(ref location, 1);
        /// <summary>Increment.</summary>
        public static uint Increment(ref uint location) => Add(ref location, 1);
        /// <summary>Increment.</summary>
        public static ulong Increment(ref ulong location) => Add(ref location, 1);
        /// <summary>Decrement.</summary>
        public static int Decrement(ref int location) => Add(ref location, -1);
        /// <summary>Decrement.</summary>
        public static long Decrement(ref long location) => Add(ref location, -1);
        /// <summary>Full fence (<c>lock or</c> on x86, emitted by the JIT).</summary>
        [Intrinsic] public static void MemoryBarrier() => MemoryBarrier();
        /// <summary>Atomic read of a 64-bit value.</summary>
        public static long Read(ref readonly long location) => CompareExchange(ref Unsafe.AsRef(in location), 0, 0);
    }

    /// <summary>Volatile reads and writes: on x86-64 (TSO) plain loads/stores through volatile fields, which stop the
    /// compiler from caching or reordering them.</summary>
    public static class Volatile
    {
        private struct VolatileBoolean { public volatile bool Value; }
        private struct VolatileByte { public volatile byte Value; }
        private struct VolatileUInt16 { public volatile ushort Value; }
        private struct VolatileInt32 { public volatile int Value; }
        private struct VolatileUInt32 { public volatile uint Value; }
        private struct VolatileIntPtr { public volatile nint Value; }
        private struct VolatileUIntPtr { public volatile nuint Value; }

        /// <summary>Volatile read.</summary>
        public static bool Read(ref readonly bool location) => Unsafe.As<bool, VolatileBoolean>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref bool location, bool value) => Unsafe.As<bool, VolatileBoolean>(ref location).Value = value;
        /// <summary>Volatile read.</summary>
        public static byte Read(ref readonly byte location) => Unsafe.As<byte, VolatileByte>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref byte location, byte value) => Unsafe.As<byte, VolatileByte>(ref location).Value = value;
        /// <summary>Volatile read.</summary>
        public static ushort Read(ref readonly ushort location) => Unsafe.As<ushort, VolatileUInt16>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref ushort location, ushort value) => Unsafe.As<ushort, VolatileUInt16>(ref location).Value = value;
        /// <summary>Volatile read.</summary>
        public static int Read(ref readonly int location) => Unsafe.As<int, VolatileInt32>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref int location, int value) => Unsafe.As<int, VolatileInt32>(ref location).Value = value;
        /// <summary>Volatile read.</summary>
        public static uint Read(ref readonly uint location) => Unsafe.As<uint, VolatileUInt32>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref uint location, uint value) => Unsafe.As<uint, VolatileUInt32>(ref location).Value = value;
        /// <summary>Volatile read (64-bit loads are atomic on x86-64).</summary>
        public static long Read(ref readonly long location) => (long)Unsafe.As<long, VolatileIntPtr>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref long location, long value) => Unsafe.As<long, VolatileIntPtr>(ref location).Value = (nint)value;
        /// <summary>Volatile read.</summary>
        public static ulong Read(ref readonly ulong location) => (ulong)Unsafe.As<ulong, VolatileUIntPtr>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref ulong location, ulong value) => Unsafe.As<ulong, VolatileUIntPtr>(ref location).Value = (nuint)value;
        /// <summary>Volatile read.</summary>
        public static nint Read(ref readonly nint location) => Unsafe.As<nint, VolatileIntPtr>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref nint location, nint value) => Unsafe.As<nint, VolatileIntPtr>(ref location).Value = value;
        /// <summary>Volatile read.</summary>
        public static nuint Read(ref readonly nuint location) => Unsafe.As<nuint, VolatileUIntPtr>(ref Unsafe.AsRef(in location)).Value;
        /// <summary>Volatile write.</summary>
        public static void Write(ref nuint location, nuint value) => Unsafe.As<nuint, VolatileUIntPtr>(ref location).Value = value;
    }
}
