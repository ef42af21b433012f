namespace Xen.Sdk.Vmx.Checking;

/// <summary>What a VM-entry instruction does (Intel SDM Vol. 3C §26.1-§26.8).</summary>
public enum EntryOutcomeKind : byte
{
    /// <summary>The entry succeeds (as far as the checks can tell).</summary>
    Success = 0,
    /// <summary>VMfailInvalid (no valid current VMCS).</summary>
    VmFailInvalid = 1,
    /// <summary>VMfailValid with an error number (checks of §26.1-§26.2): the guest never ran.</summary>
    VmFailValid = 2,
    /// <summary>VM-entry failure: guest state was loaded, then a VM exit with bit 31 of the exit reason set (§26.8).</summary>
    EntryFailure = 3,
}

/// <summary>
/// The outcome the processor gives for an entry: VMfailValid with <see cref="Error"/> (4, 5, 7 or 8), or a
/// VM-entry failure with basic exit reason 33 (invalid guest state) or 34 (MSR loading) and an exit
/// qualification (Intel SDM Vol. 3C §26.8: 0 default, 2 PDPTE loading, 4 VMCS link pointer; for reason 34
/// the 1-based index of the failing MSR entry).
/// </summary>
/// <param name="Kind">Kind of outcome.</param>
/// <param name="Error">VM-instruction error for <see cref="EntryOutcomeKind.VmFailValid"/>.</param>
/// <param name="ExitReason">Basic exit reason for <see cref="EntryOutcomeKind.EntryFailure"/> (33 or 34).</param>
/// <param name="Qualification">Exit qualification for <see cref="EntryOutcomeKind.EntryFailure"/>.</param>
public readonly record struct EntryOutcome(EntryOutcomeKind Kind, VmInstructionError Error, ushort ExitReason, ulong Qualification)
{
    /// <summary>Successful entry.</summary>
    public static EntryOutcome Success => default;

    /// <summary>The full 32-bit exit-reason field the CPU writes for an entry failure (bit 31 set).</summary>
    public uint ExitReasonField => Kind == EntryOutcomeKind.EntryFailure ? 0x8000_0000u | ExitReason : 0;
}
