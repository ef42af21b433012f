namespace Xen.Sdk.Vmx.Checking;

/// <summary>What a VM-entry instruction does (Intel SDM Vol. 3C §27.1-§27.8).</summary>
public enum EntryOutcomeKind : byte
{
    /// <summary>The entry succeeds (as far as the checks can tell).</summary>
    Success = 0,
    /// <summary>VMfailInvalid (no valid current VMCS).</summary>
    VmFailInvalid = 1,
    /// <summary>VMfailValid with an error number (checks of §27.1-§27.2): the guest never ran.</summary>
    VmFailValid = 2,
    /// <summary>VM-entry failure: guest state was loaded, then a VM exit with bit 31 of the exit reason set (§27.8).</summary>
    EntryFailure = 3,
}

/// <summary>
/// The outcome the processor gives for an entry: VMfailValid with <see cref="Error"/> (4, 5, 7 or 8), or a
/// VM-entry failure with basic exit reason 33 (invalid guest state) or 34 (MSR loading) and an exit
/// qualification (Intel SDM Vol. 3C §27.8: 0 default, 2 PDPTE loading, 4 VMCS link pointer; for reason 34
/// the 1-based index of the failing MSR entry).
/// </summary>
public readonly struct EntryOutcome : System.IEquatable<EntryOutcome>
{
    /// <summary>Creates the value.</summary>
    /// <param name="kind">Kind of outcome.</param>
    /// <param name="error">VM-instruction error for <see cref="EntryOutcomeKind.VmFailValid"/>.</param>
    /// <param name="exitReason">Basic exit reason for <see cref="EntryOutcomeKind.EntryFailure"/> (33 or 34).</param>
    /// <param name="qualification">Exit qualification for <see cref="EntryOutcomeKind.EntryFailure"/>.</param>
    public EntryOutcome(EntryOutcomeKind kind, VmInstructionError error, ushort exitReason, ulong qualification)
    {
        Kind = kind;
        Error = error;
        ExitReason = exitReason;
        Qualification = qualification;
    }

    /// <summary>Kind of outcome.</summary>
    public EntryOutcomeKind Kind { get; }

    /// <summary>VM-instruction error for <see cref="EntryOutcomeKind.VmFailValid"/>.</summary>
    public VmInstructionError Error { get; }

    /// <summary>Basic exit reason for <see cref="EntryOutcomeKind.EntryFailure"/> (33 or 34).</summary>
    public ushort ExitReason { get; }

    /// <summary>Exit qualification for <see cref="EntryOutcomeKind.EntryFailure"/>.</summary>
    public ulong Qualification { get; }

    /// <inheritdoc/>
    public bool Equals(EntryOutcome other) => Kind == other.Kind && Error == other.Error && ExitReason == other.ExitReason && Qualification == other.Qualification;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EntryOutcome other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(((int)Kind) * 31 + ((int)Error) * 31 + (ExitReason.GetHashCode()) * 31 + (Qualification.GetHashCode()));

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(EntryOutcome left, EntryOutcome right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(EntryOutcome left, EntryOutcome right) => !left.Equals(right);


    /// <summary>Successful entry.</summary>
    public static EntryOutcome Success => default;

    /// <summary>The full 32-bit exit-reason field the CPU writes for an entry failure (bit 31 set).</summary>
    public uint ExitReasonField => Kind == EntryOutcomeKind.EntryFailure ? 0x8000_0000u | ExitReason : 0;
}
