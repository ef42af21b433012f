using System;
using System.Runtime.InteropServices;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Paging.Tests;

/// <summary>Host memory for tests: an aligned native block wrapped by <see cref="ArenaFrameSource"/>, freed on dispose.</summary>
internal sealed unsafe class HostArena : IDisposable
{
    public readonly byte* Memory;
    public readonly ulong Length;
    public readonly ArenaFrameSource Frames;

    public HostArena(ulong length, ulong baseAddress = 0x1_0000_0000UL)
    {
        Length = length;
        Memory = (byte*)NativeMemory.AlignedAlloc((nuint)length, 4096);
        Frames = new ArenaFrameSource(Memory, baseAddress, length);
    }

    public void Dispose() => NativeMemory.AlignedFree(Memory);
}
