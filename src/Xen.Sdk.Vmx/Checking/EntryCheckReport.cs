namespace Xen.Sdk.Vmx.Checking;

/// <summary>Summary of one checker run; the failures themselves are in the caller's buffer.</summary>
/// <param name="Outcome">Predicted outcome: the first failure's, or success.</param>
/// <param name="FailureCount">Failures found (may exceed the buffer; only the first <paramref name="Written"/> are stored).</param>
/// <param name="Written">Failures written to the buffer.</param>
/// <param name="SkippedMemoryChecks">Memory-dependent checks skipped because memory was not readable.</param>
public readonly record struct EntryCheckReport(EntryOutcome Outcome, int FailureCount, int Written, int SkippedMemoryChecks)
{
    /// <summary>True when no check failed.</summary>
    public bool Passed => FailureCount == 0;
}
