using System;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Paging;

/// <summary>A host-physical address (what EPT/NPT leaves and table pointers hold). Distinct from
/// <see cref="GuestPhysicalAddress"/> and <see cref="GuestVirtualAddress"/> so the spaces cannot be mixed up.</summary>
/// <param name="Value">The address.</param>
public readonly record struct HostPhysicalAddress(ulong Value)
{
    /// <summary>The 4 KiB frame number (<c>Value &gt;&gt; 12</c>).</summary>
    public ulong FrameNumber => Value >> 12;
    /// <summary>Adds a byte offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HostPhysicalAddress Add(ulong offset) => new(Value + offset);
    /// <summary>True when the address is aligned to <paramref name="alignment"/> (a power of two).</summary>
    public bool IsAligned(ulong alignment) => (Value & (alignment - 1)) == 0;
}

/// <summary>A guest-physical address: the input of EPT/NPT, the output of guest page tables.</summary>
/// <param name="Value">The address.</param>
public readonly record struct GuestPhysicalAddress(ulong Value)
{
    /// <summary>The 4 KiB frame number (<c>Value &gt;&gt; 12</c>).</summary>
    public ulong FrameNumber => Value >> 12;
    /// <summary>Adds a byte offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public GuestPhysicalAddress Add(ulong offset) => new(Value + offset);
    /// <summary>True when the address is aligned to <paramref name="alignment"/> (a power of two).</summary>
    public bool IsAligned(ulong alignment) => (Value & (alignment - 1)) == 0;
}

/// <summary>A guest-virtual (linear) address: the input of guest page tables.</summary>
/// <param name="Value">The address (canonical form is the caller's concern; the walker checks it).</param>
public readonly record struct GuestVirtualAddress(ulong Value)
{
    /// <summary>Adds a byte offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public GuestVirtualAddress Add(ulong offset) => new(Value + offset);
    /// <summary>True when the address is aligned to <paramref name="alignment"/> (a power of two).</summary>
    public bool IsAligned(ulong alignment) => (Value & (alignment - 1)) == 0;
}
