// The kernel's managed runtime services: MethodTable view, allocation (bump allocator with counters), casting,
// throw/fail-fast hooks, GC static bases. Written for Xen.Sdk from the layout facts of ilc's output
// (documented in docs/reference.md); not derived from the .NET runtime's sources.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    /// <summary>Header ilc writes for every type (.NET 10 layout, 64-bit): the fields the kernel runtime reads.</summary>
    public unsafe struct MethodTable
    {
        /// <summary>Element size for arrays and strings (when <see cref="HasComponentSize"/>).</summary>
        public ushort ComponentSize;
        /// <summary>Type flags (kind, element type, component-size flag).</summary>
        public ushort Flags;
        /// <summary>Instance size including the MethodTable pointer (and array header).</summary>
        public uint BaseSize;
        /// <summary>Base type (classes) or element type (arrays, pointers).</summary>
        public MethodTable* RelatedType;
        /// <summary>Virtual slot count.</summary>
        public ushort NumVtableSlots;
        /// <summary>Interface count.</summary>
        public ushort NumInterfaces;
        /// <summary>Type hash.</summary>
        public uint HashCode;

        // Upper half of the 32-bit flags word (.NET 8+ layout, checked against ilc 10.0.14 output): kind in bits 0-1,
        // element type in bits 10-14, has-component-size in bit 15.
        private const ushort KindMask = 0x0003, ParameterizedKind = 0x0002, HasComponentSizeFlag = 0x8000;
        private const int ElementTypeShift = 10;
        private const int ElementTypeInterface = 0x15, ElementTypeSzArray = 0x18, ElementTypeArray = 0x17;

        /// <summary>Arrays and strings.</summary>
        public bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;
        /// <summary>Element type code.</summary>
        public int ElementType => (Flags >> ElementTypeShift) & 0x1F;
        /// <summary>Interface type.</summary>
        public bool IsInterface => ElementType == ElementTypeInterface;
        /// <summary>Array type.</summary>
        public bool IsArray => ElementType == ElementTypeSzArray || ElementType == ElementTypeArray;
        /// <summary>Parameterized (array, pointer, byref).</summary>
        public bool IsParameterized => (Flags & KindMask) == ParameterizedKind;

        // Further flag bits of the upper half, read from ilc 10.0.14's output (docs/freestanding.md, "Interface dispatch on objects"):
        // 0x0004 has a dispatch map, 0x0010 has a finalizer, 0x0040 has sealed virtual slots, 0x0080 generic variance
        // (interfaces and delegates with in/out parameters), 0x0200 generic instantiation.
        private const ushort HasDispatchMapFlag = 0x0004, HasFinalizerFlag = 0x0010, HasSealedVirtualsFlag = 0x0040,
            GenericVarianceFlag = 0x0080, IsGenericFlag = 0x0200;
        private const ushort CanonicalKind = 0x0000;

        /// <summary>An ordinary (canonical) type: not an array, pointer or generic definition.</summary>
        public bool IsCanonical => (Flags & KindMask) == CanonicalKind;
        /// <summary>The type carries an interface dispatch map.</summary>
        public bool HasDispatchMap => (Flags & HasDispatchMapFlag) != 0;
        /// <summary>The type has a sealed virtual slot table (implementations outside the vtable).</summary>
        public bool HasSealedVirtuals => (Flags & HasSealedVirtualsFlag) != 0;
        /// <summary>Generic with at least one co- or contravariant parameter.</summary>
        public bool HasGenericVariance => (Flags & GenericVarianceFlag) != 0;
        /// <summary>A generic instantiation.</summary>
        public bool IsGeneric => (Flags & IsGenericFlag) != 0;

        /// <summary>The vtable starts right after the fixed header.</summary>
        public IntPtr* VTable
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (IntPtr*)((byte*)self + sizeof(MethodTable));
            }
        }

        // After the interface map come 32-bit self-relative pointers, each present only when its flag says so (ilc 10.0.14,
        // checked in the emitted object file): type manager, writable data, dispatch map, finalizer, sealed virtual slots,
        // generic definition.
        private int* RelativeFields => (int*)(InterfaceMap + NumInterfaces);

        private static byte* Follow(int* relative) => (byte*)relative + *relative;

        /// <summary>The dispatch map (null when <see cref="HasDispatchMap"/> is false).</summary>
        public DispatchMap* DispatchMap => HasDispatchMap ? (DispatchMap*)Follow(RelativeFields + 2) : null;

        /// <summary>Sealed virtual slot <paramref name="index"/>: a table of 32-bit self-relative code pointers.</summary>
        public IntPtr GetSealedVirtualSlot(int index)
        {
            int* field = RelativeFields + 2 + (HasDispatchMap ? 1 : 0) + ((Flags & HasFinalizerFlag) != 0 ? 1 : 0);
            int* table = (int*)Follow(field);
            return (IntPtr)Follow(table + index);
        }

        /// <summary>The generic type definition of a generic instantiation (<see cref="IsGeneric"/>): the relative field
        /// after the sealed slot table.</summary>
        public MethodTable* GenericDefinition
        {
            get
            {
                if (!IsGeneric) return null;
                int* slot = RelativeFields + 2 + (HasDispatchMap ? 1 : 0) + ((Flags & HasFinalizerFlag) != 0 ? 1 : 0) + (HasSealedVirtuals ? 1 : 0);
                return (MethodTable*)Follow(slot);
            }
        }

        /// <summary>The interface map follows the vtable.</summary>
        public MethodTable** InterfaceMap
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (MethodTable**)((byte*)self + sizeof(MethodTable) + NumVtableSlots * sizeof(IntPtr));
            }
        }
    }

    /// <summary>Interface dispatch map ilc emits for a type: four 16-bit counts (instance implementations, default
    /// implementations, static virtual implementations, static defaults), then the instance entries (6 bytes each),
    /// the default entries, then the static ones (8 bytes each).</summary>
    public unsafe struct DispatchMap
    {
        /// <summary>Entries for implementations on the class.</summary>
        public ushort StandardEntryCount;
        /// <summary>Entries for default interface method implementations.</summary>
        public ushort DefaultEntryCount;
        /// <summary>Static virtual implementations (not used by instance dispatch).</summary>
        public ushort StandardStaticEntryCount;
        /// <summary>Static virtual defaults (not used by instance dispatch).</summary>
        public ushort DefaultStaticEntryCount;

        /// <summary>Instance entry <paramref name="index"/> (standard entries first, then default ones).</summary>
        public DispatchMapEntry* Entry(int index)
        {
            fixed (DispatchMap* self = &this)
                return (DispatchMapEntry*)(self + 1) + index;
        }
    }

    /// <summary>One dispatch map entry: the type's interface map index, the interface's slot (generic interfaces count
    /// their dictionary slot as slot 0) and the implementing slot (vtable index, or vtable count + sealed slot index).</summary>
    public struct DispatchMapEntry
    {
        /// <summary>Index into the declaring type's interface map.</summary>
        public ushort InterfaceIndex;
        /// <summary>Slot of the interface method.</summary>
        public ushort InterfaceSlot;
        /// <summary>Implementation slot.</summary>
        public ushort ImplementationSlot;
    }

    /// <summary>Services the kernel image provides to the core library (symbols exported by the entry assembly).</summary>
    public static unsafe class KernelHooks
    {
        [RuntimeImport("*", "XenSdkFailFast")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void FailFastImport(char* message, int length);

        /// <summary>Panics with a message in a caller-owned buffer (no allocation). Never returns.</summary>
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void FailFast(char* message, int length)
        {
            FailFastImport(message, length);
            while (true) { }
        }

        /// <summary>Panics: prints the message and machine state, exits with a failure status. Never returns.</summary>
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void FailFast(string message)
        {
            fixed (char* p = message) FailFastImport(p, message.Length);
            while (true) { }
        }
    }

    /// <summary>The kernel heap: a bump allocator over one region handed over at boot. Nothing is ever freed (there is
    /// no GC); the counters let the kernel prove it does not allocate after boot.</summary>
    public static unsafe class KernelHeap
    {
        private static byte* s_next;
        private static byte* s_end;
        private static ulong s_count;
        private static ulong s_bytes;

        /// <summary>Hands the heap its region (must be zeroed memory).</summary>
        public static void Initialize(void* start, nuint size)
        {
            s_next = (byte*)start;
            s_end = (byte*)start + size;
        }

        /// <summary>Objects allocated so far.</summary>
        public static ulong AllocationCount => s_count;
        /// <summary>Bytes allocated so far.</summary>
        public static ulong BytesAllocated => s_bytes;
        /// <summary>Bytes left.</summary>
        public static ulong BytesFree => (ulong)(s_end - s_next);

        /// <summary>Allocates zeroed, 8-byte aligned memory; panics when exhausted.</summary>
        public static void* Allocate(nuint size)
        {
            size = (size + 7) & ~(nuint)7;
            if (s_next == null) KernelHooks.FailFast("heap used before KernelHeap.Initialize");
            if ((nuint)(s_end - s_next) < size) KernelHooks.FailFast("kernel heap exhausted");
            byte* p = s_next;
            s_next += size;
            s_count++;
            s_bytes += size;
            // The region is zeroed at boot and never reused, so the object is already zero.
            return p;
        }

        /// <summary>Allocates an object of the given type (array length when the type has components).</summary>
        public static object AllocateObject(MethodTable* type, int length)
        {
            nuint size = type->BaseSize;
            if (type->HasComponentSize)
            {
                if (length < 0) KernelHooks.FailFast("negative array length");
                size += (nuint)(uint)length * type->ComponentSize;
            }
            void* p = Allocate(size);
            *(MethodTable**)p = type;
            if (type->HasComponentSize) *(int*)((byte*)p + 8) = length;
            return *(object*)&p;
        }
    }

}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>Called by generated code on failed checks: each is a panic naming the condition.</summary>
    internal static class ThrowHelpers
    {
        internal static void ThrowOverflowException() => KernelHooks.FailFast("arithmetic overflow");
        internal static void ThrowIndexOutOfRangeException() => KernelHooks.FailFast("index out of range");
        internal static void ThrowNullReferenceException() => KernelHooks.FailFast("null reference");
        internal static void ThrowDivideByZeroException() => KernelHooks.FailFast("divide by zero");
        internal static void ThrowArrayTypeMismatchException() => KernelHooks.FailFast("array type mismatch");
        internal static void ThrowPlatformNotSupportedException() => KernelHooks.FailFast("platform not supported");
        internal static void ThrowTypeLoadException() => KernelHooks.FailFast("type load");
        internal static void ThrowTypeLoadExceptionWithArgument(int id, string className, string typeName, string message) => KernelHooks.FailFast("type load");
        internal static void ThrowArgumentException() => KernelHooks.FailFast("argument");
        internal static void ThrowArgumentOutOfRangeException() => KernelHooks.FailFast("argument out of range");
        internal static void ThrowNotImplementedException() => KernelHooks.FailFast("not implemented");
        internal static void ThrowNotSupportedException() => KernelHooks.FailFast("not supported");
        internal static void ThrowBadImageFormatException(int id) => KernelHooks.FailFast("bad image format");
        internal static void ThrowMissingMethodException(int id, string methodName) => KernelHooks.FailFast("missing method (a BCL member the kernel core library lacks)");
        internal static void ThrowMissingFieldException(int id, string fieldName) => KernelHooks.FailFast("missing field");
        internal static void ThrowFileNotFoundException(int id, string fileName) => KernelHooks.FailFast("file not found");
        internal static void ThrowInvalidProgramException(int id) => KernelHooks.FailFast("invalid program");
        internal static void ThrowInvalidProgramExceptionWithArgument(int id, string methodName) => KernelHooks.FailFast("invalid program");
        internal static void ThrowMarshalDirectiveException(int id) => KernelHooks.FailFast("marshal directive");
        internal static void ThrowAmbiguousMatchException(int id) => KernelHooks.FailFast("ambiguous match");
        internal static void ThrowFeatureBodyRemoved() => KernelHooks.FailFast("feature body removed");
    }

    /// <summary>Module start-up: allocates the GC static bases ilc lays out in the image (section 201 of each module's
    /// ReadyToRun header) and copies their preinitialised data.</summary>
    public static unsafe class StartupCodeHelpers
    {
        private const uint ReadyToRunSignature = 0x00525452; // "RTR"
        private const int GCStaticRegionSection = 201;

        /// <summary>Initialises every module listed between the linker symbols bounding the <c>__modules</c> section.
        /// Returns the number of GC static bases allocated.</summary>
        public static int InitializeModules(IntPtr* modulesStart, IntPtr* modulesEnd)
        {
            int bases = 0;
            for (IntPtr* m = modulesStart; m < modulesEnd; m++)
            {
                byte* header = (byte*)*m;
                if (header == null) continue;
                if (*(uint*)header != ReadyToRunSignature) KernelHooks.FailFast("__modules entry without a ReadyToRun header");
                int count = *(ushort*)(header + 12);
                int entrySize = header[14];
                byte* rows = header + 16;
                for (int i = 0; i < count; i++)
                {
                    byte* row = rows + i * entrySize;
                    if (*(int*)row != GCStaticRegionSection) continue;
                    byte* start = *(byte**)(row + 8), end = *(byte**)(row + 16);
                    bases += InitializeGcStatics(start, end);
                }
            }
            return bases;
        }

        private static byte* ReadRelPtr32(void* address) => (byte*)address + *(int*)address;

        private static int InitializeGcStatics(byte* start, byte* end)
        {
            int n = 0;
            for (byte* slot = start; slot < end; slot += 4)
            {
                // Each slot is a 32-bit relative pointer to a block whose first word is a relative pointer to the
                // static base's MethodTable with flag bits: 1 = not yet allocated, 2 = preinitialised data follows.
                nint* block = (nint*)ReadRelPtr32(slot);
                nint value = (nint)ReadRelPtr32(block);
                if ((value & 1) == 0) continue;
                MethodTable* type = (MethodTable*)(value & ~(nint)3);
                object obj = KernelHeap.AllocateObject(type, 0);
                if ((value & 2) != 0)
                {
                    byte* data = ReadRelPtr32((int*)block + 1);
                    SpanHelpers.Memmove(ref obj.GetRawData(), ref *data, type->BaseSize - 16);
                }
                *block = *(nint*)&obj;
                n++;
            }
            return n;
        }
    }

    internal static class LdTokenHelpers
    {
        private static RuntimeTypeHandle GetRuntimeTypeHandle(IntPtr pEEType) { RuntimeTypeHandle h; h._value = pEEType; return h; }
        private static RuntimeMethodHandle GetRuntimeMethodHandle(IntPtr pHandleSignature) { RuntimeMethodHandle h; h._value = pHandleSignature; return h; }
        private static RuntimeFieldHandle GetRuntimeFieldHandle(IntPtr pHandleSignature) { RuntimeFieldHandle h; h._value = pHandleSignature; return h; }
        private static Type GetRuntimeType(IntPtr pEEType) => null;
    }
}

