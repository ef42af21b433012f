using System.Runtime.CompilerServices;
using System.Threading;

namespace Xen.Sdk.Rings.Internal;

// .NET 5+ has native Interlocked.Or/And (a `lock or`/`lock and`, or a `lock cmpxchg` loop when the old value
// is used). Included for net10.0 only (see Xen.Sdk.Rings.csproj).
internal static unsafe partial class Atomic
{
    /// <summary>Atomic OR (full barrier); returns the old value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Or64(ulong* p, ulong bits) => Interlocked.Or(ref *p, bits);

    /// <summary>Atomic AND (full barrier); returns the old value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong And64(ulong* p, ulong bits) => Interlocked.And(ref *p, bits);

    /// <summary>Atomic OR (full barrier); returns the old value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Or32(uint* p, uint bits) => Interlocked.Or(ref *p, bits);

    /// <summary>Atomic AND (full barrier); returns the old value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint And32(uint* p, uint bits) => Interlocked.And(ref *p, bits);

    /// <summary>Atomic byte exchange (full barrier); returns the old value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Exchange(byte* p, byte value) => Interlocked.Exchange(ref *p, value);
}
