namespace Xen.Sdk.Abi;

/// <summary>Page-frame arithmetic between guest frame numbers and guest-physical addresses (4 KiB pages).</summary>
public readonly partial struct Gfn
{
    /// <summary>log2 of the x86 page size (<c>XEN_PAGE_SHIFT</c>).</summary>
    public const int PageShift = 12;

    /// <summary>The guest-physical address of the first byte of this frame.</summary>
    /// <returns><c>gfn &lt;&lt; 12</c>.</returns>
    public GuestPhysicalAddress ToAddress() => new(Value << PageShift);
}

public readonly partial struct GuestPhysicalAddress
{
    /// <summary>The frame holding this address.</summary>
    public Gfn Frame => new(Value >> Gfn.PageShift);

    /// <summary>The offset of this address within its 4 KiB page.</summary>
    public uint PageOffset => (uint)(Value & ((1UL << Gfn.PageShift) - 1));
}

public readonly partial struct DomainId
{
    /// <summary><c>DOMID_SELF</c>: the calling domain.</summary>
    public static DomainId Self => new(0x7FF0);

    /// <summary>Whether this is one of the reserved ids (<c>DOMID_FIRST_RESERVED</c> and above).</summary>
    public bool IsReserved => Value >= 0x7FF0;
}
