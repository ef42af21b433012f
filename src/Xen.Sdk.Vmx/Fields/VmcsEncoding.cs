using System.Runtime.CompilerServices;

namespace Xen.Sdk.Vmx;

/// <summary>Width of a VMCS field: bits 14:13 of its encoding (Intel SDM Vol. 3C §25.11.2).</summary>
public enum VmcsFieldWidth : byte
{
    /// <summary>16-bit field (width 0).</summary>
    Bits16 = 0,
    /// <summary>64-bit field (width 1); its high half has its own encoding (access type 1).</summary>
    Bits64 = 1,
    /// <summary>32-bit field (width 2).</summary>
    Bits32 = 2,
    /// <summary>Natural-width field (width 3): 64 bits on processors that support Intel 64.</summary>
    Natural = 3,
}

/// <summary>Type (group) of a VMCS field: bits 11:10 of its encoding (Intel SDM Vol. 3C §25.11.2).</summary>
public enum VmcsFieldGroup : byte
{
    /// <summary>Control field (type 0).</summary>
    Control = 0,
    /// <summary>VM-exit information, read-only data field (type 1).</summary>
    ReadOnly = 1,
    /// <summary>Guest-state field (type 2).</summary>
    Guest = 2,
    /// <summary>Host-state field (type 3).</summary>
    Host = 3,
}

/// <summary>
/// The VMCS component encoding rules (Intel SDM Vol. 3C §25.11.2, Table 25-21): bit 0 access type
/// (0 = full, 1 = high 32 bits of a 64-bit field), bits 9:1 index, bits 11:10 type, bit 12 reserved (0),
/// bits 14:13 width, bits 31:15 reserved (0).
/// </summary>
public static class VmcsEncoding
{
    /// <summary>Builds an encoding from its parts. <paramref name="index"/> is masked to 9 bits.</summary>
    /// <param name="width">Field width.</param>
    /// <param name="group">Field type.</param>
    /// <param name="index">Index within (width, type), 0..511.</param>
    /// <param name="high">True for the high-32-bit access of a 64-bit field.</param>
    /// <returns>The 32-bit encoding.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Compose(VmcsFieldWidth width, VmcsFieldGroup group, uint index, bool high = false)
        => ((uint)width & 3u) << 13 | ((uint)group & 3u) << 10 | (index & 0x1FFu) << 1 | (high ? 1u : 0u);

    /// <summary>Width bits 14:13.</summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>The width.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VmcsFieldWidth GetWidth(uint encoding) => (VmcsFieldWidth)((encoding >> 13) & 3u);

    /// <summary>Type bits 11:10.</summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>The group.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VmcsFieldGroup GetGroup(uint encoding) => (VmcsFieldGroup)((encoding >> 10) & 3u);

    /// <summary>Index bits 9:1.</summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>The index.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint GetIndex(uint encoding) => (encoding >> 1) & 0x1FFu;

    /// <summary>Access type bit 0: true for the high 32 bits of a 64-bit field.</summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>True for a high access.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsHighAccess(uint encoding) => (encoding & 1u) != 0;

    /// <summary>
    /// True when the encoding obeys the rules: bits 31:15 and bit 12 are zero, and the high access type is
    /// used only with 64-bit fields (Intel SDM Vol. 3C §25.11.2). A well-formed encoding need not name a
    /// field the processor supports.
    /// </summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>True when well formed.</returns>
    public static bool IsWellFormed(uint encoding)
        => (encoding & 0xFFFF_9000u) == 0 && (!IsHighAccess(encoding) || GetWidth(encoding) == VmcsFieldWidth.Bits64);

    /// <summary>Number of value bits a field of this width holds (natural width: 64).</summary>
    /// <param name="width">Width.</param>
    /// <returns>16, 32 or 64.</returns>
    public static int BitCount(VmcsFieldWidth width) => width switch
    {
        VmcsFieldWidth.Bits16 => 16,
        VmcsFieldWidth.Bits32 => 32,
        _ => 64,
    };

    /// <summary>
    /// Highest index among the fields of this table, as IA32_VMX_VMCS_ENUM bits 9:1 reports it
    /// (Intel SDM Vol. 3D §A.9).
    /// </summary>
    /// <param name="vmcsEnum">Value of IA32_VMX_VMCS_ENUM.</param>
    /// <returns>The highest index.</returns>
    public static uint MaxIndexFromVmcsEnum(ulong vmcsEnum) => (uint)(vmcsEnum >> 1) & 0x1FFu;
}
