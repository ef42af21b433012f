using System;
using System.Runtime.InteropServices;

namespace Xen.Sdk.Rings.Tests.Hostile;

/// <summary>
/// Pages with an inaccessible (PROT_NONE) page right before and right after them: any access outside the
/// ring's memory faults and kills the test process, so "zero out-of-bounds accesses" is enforced by the MMU.
/// </summary>
internal sealed unsafe class GuardedPages : IDisposable
{
    private const int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    private readonly byte* _base;
    private readonly nuint _total;

    [DllImport("libc", SetLastError = true)] private static extern void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);
    [DllImport("libc", SetLastError = true)] private static extern int mprotect(void* addr, nuint len, int prot);
    [DllImport("libc", SetLastError = true)] private static extern int munmap(void* addr, nuint length);

    public GuardedPages(int pages)
    {
        Pages = pages;
        _total = (nuint)((pages + 2) * 4096);
        _base = (byte*)mmap(null, _total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if ((nint)_base == -1) throw new InvalidOperationException("mmap failed");
        if (mprotect(_base, 4096, PROT_NONE) != 0 || mprotect(_base + (pages + 1) * 4096, 4096, PROT_NONE) != 0)
            throw new InvalidOperationException("mprotect failed");
    }

    public int Pages { get; }

    /// <summary>First accessible byte.</summary>
    public byte* Start => _base + 4096;

    public int Length => Pages * 4096;

    public Span<byte> Span => new(Start, Length);

    /// <summary>A pointer placed so that <paramref name="bytes"/> bytes end exactly at the trailing guard page.</summary>
    public byte* EndAligned(int bytes) => Start + Length - bytes;

    public void Dispose() => munmap(_base, _total);
}
