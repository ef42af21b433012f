using System;

namespace Xen.Sdk.Svm;

/// <summary>
/// The result of <see cref="VmrunChecker.Check(in Vmcb, in SvmCheckContext)"/>: the set of failed checks
/// as one 64-bit mask (bit n = <see cref="SvmCheck"/> n). No allocation; enumerate it with <c>foreach</c>.
/// </summary>
public readonly struct VmrunCheckReport : IEquatable<VmrunCheckReport>
{
    /// <summary>Wraps a failure mask.</summary>
    /// <param name="failedMask">Bit n set = check n failed.</param>
    public VmrunCheckReport(ulong failedMask) => FailedMask = failedMask;

    /// <summary>Bit n set = <see cref="SvmCheck"/> n failed.</summary>
    public ulong FailedMask { get; }

    /// <summary>True when no check failed: VMRUN proceeds to load the guest.</summary>
    public bool IsValid => FailedMask == 0;

    /// <summary>Number of failed checks.</summary>
    public int Count
    {
        get
        {
            ulong m = FailedMask;
            int n = 0;
            while (m != 0) { m &= m - 1; n++; }
            return n;
        }
    }

    /// <summary>Whether a given check failed.</summary>
    /// <param name="check">The check.</param>
    /// <returns>True if it failed.</returns>
    public bool Has(SvmCheck check) => ((FailedMask >> (int)check) & 1) != 0;

    /// <summary>The exit VMRUN is predicted to produce: VMEXIT_INVALID when any check failed.</summary>
    /// <param name="exitCode"><see cref="SvmExitCode.Invalid"/> when the report is not valid.</param>
    /// <returns>True if VMRUN is predicted to fail with VMEXIT_INVALID.</returns>
    public bool TryGetPredictedExit(out SvmExitCode exitCode)
    {
        exitCode = SvmExitCode.Invalid;
        return FailedMask != 0;
    }

    /// <summary>Enumerates the failed checks in ascending order.</summary>
    /// <returns>A struct enumerator.</returns>
    public Enumerator GetEnumerator() => new(FailedMask);

    /// <inheritdoc/>
    public bool Equals(VmrunCheckReport other) => FailedMask == other.FailedMask;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VmrunCheckReport r && r.FailedMask == FailedMask;
    /// <inheritdoc/>
    public override int GetHashCode() => FailedMask.GetHashCode();
    /// <summary>Equality.</summary><param name="a">Left.</param><param name="b">Right.</param><returns>True if equal.</returns>
    public static bool operator ==(VmrunCheckReport a, VmrunCheckReport b) => a.FailedMask == b.FailedMask;
    /// <summary>Inequality.</summary><param name="a">Left.</param><param name="b">Right.</param><returns>True if different.</returns>
    public static bool operator !=(VmrunCheckReport a, VmrunCheckReport b) => a.FailedMask != b.FailedMask;

    /// <summary>Struct enumerator over the failed checks.</summary>
    public struct Enumerator
    {
        private ulong _remaining;
        private SvmCheck _current;

        internal Enumerator(ulong mask)
        {
            _remaining = mask;
            _current = default;
        }

        /// <summary>The current check.</summary>
        public readonly SvmCheck Current => _current;

        /// <summary>Advances to the next failed check.</summary>
        /// <returns>False at the end.</returns>
        public bool MoveNext()
        {
            if (_remaining == 0) return false;
            int bit = 0;
            ulong m = _remaining;
            while ((m & 1) == 0) { m >>= 1; bit++; }
            _remaining &= _remaining - 1;
            _current = (SvmCheck)bit;
            return true;
        }
    }
}

/// <summary>One failed check with the offending VMCB field: its offset and the value VMRUN read.</summary>
public readonly struct SvmCheckFailure
{
    /// <summary>Creates a failure record.</summary>
    /// <param name="check">The check.</param>
    /// <param name="vmcbOffset">Offset of the field within the VMCB.</param>
    /// <param name="value">The field's value.</param>
    public SvmCheckFailure(SvmCheck check, ushort vmcbOffset, ulong value)
    {
        Check = check;
        VmcbOffset = vmcbOffset;
        Value = value;
    }

    /// <summary>The failed check.</summary>
    public SvmCheck Check { get; }
    /// <summary>Offset of the offending field in the VMCB.</summary>
    public ushort VmcbOffset { get; }
    /// <summary>The offending field's value.</summary>
    public ulong Value { get; }
    /// <summary>The manual reference for the check.</summary>
    public string Reference => SvmChecks.Reference(Check);
    /// <summary>What VMRUN does: #VMEXIT with <see cref="SvmExitCode.Invalid"/>.</summary>
    public SvmExitCode PredictedExitCode => SvmExitCode.Invalid;

    /// <summary>Builds the record for a check from the VMCB.</summary>
    /// <param name="check">The check.</param>
    /// <param name="vmcb">The VMCB.</param>
    /// <returns>The record.</returns>
    public static SvmCheckFailure From(SvmCheck check, in Vmcb vmcb)
    {
        ushort off = SvmChecks.FieldOffset(check);
        return new SvmCheckFailure(check, off, SvmChecks.FieldValue(in vmcb, off));
    }
}

