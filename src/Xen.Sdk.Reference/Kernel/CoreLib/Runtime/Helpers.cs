using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    /// <summary>Base of exceptions. In the kernel a throw is a panic: the kernel prints <see cref="Message"/> and stops.</summary>
    public class Exception
    {
        private readonly string _message;
        /// <summary>Creates an exception.</summary>
        public Exception() { }
        /// <summary>Creates an exception with a message.</summary>
        public Exception(string message) { _message = message; }
        /// <summary>Creates an exception with a message and cause.</summary>
        public Exception(string message, Exception innerException) { _message = message; }
        /// <summary>The message.</summary>
        public virtual string Message => _message ?? "exception";
    }

    /// <summary>Argument exception.</summary>
    public class ArgumentException : Exception
    {
        /// <summary>Creates.</summary>
        public ArgumentException() : base("argument") { }
        /// <summary>Creates.</summary>
        public ArgumentException(string message) : base(message) { }
        /// <summary>Creates.</summary>
        public ArgumentException(string message, string paramName) : base(message) { }
    }

    /// <summary>Argument out of range.</summary>
    public class ArgumentOutOfRangeException : ArgumentException
    {
        /// <summary>Creates.</summary>
        public ArgumentOutOfRangeException() : base("argument out of range") { }
        /// <summary>Creates.</summary>
        public ArgumentOutOfRangeException(string paramName) : base("argument out of range", paramName) { }
        /// <summary>Creates.</summary>
        public ArgumentOutOfRangeException(string paramName, string message) : base(message, paramName) { }
    }

    /// <summary>Null argument.</summary>
    public class ArgumentNullException : ArgumentException
    {
        /// <summary>Creates.</summary>
        public ArgumentNullException() : base("argument null") { }
        /// <summary>Creates.</summary>
        public ArgumentNullException(string paramName) : base("argument null", paramName) { }
    }

    /// <summary>Invalid operation.</summary>
    public class InvalidOperationException : Exception
    {
        /// <summary>Creates.</summary>
        public InvalidOperationException() : base("invalid operation") { }
        /// <summary>Creates.</summary>
        public InvalidOperationException(string message) : base(message) { }
    }

    /// <summary>Not supported.</summary>
    public class NotSupportedException : Exception
    {
        /// <summary>Creates.</summary>
        public NotSupportedException() : base("not supported") { }
        /// <summary>Creates.</summary>
        public NotSupportedException(string message) : base(message) { }
    }

    /// <summary>Not implemented.</summary>
    public class NotImplementedException : Exception
    {
        /// <summary>Creates.</summary>
        public NotImplementedException() : base("not implemented") { }
    }

    /// <summary>Overflow.</summary>
    public class OverflowException : Exception
    {
        /// <summary>Creates.</summary>
        public OverflowException() : base("overflow") { }
    }

    /// <summary>Index out of range.</summary>
    public sealed class IndexOutOfRangeException : Exception
    {
        /// <summary>Creates.</summary>
        public IndexOutOfRangeException() : base("index out of range") { }
    }

    /// <summary>Platform not supported.</summary>
    public class PlatformNotSupportedException : NotSupportedException
    {
        /// <summary>Creates.</summary>
        public PlatformNotSupportedException() : base("platform not supported") { }
    }

    /// <summary>Environment services of the kernel.</summary>
    public static class Environment
    {
        /// <summary>Stops the kernel with a message (panic: prints state and exits with a failure status).</summary>
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void FailFast(string message) => Internal.Runtime.KernelHooks.FailFast(message);
    }

    internal static class ThrowHelper
    {
        [System.Diagnostics.CodeAnalysis.DoesNotReturn] internal static void ThrowIndexOutOfRangeException() => KernelHooks.FailFast("index out of range");
        [System.Diagnostics.CodeAnalysis.DoesNotReturn] internal static void ThrowArgumentOutOfRangeException() => KernelHooks.FailFast("argument out of range");
        [System.Diagnostics.CodeAnalysis.DoesNotReturn] internal static void ThrowArgumentException() => KernelHooks.FailFast("argument (destination too short)");
        [System.Diagnostics.CodeAnalysis.DoesNotReturn] internal static void ThrowInvalidOperationException() => KernelHooks.FailFast("invalid operation");
    }

    /// <summary>Math helpers (the subset the kernel and ilc's conversion helpers use).</summary>
    public static class Math
    {
        /// <summary>Minimum.</summary>
        public static int Min(int a, int b) => a <= b ? a : b;
        /// <summary>Minimum.</summary>
        public static uint Min(uint a, uint b) => a <= b ? a : b;
        /// <summary>Minimum.</summary>
        public static long Min(long a, long b) => a <= b ? a : b;
        /// <summary>Minimum.</summary>
        public static ulong Min(ulong a, ulong b) => a <= b ? a : b;
        /// <summary>Maximum.</summary>
        public static int Max(int a, int b) => a >= b ? a : b;
        /// <summary>Maximum.</summary>
        public static uint Max(uint a, uint b) => a >= b ? a : b;
        /// <summary>Maximum.</summary>
        public static long Max(long a, long b) => a >= b ? a : b;
        /// <summary>Maximum.</summary>
        public static ulong Max(ulong a, ulong b) => a >= b ? a : b;
        /// <summary>Absolute value.</summary>
        public static int Abs(int value) => value < 0 ? -value : value;
        /// <summary>Absolute value.</summary>
        public static long Abs(long value) => value < 0 ? -value : value;
        /// <summary>Clamp.</summary>
        public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;
        /// <summary>Clamp.</summary>
        public static ulong Clamp(ulong value, ulong min, ulong max) => value < min ? min : value > max ? max : value;
        /// <summary>High 64 bits of a 128-bit product.</summary>
        public static ulong BigMul(ulong a, ulong b, out ulong low)
        {
            ulong al = (uint)a, ah = a >> 32, bl = (uint)b, bh = b >> 32;
            ulong mull = al * bl, t = ah * bl + (mull >> 32), tl = al * bh + (uint)t;
            low = (tl << 32) | (uint)mull;
            return ah * bh + (t >> 32) + (tl >> 32);
        }

        // Conversions ilc calls for double <-> 64-bit integers (x64 has no unsigned 64-bit conversion instruction).
        private static ulong ConvertToUInt64(double value)
        {
            const double two63 = 9223372036854775808.0;
            if (double.IsNaN(value) || value <= -1.0) return 0;
            if (value >= 18446744073709551616.0) return ulong.MaxValue;
            if (value < two63) return (ulong)(long)value;
            return (ulong)(long)(value - two63) + 0x8000000000000000UL;
        }
        private static long ConvertToInt64(double value)
        {
            if (double.IsNaN(value)) return 0;
            if (value >= 9223372036854775808.0) return long.MaxValue;
            if (value < -9223372036854775808.0) return long.MinValue;
            return (long)value;
        }
        private static uint ConvertToUInt32(double value) => double.IsNaN(value) || value <= -1.0 ? 0 : value >= 4294967296.0 ? uint.MaxValue : (uint)(long)value;
        private static int ConvertToInt32(double value) => double.IsNaN(value) ? 0 : value >= 2147483648.0 ? int.MaxValue : value <= -2147483649.0 ? int.MinValue : (int)(long)value;
        private static ulong ConvertToUInt64Checked(double value)
        {
            if (!(value > -1.0 && value < 18446744073709551616.0)) KernelHooks.FailFast("overflow in conversion");
            return ConvertToUInt64(value);
        }
        private static long ConvertToInt64Checked(double value)
        {
            if (!(value > -9223372036854777856.0 && value < 9223372036854775808.0)) KernelHooks.FailFast("overflow in conversion");
            return (long)value;
        }
        private static uint ConvertToUInt32Checked(double value)
        {
            if (!(value > -1.0 && value < 4294967296.0)) KernelHooks.FailFast("overflow in conversion");
            return (uint)(long)value;
        }
        private static int ConvertToInt32Checked(double value)
        {
            if (!(value > -2147483649.0 && value < 2147483648.0)) KernelHooks.FailFast("overflow in conversion");
            return (int)(long)value;
        }
        private static double ConvertFromUInt64(ulong value)
        {
            if ((long)value >= 0) return (double)(long)value;
            return (double)(long)((value >> 1) | (value & 1)) * 2.0;
        }
        private static float ConvertFromUInt64ToSingle(ulong value) => (float)ConvertFromUInt64(value);
    }
}