namespace System.Runtime
{
    using Internal.Runtime;

    /// <summary>Entry points generated code calls for allocation, throwing and transitions.</summary>
    internal static unsafe class RuntimeExports
    {
        [RuntimeExport("RhpNewFast")]
        private static object RhpNewFast(MethodTable* type) => KernelHeap.AllocateObject(type, 0);

        [RuntimeExport("RhpNewFinalizable")]
        private static object RhpNewFinalizable(MethodTable* type) => KernelHeap.AllocateObject(type, 0);

        [RuntimeExport("RhpNewArray")]
        private static object RhpNewArray(MethodTable* type, int length) => KernelHeap.AllocateObject(type, length);

        [RuntimeExport("RhpNewArrayFast")]
        private static object RhpNewArrayFast(MethodTable* type, int length) => KernelHeap.AllocateObject(type, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static object RhpNewPtrArrayFast(MethodTable* type, int length) => KernelHeap.AllocateObject(type, length);

        [RuntimeExport("RhNewString")]
        private static object RhNewString(MethodTable* type, int length) => KernelHeap.AllocateObject(type, length);

        [RuntimeExport("RhpThrowEx")]
        private static void RhpThrowEx(object exception)
        {
            // No unwinder: a throw is a panic naming the exception's message.
            string message = exception is Exception e ? e.Message : "non-exception object thrown";
            KernelHooks.FailFast(message);
        }

        [RuntimeExport("RhpThrowHwEx")]
        private static void RhpThrowHwEx(int exceptionCode, IntPtr faultingIP) => KernelHooks.FailFast("hardware exception");

        [RuntimeExport("RhpRethrow")]
        private static void RhpRethrow() => KernelHooks.FailFast("rethrow");

        [RuntimeExport("RhpFallbackFailFast")]
        private static void RhpFallbackFailFast() => KernelHooks.FailFast("fallback fail fast");

        // One CPU, no GC, no threads: the transition helpers have nothing to do.
        [RuntimeExport("RhpPInvoke")]
        private static void RhpPInvoke(IntPtr frame) { }

        [RuntimeExport("RhpPInvokeReturn")]
        private static void RhpPInvokeReturn(IntPtr frame) { }

        [RuntimeExport("RhpReversePInvoke")]
        private static void RhpReversePInvoke(IntPtr frame) { }

        [RuntimeExport("RhpReversePInvokeReturn")]
        private static void RhpReversePInvokeReturn(IntPtr frame) { }

        [RuntimeExport("RhpGcPoll")]
        private static void RhpGcPoll() { }

        [RuntimeExport("RhBox")]
        private static object RhBox(MethodTable* type, ref byte data)
        {
            object o = KernelHeap.AllocateObject(type, 0);
            SpanHelpers.Memmove(ref o.GetRawData(), ref data, type->BaseSize - 16);
            return o;
        }

        [RuntimeExport("RhUnbox2")]
        private static ref byte RhUnbox2(MethodTable* type, object obj)
        {
            if (obj == null || obj.m_pEEType != type) KernelHooks.FailFast("invalid unbox");
            return ref obj.GetRawData();
        }

        [RuntimeExport("RhNewObject")]
        private static object RhNewObject(MethodTable* type) => KernelHeap.AllocateObject(type, 0);

        [RuntimeExport("RhNewArray")]
        private static object RhNewArray(MethodTable* type, int length) => KernelHeap.AllocateObject(type, length);
    }


