using System.Runtime.CompilerServices;

namespace Xen.Sdk.Paging.Frames;

/// <summary>A page-frame source over one contiguous block of memory whose first byte has host-physical address
/// <c>baseAddress</c>: a bump allocator with an intrusive free list (a freed frame holds the next free frame's
/// address in its first word). The state lives in the block's first frame, so copies of this struct share it.
/// Freestanding-safe; the kernel can use it over a physical range it owns, tests over host memory.</summary>
public readonly unsafe struct ArenaFrameSource : IPageFrameSource, IGuestFrameSource
{
    private struct State
    {
        public ulong Next;       // offset of the next never-used frame
        public ulong Limit;      // block length
        public ulong FreeHead;   // offset+1 of the first free frame, 0 = none
        public long Live;        // frames handed out and not freed
        public long HighWater;
    }

    private readonly byte* _memory;
    private readonly ulong _base;

    /// <summary>Creates a source over <paramref name="length"/> bytes at <paramref name="memory"/> (4 KiB aligned),
    /// whose host-physical (or guest-physical, for guest tables) address is <paramref name="baseAddress"/>.
    /// The first frame holds the allocator state.</summary>
    public ArenaFrameSource(byte* memory, ulong baseAddress, ulong length)
    {
        _memory = memory;
        _base = baseAddress;
        // SAFETY: the caller gives a writable, 4 KiB aligned block of at least one frame; the state uses its first 40 bytes.
        State* s = (State*)memory;
        s->Next = 4096;
        s->Limit = length & ~0xFFFUL;
        s->FreeHead = 0;
        s->Live = 0;
        s->HighWater = 0;
    }

    private State* S => (State*)_memory;

    /// <summary>Frames currently allocated.</summary>
    public long LiveFrames => S->Live;
    /// <summary>The most frames allocated at once.</summary>
    public long HighWaterFrames => S->HighWater;
    /// <summary>The address of the block's first byte.</summary>
    public ulong BaseAddress => _base;

    /// <summary>True if <paramref name="address"/> lies inside the block.</summary>
    public bool Contains(ulong address) => address - _base < S->Limit;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryAllocate(out ulong address)
    {
        State* s = S;
        ulong off;
        if (s->FreeHead != 0)
        {
            off = s->FreeHead - 1;
            // SAFETY: a free frame's first word holds the next free head (offset+1 or 0), written by Free.
            s->FreeHead = *(ulong*)(_memory + off);
        }
        else if (s->Next + 4096 <= s->Limit)
        {
            off = s->Next;
            s->Next += 4096;
        }
        else
        {
            address = 0;
            return false;
        }
        // SAFETY: off is a frame inside the block; frames are handed out zeroed.
        Unsafe.InitBlockUnaligned(_memory + off, 0, 4096);
        if (++s->Live > s->HighWater) s->HighWater = s->Live;
        address = _base + off;
        return true;
    }

    private void Free(ulong address)
    {
        State* s = S;
        ulong off = address - _base;
        // SAFETY: the frame was allocated from this block, so off + 8 <= Limit.
        *(ulong*)(_memory + off) = s->FreeHead;
        s->FreeHead = off + 1;
        s->Live--;
    }

    /// <inheritdoc/>
    public bool TryAllocateFrame(out HostPhysicalAddress frame)
    {
        bool ok = TryAllocate(out ulong a);
        frame = new HostPhysicalAddress(a);
        return ok;
    }

    /// <inheritdoc/>
    public void FreeFrame(HostPhysicalAddress frame) => Free(frame.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* MapFrame(HostPhysicalAddress frame) => _memory + (frame.Value - _base);

    /// <inheritdoc/>
    public bool TryAllocateFrame(out GuestPhysicalAddress frame)
    {
        bool ok = TryAllocate(out ulong a);
        frame = new GuestPhysicalAddress(a);
        return ok;
    }

    /// <inheritdoc/>
    public void FreeFrame(GuestPhysicalAddress frame) => Free(frame.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* MapFrame(GuestPhysicalAddress frame) => _memory + (frame.Value - _base);
}
