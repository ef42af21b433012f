using System.Threading;

namespace Xen.Sdk.Rings.Internal;

// Fetch-or / fetch-and / byte exchange as compare-exchange loops on 32/64-bit words, on every target: the
// reference kernel's core library provides only CompareExchange/Exchange on int/long/uint/ulong (the
// freestanding check rejects Interlocked.Or/And and the byte overloads), and netstandard2.0 has none of them.
// A `lock cmpxchg` loop is also what the JIT emits for Interlocked.Or/And when the old value is used.
internal static unsafe partial class Atomic
{
    /// <summary>Atomic OR (full barrier); returns the old value.</summary>
    public static ulong Or64(ulong* p, ulong bits)
    {
        long old = Volatile.Read(ref *(long*)p);
        while (true)
        {
            long seen = Interlocked.CompareExchange(ref *(long*)p, old | (long)bits, old);
            if (seen == old) return (ulong)old;
            old = seen;
        }
    }

    /// <summary>Atomic AND (full barrier); returns the old value.</summary>
    public static ulong And64(ulong* p, ulong bits)
    {
        long old = Volatile.Read(ref *(long*)p);
        while (true)
        {
            long seen = Interlocked.CompareExchange(ref *(long*)p, old & (long)bits, old);
            if (seen == old) return (ulong)old;
            old = seen;
        }
    }

    /// <summary>Atomic OR (full barrier); returns the old value.</summary>
    public static uint Or32(uint* p, uint bits)
    {
        int old = Volatile.Read(ref *(int*)p);
        while (true)
        {
            int seen = Interlocked.CompareExchange(ref *(int*)p, old | (int)bits, old);
            if (seen == old) return (uint)old;
            old = seen;
        }
    }

    /// <summary>Atomic AND (full barrier); returns the old value.</summary>
    public static uint And32(uint* p, uint bits)
    {
        int old = Volatile.Read(ref *(int*)p);
        while (true)
        {
            int seen = Interlocked.CompareExchange(ref *(int*)p, old & (int)bits, old);
            if (seen == old) return (uint)old;
            old = seen;
        }
    }

    /// <summary>Atomic byte exchange (full barrier) through a compare-exchange of the aligned 32-bit word holding it.</summary>
    public static byte Exchange(byte* p, byte value)
    {
        // SAFETY: the aligned word containing *p lies in the same naturally aligned 4 bytes as *p, which the
        // caller's shared structure covers (vcpu_info is 64-byte aligned); only our byte is changed.
        int* word = (int*)((nuint)p & ~(nuint)3);
        int shift = (int)((nuint)p & 3) * 8;
        int old = Volatile.Read(ref *word);
        while (true)
        {
            int updated = (old & ~(0xFF << shift)) | (value << shift);
            int seen = Interlocked.CompareExchange(ref *word, updated, old);
            if (seen == old) return (byte)(old >> shift);
            old = seen;
        }
    }
}
