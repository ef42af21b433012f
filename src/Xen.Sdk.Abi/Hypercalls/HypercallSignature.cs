using System.Runtime.CompilerServices;

namespace Xen.Sdk.Abi.Hypercalls;

/// <summary>What a hypercall argument register holds.</summary>
public enum HypercallArgumentKind : byte
{
    /// <summary>The argument is not used.</summary>
    None = 0,

    /// <summary>A sub-operation number (EVTCHNOP_*, XENMEM_*, ...).</summary>
    Command,

    /// <summary>A guest virtual address (PV) or guest-physical/linear address (HVM) of an argument struct or array.</summary>
    GuestHandle,

    /// <summary>An unsigned integer (a count, flags, a width-sized value).</summary>
    Unsigned,

    /// <summary>A signed integer.</summary>
    Signed,

    /// <summary>A <c>domid_t</c>.</summary>
    DomainId,

    /// <summary>A vCPU index.</summary>
    VcpuId,

    /// <summary>The low 32 bits of a 64-bit value split over two registers (32-bit guests); the high half follows.</summary>
    Low32,

    /// <summary>The high 32 bits of a 64-bit value split over two registers (32-bit guests).</summary>
    High32,
}

/// <summary>The argument layout of one hypercall for one guest bitness (from the C prototypes of xen.h).</summary>
public readonly struct HypercallSignature
{
    private readonly ulong _kinds;

    internal HypercallSignature(Hypercall number, HypercallArgumentKind a1 = 0, HypercallArgumentKind a2 = 0, HypercallArgumentKind a3 = 0, HypercallArgumentKind a4 = 0, HypercallArgumentKind a5 = 0)
    {
        Number = number;
        _kinds = (ulong)a1 | ((ulong)a2 << 8) | ((ulong)a3 << 16) | ((ulong)a4 << 24) | ((ulong)a5 << 32);
        int n = 0;
        for (int i = 1; i <= HypercallArguments.MaxArguments; i++)
        {
            if ((byte)(_kinds >> ((i - 1) * 8)) != 0)
            {
                n = i;
            }
        }

        ArgumentCount = n;
    }

    /// <summary>The hypercall.</summary>
    public Hypercall Number { get; }

    /// <summary>The number of argument registers used.</summary>
    public int ArgumentCount { get; }

    /// <summary>Whether the table knows this hypercall.</summary>
    public bool IsKnown => Number != 0 || _kinds != 0;

    /// <summary>What argument <paramref name="index"/> (1..5) holds.</summary>
    /// <param name="index">The 1-based argument index.</param>
    /// <returns>The kind; <see cref="HypercallArgumentKind.None"/> outside 1..5.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HypercallArgumentKind GetArgumentKind(int index) =>
        (uint)(index - 1) < HypercallArguments.MaxArguments ? (HypercallArgumentKind)(byte)(_kinds >> ((index - 1) * 8)) : HypercallArgumentKind.None;
}

/// <summary>
/// The argument layouts of every x86 hypercall, per guest bitness. They differ where a 32-bit guest splits
/// a 64-bit value over two registers (<c>update_va_mapping</c>, <c>update_descriptor</c>,
/// <c>set_timer_op</c>) or where the prototypes differ (<c>set_callbacks</c>, <c>set_segment_base</c>).
/// </summary>
public static class HypercallSignatures
{
    private const HypercallArgumentKind C = HypercallArgumentKind.Command;
    private const HypercallArgumentKind P = HypercallArgumentKind.GuestHandle;
    private const HypercallArgumentKind U = HypercallArgumentKind.Unsigned;
    private const HypercallArgumentKind S = HypercallArgumentKind.Signed;
    private const HypercallArgumentKind D = HypercallArgumentKind.DomainId;
    private const HypercallArgumentKind V = HypercallArgumentKind.VcpuId;
    private const HypercallArgumentKind L = HypercallArgumentKind.Low32;
    private const HypercallArgumentKind H = HypercallArgumentKind.High32;

    private const int TableSize = 64;

    private static readonly HypercallSignature[] s_x86_64 = Build(is64: true);
    private static readonly HypercallSignature[] s_x86_32 = Build(is64: false);

