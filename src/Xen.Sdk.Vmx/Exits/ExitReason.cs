namespace Xen.Sdk.Vmx.Exits;

/// <summary>
/// The 32-bit exit-reason field (Intel SDM Vol. 3C §25.9.1, Table 25-18): basic reason (15:0), bit 27
/// enclave mode, bit 28 pending MTF VM exit, bit 29 VM exit from VMX root operation, bit 31 VM-entry
/// failure. Every bit of <see cref="Raw"/> is kept, including ones this library does not name.
/// </summary>
public readonly struct ExitReason : System.IEquatable<ExitReason>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The field as read.</param>
    public ExitReason(uint raw)
    {
        Raw = raw;
    }

    /// <summary>The field as read.</summary>
    public uint Raw { get; }

    /// <inheritdoc/>
    public bool Equals(ExitReason other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ExitReason other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(ExitReason left, ExitReason right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(ExitReason left, ExitReason right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const uint DefinedBits = 0xB800_FFFF;

    /// <summary>Basic exit reason, bits 15:0.</summary>
    public BasicExitReason Basic => (BasicExitReason)(ushort)Raw;

    /// <summary>Bit 27: the exit was incident to enclave mode.</summary>
    public bool EnclaveMode => (Raw & (1u << 27)) != 0;

    /// <summary>Bit 28: pending MTF VM exit.</summary>
    public bool PendingMtf => (Raw & (1u << 28)) != 0;

    /// <summary>Bit 29: VM exit from VMX root operation (SMM monitor).</summary>
    public bool FromVmxRoot => (Raw & (1u << 29)) != 0;

    /// <summary>Bit 31: VM-entry failure.</summary>
    public bool EntryFailure => (Raw & (1u << 31)) != 0;

    /// <summary>Bits set that the SDM does not define (kept, never dropped).</summary>
    public uint UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes an exit reason.</summary>
    /// <param name="basic">Basic reason.</param>
    /// <param name="entryFailure">Bit 31.</param>
    /// <param name="enclaveMode">Bit 27.</param>
    /// <param name="pendingMtf">Bit 28.</param>
    /// <param name="fromVmxRoot">Bit 29.</param>
    /// <param name="unknownBits">Other bits to keep (masked to undefined bits).</param>
    /// <returns>The field.</returns>
    public static ExitReason Create(BasicExitReason basic, bool entryFailure = false, bool enclaveMode = false, bool pendingMtf = false, bool fromVmxRoot = false, uint unknownBits = 0)
        => new((uint)basic | (enclaveMode ? 1u << 27 : 0) | (pendingMtf ? 1u << 28 : 0) | (fromVmxRoot ? 1u << 29 : 0)
            | (entryFailure ? 1u << 31 : 0) | (unknownBits & ~DefinedBits));
}

/// <summary>Interruption types (Intel SDM Vol. 3C §25.8.3, §25.9.2, Table 25-16).</summary>
public enum InterruptionType : byte
{
    /// <summary>0: external interrupt.</summary>
    ExternalInterrupt = 0,
    /// <summary>1: reserved.</summary>
    Reserved = 1,
    /// <summary>2: non-maskable interrupt.</summary>
    Nmi = 2,
    /// <summary>3: hardware exception.</summary>
    HardwareException = 3,
    /// <summary>4: software interrupt (INT n).</summary>
    SoftwareInterrupt = 4,
    /// <summary>5: privileged software exception (INT1).</summary>
    PrivilegedSoftwareException = 5,
    /// <summary>6: software exception (INT3, INTO).</summary>
    SoftwareException = 6,
    /// <summary>7: other event (pending MTF on entry).</summary>
    OtherEvent = 7,
}

/// <summary>
/// The interruption-information format shared by the VM-entry interruption-information field, the VM-exit
/// interruption-information field and the IDT-vectoring information field (Intel SDM Vol. 3C §25.8.3,
/// §25.9.2, §25.9.3): vector (7:0), type (10:8), error code valid (11), NMI unblocking due to IRET (12,
/// exit interruption information only; undefined for IDT vectoring), valid (31). Unknown bits are kept.
/// </summary>
public readonly struct InterruptionInfo : System.IEquatable<InterruptionInfo>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The field.</param>
    public InterruptionInfo(uint raw)
    {
        Raw = raw;
    }

    /// <summary>The field.</summary>
    public uint Raw { get; }

    /// <inheritdoc/>
    public bool Equals(InterruptionInfo other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is InterruptionInfo other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(InterruptionInfo left, InterruptionInfo right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(InterruptionInfo left, InterruptionInfo right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const uint DefinedBits = 0x8000_1FFF;

    /// <summary>Vector, bits 7:0.</summary>
    public byte Vector => (byte)Raw;

    /// <summary>Type, bits 10:8.</summary>
    public InterruptionType Type => (InterruptionType)((Raw >> 8) & 7);

    /// <summary>Bit 11: an error code is delivered (entry) or was pushed (exit).</summary>
    public bool ErrorCodeValid => (Raw & (1u << 11)) != 0;

    /// <summary>Bit 12: NMI unblocking due to IRET (VM-exit interruption information).</summary>
    public bool NmiUnblockingDueToIret => (Raw & (1u << 12)) != 0;

    /// <summary>Bit 31: valid.</summary>
    public bool Valid => (Raw & 0x8000_0000u) != 0;

    /// <summary>Bits 30:13 (reserved; kept).</summary>
    public uint UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the field.</summary>
    /// <param name="vector">Vector.</param>
    /// <param name="type">Type.</param>
    /// <param name="errorCodeValid">Bit 11.</param>
    /// <param name="valid">Bit 31.</param>
    /// <param name="nmiUnblockingDueToIret">Bit 12.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The field.</returns>
    public static InterruptionInfo Create(byte vector, InterruptionType type, bool errorCodeValid, bool valid = true, bool nmiUnblockingDueToIret = false, uint unknownBits = 0)
        => new(vector | ((uint)type & 7) << 8 | (errorCodeValid ? 1u << 11 : 0) | (nmiUnblockingDueToIret ? 1u << 12 : 0)
            | (valid ? 0x8000_0000u : 0) | (unknownBits & ~DefinedBits));
}
