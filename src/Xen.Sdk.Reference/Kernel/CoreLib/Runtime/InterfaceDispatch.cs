// Interface dispatch on objects for the kernel runtime. Written for Xen.Sdk from the layout of ilc 10.0.14's output
// (dispatch cells, MethodTable relative fields, dispatch maps: docs/freestanding.md, "Interface dispatch on objects"); the
// resolution rules follow the ECMA-335 / .NET semantics of interface method implementation (most derived class first).
// Allocation-free and exception-free: anything unsupported is a panic naming the interface and the slot.
using System;
using System.Runtime;

namespace Internal.Runtime
{
    /// <summary>
    /// Resolves interface calls ilc could not devirtualise. Such a call site loads the address of its dispatch cell into
    /// r11 and calls through the cell's first word, which ilc initialises to <c>RhpInitialDynamicInterfaceDispatch</c>
    /// (Kernel/Boot/boot.asm). That stub looks the (cell, object type) pair up in its cache and jumps to the cached
    /// target; on a miss it saves the argument registers, calls <c>XenSdkResolveInterface(this, cell, cache)</c> and
    /// jumps to the address it returns with the registers restored.
    /// </summary>
    public static unsafe class InterfaceDispatch
    {
        /// <summary>Calls resolved by walking dispatch maps (cache misses).</summary>
        public static ulong Resolved;

        /// <summary>Calls answered from the cache by the boot stub's fast path.</summary>
        public static ulong CacheHits => s_cache == null ? 0 : (ulong)s_cache[0];

        // A dispatch cell as ilc 10.0.14 emits it (16 bytes, in the image's writable data): the stub address, then a
        // 32-bit self-relative pointer to the interface's MethodTable plus a 2-bit tag in its low bits (the upper 32 bits
        // are zero). Cells are grouped in runs by slot; each run ends with a cell whose stub word is 0 and whose second
        // word holds (cell kind << 16) | slot.
        private struct Cell
        {
            public nint Stub;
            public nint Data;
        }

        private const int TagMask = 3;
        private const int TagAbsolute = 1, TagIndirectRelative = 2, TagRelative = 3;
        private const int KindInterfaceAndSlot = 0;
        private const int MaxCellRun = 1 << 16;
        // Implementation slots with a special meaning (reabstracted method, diamond ambiguity).
        private const ushort SlotReabstraction = 0xFFFF, SlotDiamond = 0xFFFE;

        // The direct-mapped cache lives in the boot stub's .bss (dispatch_cache in Kernel/Boot/boot.asm), which reads it
        // on every call before it saves any register: [0] hit count, [1] update sequence, then 256 cells, 256 types, 256
        // targets.
        private const int CacheEntries = 256;
        private const int CacheCells = 2, CacheTypes = CacheCells + CacheEntries, CacheTargets = CacheTypes + CacheEntries;
        private static long* s_cache;

        [RuntimeImport("*", "xensdk_dispatch_cache_store")]
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
        private static extern void StoreCacheEntry(long* cache, nint index, nint cell, MethodTable* type, nint target);

        // Panic message buffer (the resolver never allocates, not even to fail).
        private struct MessageBuffer { public fixed char Chars[256]; }
        private static MessageBuffer s_message;

        /// <summary>Called by the boot stub when its cache misses: resolves the cell for the object's type, records the
        /// answer in the cache and returns the implementation's address.</summary>
        [RuntimeExport("XenSdkResolveInterface")]
        private static nint Resolve(object self, nint cellAddress, long* cache)
        {
            Cell* cell = (Cell*)cellAddress;
            s_cache = cache;
            MethodTable* itf = DecodeInterface(cell);
            int slot = DecodeSlot(cell, itf);
            if (self == null) Fail("null reference in an interface call", itf, slot, null, cell);
            MethodTable* type = self.m_pEEType;

            nint target = FindImplementation(type, itf, slot, cell);
            Resolved++;

            // The same index function as the boot stub's fast path.
            int index = (int)(((ulong)cellAddress >> 4 ^ (ulong)type >> 3 ^ (ulong)type >> 11) & (CacheEntries - 1));
            // The boot stub writes the entry with interrupts off and bumps the cache's sequence around the stores; its
            // fast path trusts an entry only if the sequence did not move while it read it (see boot.asm).
            StoreCacheEntry(cache, index, cellAddress, type, target);
            return target;
        }

        private static MethodTable* DecodeInterface(Cell* cell)
        {
            nint data = cell->Data;
            switch ((int)data & TagMask)
            {
                case TagAbsolute:
                    return (MethodTable*)(data & ~(nint)TagMask);
                case TagRelative:
                case TagIndirectRelative:
                {
                    byte* target = (byte*)&cell->Data + *(int*)&cell->Data;
                    target = (byte*)((nint)target & ~(nint)TagMask);
                    return ((int)data & TagMask) == TagRelative ? (MethodTable*)target : *(MethodTable**)target;
                }
                default:
                    Fail("dispatch cell without an interface (cache-pointer form)", null, -1, null, cell);
                    return null;
            }
        }

        private static int DecodeSlot(Cell* cell, MethodTable* itf)
        {
            Cell* c = cell;
            for (int i = 0; i < MaxCellRun && c->Stub != 0; i++) c++;
            if (c->Stub != 0) Fail("dispatch cell run without a terminator", itf, -1, null, cell);
            long info = c->Data;
            if ((int)(info >> 16) != KindInterfaceAndSlot) Fail("dispatch cell kind other than interface-and-slot", itf, (int)(ushort)info, null, cell);
            return (ushort)info;
        }