namespace System.Diagnostics
{
    /// <summary>Debug assertions (compiled out of Release builds, like the BCL's).</summary>
    public static class Debug
    {
        /// <summary>Asserts.</summary>
        [Conditional("DEBUG")]
        public static void Assert(bool condition) { if (!condition) Internal.Runtime.KernelHooks.FailFast("assertion failed"); }
        /// <summary>Asserts.</summary>
        [Conditional("DEBUG")]
        public static void Assert(bool condition, string message) { if (!condition) Internal.Runtime.KernelHooks.FailFast(message); }
    }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Runtime helpers the compiler and ilc use.</summary>
    public static unsafe class RuntimeHelpers
    {
        /// <summary>Copies RVA static data into an array (array initialisers).</summary>
        public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle)
        {
            // ilc expands this intrinsic at compile time for preinitialised data; reaching it at run time is a build defect.
            KernelHooks.FailFast("RuntimeHelpers.InitializeArray not expanded");
        }

        /// <summary>Offset of the first character in a string object (for <c>fixed</c> on strings).</summary>
        public static int OffsetToStringData => 12;

        /// <summary>True when T is or holds references.</summary>
        [Intrinsic] public static bool IsReferenceOrContainsReferences<T>() => IsReferenceOrContainsReferences<T>();

