namespace Xen.Sdk.Paging.Frames;

/// <summary>Where table frames come from. Implement it as a struct (the builder is generic over it, so calls are
/// direct). The reference kernel implements it over physical memory; <see cref="ArenaFrameSource"/> works over any
/// block of memory (host memory in tests).</summary>
public unsafe interface IPageFrameSource
{
    /// <summary>Allocates one zero-filled, 4 KiB aligned frame. Returns false when none is left.</summary>
    bool TryAllocateFrame(out HostPhysicalAddress frame);
    /// <summary>Returns a frame obtained from <see cref="TryAllocateFrame"/>.</summary>
    void FreeFrame(HostPhysicalAddress frame);
    /// <summary>A pointer through which the 4 KiB frame at <paramref name="frame"/> can be read and written by the
    /// current code (valid while the frame is allocated).</summary>
    byte* MapFrame(HostPhysicalAddress frame);
}

/// <summary>Where guest page-table frames come from: frames in guest-physical memory that the builder can write.</summary>
public unsafe interface IGuestFrameSource
{
    /// <summary>Allocates one zero-filled, 4 KiB aligned guest-physical frame.</summary>
    bool TryAllocateFrame(out GuestPhysicalAddress frame);
    /// <summary>Returns a frame.</summary>
    void FreeFrame(GuestPhysicalAddress frame);
    /// <summary>A pointer to the 4 KiB guest frame.</summary>
    byte* MapFrame(GuestPhysicalAddress frame);
}
