// The kernel's freestanding core library: the root types ilc's type system requires by name.
// Written for Xen.Sdk (not derived from the .NET runtime's sources); layouts follow what ilc generates.
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>Root of every reference type. Its one field is the MethodTable pointer ilc writes in every object.</summary>
    public class Object
    {
        internal unsafe Internal.Runtime.MethodTable* m_pEEType;

        /// <summary>Creates an object.</summary>
        public Object() { }

        /// <summary>Reference equality.</summary>
        public virtual bool Equals(object obj) => ReferenceEquals(this, obj);

        /// <summary>Identity hash: the object's address (objects never move: there is no GC).</summary>
        public virtual unsafe int GetHashCode()
        {
            object self = this;
            nint a = *(nint*)Unsafe.AsPointer(ref self);
            return (int)a ^ (int)(a >> 32);
        }

        /// <summary>Type name is not available without reflection: a fixed text.</summary>
        public virtual string ToString() => "System.Object";

        /// <summary>Reference equality.</summary>
        public static bool ReferenceEquals(object objA, object objB) => objA == objB;

        /// <summary>Objects are never moved; the raw data starts after the MethodTable pointer.</summary>
        internal ref byte GetRawData() => ref Unsafe.As<RawData>(this).Data;

        internal unsafe Internal.Runtime.MethodTable* GetMethodTable() => m_pEEType;
    }

    internal sealed class RawData
    {
        public byte Data;
    }

    /// <summary>Base of value types.</summary>
    public abstract class ValueType
    {
        /// <summary>Value types compare by their own overrides only (no reflection here).</summary>
        public override bool Equals(object obj) => ReferenceEquals(this, obj);

        /// <summary>Value types hash by their own overrides only.</summary>
        public override int GetHashCode() => 0;
    }

    /// <summary>Base of enumerations.</summary>
    public abstract class Enum : ValueType
    {
    }

    /// <summary>The void type.</summary>
    public struct Void { }

    /// <summary>Base of attributes.</summary>
    public abstract class Attribute { }

    /// <summary>Base of delegates. The field names are the ones ilc's delegate code expects (.NET 10).</summary>
    public abstract class Delegate
    {
        internal object _firstParameter;
        internal object _helperObject;
        internal nint _extraFunctionPointerOrData;
        internal IntPtr _functionPointer;

        private void InitializeClosedInstance(object firstParameter, IntPtr functionPointer)
        {
            _functionPointer = functionPointer;
            _firstParameter = firstParameter;
        }

        private void InitializeClosedStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _extraFunctionPointerOrData = functionPointer;
            _helperObject = firstParameter;
            _functionPointer = functionPointerThunk;
            _firstParameter = this;
        }

        private void InitializeOpenStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
        }

        private void InitializeOpenInstanceThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
        }
    }

    /// <summary>Base of delegate types emitted by C#.</summary>
    public abstract class MulticastDelegate : Delegate { }

    /// <summary>Type objects are not supported (no reflection); the type exists because ilc requires it.</summary>
    public abstract class Type
    {
        /// <summary>Not supported.</summary>
        public static Type GetTypeFromHandle(RuntimeTypeHandle handle) => null;
    }

    internal sealed class RuntimeType : Type { }

    /// <summary>Handle to a type's MethodTable.</summary>
    public struct RuntimeTypeHandle
    {
        internal IntPtr _value;
    }

    /// <summary>Handle to a method.</summary>
    public struct RuntimeMethodHandle
    {
        internal IntPtr _value;
    }

    /// <summary>Handle to a field.</summary>
    public struct RuntimeFieldHandle
    {
        internal IntPtr _value;
    }

    /// <summary>Optional value type.</summary>
    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        internal T value;

        /// <summary>Wraps a value.</summary>
        public Nullable(T value) { this.value = value; hasValue = true; }

        /// <summary>True when a value is present.</summary>
        public readonly bool HasValue => hasValue;

        /// <summary>The value; fails fast when absent.</summary>
        public readonly T Value { get { if (!hasValue) ThrowHelper.ThrowInvalidOperationException(); return value; } }

        /// <summary>The value or default.</summary>
        public readonly T GetValueOrDefault() => value;

        /// <summary>The value or a fallback.</summary>
        public readonly T GetValueOrDefault(T defaultValue) => hasValue ? value : defaultValue;

        /// <summary>Wraps a value.</summary>
        public static implicit operator T?(T value) => new T?(value);

        /// <summary>Unwraps a value.</summary>
        public static explicit operator T(T? value) => value.Value;
    }

    /// <summary>Read-only view of a sequence (used by a few compiler patterns).</summary>
    public interface IEquatable<T>
    {
        /// <summary>Value equality.</summary>
        bool Equals(T other);
    }

    /// <summary>Ordering.</summary>
    public interface IComparable<in T>
    {
        /// <summary>Compares.</summary>
        int CompareTo(T other);
    }

    /// <summary>Releases resources (used by <c>using</c> on struct enumerators and scopes).</summary>
    public interface IDisposable
    {
        /// <summary>Releases.</summary>
        void Dispose();
    }
}
