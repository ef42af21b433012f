using System.Runtime.CompilerServices;

namespace Xen.Sdk.Abi.Hvm;

/// <summary>
/// Encodes and decodes the value of <c>HVM_PARAM_CALLBACK_IRQ</c>: how event-channel upcalls reach an HVM
/// guest (xen/include/public/hvm/params.h). Bits 63..56 hold the <see cref="HvmCallbackType"/>; the
/// meaning of bits 55..0 depends on it. A value of 0 disables delivery. Allocation- and exception-free.
/// </summary>
public readonly struct HvmCallbackVia
{
    private const int TypeShift = 56;
    private const ulong PayloadMask = (1UL << TypeShift) - 1;

    /// <summary>Wraps a raw parameter value.</summary>
    /// <param name="value">The raw <c>HVM_PARAM_CALLBACK_IRQ</c> value.</param>
    public HvmCallbackVia(ulong value) => Value = value;

    /// <summary>The raw parameter value.</summary>
    public ulong Value { get; }

    /// <summary>Whether delivery is disabled (the value is 0).</summary>
    public bool IsDisabled => Value == 0;

    /// <summary>The delivery type (bits 63..56).</summary>
    public HvmCallbackType Type => (HvmCallbackType)(byte)(Value >> TypeShift);

    /// <summary>Delivery through a GSI (bits 55..0). GSI 0 is not usable: it would read as "disabled".</summary>
    /// <param name="gsi">The GSI, 1 or greater.</param>
    /// <param name="via">The encoded value.</param>
    /// <returns><see langword="false"/> for GSI 0.</returns>
    public static bool TryGsi(uint gsi, out HvmCallbackVia via)
    {
        via = new HvmCallbackVia(((ulong)HvmCallbackType.Gsi << TypeShift) | gsi);
        return gsi != 0;
    }

    /// <summary>Delivery through a PCI INTx line: domain bits 47..32, bus 31..16, devfn 15..8, INTx 1..0.</summary>
    /// <param name="segment">The PCI segment (domain).</param>
    /// <param name="bus">The bus.</param>
    /// <param name="devfn">Device and function.</param>
    /// <param name="intx">The pin, 0 (INTA) to 3 (INTD).</param>
    /// <returns>The encoded value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static HvmCallbackVia PciIntx(ushort segment, byte bus, byte devfn, byte intx) =>
        new(((ulong)HvmCallbackType.PciIntx << TypeShift) | ((ulong)segment << 32) | ((ulong)bus << 16) | ((ulong)devfn << 8) | (intx & 3u));

    /// <summary>Delivery as an interrupt vector (bits 7..0); needs <c>XENFEAT_hvm_callback_vector</c>.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>The encoded value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static HvmCallbackVia Vector(byte vector) => new(((ulong)HvmCallbackType.Vector << TypeShift) | vector);

    /// <summary>The GSI, when <see cref="Type"/> is <see cref="HvmCallbackType.Gsi"/>.</summary>
    /// <param name="gsi">Bits 55..0.</param>
    /// <returns><see langword="false"/> when the value is disabled or of another type.</returns>
    public bool TryGetGsi(out ulong gsi)
    {
        gsi = Value & PayloadMask;
        return !IsDisabled && Type == HvmCallbackType.Gsi;
    }

    /// <summary>The PCI INTx line, when <see cref="Type"/> is <see cref="HvmCallbackType.PciIntx"/>.</summary>
    /// <param name="segment">Bits 47..32.</param>
    /// <param name="bus">Bits 31..16 (the low 8 bits of that field).</param>
    /// <param name="devfn">Bits 15..8.</param>
    /// <param name="intx">Bits 1..0.</param>
    /// <returns><see langword="false"/> when the value is of another type.</returns>
    public bool TryGetPciIntx(out ushort segment, out byte bus, out byte devfn, out byte intx)
    {
        segment = (ushort)(Value >> 32);
        bus = (byte)(Value >> 16);
        devfn = (byte)(Value >> 8);
        intx = (byte)(Value & 3);
        return Type == HvmCallbackType.PciIntx;
    }

    /// <summary>The vector, when <see cref="Type"/> is <see cref="HvmCallbackType.Vector"/>.</summary>
    /// <param name="vector">Bits 7..0.</param>
    /// <returns><see langword="false"/> when the value is of another type.</returns>
    public bool TryGetVector(out byte vector)
    {
        vector = (byte)Value;
        return Type == HvmCallbackType.Vector;
    }
}