    /// <summary>The signature of <paramref name="number"/> for a 64-bit guest.</summary>
    /// <param name="number">The hypercall.</param>
    /// <param name="signature">The signature, or default.</param>
    /// <returns><see langword="false"/> for an unknown or 32-bit-only hypercall.</returns>
    public static bool TryGetX86_64(Hypercall number, out HypercallSignature signature) => TryGet(s_x86_64, number, out signature);

    /// <summary>The signature of <paramref name="number"/> for a 32-bit guest.</summary>
    /// <param name="number">The hypercall.</param>
    /// <param name="signature">The signature, or default.</param>
    /// <returns><see langword="false"/> for an unknown or 64-bit-only hypercall.</returns>
    public static bool TryGetX86_32(Hypercall number, out HypercallSignature signature) => TryGet(s_x86_32, number, out signature);

    private static bool TryGet(HypercallSignature[] table, Hypercall number, out HypercallSignature signature)
    {
        if ((uint)number >= TableSize)
        {
            signature = default;
            return false;
        }

        signature = table[(int)number];
        return signature.IsKnown;
    }

    private static HypercallSignature[] Build(bool is64)
    {
        var t = new HypercallSignature[TableSize];
        void Add(HypercallSignature s) => t[(int)s.Number] = s;

        Add(new(Hypercall.SetTrapTable, P));
        Add(new(Hypercall.MmuUpdate, P, U, P, D));
        Add(new(Hypercall.SetGdt, P, U));
        Add(new(Hypercall.StackSwitch, U, U));
        Add(is64 ? new(Hypercall.SetCallbacks, U, U, U) : new(Hypercall.SetCallbacks, U, U, U, U));
        Add(new(Hypercall.FpuTaskswitch, S));
        Add(new(Hypercall.SchedOpCompat, C, U));
        Add(new(Hypercall.PlatformOp, P));
        Add(new(Hypercall.SetDebugreg, S, U));
        Add(new(Hypercall.GetDebugreg, S));
        Add(is64 ? new(Hypercall.UpdateDescriptor, U, U) : new(Hypercall.UpdateDescriptor, L, H, L, H));
        Add(new(Hypercall.MemoryOp, C, P));
        Add(new(Hypercall.Multicall, P, U));
        Add(is64 ? new(Hypercall.UpdateVaMapping, U, U, U) : new(Hypercall.UpdateVaMapping, U, L, H, U));
        Add(is64 ? new(Hypercall.SetTimerOp, U) : new(Hypercall.SetTimerOp, L, H));
        Add(new(Hypercall.EventChannelOpCompat, P));
        Add(new(Hypercall.XenVersion, C, P));
        Add(new(Hypercall.ConsoleIo, C, U, P));
        Add(new(Hypercall.PhysdevOpCompat, P));
        Add(new(Hypercall.GrantTableOp, C, P, U));
        Add(new(Hypercall.VmAssist, C, U));
        Add(is64 ? new(Hypercall.UpdateVaMappingOtherdomain, U, U, U, D) : new(Hypercall.UpdateVaMappingOtherdomain, U, L, H, U, D));
        Add(new(Hypercall.Iret));
        Add(new(Hypercall.VcpuOp, C, V, P));
        if (is64)
        {
            Add(new(Hypercall.SetSegmentBase, C, U));
        }

        Add(new(Hypercall.MmuextOp, P, U, P, D));
        Add(new(Hypercall.XsmOp, P));
        Add(new(Hypercall.NmiOp, C, P));
        Add(new(Hypercall.SchedOp, C, P));
        Add(new(Hypercall.CallbackOp, C, P));
        Add(new(Hypercall.XenoprofOp, C, P));
        Add(new(Hypercall.EventChannelOp, C, P));
        Add(new(Hypercall.PhysdevOp, C, P));
        Add(new(Hypercall.HvmOp, C, P));
        Add(new(Hypercall.Sysctl, P));
        Add(new(Hypercall.Domctl, P));
        Add(new(Hypercall.KexecOp, C, P));
        Add(new(Hypercall.TmemOp, P));
        Add(new(Hypercall.ArgoOp, C, P, P, U, U));
        Add(new(Hypercall.XenpmuOp, C, P));
        Add(new(Hypercall.DmOp, D, U, P));
        Add(new(Hypercall.HypfsOp, C, P, U, P, U));

        return t;
    }
}