/// <summary>Static facts about each <see cref="SvmCheck"/>: manual reference and the VMCB field it reads.</summary>
public static class SvmChecks
{
    /// <summary>The manual reference of a check, in the project's citation form.</summary>
    /// <param name="check">The check.</param>
    /// <returns>The reference (a literal string; no allocation).</returns>
    public static string Reference(SvmCheck check) => check switch
    {
        SvmCheck.IllegalEventType or SvmCheck.IllegalEventVector => "(AMD APM Vol. 2 §15.20)",
        SvmCheck.CsLAndDAlways or SvmCheck.GPatInvalid or SvmCheck.NestedCr3Reserved or SvmCheck.NestedPagingWithoutHostPaging => "(bochs/cpu/svm.cc; not in AMD APM Vol. 2 §15.5.1)",
        _ => "(AMD APM Vol. 2 §15.5.1)",
    };

    /// <summary>Offset of the VMCB field a check reads (the first one, for checks over several fields).</summary>
    /// <param name="check">The check.</param>
    /// <returns>The VMCB offset.</returns>
    public static ushort FieldOffset(SvmCheck check) => check switch
    {
        SvmCheck.EferSvmeClear or SvmCheck.EferReserved or SvmCheck.LongModeUnsupported => 0x4D0,
        SvmCheck.Cr0NwWithoutCd or SvmCheck.Cr0HighBits or SvmCheck.LongModeWithoutPe or SvmCheck.CetWithoutWp => 0x558,
        SvmCheck.Cr3Reserved => 0x550,
        SvmCheck.Cr4Reserved or SvmCheck.LongModeWithoutPae => 0x548,
        SvmCheck.Dr6HighBits => 0x568,
        SvmCheck.Dr7HighBits => 0x560,
        SvmCheck.LongModeCsLAndD or SvmCheck.CsLAndDAlways => 0x412,
        SvmCheck.VmrunInterceptClear => 0x010,
        SvmCheck.IopmBeyondMaxPhysAddr => 0x040,
        SvmCheck.MsrpmBeyondMaxPhysAddr => 0x048,
        SvmCheck.AsidZero => 0x058,
        SvmCheck.IllegalEventType or SvmCheck.IllegalEventVector => 0x0A8,
        SvmCheck.SCetReserved => 0x5E0,
        SvmCheck.GPatInvalid => 0x668,
        SvmCheck.NestedCr3Reserved => 0x0B0,
        SvmCheck.NestedPagingWithoutHostPaging => 0x090,
        _ => 0,
    };

    /// <summary>Reads the field at a VMCB offset with the width the checks use (16 bits for segment
    /// attributes, 32 for intercept vector 4 and the ASID, else 64).</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="offset">The offset from <see cref="FieldOffset"/>.</param>
    /// <returns>The value.</returns>
    public static ulong FieldValue(in Vmcb vmcb, ushort offset) => offset switch
    {
        0x412 => vmcb.Save.Cs.Attributes.Value,
        0x010 => (uint)vmcb.Control.Intercepts4,
        0x058 => vmcb.Control.GuestAsid,
        0x040 => vmcb.Control.IopmBasePa,
        0x048 => vmcb.Control.MsrpmBasePa,
        0x0A8 => vmcb.Control.EventInjection.Value,
        0x0B0 => vmcb.Control.NestedCr3,
        0x090 => (ulong)vmcb.Control.NestedControl,
        0x4D0 => vmcb.Save.Efer,
        0x548 => vmcb.Save.Cr4,
        0x550 => vmcb.Save.Cr3,
        0x558 => vmcb.Save.Cr0,
        0x560 => vmcb.Save.Dr7,
        0x568 => vmcb.Save.Dr6,
        0x5E0 => vmcb.Save.SCet,
        0x668 => vmcb.Save.GPat,
        _ => 0,
    };
}
