using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.Sdk.Svm;

/// <summary>
/// One segment register (or descriptor-table register) in the VMCB state-save area: selector, packed
/// attributes, 32-bit limit and 64-bit base, 16 bytes (AMD APM Vol. 2 Appendix B, Table B-2; the
/// attribute packing is described in AMD APM Vol. 2 §15.5.1).
/// </summary>
/// <remarks><c>struct vmcb_seg</c>. For GDTR and IDTR only <see cref="Limit"/> (low 16 bits) and
/// <see cref="Base"/> are used.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct VmcbSegment
{
    /// <summary>Offset 00h: the selector.</summary>
    [FieldOffset(0x0)] public ushort Selector;

    /// <summary>Offset 02h: the attributes, packed (descriptor bits 47:40 in 7:0, bits 55:52 in 11:8).</summary>
    [FieldOffset(0x2)] public SvmSegmentAttributes Attributes;

    /// <summary>Offset 04h: the limit, in bytes (already scaled by the granularity bit).</summary>
    [FieldOffset(0x4)] public uint Limit;

    /// <summary>Offset 08h: the base address. VMRUN canonicalises it (AMD APM Vol. 2 §15.5.1).</summary>
    [FieldOffset(0x8)] public ulong Base;

    /// <summary>Creates a segment value.</summary>
    /// <param name="selector">The selector.</param>
    /// <param name="attributes">The packed attributes.</param>
    /// <param name="limit">The byte-granular limit.</param>
    /// <param name="baseAddress">The base address.</param>
    public VmcbSegment(ushort selector, SvmSegmentAttributes attributes, uint limit, ulong baseAddress)
    {
        Selector = selector;
        Attributes = attributes;
        Limit = limit;
        Base = baseAddress;
    }
}

/// <summary>
/// The 12-bit packed segment attribute word of a <see cref="VmcbSegment"/>: descriptor bits 47:40
/// (type, S, DPL, P) in bits 7:0 and descriptor bits 55:52 (AVL, L, D/B, G) in bits 11:8
/// (AMD APM Vol. 2 §15.5.1, Appendix B Table B-2).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 2)]
public struct SvmSegmentAttributes : System.IEquatable<SvmSegmentAttributes>
{
    /// <summary>Bit mask of the type field (bits 3:0).</summary>
    public const ushort TypeMask = 0x000F;
    /// <summary>S: code/data (1) or system (0) descriptor, bit 4.</summary>
    public const ushort SBit = 1 << 4;
    /// <summary>Bit position of DPL (bits 6:5).</summary>
    public const int DplShift = 5;
    /// <summary>P: present, bit 7.</summary>
    public const ushort PBit = 1 << 7;
    /// <summary>AVL, bit 8.</summary>
    public const ushort AvlBit = 1 << 8;
    /// <summary>L: 64-bit code segment, bit 9.</summary>
    public const ushort LBit = 1 << 9;
    /// <summary>D/B: default operand size, bit 10.</summary>
    public const ushort DbBit = 1 << 10;
    /// <summary>G: granularity, bit 11.</summary>
    public const ushort GBit = 1 << 11;
    /// <summary>Bits that must be zero in the packed form (15:12).</summary>
    public const ushort ReservedMask = 0xF000;

    /// <summary>The raw 16-bit value as stored in the VMCB.</summary>
    public ushort Value;

    /// <summary>Wraps a raw attribute word.</summary>
    /// <param name="value">The packed value.</param>
    public SvmSegmentAttributes(ushort value) => Value = value;

    /// <summary>Builds packed attributes from the fields.</summary>
    /// <param name="type">Descriptor type (4 bits).</param>
    /// <param name="s">Code/data (true) or system (false).</param>
    /// <param name="dpl">Descriptor privilege level (0-3).</param>
    /// <param name="present">Present bit.</param>
    /// <param name="longMode">L bit.</param>
    /// <param name="defaultBig">D/B bit.</param>
    /// <param name="granularity">G bit.</param>
    /// <param name="available">AVL bit.</param>
    /// <returns>The packed attributes.</returns>
    public static SvmSegmentAttributes Create(int type, bool s, int dpl, bool present, bool longMode, bool defaultBig, bool granularity, bool available = false)
    {
        int v = (type & 0xF) | (s ? SBit : 0) | ((dpl & 3) << DplShift) | (present ? PBit : 0)
              | (available ? AvlBit : 0) | (longMode ? LBit : 0) | (defaultBig ? DbBit : 0) | (granularity ? GBit : 0);
        return new SvmSegmentAttributes((ushort)v);
    }

    /// <summary>Converts the high dword of a GDT/LDT descriptor (bits 63:32 of the descriptor) to packed attributes.</summary>
    /// <param name="descriptorHigh">Descriptor bits 63:32.</param>
    /// <returns>The packed attributes.</returns>
    public static SvmSegmentAttributes FromDescriptorHigh(uint descriptorHigh)
        => new((ushort)(((descriptorHigh >> 8) & 0xFF) | ((descriptorHigh >> 12) & 0xF00)));

    /// <summary>Converts back to descriptor bits 63:32 (attribute bits only; base and limit bits are zero).</summary>
    /// <returns>The attribute bits in descriptor position.</returns>
    public readonly uint ToDescriptorHigh() => ((uint)(Value & 0xFF) << 8) | ((uint)(Value & 0xF00) << 12);

    /// <summary>Type field (bits 3:0).</summary>
    public int Type { readonly get => Value & TypeMask; set => Value = (ushort)((Value & ~TypeMask) | (value & TypeMask)); }
    /// <summary>S bit (code/data segment).</summary>
    public bool S { readonly get => (Value & SBit) != 0; set => Set(SBit, value); }
    /// <summary>Descriptor privilege level (bits 6:5).</summary>
    public int Dpl { readonly get => (Value >> DplShift) & 3; set => Value = (ushort)((Value & ~(3 << DplShift)) | ((value & 3) << DplShift)); }
    /// <summary>Present bit.</summary>
    public bool Present { readonly get => (Value & PBit) != 0; set => Set(PBit, value); }
    /// <summary>AVL bit.</summary>
    public bool Available { readonly get => (Value & AvlBit) != 0; set => Set(AvlBit, value); }
    /// <summary>L bit (64-bit code).</summary>
    public bool Long { readonly get => (Value & LBit) != 0; set => Set(LBit, value); }
    /// <summary>D/B bit.</summary>
    public bool DefaultBig { readonly get => (Value & DbBit) != 0; set => Set(DbBit, value); }
    /// <summary>G bit.</summary>
    public bool Granularity { readonly get => (Value & GBit) != 0; set => Set(GBit, value); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Set(ushort bit, bool on) => Value = on ? (ushort)(Value | bit) : (ushort)(Value & ~bit);

    /// <inheritdoc/>
    public readonly bool Equals(SvmSegmentAttributes other) => Value == other.Value;
    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is SvmSegmentAttributes o && o.Value == Value;
    /// <inheritdoc/>
    public override readonly int GetHashCode() => Value;
    /// <summary>Equality.</summary><param name="a">Left.</param><param name="b">Right.</param><returns>True if equal.</returns>
    public static bool operator ==(SvmSegmentAttributes a, SvmSegmentAttributes b) => a.Value == b.Value;
    /// <summary>Inequality.</summary><param name="a">Left.</param><param name="b">Right.</param><returns>True if different.</returns>
    public static bool operator !=(SvmSegmentAttributes a, SvmSegmentAttributes b) => a.Value != b.Value;
}
