using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.Sdk.Abi;

/// <summary>
/// Allocation-free, exception-free reading and writing of ABI structs over guest memory.
/// </summary>
/// <remarks>
/// The double-fetch rule (XSA-155): memory that another domain can write while you look at it is read
/// exactly once, with <see cref="TryRead{T}(ReadOnlySpan{byte}, out T)"/>, into a private copy; validate and
/// use only that copy. A live view (<see cref="TryView{T}(Span{byte}, out Span{T})"/>) re-reads the shared
/// bytes on every access, so a check made through it can be undone by the peer before the use.
/// </remarks>
public static class XenAbi
{
    /// <summary>Copies a <typeparamref name="T"/> out of <paramref name="source"/> (unaligned allowed).</summary>
    /// <typeparam name="T">An ABI struct or primitive.</typeparam>
    /// <param name="source">The bytes; only the first <c>sizeof(T)</c> are read, each exactly once.</param>
    /// <param name="value">The private copy, or default when <paramref name="source"/> is too short.</param>
    /// <returns><see langword="false"/> when <paramref name="source"/> is shorter than <c>sizeof(T)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead<T>(ReadOnlySpan<byte> source, out T value)
        where T : unmanaged
    {
        if (source.Length < Unsafe.SizeOf<T>())
        {
            value = default;
            return false;
        }

        // SAFETY: the length check above guarantees sizeof(T) readable bytes; T is unmanaged (no references),
        // so any bit pattern is a valid T; ReadUnaligned makes no alignment assumption.
        value = Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(source));
        return true;
    }

    /// <summary>Writes <paramref name="value"/> to the start of <paramref name="destination"/> (unaligned allowed).</summary>
    /// <typeparam name="T">An ABI struct or primitive.</typeparam>
    /// <param name="destination">At least <c>sizeof(T)</c> bytes.</param>
    /// <param name="value">The value to write.</param>
    /// <returns><see langword="false"/> (and nothing written) when <paramref name="destination"/> is too short.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite<T>(Span<byte> destination, in T value)
        where T : unmanaged
    {
        if (destination.Length < Unsafe.SizeOf<T>())
        {
            return false;
        }

        // SAFETY: the length check above guarantees sizeof(T) writable bytes; WriteUnaligned makes no
        // alignment assumption.
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(destination), value);
        return true;
    }

    /// <summary>
    /// A live, one-element view of a <typeparamref name="T"/> at the start of <paramref name="memory"/>. Use it
    /// for memory you own or to produce (write) into shared memory; never validate a peer's data through it.
    /// </summary>
    /// <typeparam name="T">An ABI struct.</typeparam>
    /// <param name="memory">The bytes (x86 permits unaligned access).</param>
    /// <param name="view">A span of length 1 over the bytes, or empty when <paramref name="memory"/> is too short.</param>
    /// <returns><see langword="false"/> when <paramref name="memory"/> is shorter than <c>sizeof(T)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryView<T>(Span<byte> memory, out Span<T> view)
        where T : unmanaged
    {
        if (memory.Length < Unsafe.SizeOf<T>())
        {
            view = default;
            return false;
        }

        view = MemoryMarshal.Cast<byte, T>(memory.Slice(0, Unsafe.SizeOf<T>()));
        return true;
    }
}
