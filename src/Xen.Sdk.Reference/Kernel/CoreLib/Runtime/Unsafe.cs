namespace System.Runtime.CompilerServices
{
    /// <summary>Low-level reference and pointer operations. Every method is an intrinsic: ilc supplies the IL
    /// (its Unsafe intrinsics) and the bodies here are never compiled.</summary>
    public static unsafe class Unsafe
    {
        /// <summary>Address of a reference.</summary>
        [Intrinsic] public static void* AsPointer<T>(ref readonly T value) => throw null;
        /// <summary>Size of a type.</summary>
        [Intrinsic] public static int SizeOf<T>() => throw null;
        /// <summary>Reinterpret an object reference.</summary>
        [Intrinsic] public static T As<T>(object o) where T : class => throw null;
        /// <summary>Reinterpret a reference.</summary>
        [Intrinsic] public static ref TTo As<TFrom, TTo>(ref TFrom source) => throw null;
        /// <summary>Reference from a pointer.</summary>
        [Intrinsic] public static ref T AsRef<T>(void* source) => throw null;
        /// <summary>Mutable reference from a readonly one.</summary>
        [Intrinsic] public static ref T AsRef<T>(scoped ref readonly T source) => throw null;
        /// <summary>Element offset.</summary>
        [Intrinsic] public static ref T Add<T>(ref T source, int elementOffset) => throw null;
        /// <summary>Element offset.</summary>
        [Intrinsic] public static ref T Add<T>(ref T source, nint elementOffset) => throw null;
        /// <summary>Element offset.</summary>
        [Intrinsic] public static ref T Add<T>(ref T source, nuint elementOffset) => throw null;
        /// <summary>Element offset on a pointer.</summary>
        [Intrinsic] public static void* Add<T>(void* source, int elementOffset) => throw null;
        /// <summary>Byte offset.</summary>
        [Intrinsic] public static ref T AddByteOffset<T>(ref T source, nint byteOffset) => throw null;
        /// <summary>Byte offset.</summary>
        [Intrinsic] public static ref T AddByteOffset<T>(ref T source, nuint byteOffset) => throw null;
        /// <summary>Element offset backwards.</summary>
        [Intrinsic] public static ref T Subtract<T>(ref T source, int elementOffset) => throw null;
        /// <summary>Element offset backwards.</summary>
        [Intrinsic] public static ref T Subtract<T>(ref T source, nint elementOffset) => throw null;
        /// <summary>Element offset backwards.</summary>
        [Intrinsic] public static ref T Subtract<T>(ref T source, nuint elementOffset) => throw null;
        /// <summary>Byte offset backwards.</summary>
        [Intrinsic] public static ref T SubtractByteOffset<T>(ref T source, nint byteOffset) => throw null;
        /// <summary>Byte offset backwards.</summary>
        [Intrinsic] public static ref T SubtractByteOffset<T>(ref T source, nuint byteOffset) => throw null;
        /// <summary>Distance in bytes.</summary>
        [Intrinsic] public static nint ByteOffset<T>(ref readonly T origin, ref readonly T target) => throw null;
        /// <summary>Same location.</summary>
        [Intrinsic] public static bool AreSame<T>(ref readonly T left, ref readonly T right) => throw null;
        /// <summary>Address comparison.</summary>
        [Intrinsic] public static bool IsAddressGreaterThan<T>(ref readonly T left, ref readonly T right) => throw null;
        /// <summary>Address comparison.</summary>
        [Intrinsic] public static bool IsAddressLessThan<T>(ref readonly T left, ref readonly T right) => throw null;
        /// <summary>Unaligned read.</summary>
        [Intrinsic] public static T ReadUnaligned<T>(void* source) => throw null;
        /// <summary>Unaligned read.</summary>
        [Intrinsic] public static T ReadUnaligned<T>(scoped ref readonly byte source) => throw null;
        /// <summary>Unaligned write.</summary>
        [Intrinsic] public static void WriteUnaligned<T>(void* destination, T value) => throw null;
        /// <summary>Unaligned write.</summary>
        [Intrinsic] public static void WriteUnaligned<T>(ref byte destination, T value) => throw null;
        /// <summary>Aligned read.</summary>
        [Intrinsic] public static T Read<T>(void* source) => throw null;
        /// <summary>Aligned write.</summary>
        [Intrinsic] public static void Write<T>(void* destination, T value) => throw null;
        /// <summary>Copy.</summary>
        [Intrinsic] public static void Copy<T>(void* destination, ref readonly T source) => throw null;
        /// <summary>Copy.</summary>
        [Intrinsic] public static void Copy<T>(ref T destination, void* source) => throw null;
        /// <summary>Block copy.</summary>
        [Intrinsic] public static void CopyBlock(void* destination, void* source, uint byteCount) => throw null;
        /// <summary>Block copy.</summary>
        [Intrinsic] public static void CopyBlock(ref byte destination, ref readonly byte source, uint byteCount) => throw null;
        /// <summary>Block copy.</summary>
        [Intrinsic] public static void CopyBlockUnaligned(void* destination, void* source, uint byteCount) => throw null;
        /// <summary>Block copy.</summary>
        [Intrinsic] public static void CopyBlockUnaligned(ref byte destination, ref readonly byte source, uint byteCount) => throw null;
        /// <summary>Block fill.</summary>
        [Intrinsic] public static void InitBlock(void* startAddress, byte value, uint byteCount) => throw null;
        /// <summary>Block fill.</summary>
        [Intrinsic] public static void InitBlock(ref byte startAddress, byte value, uint byteCount) => throw null;
        /// <summary>Block fill.</summary>
        [Intrinsic] public static void InitBlockUnaligned(void* startAddress, byte value, uint byteCount) => throw null;
        /// <summary>Block fill.</summary>
        [Intrinsic] public static void InitBlockUnaligned(ref byte startAddress, byte value, uint byteCount) => throw null;
        /// <summary>Null reference.</summary>
        [Intrinsic] public static ref T NullRef<T>() => throw null;
        /// <summary>Null reference test.</summary>
        [Intrinsic] public static bool IsNullRef<T>(ref readonly T source) => throw null;
        /// <summary>Leaves a variable uninitialised.</summary>
        [Intrinsic] public static void SkipInit<T>(out T value) => throw null;
        /// <summary>Reference to a boxed value.</summary>
        [Intrinsic] public static ref T Unbox<T>(object box) where T : struct => throw null;
        /// <summary>Bit reinterpretation between same-sized types.</summary>
        [Intrinsic] public static TTo BitCast<TFrom, TTo>(TFrom source) => throw null;
    }
}
