using System.Threading;

namespace Xen.Sdk.Rings.Internal;

// netstandard2.0 has no Interlocked.Or/And: a compare-exchange loop, which is what the hardware does for a
// fetch-or whose result is used. Included for netstandard2.0 only (see Xen.Sdk.Rings.csproj).
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
