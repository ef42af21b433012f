using System;

namespace Xen.Sdk.Svm;

/// <summary>
/// Builder and reader for the 12 KiB I/O permission map (IOPM) over a caller-provided span: one bit per
/// port 0-FFFFh (bit set = intercept); an access of N bytes to port P is intercepted if any of the bits
/// P..P+N-1 is set, so the third 4 KiB page holds the bits for accesses that run past FFFFh
/// (AMD APM Vol. 2 §15.10.1).
/// </summary>
public static class IoPermissionMap
{
    /// <summary>Size of the IOPM in bytes (three contiguous 4 KiB pages, physically contiguous and 4 KiB aligned).</summary>
    public const int Size = 3 * 4096;

    /// <summary>Fills the whole map: every port intercepted (<c>true</c>) or none (<c>false</c>).</summary>
    /// <param name="map">The map, at least <see cref="Size"/> bytes.</param>
    /// <param name="interceptAll">True to intercept every port.</param>
    /// <returns>False if <paramref name="map"/> is too short.</returns>
    public static bool TryInitialize(Span<byte> map, bool interceptAll)
    {
        if (map.Length < Size) return false;
        map.Slice(0, Size).Fill(interceptAll ? (byte)0xFF : (byte)0);
        return true;
    }

    /// <summary>Sets or clears the intercept bit of one port.</summary>
    /// <param name="map">The map.</param>
    /// <param name="port">The port.</param>
    /// <param name="intercept">True to intercept.</param>
    /// <returns>False if <paramref name="map"/> is too short.</returns>
    public static bool TrySetIntercept(Span<byte> map, ushort port, bool intercept)
    {
        if (map.Length < Size) return false;
        ref byte b = ref map[port >> 3];
        byte bit = (byte)(1 << (port & 7));
        b = intercept ? (byte)(b | bit) : (byte)(b & ~bit);
        return true;
    }

    /// <summary>Sets or clears the intercept bits of <paramref name="count"/> consecutive ports.</summary>
    /// <param name="map">The map.</param>
    /// <param name="firstPort">The first port.</param>
    /// <param name="count">Number of ports (the range must end at or below 10000h).</param>
    /// <param name="intercept">True to intercept.</param>
    /// <returns>False if the map is too short or the range is invalid.</returns>
    public static bool TrySetIntercept(Span<byte> map, ushort firstPort, int count, bool intercept)
    {
        if (map.Length < Size || count < 0 || firstPort + count > 0x10000) return false;
        for (int p = firstPort; p < firstPort + count; p++)
        {
            ref byte b = ref map[p >> 3];
            byte bit = (byte)(1 << (p & 7));
            b = intercept ? (byte)(b | bit) : (byte)(b & ~bit);
        }
        return true;
    }

    /// <summary>Whether the processor intercepts an access of <paramref name="size"/> bytes (1, 2 or 4) to
    /// <paramref name="port"/>: any of the bits port..port+size-1 set (AMD APM Vol. 2 §15.10.1).</summary>
    /// <param name="map">The map.</param>
    /// <param name="port">The port.</param>
    /// <param name="size">Access size in bytes.</param>
    /// <returns>True if intercepted; true also when the map is too short (fail closed).</returns>
    public static bool IsIntercepted(ReadOnlySpan<byte> map, ushort port, int size)
    {
        if (map.Length < Size) return true;
        for (int i = 0; i < size; i++)
        {
            int p = port + i;
            if (((map[p >> 3] >> (p & 7)) & 1) != 0) return true;
        }
        return false;
    }
}
