using System.Runtime.CompilerServices;
using System.Threading;

namespace Xen.Sdk.Rings.Internal;

/// <summary>
/// The memory-ordering primitives every shared-memory protocol in this library uses, and their mapping to
/// Xen's barriers (xen/include/public/io/ring.h):
/// <list type="bullet">
/// <item><c>xen_wmb()</c> before publishing a producer index = <c>WriteRelease</c> of that index
/// (a release store: every earlier store, e.g. the ring entries, is visible before the index is).</item>
/// <item><c>xen_rmb()</c> after reading a producer index = <c>ReadAcquire</c> of that index (an
/// acquire load: no later load, e.g. of the entries, is satisfied before the index is read).</item>
/// <item><c>xen_mb()</c> = <see cref="FullBarrier"/> or a locked read-modify-write (<c>Exchange</c>,
/// <c>CompareExchange</c>, <see cref="Or32"/>...), the only x86 operations that order a store
/// before a later load.</item>
/// </list>
/// On x86 a release store and an acquire load compile to plain moves (TSO), exactly like Linux's
/// <c>virt_wmb()</c>/<c>virt_rmb()</c>; the JIT still keeps them in order.
/// The read-modify-write helpers (Or/And/byte exchange as compare-exchange loops) live in <c>Atomic.Rmw.cs</c>.
/// </summary>
internal static unsafe partial class Atomic
{
    /// <summary>Acquire load (the reader's half of <c>xen_rmb()</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadAcquire(uint* p) => Volatile.Read(ref *p);

    /// <summary>Release store (the writer's half of <c>xen_wmb()</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRelease(uint* p, uint value) => Volatile.Write(ref *p, value);

    /// <summary>Acquire load of a 64-bit word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadAcquire(ulong* p) => Volatile.Read(ref *p);

    /// <summary>Acquire load of a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ReadAcquire(byte* p) => Volatile.Read(ref *p);

    /// <summary>Release store of a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRelease(byte* p, byte value) => Volatile.Write(ref *p, value);

    /// <summary>Acquire load of a 16-bit word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ReadAcquire(ushort* p) => Volatile.Read(ref *p);

    /// <summary>Release store of a 16-bit word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRelease(ushort* p, ushort value) => Volatile.Write(ref *p, value);

    /// <summary>Release store of a 64-bit word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRelease(ulong* p, ulong value) => Volatile.Write(ref *p, value);

    /// <summary><c>xen_mb()</c>: a full fence (earlier stores are globally visible before later loads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FullBarrier() => Interlocked.MemoryBarrier();

    /// <summary>Atomic exchange with full-barrier semantics (a store followed by <c>xen_mb()</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exchange(uint* p, uint value) => (uint)Interlocked.Exchange(ref *(int*)p, (int)value);

    /// <summary>Atomic compare-and-exchange (full barrier); returns the value seen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint CompareExchange(uint* p, uint value, uint comparand)
        => (uint)Interlocked.CompareExchange(ref *(int*)p, (int)value, (int)comparand);

    /// <summary>Atomic 64-bit compare-and-exchange (full barrier); returns the value seen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange(ulong* p, ulong value, ulong comparand)
        => (ulong)Interlocked.CompareExchange(ref *(long*)p, (long)value, (long)comparand);

    /// <summary>Atomic bit test-and-set on a 64-bit word; returns whether the bit was already set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TestAndSet(ulong* word, int bit) => (Or64(word, 1UL << bit) & (1UL << bit)) != 0;

    /// <summary>Atomic bit test-and-clear on a 64-bit word; returns whether the bit was set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TestAndClear(ulong* word, int bit) => (And64(word, ~(1UL << bit)) & (1UL << bit)) != 0;

    /// <summary>Atomic bit test-and-set on a 32-bit word; returns whether the bit was already set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TestAndSet(uint* word, int bit) => (Or32(word, 1U << bit) & (1U << bit)) != 0;

    /// <summary>Atomic bit test-and-clear on a 32-bit word; returns whether the bit was set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TestAndClear(uint* word, int bit) => (And32(word, ~(1U << bit)) & (1U << bit)) != 0;
}
