using System;

namespace Xen.Sdk.Vmx;

/// <summary>
/// A view of the 4-KByte MSR-bitmap page (Intel SDM Vol. 3C §25.6.9): read bitmap for low MSRs
/// 00000000H-00001FFFH at offset 0, read bitmap for high MSRs C0000000H-C0001FFFH at 1024, write bitmaps at
/// 2048 and 3072. A set bit makes RDMSR/WRMSR of that MSR exit; MSRs outside both ranges always exit.
/// </summary>
public readonly ref struct MsrBitmap
{
    private readonly Span<byte> _page;

    /// <summary>Wraps a page.</summary>
    /// <param name="page">At least 4096 bytes.</param>
    public MsrBitmap(Span<byte> page) => _page = page.Length >= 4096 ? page[..4096] : default;

    /// <summary>True when the wrapped page was large enough.</summary>
    public bool IsValid => _page.Length == 4096;

    /// <summary>Intercept (or pass through) every MSR access.</summary>
    /// <param name="intercept">True to intercept all.</param>
    public void SetAll(bool intercept) => _page.Fill(intercept ? (byte)0xFF : (byte)0);

    /// <summary>Sets whether RDMSR of <paramref name="msr"/> exits.</summary>
    /// <param name="msr">MSR index.</param>
    /// <param name="intercept">True to exit.</param>
    /// <returns>False for an MSR outside the two ranges (it always exits).</returns>
    public bool SetRead(uint msr, bool intercept) => Set(0, msr, intercept);

    /// <summary>Sets whether WRMSR of <paramref name="msr"/> exits.</summary>
    /// <param name="msr">MSR index.</param>
    /// <param name="intercept">True to exit.</param>
    /// <returns>False for an MSR outside the two ranges.</returns>
    public bool SetWrite(uint msr, bool intercept) => Set(2048, msr, intercept);

    /// <summary>True when RDMSR of <paramref name="msr"/> exits.</summary>
    /// <param name="msr">MSR index.</param>
    /// <returns>True when intercepted.</returns>
    public bool ReadExits(uint msr) => Get(0, msr);

    /// <summary>True when WRMSR of <paramref name="msr"/> exits.</summary>
    /// <param name="msr">MSR index.</param>
    /// <returns>True when intercepted.</returns>
    public bool WriteExits(uint msr) => Get(2048, msr);

    private static bool Locate(int baseOffset, uint msr, out int byteIndex, out int bit)
    {
        byteIndex = 0;
        bit = 0;
        int region;
        if (msr <= 0x1FFF)
        {
            region = 0;
        }
        else if (msr - 0xC000_0000u <= 0x1FFF)
        {
            region = 1024;
            msr -= 0xC000_0000u;
        }
        else
        {
            return false;
        }

        byteIndex = baseOffset + region + (int)(msr >> 3);
        bit = (int)(msr & 7);
        return true;
    }

    private bool Set(int baseOffset, uint msr, bool intercept)
    {
        if (!IsValid || !Locate(baseOffset, msr, out int i, out int bit))
        {
            return false;
        }

        _page[i] = intercept ? (byte)(_page[i] | (1 << bit)) : (byte)(_page[i] & ~(1 << bit));
        return true;
    }

    private bool Get(int baseOffset, uint msr)
        => !IsValid || !Locate(baseOffset, msr, out int i, out int bit) || (_page[i] & (1 << bit)) != 0;
}

/// <summary>
/// Views of the two 4-KByte I/O bitmaps (Intel SDM Vol. 3C §25.6.4): A covers ports 0000H-7FFFH, B covers
/// 8000H-FFFFH; a set bit makes an access to that port exit (with "use I/O bitmaps").
/// </summary>
public readonly ref struct IoBitmaps
{
    private readonly Span<byte> _a;
    private readonly Span<byte> _b;

    /// <summary>Wraps the two pages.</summary>
    /// <param name="bitmapA">Bitmap A (at least 4096 bytes).</param>
    /// <param name="bitmapB">Bitmap B (at least 4096 bytes).</param>
    public IoBitmaps(Span<byte> bitmapA, Span<byte> bitmapB)
    {
        _a = bitmapA.Length >= 4096 ? bitmapA[..4096] : default;
        _b = bitmapB.Length >= 4096 ? bitmapB[..4096] : default;
    }

    /// <summary>True when both pages were large enough.</summary>
    public bool IsValid => _a.Length == 4096 && _b.Length == 4096;

    /// <summary>Intercepts or passes through all ports.</summary>
    /// <param name="intercept">True to intercept.</param>
    public void SetAll(bool intercept)
    {
        _a.Fill(intercept ? (byte)0xFF : (byte)0);
        _b.Fill(intercept ? (byte)0xFF : (byte)0);
    }

    /// <summary>Sets interception of a range of ports (wrapping at FFFFH is not allowed).</summary>
    /// <param name="firstPort">First port.</param>
    /// <param name="count">Number of ports.</param>
    /// <param name="intercept">True to exit.</param>
    /// <returns>False when the range passes FFFFH or the pages are invalid.</returns>
    public bool Set(ushort firstPort, int count, bool intercept)
    {
        if (!IsValid || count < 0 || firstPort + count > 0x10000)
        {
            return false;
        }

        for (int p = firstPort; p < firstPort + count; p++)
        {
            Span<byte> page = p < 0x8000 ? _a : _b;
            int bit = p & 0x7FFF;
            page[bit >> 3] = intercept ? (byte)(page[bit >> 3] | (1 << (bit & 7))) : (byte)(page[bit >> 3] & ~(1 << (bit & 7)));
        }

        return true;
    }

    /// <summary>
    /// True when an access of <paramref name="size"/> bytes at <paramref name="port"/> exits: when any covered
    /// port's bit is set, or the access wraps past FFFFH (Intel SDM Vol. 3C §26.1.3).
    /// </summary>
    /// <param name="port">First port.</param>
    /// <param name="size">1, 2 or 4.</param>
    /// <returns>True when it exits.</returns>
    public bool Exits(ushort port, int size)
    {
        if (!IsValid || port + size > 0x10000)
        {
            return true;
        }

        for (int p = port; p < port + size; p++)
        {
            ReadOnlySpan<byte> page = p < 0x8000 ? _a : _b;
            int bit = p & 0x7FFF;
            if ((page[bit >> 3] & (1 << (bit & 7))) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
