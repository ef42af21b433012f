namespace Xen.Sdk.Vmx.Checking;

/// <summary>Summary of one checker run; the failures themselves are in the caller's buffer.</summary>
public readonly struct EntryCheckReport : System.IEquatable<EntryCheckReport>
{
    /// <summary>Creates the value.</summary>
    /// <param name="outcome">Predicted outcome: the first failure's, or success.</param>
    /// <param name="failureCount">Failures found (may exceed the buffer; only the first <see cref="Written"/> are stored).</param>
    /// <param name="written">Failures written to the buffer.</param>
    /// <param name="skippedMemoryChecks">Memory-dependent checks skipped because memory was not readable.</param>
    public EntryCheckReport(EntryOutcome outcome, int failureCount, int written, int skippedMemoryChecks)
    {
        Outcome = outcome;
        FailureCount = failureCount;
        Written = written;
        SkippedMemoryChecks = skippedMemoryChecks;
    }

    /// <summary>Predicted outcome: the first failure's, or success.</summary>
    public EntryOutcome Outcome { get; }

    /// <summary>Failures found (may exceed the buffer; only the first <see cref="Written"/> are stored).</summary>
    public int FailureCount { get; }

    /// <summary>Failures written to the buffer.</summary>
    public int Written { get; }

    /// <summary>Memory-dependent checks skipped because memory was not readable.</summary>
    public int SkippedMemoryChecks { get; }

    /// <inheritdoc/>
    public bool Equals(EntryCheckReport other) => Outcome.Equals(other.Outcome) && FailureCount == other.FailureCount && Written == other.Written && SkippedMemoryChecks == other.SkippedMemoryChecks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EntryCheckReport other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((Outcome.GetHashCode()) * 31 + (FailureCount.GetHashCode()) * 31 + (Written.GetHashCode()) * 31 + (SkippedMemoryChecks.GetHashCode()));

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(EntryCheckReport left, EntryCheckReport right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(EntryCheckReport left, EntryCheckReport right) => !left.Equals(right);


    /// <summary>True when no check failed.</summary>
    public bool Passed => FailureCount == 0;
}
