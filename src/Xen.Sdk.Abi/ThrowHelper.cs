using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Abi;

/// <summary>Throws for programming errors only (an index outside a fixed C array); never for guest input.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowIndexOutOfRange() => throw new IndexOutOfRangeException();
}
