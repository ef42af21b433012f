using System.Runtime.InteropServices;

namespace Xen.Sdk.Svm;

/// <summary>
/// The TYPE field of EVENTINJ and EXITINTINFO (AMD APM Vol. 2 §15.20, Table 15-11; §15.7.2).
/// </summary>
public enum SvmEventType : byte
{
    /// <summary>0: external or virtual interrupt (INTR).</summary>
    ExternalInterrupt = 0,
    /// <summary>1: reserved; injecting it makes VMRUN fail.</summary>
    Reserved1 = 1,
    /// <summary>2: NMI; the vector is ignored.</summary>
    Nmi = 2,
    /// <summary>3: exception (fault or trap).</summary>
    Exception = 3,
    /// <summary>4: software interrupt (INTn).</summary>
    SoftwareInterrupt = 4,
    /// <summary>5: reserved.</summary>
    Reserved5 = 5,
    /// <summary>6: reserved.</summary>
    Reserved6 = 6,
    /// <summary>7: reserved.</summary>
    Reserved7 = 7,
}

/// <summary>
/// An event in the common 64-bit EVENTINJ / EXITINTINFO format: vector (7:0), type (10:8), EV error-code
/// valid (11), reserved (30:12), V valid (31), error code (63:32) (AMD APM Vol. 2 §15.20, Figure 15-7;
/// §15.7.2).
/// </summary>
/// <remarks>Used at VMCB offset 0A8h (EVENTINJ, written by the hypervisor) and 088h (EXITINTINFO,
/// written by the processor on #VMEXIT when an event was being delivered).</remarks>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public readonly struct SvmEvent : System.IEquatable<SvmEvent>
{
    /// <summary>EV, bit 11: push <see cref="ErrorCode"/>.</summary>
    public const ulong ErrorCodeValidBit = 1ul << 11;
    /// <summary>V, bit 31: the event is valid.</summary>
    public const ulong ValidBit = 1ul << 31;
    /// <summary>Reserved bits 30:12, which must be zero.</summary>
    public const ulong ReservedMask = 0x7FFF_F000ul;

    /// <summary>The raw 64-bit value.</summary>
    public readonly ulong Value;

    /// <summary>Wraps a raw value.</summary>
    /// <param name="value">The raw quadword.</param>
    public SvmEvent(ulong value) => Value = value;

    /// <summary>The empty (not valid) event.</summary>
    public static SvmEvent None => default;

    /// <summary>Bits 7:0, the vector.</summary>
    public byte Vector => (byte)Value;
    /// <summary>Bits 10:8, the type.</summary>
    public SvmEventType Type => (SvmEventType)((Value >> 8) & 7);
    /// <summary>Bit 11, EV.</summary>
    public bool ErrorCodeValid => (Value & ErrorCodeValidBit) != 0;
    /// <summary>Bit 31, V.</summary>
    public bool IsValid => (Value & ValidBit) != 0;
    /// <summary>Bits 63:32, the error code.</summary>
    public uint ErrorCode => (uint)(Value >> 32);
    /// <summary>Bits 30:12 (must be zero).</summary>
    public uint ReservedBits => (uint)((Value & ReservedMask) >> 12);

    /// <summary>Encodes an event.</summary>
    /// <param name="type">The type.</param>
    /// <param name="vector">The vector (ignored by the processor for NMI).</param>
    /// <param name="errorCodeValid">Whether to push an error code.</param>
    /// <param name="errorCode">The error code.</param>
    /// <returns>The valid event.</returns>
    public static SvmEvent Create(SvmEventType type, byte vector, bool errorCodeValid = false, uint errorCode = 0)
        => new(vector | ((ulong)((byte)type & 7) << 8) | (errorCodeValid ? ErrorCodeValidBit : 0) | ValidBit | ((ulong)errorCode << 32));

    /// <summary>An external interrupt with the given vector.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>The event.</returns>
    public static SvmEvent ExternalInterrupt(byte vector) => Create(SvmEventType.ExternalInterrupt, vector);

    /// <summary>An NMI (vector 2).</summary>
    /// <returns>The event.</returns>
    public static SvmEvent Nmi() => Create(SvmEventType.Nmi, 2);

    /// <summary>A hardware exception; pushes an error code exactly when the vector defines one
    /// (<see cref="ExceptionHasErrorCode"/>).</summary>
    /// <param name="vector">The exception vector (0-31, not 2).</param>
    /// <param name="errorCode">The error code, used if the vector has one.</param>
    /// <returns>The event.</returns>
    public static SvmEvent Exception(byte vector, uint errorCode = 0)
    {
        bool ev = ExceptionHasErrorCode(vector);
        return Create(SvmEventType.Exception, vector, ev, ev ? errorCode : 0);
    }

    /// <summary>A software interrupt (INTn).</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>The event.</returns>
    public static SvmEvent SoftwareInterrupt(byte vector) => Create(SvmEventType.SoftwareInterrupt, vector);

    /// <summary>Whether the architecture pushes an error code for this exception vector:
    /// #DF(8), #TS(10), #NP(11), #SS(12), #GP(13), #PF(14), #AC(17), #CP(21), #VC(29), #SX(30).</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>True if the exception has an error code.</returns>
    public static bool ExceptionHasErrorCode(int vector)
        => vector < 32 && ((1u << vector) & ((1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 14) | (1u << 17) | (1u << 21) | (1u << 29) | (1u << 30))) != 0;

    /// <inheritdoc/>
    public bool Equals(SvmEvent other) => Value == other.Value;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SvmEvent e && e.Value == Value;
    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();
    /// <summary>Equality.</summary><param name="a">Left.</param><param name="b">Right.</param><returns>True if equal.</returns>
    public static bool operator ==(SvmEvent a, SvmEvent b) => a.Value == b.Value;
    /// <summary>Inequality.</summary><param name="a">Left.</param><param name="b">Right.</param><returns>True if different.</returns>
    public static bool operator !=(SvmEvent a, SvmEvent b) => a.Value != b.Value;
}