        /// <summary>The implementation of interface slot <paramref name="slot"/> of <paramref name="itf"/> for objects of
        /// <paramref name="type"/>: the most derived class whose dispatch map names the pair wins; its implementation
        /// slot is a vtable slot (read from the object's own type, so overrides apply) or one of that class's sealed
        /// slots. Default interface methods are found only when no class implements the method (second pass).</summary>
        private static nint FindImplementation(MethodTable* type, MethodTable* itf, int slot, Cell* cell)
        {
            if (!type->IsCanonical) Fail("interface dispatch on an array or other non-class type", itf, slot, type, cell);
            if (!itf->IsInterface) Fail("dispatch cell does not name an interface", itf, slot, type, cell);
            // Where .NET would consider variant matches (a variant interface, or a generic interface on a type with
            // variance), another instantiation of the same generic interface in a class's map (with no exact match at
            // that level) makes the answer depend on variance rules this runtime does not implement: such calls panic
            // instead of picking a possibly wrong exact match further up the hierarchy. An exact match at the same level
            // wins, as in .NET (exact before variant at each level).
            bool variancePossible = itf->HasGenericVariance || (type->HasGenericVariance && itf->IsGeneric);

            for (int pass = 0; pass < 2; pass++)
            {
                bool defaults = pass == 1;
                for (MethodTable* current = type; current != null; current = current->RelatedType)
                {
                    if (!current->HasDispatchMap) continue;
                    DispatchMap* map = current->DispatchMap;
                    int first = defaults ? map->StandardEntryCount : 0;
                    int end = defaults ? map->StandardEntryCount + map->DefaultEntryCount : map->StandardEntryCount;
                    MethodTable** interfaces = current->InterfaceMap;
                    bool variantCandidate = false;
                    for (int i = first; i < end; i++)
                    {
                        DispatchMapEntry* e = map->Entry(i);
                        if (e->InterfaceSlot != slot) continue;
                        if (e->InterfaceIndex >= current->NumInterfaces) Fail("dispatch map entry outside the interface map", itf, slot, type, cell);
                        MethodTable* candidate = interfaces[e->InterfaceIndex];
                        if (candidate != itf)
                        {
                            if (variancePossible && candidate->IsGeneric && candidate->GenericDefinition == itf->GenericDefinition)
                                variantCandidate = true;
                            continue;
                        }
                        ushort impl = e->ImplementationSlot;
                        if (impl == SlotReabstraction) Fail("reabstracted interface method", itf, slot, type, cell);
                        if (impl == SlotDiamond) Fail("ambiguous default interface implementation (diamond)", itf, slot, type, cell);
                        // A vtable slot: read it from the object's type, where an override may have replaced it.
                        if (impl < current->NumVtableSlots) return type->VTable[impl];
                        if (!current->HasSealedVirtuals) Fail("implementation slot past the vtable of a type without sealed slots", itf, slot, type, cell);
                        // Default implementations of generic interfaces need an instantiating stub (the interface is their
                        // generic context), which this runtime does not build.
                        if (defaults && itf->IsGeneric) Fail("default interface method of a generic interface", itf, slot, type, cell);
                        return current->GetSealedVirtualSlot(impl - current->NumVtableSlots);
                    }
                    if (variantCandidate) Fail("variant interface dispatch (only exact interface matches are supported)", itf, slot, type, cell);
                }
            }
            Fail(itf->HasGenericVariance ? "variant interface dispatch (only exact interface matches are supported)" : "no implementation of the interface method", itf, slot, type, cell);
            return 0;
        }

        // "interface dispatch: <reason> interface=0x.. slot=.. type=0x.. cell=0x..": resolve the addresses with
        // `nm artifacts/kernel/kernel.elf` (MethodTables are the _ZTV* symbols, cells __InterfaceDispatchCell_*).
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private static void Fail(string reason, MethodTable* itf, int slot, MethodTable* type, Cell* cell)
        {
            fixed (char* buffer = s_message.Chars)
            {
                int n = 0;
                n = Append(buffer, n, "interface dispatch: ");
                n = Append(buffer, n, reason);
                n = Append(buffer, n, " interface=0x");
                n = AppendHex(buffer, n, (ulong)itf);
                n = Append(buffer, n, " slot=");
                n = slot < 0 ? Append(buffer, n, "?") : AppendDec(buffer, n, (uint)slot);
                n = Append(buffer, n, " type=0x");
                n = AppendHex(buffer, n, (ulong)type);
                n = Append(buffer, n, " cell=0x");
                n = AppendHex(buffer, n, (ulong)cell);
                KernelHooks.FailFast(buffer, n);
            }
        }

        private const int MessageCapacity = 256;

        private static int Append(char* buffer, int n, string text)
        {
            for (int i = 0; i < text.Length && n < MessageCapacity; i++) buffer[n++] = text[i];
            return n;
        }

        private static int AppendHex(char* buffer, int n, ulong value)
        {
            int digits = 1;
            while (digits < 16 && (value >> (4 * digits)) != 0) digits++;
            for (int d = digits - 1; d >= 0 && n < MessageCapacity; d--)
            {
                int nibble = (int)(value >> (4 * d)) & 0xF;
                buffer[n++] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
            }
            return n;
        }

        private static int AppendDec(char* buffer, int n, uint value)
        {
            int digits = 1;
            for (uint v = value; v >= 10; v /= 10) digits++;
            if (n + digits > MessageCapacity) return n;
            for (int d = digits - 1; d >= 0; d--) { buffer[n + d] = (char)('0' + value % 10); value /= 10; }
            return n + digits;
        }
    }
}