        /// <summary>Static data of a field (RVA span for ReadOnlySpan literals).</summary>
        [Intrinsic]
        public static ReadOnlySpan<T> CreateSpan<T>(RuntimeFieldHandle fldHandle)
        {
            KernelHooks.FailFast("RuntimeHelpers.CreateSpan not expanded");
            return default;
        }

        /// <summary>Identity hash.</summary>
        public static int GetHashCode(object o) => o == null ? 0 : o.GetHashCode();

        /// <summary>No stack probing in the kernel (one large fixed stack).</summary>
        public static void EnsureSufficientExecutionStack() { }

        [Intrinsic] internal static bool IsBitwiseEquatable<T>() => IsBitwiseEquatable<T>();

        [Intrinsic] internal static MethodTable* GetMethodTable(object obj) => obj.m_pEEType;
    }

    /// <summary>Runtime features the compiler asks about.</summary>
    public static class RuntimeFeature
    {
        /// <summary>Default interface methods are not supported by this kernel runtime.</summary>
        public const string DefaultImplementationsOfInterfaces = nameof(DefaultImplementationsOfInterfaces);
        /// <summary>Ref fields.</summary>
        public const string ByRefFields = nameof(ByRefFields);
        /// <summary>Static abstract interface members.</summary>
        public const string VirtualStaticsInInterfaces = nameof(VirtualStaticsInInterfaces);
        /// <summary>Numeric IntPtr.</summary>
        public const string NumericIntPtr = nameof(NumericIntPtr);
        /// <summary>Covariant returns.</summary>
        public const string CovariantReturnsOfClasses = nameof(CovariantReturnsOfClasses);
        /// <summary>Unmanaged calling conventions on function pointers.</summary>
        public const string UnmanagedSignatureCallingConvention = nameof(UnmanagedSignatureCallingConvention);
        /// <summary>No JIT.</summary>
        public static bool IsDynamicCodeSupported => false;
        /// <summary>No JIT.</summary>
        public static bool IsDynamicCodeCompiled => false;
    }

    /// <summary>Lazy static constructor support: ilc calls the runner before the first access of a type with a cctor that
    /// cannot be preinitialised. Single processor, no threads: a flag suffices.</summary>
    internal static unsafe class ClassConstructorRunner
    {
        private static void EnsureClassConstructorRun(StaticClassConstructionContext* pContext)
        {
            IntPtr pfn = pContext->cctorMethodAddress;
            if (pfn == IntPtr.Zero) return;
            pContext->cctorMethodAddress = IntPtr.Zero;
            ((delegate*<void>)pfn)();
        }

        private static object CheckStaticClassConstructionReturnGCStaticBase(StaticClassConstructionContext* context, object gcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return gcStaticBase;
        }

        private static IntPtr CheckStaticClassConstructionReturnNonGCStaticBase(StaticClassConstructionContext* context, IntPtr nonGcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return nonGcStaticBase;
        }

        private static void* CheckStaticClassConstructionReturnThreadStaticBase(StaticClassConstructionContext* context, void* threadStaticBase)
        {
            EnsureClassConstructorRun(context);
            return threadStaticBase;
        }
    }

    internal struct StaticClassConstructionContext
    {
        public IntPtr cctorMethodAddress;
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>Required by ilc's casting code; the kernel has no dynamic interface casting.</summary>
    public interface IDynamicInterfaceCastable
    {
        /// <summary>Not supported.</summary>
        bool IsInterfaceImplemented(RuntimeTypeHandle interfaceType, bool throwIfNotImplemented);
        /// <summary>Not supported.</summary>
        RuntimeTypeHandle GetInterfaceImplementation(RuntimeTypeHandle interfaceType);

        internal static unsafe IntPtr GetDynamicInterfaceImplementation(object instance, Internal.Runtime.MethodTable* interfaceType, ushort slot)
        {
            Internal.Runtime.KernelHooks.FailFast("dynamic interface casting is not supported");
            return IntPtr.Zero;
        }
    }
}

namespace Internal.Runtime
{
    using System;

    internal static unsafe class IDynamicInterfaceCastableSupport
    {
        [System.Runtime.RuntimeExport("IDynamicCastableIsInterfaceImplemented")]
        internal static bool IDynamicCastableIsInterfaceImplemented(object instance, MethodTable* interfaceType, bool throwIfNotImplemented) => false;

        [System.Runtime.RuntimeExport("IDynamicCastableGetInterfaceImplementation")]
        internal static IntPtr IDynamicCastableGetInterfaceImplementation(object instance, MethodTable* interfaceType, ushort slot)
        {
            KernelHooks.FailFast("dynamic interface casting is not supported");
            return IntPtr.Zero;
        }

        internal static IntPtr GetDynamicInterfaceImplementation(object instance, MethodTable* interfaceType, ushort slot)
            => IDynamicCastableGetInterfaceImplementation(instance, interfaceType, slot);
    }
}