    /// <summary>Casting helpers generated code calls (is/as/castclass, array stores). Exact-type and base-chain walks plus
    /// interface-map scans; no variance.</summary>
    internal static unsafe class TypeCast
    {
        private static bool IsInstance(MethodTable* target, MethodTable* type)
        {
            if (target->IsInterface)
            {
                MethodTable** map = type->InterfaceMap;
                for (int i = 0; i < type->NumInterfaces; i++) if (map[i] == target) return true;
                return false;
            }
            for (MethodTable* t = type; t != null; t = t->IsParameterized ? null : t->RelatedType)
                if (t == target) return true;
            return false;
        }

        private static object IsInstanceOfAny(MethodTable* target, object obj) => obj == null || IsInstance(target, obj.m_pEEType) ? obj : null;
        private static object IsInstanceOfClass(MethodTable* target, object obj) => IsInstanceOfAny(target, obj);
        private static object IsInstanceOfInterface(MethodTable* target, object obj) => IsInstanceOfAny(target, obj);
        private static object IsInstanceOfException(MethodTable* target, object obj) => IsInstanceOfAny(target, obj);

        private static object CheckCastAny(MethodTable* target, object obj)
        {
            if (obj == null || IsInstance(target, obj.m_pEEType)) return obj;
            KernelHooks.FailFast("invalid cast");
            return null;
        }
        private static object CheckCastClass(MethodTable* target, object obj) => CheckCastAny(target, obj);
        private static object CheckCastClassSpecial(MethodTable* target, object obj) => CheckCastAny(target, obj);
        private static object CheckCastInterface(MethodTable* target, object obj) => CheckCastAny(target, obj);

        private static void StelemRef(object[] array, nint index, object obj)
        {
            if ((nuint)index >= (uint)array.Length) KernelHooks.FailFast("index out of range");
            if (obj != null && !IsInstance(array.m_pEEType->RelatedType, obj.m_pEEType)) KernelHooks.FailFast("array type mismatch");
            Unsafe.Add(ref Unsafe.As<byte, object>(ref Unsafe.As<RawArrayData>(array).Data), index) = obj;
        }

        private static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (uint)array.Length) KernelHooks.FailFast("index out of range");
            if (array.m_pEEType->RelatedType != elementType) KernelHooks.FailFast("array type mismatch");
            return ref Unsafe.Add(ref Unsafe.As<byte, object>(ref Unsafe.As<RawArrayData>(array).Data), index);
        }
    }
}
