using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Vmx;

/// <summary>Why an EPTP could not be built.</summary>
public enum EptPointerStatus : byte
{
    /// <summary>Built.</summary>
    Ok = 0,
    /// <summary>The root is not 4-KByte aligned or lies beyond the physical-address width.</summary>
    BadRoot = 1,
    /// <summary>The processor does not support this page-walk length (IA32_VMX_EPT_VPID_CAP bits 6/7).</summary>
    UnsupportedWalkLength = 2,
    /// <summary>The processor does not support this paging-structure memory type (bits 8/14).</summary>
    UnsupportedMemoryType = 3,
    /// <summary>The processor does not support accessed/dirty flags (bit 21).</summary>
    UnsupportedAccessedDirty = 4,
}

/// <summary>
/// Builds the EPT pointer (Intel SDM Vol. 3C §25.6.11, Table 25-9): memory type (2:0), page-walk length
/// minus 1 (5:3), accessed/dirty enable (6), root physical address (N-1:12). The result passes the VM-entry
/// checker's EPTP rules (§27.2.1.1) for the given capabilities.
/// </summary>
public static class EptPointer
{
    /// <summary>Builds an EPTP from a root table address.</summary>
    /// <param name="root">Host-physical address of the EPT PML4 (or PML5) table.</param>
    /// <param name="capabilities">Processor capabilities.</param>
    /// <param name="eptp">The EPTP.</param>
    /// <param name="levels">4 or 5.</param>
    /// <param name="accessedDirty">Enable accessed/dirty flags.</param>
    /// <param name="memoryType">Paging-structure memory type: 0 (UC) or 6 (WB).</param>
    /// <returns>The status.</returns>
    public static EptPointerStatus TryCreate(HostPhysicalAddress root, in VmxCapabilities capabilities, out ulong eptp, int levels = 4, bool accessedDirty = false, uint memoryType = 6)
    {
        eptp = 0;
        ulong cap = capabilities.EptVpidCap;
        int phys = capabilities.PhysicalAddressBits == 0 ? 36 : capabilities.PhysicalAddressBits;
        if ((root.Value & 0xFFF) != 0 || (root.Value >> phys) != 0)
        {
            return EptPointerStatus.BadRoot;
        }

        if (!((levels == 4 && (cap & (1UL << 6)) != 0) || (levels == 5 && (cap & (1UL << 7)) != 0)))
        {
            return EptPointerStatus.UnsupportedWalkLength;
        }

        if (!((memoryType == 0 && (cap & (1UL << 8)) != 0) || (memoryType == 6 && (cap & (1UL << 14)) != 0)))
        {
            return EptPointerStatus.UnsupportedMemoryType;
        }

        if (accessedDirty && (cap & (1UL << 21)) == 0)
        {
            return EptPointerStatus.UnsupportedAccessedDirty;
        }

        eptp = root.Value | memoryType | (ulong)(levels - 1) << 3 | (accessedDirty ? 0x40UL : 0);
        return EptPointerStatus.Ok;
    }

    /// <summary>Builds the EPTP for tables built with <c>Xen.Sdk.Paging</c> (root, walk length and A/D from the tables' format).</summary>
    /// <typeparam name="TFrames">Frame source of the tables.</typeparam>
    /// <param name="tables">The EPT tables.</param>
    /// <param name="capabilities">Processor capabilities.</param>
    /// <param name="eptp">The EPTP.</param>
    /// <returns>The status.</returns>
    public static EptPointerStatus TryCreate<TFrames>(in SecondLevelTables<EptFormat, TFrames> tables, in VmxCapabilities capabilities, out ulong eptp)
        where TFrames : IPageFrameSource
        => TryCreate(tables.Root, in capabilities, out eptp, tables.Format.Levels, tables.Format.AccessedDirtyEnabled);

    /// <summary>Root table address of an EPTP (bits 51:12).</summary>
    /// <param name="eptp">EPTP.</param>
    /// <returns>Root address.</returns>
    public static HostPhysicalAddress Root(ulong eptp) => new(eptp & 0x000F_FFFF_FFFF_F000UL);
}

/// <summary>
/// A virtual-processor identifier (Intel SDM Vol. 3C §29.1): 16 bits, never 0 when "enable VPID" is 1
/// (VPID 0 is the VMM's own, §27.2.1.1).
/// </summary>
public readonly struct Vpid : System.IEquatable<Vpid>
{
    /// <inheritdoc/>
    public bool Equals(Vpid other) => Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Vpid other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Value.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(Vpid left, Vpid right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(Vpid left, Vpid right) => !left.Equals(right);


    private Vpid(ushort value) => Value = value;

    /// <summary>The value written to the VPID field.</summary>
    public ushort Value { get; }

    /// <summary>Creates a VPID; false for 0.</summary>
    /// <param name="value">Value.</param>
    /// <param name="vpid">The VPID.</param>
    /// <returns>False for 0.</returns>
    public static bool TryCreate(ushort value, out Vpid vpid)
    {
        vpid = new Vpid(value);
        return value != 0;
    }

    /// <summary>Writes the VPID field and sets "enable VPID" in the secondary controls.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <returns>The first failing access, or success.</returns>
    public VmxInstructionResult EnableIn<TVmcs>(TVmcs vmcs) where TVmcs : IVmcsAccess
    {
        VmxInstructionResult r = vmcs.Write(VmcsFields.VirtualProcessorId, Value);
        if (!r.Succeeded)
        {
            return r;
        }

        r = vmcs.TryRead(VmcsFields.SecondaryProcessorBasedControls, out uint p2);
        return r.Succeeded ? vmcs.Write(VmcsFields.SecondaryProcessorBasedControls, p2 | (uint)SecondaryProcessorControls.EnableVpid) : r;
    }
}

/// <summary>Hands out VPIDs 1..65535 from a caller-owned bitmap (1024 ulongs); no allocation per call.</summary>
public struct VpidAllocator
{
    /// <summary>Words the bitmap needs.</summary>
    public const int BitmapWords = 1024;

    private int _next;

    /// <summary>Allocates the lowest free VPID at or after the last one handed out (wrapping).</summary>
    /// <param name="bitmap">The bitmap (bit set = in use); at least <see cref="BitmapWords"/> words.</param>
    /// <param name="vpid">The VPID.</param>
    /// <returns>False when all 65535 are in use or the bitmap is too small.</returns>
    public bool TryAllocate(System.Span<ulong> bitmap, out Vpid vpid)
    {
        vpid = default;
        if (bitmap.Length < BitmapWords)
        {
            return false;
        }

        for (int n = 0; n < 65535; n++)
        {
            int v = ((_next + n) % 65535) + 1;
            ref ulong w = ref bitmap[v >> 6];
            if ((w & (1UL << (v & 63))) == 0)
            {
                w |= 1UL << (v & 63);
                _next = v;
                return Vpid.TryCreate((ushort)v, out vpid);
            }
        }

        return false;
    }

    /// <summary>Returns a VPID to the pool.</summary>
    /// <param name="bitmap">The bitmap.</param>
    /// <param name="vpid">The VPID.</param>
    public static void Free(System.Span<ulong> bitmap, Vpid vpid)
    {
        if (bitmap.Length >= BitmapWords)
        {
            bitmap[vpid.Value >> 6] &= ~(1UL << (vpid.Value & 63));
        }
    }
}
