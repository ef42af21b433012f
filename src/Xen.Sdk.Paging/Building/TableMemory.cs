using System.Runtime.CompilerServices;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Paging.Building;

/// <summary>Table frames in the builder's own address space (raw addresses: host-physical for EPT/NPT,
/// guest-physical for guest tables).</summary>
internal unsafe interface ITableMemory
{
    bool TryAllocate(out ulong address);
    void Free(ulong address);
    byte* Map(ulong address);
}

internal unsafe struct HostTableMemory<TFrames> : ITableMemory where TFrames : IPageFrameSource
{
    public TFrames Frames;
    public HostTableMemory(TFrames frames) => Frames = frames;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAllocate(out ulong address)
    {
        bool ok = Frames.TryAllocateFrame(out HostPhysicalAddress a);
        address = a.Value;
        return ok;
    }
    public void Free(ulong address) => Frames.FreeFrame(new HostPhysicalAddress(address));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Map(ulong address) => Frames.MapFrame(new HostPhysicalAddress(address));
}

internal unsafe struct GuestTableMemory<TFrames> : ITableMemory where TFrames : IGuestFrameSource
{
    public TFrames Frames;
    public GuestTableMemory(TFrames frames) => Frames = frames;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAllocate(out ulong address)
    {
        bool ok = Frames.TryAllocateFrame(out GuestPhysicalAddress a);
        address = a.Value;
        return ok;
    }
    public void Free(ulong address) => Frames.FreeFrame(new GuestPhysicalAddress(address));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Map(ulong address) => Frames.MapFrame(new GuestPhysicalAddress(address));
}
