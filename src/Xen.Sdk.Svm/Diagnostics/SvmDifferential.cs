using System;
using System.Collections.Generic;
using System.Globalization;

namespace Xen.Sdk.Svm.Diagnostics;

/// <summary>One mutant's outcome: what the kernel saw VMRUN do and what the checker predicted.</summary>
/// <param name="Id">Mutant id.</param>
/// <param name="ExitCode">EXITCODE the kernel reported (raw).</param>
/// <param name="Report">The checker's report for the mutated VMCB under the chosen profile.</param>
public sealed record SvmMutantOutcome(uint Id, ulong ExitCode, VmrunCheckReport Report)
{
    /// <summary>VMRUN failed with VMEXIT_INVALID (compared on the low 32 bits: QEMU stores FFFFFFFFh).</summary>
    public bool ActualInvalid => SvmExitCodes.IsInvalid(ExitCode);
    /// <summary>The checker predicted VMEXIT_INVALID.</summary>
    public bool PredictedInvalid => !Report.IsValid;
    /// <summary>Prediction and reality agree.</summary>
    public bool Agrees => ActualInvalid == PredictedInvalid;
}

/// <summary>
/// Host side of the differential test: parses the kernel's serial log (<c>SVMMUT-BASE</c> and <c>SVMMUT</c>
/// lines, see docs/svm.md), rebuilds every mutated VMCB from the base the kernel really used and compares
/// the checker's prediction with the exit VMRUN produced.
/// </summary>
public static class SvmDifferential
{
    /// <summary>Parses a serial log.</summary>
    /// <param name="log">The log text.</param>
    /// <param name="baseVmcb">The 4096-byte base VMCB, or null if the line is missing.</param>
    /// <param name="exits">Mutant id to raw EXITCODE.</param>
    public static void ParseLog(string log, out byte[]? baseVmcb, out Dictionary<uint, ulong> exits)
    {
        baseVmcb = null;
        exits = new Dictionary<uint, ulong>();
        foreach (string raw in log.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("SVMMUT-BASE ", StringComparison.Ordinal))
            {
                string hex = line.Substring(12).Trim();
                if (hex.Length == 2 * Vmcb.Size) baseVmcb = Convert.FromHexString(hex);
            }
            else if (line.StartsWith("SVMMUT id=", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                uint id = 0;
                ulong exit = 0;
                bool haveId = false, haveExit = false;
                foreach (string p in parts)
                {
                    if (p.StartsWith("id=", StringComparison.Ordinal)) haveId = uint.TryParse(p.AsSpan(3), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out id);
                    else if (p.StartsWith("exit=", StringComparison.Ordinal)) haveExit = ulong.TryParse(p.AsSpan(5), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out exit);
                }
                if (haveId && haveExit) exits[id] = exit;
            }
        }
    }

    /// <summary>Compares every mutant of a module with the kernel's log.</summary>
    /// <param name="module">The mutant module the kernel ran.</param>
    /// <param name="log">The kernel's serial log.</param>
    /// <param name="context">The profile to predict with (QEMU or Bochs).</param>
    /// <returns>One outcome per mutant that has a result line.</returns>
    /// <exception cref="FormatException">The module or the log is malformed (host-only code).</exception>
    public static List<SvmMutantOutcome> Compare(ReadOnlySpan<byte> module, string log, in SvmCheckContext context)
    {
        if (!SvmMutantFile.TryGetCount(module, out int count)) throw new FormatException("not a mutant module");
        ParseLog(log, out byte[]? baseBytes, out var exits);
        if (baseBytes is null) throw new FormatException("log has no SVMMUT-BASE line");
        var outcomes = new List<SvmMutantOutcome>();
        for (int i = 0; i < count; i++)
        {
            if (!SvmMutantFile.TryReadRecord(module, i, out uint id, out _)) throw new FormatException($"record {i} malformed");
            if (!exits.TryGetValue(id, out ulong exit)) continue;
            var vmcb = new Vmcb();
            baseBytes.CopyTo(Vmcb.AsBytes(ref vmcb));
            if (!SvmMutantFile.TryApply(module, i, ref vmcb)) throw new FormatException($"record {i} has a bad patch");
            outcomes.Add(new SvmMutantOutcome(id, exit, VmrunChecker.Check(in vmcb, in context)));
        }
        return outcomes;
    }
}
