using System;
using System.Globalization;
using System.Text;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Exits;

namespace Xen.Sdk.Vmx.Diagnostics;

/// <summary>
/// Host-only text for people: a whole VMCS with every field decoded, the difference between two VMCS
/// images, a checker report and a VM exit. Allocates freely; kernel code never calls it.
/// </summary>
public static class VmcsExplain
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Every present field of an image, grouped (control, read-only, guest, host), decoded.</summary>
    /// <param name="image">The image.</param>
    /// <returns>Text, one field per line.</returns>
    public static string Explain(VmcsImage image)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"VMCS revision {image.RevisionId:X}H, launch state {image.LaunchState}, {image.PresentCount} fields\n");
        for (int g = 0; g < 4; g++)
        {
            sb.Append(Inv, $"-- {(VmcsFieldGroup)g} --\n");
            for (int i = 0; i < VmcsFields.Count; i++)
            {
                VmcsFieldId id = VmcsFields.IdAt(i);
                if ((int)id.Group != g || !image.IsPresent(i))
                {
                    continue;
                }

                AppendField(sb, i, image.ValueAt(i));
            }
        }

        return sb.ToString();
    }

    /// <summary>Fields that differ between two images (presence or value), decoded on both sides.</summary>
    /// <param name="before">First image.</param>
    /// <param name="after">Second image.</param>
    /// <returns>Text; "no differences" when equal.</returns>
    public static string Diff(VmcsImage before, VmcsImage after)
    {
        var sb = new StringBuilder();
        if (before.RevisionId != after.RevisionId)
        {
            sb.Append(Inv, $"revision: {before.RevisionId:X}H -> {after.RevisionId:X}H\n");
        }

        if (before.LaunchState != after.LaunchState)
        {
            sb.Append(Inv, $"launch state: {before.LaunchState} -> {after.LaunchState}\n");
        }

        for (int i = 0; i < VmcsFields.Count; i++)
        {
            bool p0 = before.IsPresent(i), p1 = after.IsPresent(i);
            ulong v0 = before.ValueAt(i), v1 = after.ValueAt(i);
            if (p0 == p1 && v0 == v1)
            {
                continue;
            }

            sb.Append(Inv, $"{VmcsFieldInfo.Name(i)} ({VmcsFields.EncodingAt(i):X4}H):\n");
            sb.Append("  - ").Append(p0 ? Format(i, v0) : "(absent)").Append('\n');
            sb.Append("  + ").Append(p1 ? Format(i, v1) : "(absent)").Append('\n');
        }

        return sb.Length == 0 ? "no differences\n" : sb.ToString();
    }

    /// <summary>A checker report: predicted outcome, then each failure with its rule, SDM section, fields and values.</summary>
    /// <param name="report">The report.</param>
    /// <param name="failures">The buffer passed to the checker.</param>
    /// <returns>Text.</returns>
    public static string Explain(in EntryCheckReport report, ReadOnlySpan<EntryCheckFailure> failures)
    {
        var sb = new StringBuilder();
        sb.Append("Predicted outcome: ").Append(Describe(report.Outcome)).Append('\n');
        if (report.Passed)
        {
            sb.Append("All VM-entry checks pass");
            if (report.SkippedMemoryChecks > 0)
            {
                sb.Append(Inv, $" ({report.SkippedMemoryChecks} memory-dependent check(s) skipped: memory not readable)");
            }

            return sb.Append('\n').ToString();
        }

        sb.Append(Inv, $"{report.FailureCount} failed check(s)");
        if (report.Written < report.FailureCount)
        {
            sb.Append(Inv, $", first {report.Written} shown");
        }

        sb.Append(":\n");
        int n = Math.Min(report.Written, failures.Length);
        for (int k = 0; k < n; k++)
        {
            EntryCheckFailure f = failures[k];
            sb.Append(Inv, $"{k + 1}. {f.Check}: {EntryCheckText.Describe(f.Check)}\n");
            sb.Append("   ").Append(EntryCheckText.Cite(f.Section)).Append('\n');
            if (f.Field != EntryCheckFailure.NoField)
            {
                byte o = VmcsFields.OrdinalOf(f.Field);
                sb.Append("   field:    ").Append(VmcsFieldInfo.NameOf(f.Field)).Append(Inv, $" ({f.Field:X4}H)");
                if (f.RelatedField != EntryCheckFailure.NoField)
                {
                    sb.Append(", with ").Append(VmcsFieldInfo.NameOf(f.RelatedField));
                }

                sb.Append('\n');
                sb.Append("   actual:   ").Append(o == VmcsFieldId.NoOrdinal ? Hex(f.Actual) : Format(o, f.Actual)).Append('\n');
                sb.Append("   expected: ").Append(o == VmcsFieldId.NoOrdinal ? Hex(f.Expected) : Format(o, f.Expected)).Append('\n');
            }
            else
            {
                sb.Append(Inv, $"   actual: {Hex(f.Actual)}, expected: {Hex(f.Expected)}\n");
            }

            if (k == 0)
            {
                sb.Append("   -> this is what the processor reports: ").Append(Describe(f.Outcome)).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>Describes an outcome, e.g. "VMfailValid, VM-instruction error 7 (EntryInvalidControlFields)".</summary>
    /// <param name="outcome">Outcome.</param>
    /// <returns>Text.</returns>
    public static string Describe(in EntryOutcome outcome) => outcome.Kind switch
    {
        EntryOutcomeKind.Success => "VM entry succeeds",
        EntryOutcomeKind.VmFailInvalid => "VMfailInvalid (CF = 1)",
        EntryOutcomeKind.VmFailValid => string.Create(Inv, $"VMfailValid (ZF = 1), VM-instruction error {(uint)outcome.Error} ({outcome.Error})"),
        _ => string.Create(Inv, $"VM-entry failure: exit reason {outcome.ExitReasonField:X8}H ({ExitReasonText.Describe((BasicExitReason)outcome.ExitReason)}), exit qualification {outcome.Qualification}"),
    };

    /// <summary>A VM exit: reason, decoded qualification and event information.</summary>
    /// <param name="exit">Exit information.</param>
    /// <returns>Text.</returns>
    public static string Explain(in VmExitInfo exit)
    {
        var sb = new StringBuilder();
        ExitReason r = exit.Reason;
        sb.Append(Inv, $"Exit reason {r.Raw:X8}H: {(ushort)r.Basic} {ExitReasonText.Describe(r.Basic)}");
        if (r.EntryFailure)
        {
            sb.Append(", VM-entry failure");
        }

        if (r.PendingMtf)
        {
            sb.Append(", pending MTF");
        }

        if (r.EnclaveMode)
        {
            sb.Append(", enclave mode");
        }

        if (r.UnknownBits != 0)
        {
            sb.Append(Inv, $", unknown bits {r.UnknownBits:X8}H");
        }

        sb.Append('\n').Append("Qualification: ").Append(Hex(exit.Qualification));
        string q = r.Basic switch
        {
            BasicExitReason.ControlRegisterAccess => CrText(exit.CrAccess),
            BasicExitReason.MovDr => string.Create(Inv, $"MOV {(exit.MovDr.FromDebugRegister ? $"{Gpr(exit.MovDr.Register)}, DR{exit.MovDr.DebugRegister}" : $"DR{exit.MovDr.DebugRegister}, {Gpr(exit.MovDr.Register)}")}"),
            BasicExitReason.IoInstruction => IoText(exit.Io),
            BasicExitReason.EptViolation => EptText(exit.EptViolation, exit.GuestPhysicalAddress, exit.GuestLinearAddress),
            BasicExitReason.EptMisconfiguration => string.Create(Inv, $"EPT misconfiguration at guest-physical {exit.GuestPhysicalAddress:X}H"),
            BasicExitReason.TaskSwitch => string.Create(Inv, $"task switch to TSS selector {exit.TaskSwitch.Selector:X4}H by {exit.TaskSwitch.Source}"),
            BasicExitReason.ApicAccess => string.Create(Inv, $"APIC access, {exit.ApicAccess.AccessType}, offset {exit.ApicAccess.Offset:X3}H"),
            BasicExitReason.Invlpg => string.Create(Inv, $"INVLPG of linear address {exit.Qualification:X}H"),
            BasicExitReason.EntryFailureInvalidGuestState or BasicExitReason.EntryFailureMsrLoading => exit.Qualification switch
            {
                2 => "PDPTE loading failed",
                4 => "invalid VMCS link pointer",
                _ => r.Basic == BasicExitReason.EntryFailureMsrLoading ? string.Create(Inv, $"MSR-load entry {exit.Qualification} failed") : "invalid guest state",
            },
            _ => string.Empty,
        };
        if (q.Length > 0)
        {
            sb.Append(" = ").Append(q);
        }

        sb.Append('\n');
        if (exit.Interruption.Valid)
        {
            sb.Append("Exit interruption: ").Append(EventText(exit.Interruption, exit.InterruptionErrorCode)).Append('\n');
        }

        if (exit.IdtVectoring.Valid)
        {
            sb.Append("IDT vectoring (event being delivered): ").Append(EventText(exit.IdtVectoring, exit.IdtVectoringErrorCode)).Append('\n');
        }

        sb.Append(Inv, $"Instruction length {exit.InstructionLength}, instruction information {exit.InstructionInfo.Raw:X8}H\n");
        return sb.ToString();
    }

    private static void AppendField(StringBuilder sb, int ordinal, ulong value)
        => sb.Append(Inv, $"  {VmcsFields.EncodingAt(ordinal):X4}H {VmcsFieldInfo.Name(ordinal),-38} {Format(ordinal, value)}\n");

    /// <summary>Formats a field value with its decoding (flags, access rights, event info...).</summary>
    /// <param name="ordinal">Field ordinal.</param>
    /// <param name="value">Value.</param>
    /// <returns>Text.</returns>
    public static string Format(int ordinal, ulong value)
    {
        string name = VmcsFieldInfo.Name(ordinal);
        string hex = Hex(value);
        string decoded = name switch
        {
            "PinBasedControls" => ((PinBasedControls)(uint)value & ~PinBasedControls.Default1).ToString(),
            "PrimaryProcessorBasedControls" => ((PrimaryProcessorControls)(uint)value & ~PrimaryProcessorControls.Default1).ToString(),
            "SecondaryProcessorBasedControls" => ((SecondaryProcessorControls)(uint)value).ToString(),
            "TertiaryProcessorBasedControls" => ((TertiaryProcessorControls)value).ToString(),
            "PrimaryExitControls" => ((ExitControls)(uint)value & ~ExitControls.Default1).ToString(),
            "EntryControls" => ((EntryControls)(uint)value & ~EntryControls.Default1).ToString(),
            "GuestCr0" or "HostCr0" or "Cr0ReadShadow" or "Cr0GuestHostMask" => Bits(value, Cr0Names),
            "GuestCr4" or "HostCr4" or "Cr4ReadShadow" or "Cr4GuestHostMask" => Bits(value, Cr4Names),
            "GuestRflags" => Bits(value, RflagsNames),
            "EntryInterruptionInfo" or "ExitInterruptionInfo" or "IdtVectoringInfo" => EventText(new InterruptionInfo((uint)value), null),
            "ExitReason" => string.Create(Inv, $"{(ushort)value} {ExitReasonText.Describe((BasicExitReason)(ushort)value)}{((value & 0x8000_0000) != 0 ? ", entry failure" : "")}"),
            "VmInstructionError" => ((VmInstructionError)(uint)value).ToString(),
            "GuestActivityState" => value switch { 0 => "active", 1 => "HLT", 2 => "shutdown", 3 => "wait-for-SIPI", _ => "invalid" },
            "GuestInterruptibilityState" => Bits(value, ["STI", "MOV-SS", "SMI", "NMI", "enclave"]),
            "VmcsLinkPointer" => value == ulong.MaxValue ? "none" : "",
            _ when name.EndsWith("AccessRights", StringComparison.Ordinal) => AccessRights((uint)value),
            _ => "",
        };
        return decoded.Length == 0 ? hex : hex + "  " + decoded;
    }

    private static readonly string[] Cr0Names = ["PE", "MP", "EM", "TS", "ET", "NE", "", "", "", "", "", "", "", "", "", "", "WP", "", "AM", "", "", "", "", "", "", "", "", "", "", "NW", "CD", "PG"];
    private static readonly string[] Cr4Names = ["VME", "PVI", "TSD", "DE", "PSE", "PAE", "MCE", "PGE", "PCE", "OSFXSR", "OSXMMEXCPT", "UMIP", "LA57", "VMXE", "SMXE", "", "FSGSBASE", "PCIDE", "OSXSAVE", "KL", "SMEP", "SMAP", "PKE", "CET", "PKS"];
    private static readonly string[] RflagsNames = ["CF", "1", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF", "IOPL0", "IOPL1", "NT", "", "RF", "VM", "AC", "VIF", "VIP", "ID"];

    private static string Bits(ulong value, string[] names)
    {
        var sb = new StringBuilder();
        for (int b = 0; b < 64; b++)
        {
            if ((value & (1UL << b)) == 0)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append('|');
            }

            sb.Append(b < names.Length && names[b].Length > 0 ? names[b] : "bit" + b.ToString(Inv));
        }

        return sb.Length == 0 ? "0" : sb.ToString();
    }

    private static string AccessRights(uint ar)
    {
        if ((ar & 0x10000) != 0)
        {
            return "unusable";
        }

        uint type = ar & 0xF;
        bool s = (ar & 0x10) != 0;
        string kind = !s ? SystemType(type) : (type & 8) != 0
            ? $"code{((type & 4) != 0 ? " conforming" : "")}{((type & 2) != 0 ? " readable" : " execute-only")}{((type & 1) != 0 ? " accessed" : "")}"
            : $"data{((type & 4) != 0 ? " expand-down" : "")}{((type & 2) != 0 ? " writable" : " read-only")}{((type & 1) != 0 ? " accessed" : "")}";
        return string.Create(Inv, $"type {type} ({kind}), DPL {(ar >> 5) & 3}{((ar & 0x80) != 0 ? ", P" : ", not present")}{((ar & 0x2000) != 0 ? ", L" : "")}{((ar & 0x4000) != 0 ? ", D/B" : "")}{((ar & 0x8000) != 0 ? ", G" : "")}{((ar & 0xFFFE_0F00) != 0 ? ", RESERVED BITS SET" : "")}");
    }

    private static string SystemType(uint type) => type switch
    {
        2 => "LDT",
        3 => "16-bit busy TSS",
        9 => "available 32/64-bit TSS",
        11 => "busy 32/64-bit TSS",
        1 => "available 16-bit TSS",
        _ => "system",
    };

    private static string EventText(InterruptionInfo info, uint? errorCode)
    {
        if (!info.Valid)
        {
            return "none";
        }

        string s = string.Create(Inv, $"{info.Type} vector {info.Vector}");
        if (info.ErrorCodeValid)
        {
            s += errorCode is uint e ? string.Create(Inv, $", error code {e:X}H") : ", with error code";
        }

        if (info.NmiUnblockingDueToIret)
        {
            s += ", NMI unblocking due to IRET";
        }

        if (info.UnknownBits != 0)
        {
            s += string.Create(Inv, $", RESERVED BITS {info.UnknownBits:X8}H");
        }

        return s;
    }

    private static string CrText(CrAccessQualification q) => q.AccessType switch
    {
        CrAccessType.MovToCr => string.Create(Inv, $"MOV CR{q.ControlRegister}, {Gpr(q.Register)}"),
        CrAccessType.MovFromCr => string.Create(Inv, $"MOV {Gpr(q.Register)}, CR{q.ControlRegister}"),
        CrAccessType.Clts => "CLTS",
        _ => string.Create(Inv, $"LMSW {(q.LmswMemoryOperand ? "memory" : "register")} operand, source {q.LmswSourceData:X4}H"),
    };

    private static string IoText(IoQualification q)
    {
        string op = q.String ? (q.In ? "INS" : "OUTS") : (q.In ? "IN" : "OUT");
        return string.Create(Inv, $"{(q.Rep ? "REP " : "")}{op} port {q.Port:X4}H, {q.Size} byte(s), port from {(q.ImmediateOperand ? "immediate" : "DX")}");
    }

    private static string EptText(EptViolationQualification q, ulong gpa, ulong gla)
    {
        string access = q.InstructionFetch ? "instruction fetch" : q.Write ? "write" : q.Read ? "read" : "access";
        string perms = string.Concat(q.WasReadable ? "r" : "-", q.WasWritable ? "w" : "-", q.WasExecutable ? "x" : "-");
        string s = string.Create(Inv, $"EPT violation: {access} at guest-physical {gpa:X}H, page was {perms}");
        if (q.GuestLinearAddressValid)
        {
            s += string.Create(Inv, $", guest-linear {gla:X}H ({(q.AccessToTranslatedAddress ? "the access itself" : "a paging-structure access")})");
        }

        return s;
    }

    private static string Gpr(int r) => r switch
    {
        0 => "RAX", 1 => "RCX", 2 => "RDX", 3 => "RBX", 4 => "RSP", 5 => "RBP", 6 => "RSI", 7 => "RDI",
        _ => "R" + r.ToString(Inv),
    };

    private static string Hex(ulong v) => v.ToString("X", Inv) + "H";
}
