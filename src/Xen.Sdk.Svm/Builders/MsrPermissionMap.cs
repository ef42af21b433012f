using System;

namespace Xen.Sdk.Svm;

/// <summary>
/// Builder and reader for the 8 KiB MSR permission map (MSRPM) over a caller-provided span: two bits per
/// MSR (even bit = intercept RDMSR, odd bit = intercept WRMSR) for three ranges: 0000_0000h-0000_1FFFh
/// at bytes 000h-7FFh, C000_0000h-C000_1FFFh at 800h-FFFh, C001_0000h-C001_1FFFh at 1000h-17FFh;
/// 1800h-1FFFh are reserved. Accesses to MSRs outside the ranges are always intercepted
/// (AMD APM Vol. 2 §15.11, Table 15-6).
/// </summary>
public static class MsrPermissionMap
{
    /// <summary>Size of the MSRPM in bytes (two contiguous 4 KiB pages).</summary>
    public const int Size = 2 * 4096;

    /// <summary>Finds the bit offset of an MSR's read-intercept bit (the write bit is the next one).</summary>
    /// <param name="msr">The MSR index.</param>
    /// <param name="readBit">Bit offset of the read bit from the start of the map.</param>
    /// <returns>False if the MSR is in none of the three ranges.</returns>
    public static bool TryGetBitOffset(uint msr, out int readBit)
    {
        uint range;
        if (msr <= 0x1FFFu) range = 0;
        else if (msr - 0xC000_0000u <= 0x1FFFu) range = 1;
        else if (msr - 0xC001_0000u <= 0x1FFFu) range = 2;
        else { readBit = -1; return false; }
        readBit = (int)(range * 0x800u * 8u + (msr & 0x1FFFu) * 2u);
        return true;
    }

    /// <summary>Fills the whole map: intercept every access (<c>true</c>) or none (<c>false</c>).</summary>
    /// <param name="map">The map, at least <see cref="Size"/> bytes.</param>
    /// <param name="interceptAll">True to intercept everything.</param>
    /// <returns>False if <paramref name="map"/> is too short.</returns>
    public static bool TryInitialize(Span<byte> map, bool interceptAll)
    {
        if (map.Length < Size) return false;
        map.Slice(0, Size).Fill(interceptAll ? (byte)0xFF : (byte)0);
        return true;
    }

    /// <summary>Sets the read and write intercept bits of one MSR.</summary>
    /// <param name="map">The map.</param>
    /// <param name="msr">The MSR index.</param>
    /// <param name="interceptRead">Intercept RDMSR.</param>
    /// <param name="interceptWrite">Intercept WRMSR.</param>
    /// <returns>False if the map is too short or the MSR is outside the three ranges (it is then always intercepted).</returns>
    public static bool TrySetIntercept(Span<byte> map, uint msr, bool interceptRead, bool interceptWrite)
    {
        if (map.Length < Size || !TryGetBitOffset(msr, out int bit)) return false;
        ref byte b = ref map[bit >> 3];
        int shift = bit & 7; // even, so both bits are in the same byte
        b = (byte)((b & ~(3 << shift)) | ((interceptRead ? 1 : 0) << shift) | ((interceptWrite ? 2 : 0) << shift));
        return true;
    }

    /// <summary>Whether the processor intercepts RDMSR (<paramref name="write"/> false) or WRMSR of an MSR.</summary>
    /// <param name="map">The map.</param>
    /// <param name="msr">The MSR index.</param>
    /// <param name="write">True for WRMSR.</param>
    /// <returns>True if intercepted (always for MSRs outside the ranges, or when the map is too short).</returns>
    public static bool IsIntercepted(ReadOnlySpan<byte> map, uint msr, bool write)
    {
        if (map.Length < Size || !TryGetBitOffset(msr, out int bit)) return true;
        bit += write ? 1 : 0;
        return ((map[bit >> 3] >> (bit & 7)) & 1) != 0;
    }
}
