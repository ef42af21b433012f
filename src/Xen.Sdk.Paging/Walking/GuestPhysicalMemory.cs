using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Paging.Walking;

/// <summary>Guest-physical memory as the guest walker sees it: every guest-physical access goes through the second
/// level (or none), and frames are reachable by pointer. Implemented by structs.</summary>
public unsafe interface IGuestPhysicalMemory
{
    /// <summary>Translates a guest-physical address for an access, or reports the second-level fault.</summary>
    SecondLevelWalk Translate(GuestPhysicalAddress guest, in NestedAccess access);
    /// <summary>A pointer to the 4 KiB host frame at <paramref name="frame"/>.</summary>
    byte* MapFrame(HostPhysicalAddress frame);
}

/// <summary>Guest memory behind EPT.</summary>
public unsafe struct EptGuestMemory<TFrames> : IGuestPhysicalMemory where TFrames : IPageFrameSource
{
    private TFrames _frames;
    private readonly EptFormat _format;
    private readonly HostPhysicalAddress _root;
    private readonly bool _updateAccessedDirty;

    /// <summary>Creates the view (<paramref name="updateAccessedDirty"/>: set EPT A/D flags like the CPU).</summary>
    public EptGuestMemory(TFrames frames, EptFormat format, HostPhysicalAddress root, bool updateAccessedDirty = false)
    {
        _frames = frames;
        _format = format;
        _root = root;
        _updateAccessedDirty = updateAccessedDirty;
    }

    /// <inheritdoc/>
    public SecondLevelWalk Translate(GuestPhysicalAddress guest, in NestedAccess access)
        => EptWalker.Walk(ref _frames, _format, _root, guest, access, _updateAccessedDirty);
    /// <inheritdoc/>
    public byte* MapFrame(HostPhysicalAddress frame) => _frames.MapFrame(frame);
}

/// <summary>Guest memory behind NPT.</summary>
public unsafe struct NptGuestMemory<TFrames> : IGuestPhysicalMemory where TFrames : IPageFrameSource
{
    private TFrames _frames;
    private readonly NptFormat _format;
    private readonly HostPhysicalAddress _root;
    private readonly bool _updateAccessedDirty;

    /// <summary>Creates the view.</summary>
    public NptGuestMemory(TFrames frames, NptFormat format, HostPhysicalAddress root, bool updateAccessedDirty = false)
    {
        _frames = frames;
        _format = format;
        _root = root;
        _updateAccessedDirty = updateAccessedDirty;
    }

    /// <inheritdoc/>
    public SecondLevelWalk Translate(GuestPhysicalAddress guest, in NestedAccess access)
        => NptWalker.Walk(ref _frames, _format, _root, guest, access, _updateAccessedDirty);
    /// <inheritdoc/>
    public byte* MapFrame(HostPhysicalAddress frame) => _frames.MapFrame(frame);
}

/// <summary>No second level: guest-physical equals host-physical (a guest's own view, or native paging). Paging
/// structures outside [<c>start</c>, <c>start + length</c>) give <see cref="WalkOutcome.OutsideMemory"/> instead of being
/// read; the final address is not read by the walker and is always translated.</summary>
public unsafe struct IdentityGuestMemory<TFrames> : IGuestPhysicalMemory where TFrames : IPageFrameSource
{
    private TFrames _frames;
    private readonly ulong _start, _length;

    /// <summary>Creates the view over the memory [<paramref name="start"/>, +<paramref name="length"/>) that
    /// <paramref name="frames"/> can map (default: everything).</summary>
    public IdentityGuestMemory(TFrames frames, ulong start = 0, ulong length = ulong.MaxValue)
    {
        _frames = frames;
        _start = start;
        _length = length;
    }

    /// <inheritdoc/>
    public SecondLevelWalk Translate(GuestPhysicalAddress guest, in NestedAccess access)
        => guest.Value - _start < _length || access.Origin == NestedOrigin.GuestFinal
            ? new() { Outcome = WalkOutcome.Ok, GuestAddress = guest, HostAddress = new HostPhysicalAddress(guest.Value), Level = 1,
                      Attributes = PageAttributes.ReadWriteExecute }
            : new() { Outcome = WalkOutcome.OutsideMemory, GuestAddress = guest };
    /// <inheritdoc/>
    public byte* MapFrame(HostPhysicalAddress frame) => _frames.MapFrame(frame);
}
