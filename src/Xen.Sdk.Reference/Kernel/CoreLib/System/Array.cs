using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>Base of arrays. Layout after the MethodTable pointer: the element count (int), padding, the elements.</summary>
    public abstract class Array
    {
        private int _numComponents;

        /// <summary>Element count.</summary>
        public int Length => _numComponents;

        /// <summary>Element count.</summary>
        public long LongLength => _numComponents;

        /// <summary>Zeroes a range of an array of unmanaged elements.</summary>
        public static unsafe void Clear(Array array)
        {
            ref byte data = ref Unsafe.As<RawArrayData>(array).Data;
            nuint bytes = (nuint)array._numComponents * array.m_pEEType->ComponentSize;
            SpanHelpers.ClearWithoutReferences(ref data, bytes);
        }

        /// <summary>Copies the first elements of one array to another of the same element type (no covariance checks).</summary>
        public static unsafe void Copy(Array sourceArray, Array destinationArray, int length)
        {
            if (length < 0 || length > sourceArray._numComponents || length > destinationArray._numComponents)
                Internal.Runtime.KernelHooks.FailFast("Array.Copy: length out of range");
            if (sourceArray.m_pEEType != destinationArray.m_pEEType)
                Internal.Runtime.KernelHooks.FailFast("Array.Copy: arrays of different types");
            nuint bytes = (nuint)(uint)length * sourceArray.m_pEEType->ComponentSize;
            SpanHelpers.Memmove(ref Unsafe.As<RawArrayData>(destinationArray).Data, ref Unsafe.As<RawArrayData>(sourceArray).Data, bytes);
        }

        /// <summary>Fills every element with a value.</summary>
        public static void Fill<T>(T[] array, T value)
        {
            for (int i = 0; i < array.Length; i++) array[i] = value;
        }

        /// <summary>Shared empty array.</summary>
        public static T[] Empty<T>() => EmptyArray<T>.Value;
    }

    internal static class EmptyArray<T>
    {
        internal static readonly T[] Value = new T[0];
    }

    // ilc requires the generic base of T[] types.
    internal class Array<T> : Array { }

    internal sealed class RawArrayData
    {
        public uint Length;
        public uint Padding;
        public byte Data;
    }
}
