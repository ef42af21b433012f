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
}
