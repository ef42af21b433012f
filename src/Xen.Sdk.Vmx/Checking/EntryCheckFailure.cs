namespace Xen.Sdk.Vmx.Checking;

/// <summary>
/// One failed VM-entry check: which rule, the field(s) involved, the value found and the nearest value the
/// rule accepts, and the outcome the processor gives when this is the first failure.
/// </summary>
public readonly struct EntryCheckFailure
{
    /// <summary>Encoding used when a failure involves no (second) VMCS field.</summary>
    public const uint NoField = 0xFFFF_FFFF;

    /// <summary>Creates a failure record.</summary>
    /// <param name="check">Check.</param>
    /// <param name="field">Encoding of the main field (or <see cref="NoField"/>).</param>
    /// <param name="relatedField">Encoding of a second field the rule involves (or <see cref="NoField"/>).</param>
    /// <param name="actual">Value found in <paramref name="field"/> (or in memory for memory checks).</param>
    /// <param name="expected">Nearest value the rule accepts.</param>
    /// <param name="outcome">Predicted outcome.</param>
    public EntryCheckFailure(EntryCheckId check, uint field, uint relatedField, ulong actual, ulong expected, EntryOutcome outcome)
    {
        Check = check;
        Field = field;
        RelatedField = relatedField;
        Actual = actual;
        Expected = expected;
        Outcome = outcome;
    }

    /// <summary>The rule that failed.</summary>
    public EntryCheckId Check { get; }

    /// <summary>The SDM section group of the rule.</summary>
    public EntryCheckSection Section => (EntryCheckSection)((ushort)Check >> 8);

    /// <summary>Encoding of the field the rule is about (or <see cref="NoField"/>).</summary>
    public uint Field { get; }

    /// <summary>Encoding of a second field the rule involves (or <see cref="NoField"/>).</summary>
    public uint RelatedField { get; }

    /// <summary>The value found.</summary>
    public ulong Actual { get; }

    /// <summary>The nearest value that passes this rule (other rules may still object).</summary>
    public ulong Expected { get; }

    /// <summary>The outcome the processor reports when this is the first failure.</summary>
    public EntryOutcome Outcome { get; }
}
