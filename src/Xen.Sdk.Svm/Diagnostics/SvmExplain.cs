using System;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Xen.Sdk.Svm.Diagnostics;

/// <summary>
/// Host-only text output: VMCB dumps, VMCB diffs, checker reports and exit descriptions. Allocates and
/// formats strings freely; the reference kernel never calls it.
/// </summary>
public static class SvmExplain
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One line per non-zero VMCB field, with its offset, e.g. <c>558h save.Cr0 = 0000000080000031h</c>.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <returns>The text.</returns>
    public static string Explain(in Vmcb vmcb)
    {
        var sb = new StringBuilder();
        foreach (var (offset, name, value) in Fields(vmcb))
        {
            if (IsZero(value)) continue;
            sb.Append(Inv, $"{offset:X3}h {name} = {Format(value)}").AppendLine();
        }
        var report = VmrunChecker.Check(in vmcb, new SvmCheckContext(SvmCapabilities.Bochs27Ryzen, SvmCheckProfile.Apm));
        sb.Append("VMRUN consistency (APM rules, MAXPHYADDR 40): ").AppendLine(report.IsValid ? "passes" : "fails");
        return sb.ToString();
    }

    /// <summary>The fields that differ between two VMCBs, one line each: <c>offset name: before -> after</c>.</summary>
    /// <param name="before">The first VMCB.</param>
    /// <param name="after">The second VMCB.</param>
    /// <returns>The text (empty when equal).</returns>
    public static string Diff(in Vmcb before, in Vmcb after)
    {
        var sb = new StringBuilder();
        var a = Fields(before);
        var b = Fields(after);
        for (int i = 0; i < a.Length; i++)
        {
            if (Format(a[i].Value) != Format(b[i].Value))
                sb.Append(Inv, $"{a[i].Offset:X3}h {a[i].Name}: {Format(a[i].Value)} -> {Format(b[i].Value)}").AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>Explains a checker report: each failed check with its rule, reference, offending field and the
    /// predicted exit.</summary>
    /// <param name="vmcb">The VMCB that was checked.</param>
    /// <param name="report">The report.</param>
    /// <returns>The text.</returns>
    public static string Explain(in Vmcb vmcb, VmrunCheckReport report)
    {
        if (report.IsValid) return "VMRUN passes every consistency check; the guest is entered.";
        var sb = new StringBuilder();
        sb.Append(Inv, $"VMRUN fails {report.Count} consistency check(s); predicted #VMEXIT(VMEXIT_INVALID) = EXITCODE {(ulong)SvmExitCode.Invalid:X16}h (QEMU stores 00000000FFFFFFFFh).").AppendLine();
        foreach (SvmCheck c in report)
        {
            var f = SvmCheckFailure.From(c, in vmcb);
            sb.Append(Inv, $"  {c}: {Rule(c)} {f.Reference}; field {f.VmcbOffset:X3}h = {f.Value:X16}h").AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>The rule a check tests, in the APM's words.</summary>
    /// <param name="check">The check.</param>
    /// <returns>The sentence.</returns>
    public static string Rule(SvmCheck check) => check switch
    {
        SvmCheck.EferSvmeClear => "EFER.SVME is zero.",
        SvmCheck.Cr0NwWithoutCd => "CR0.CD is zero and CR0.NW is set.",
        SvmCheck.Cr0HighBits => "CR0[63:32] are not zero.",
        SvmCheck.Cr3Reserved => "Any MBZ bit of CR3 is set.",
        SvmCheck.Cr4Reserved => "Any MBZ bit of CR4 is set.",
        SvmCheck.Dr6HighBits => "DR6[63:32] are not zero.",
        SvmCheck.Dr7HighBits => "DR7[63:32] are not zero.",
        SvmCheck.EferReserved => "Any MBZ bit of EFER is set.",
        SvmCheck.LongModeUnsupported => "EFER.LMA or EFER.LME is non-zero and this processor does not support long mode.",
        SvmCheck.LongModeWithoutPae => "EFER.LME and CR0.PG are both set and CR4.PAE is zero.",
        SvmCheck.LongModeWithoutPe => "EFER.LME and CR0.PG are both non-zero and CR0.PE is zero.",
        SvmCheck.LongModeCsLAndD => "EFER.LME, CR0.PG, CR4.PAE, CS.L, and CS.D are all non-zero.",
        SvmCheck.VmrunInterceptClear => "The VMRUN intercept bit is clear.",
        SvmCheck.IopmBeyondMaxPhysAddr => "The IOIO intercept table extends to a physical address that is greater than or equal to the maximum supported physical address.",
        SvmCheck.MsrpmBeyondMaxPhysAddr => "The MSR intercept table extends to a physical address that is greater than or equal to the maximum supported physical address.",
        SvmCheck.AsidZero => "ASID is equal to zero.",
        SvmCheck.IllegalEventType => "Illegal event injection: a reserved TYPE value.",
        SvmCheck.IllegalEventVector => "Illegal event injection: TYPE = 3 (exception) with a vector that is not an exception.",
        SvmCheck.CetWithoutWp => "CR4.CET = 1 when CR0.WP = 0.",
        SvmCheck.SCetReserved => "Any reserved bit is set in S_CET.",
        SvmCheck.CsLAndDAlways => "Bochs: CS.L and CS.D both set (in any mode).",
        SvmCheck.GPatInvalid => "Bochs: nested paging with an undefined memory type in G_PAT.",
        SvmCheck.NestedCr3Reserved => "Bochs: nested paging with N_CR3 beyond MAXPHYADDR.",
        SvmCheck.NestedPagingWithoutHostPaging => "Bochs: nested paging enabled while host paging is off.",
        _ => check.ToString(),
    };

    /// <summary>Describes an exit: code name and the decoded EXITINFO fields.</summary>
    /// <param name="exit">The exit.</param>
    /// <param name="capabilities">The processor's capabilities (decode assists, NRIP save).</param>
    /// <returns>The text.</returns>
    public static string Explain(in SvmExit exit, in SvmCapabilities capabilities)
    {
        var sb = new StringBuilder();
        SvmExitCode code = exit.Code;
        sb.Append(Inv, $"#VMEXIT {code} ({exit.RawCode:X}h) EXITINFO1={exit.Info1:X16}h EXITINFO2={exit.Info2:X16}h");
        if (exit.TryGetIo(out var io))
            sb.Append(Inv, $": {(io.IsIn ? "IN" : "OUT")}{(io.IsString ? "S" : "")}{(io.IsRep ? " REP" : "")} port {io.Port:X4}h size {io.Size} a{io.AddressSize}, next RIP {exit.Info2:X}h");
        else if (exit.TryGetMsr(out bool w))
            sb.Append(w ? ": WRMSR (MSR in ECX, value in EDX:EAX)" : ": RDMSR (MSR in ECX)");
        else if (exit.TryGetNestedPageFault(out var npf))
            sb.Append(Inv, $": GPA {npf.GuestPhysicalAddress:X}h {(npf.Present ? "protection" : "not-present")} {(npf.Write ? "write" : npf.InstructionFetch ? "fetch" : "read")}{(npf.ReservedBit ? " reserved-bit" : "")}{(npf.FinalTranslation ? " final-translation" : "")}{(npf.GuestPageTableWalk ? " guest-walk" : "")}");
        else if (exit.TryGetException(out var ex))
            sb.Append(Inv, $": exception {ex.Vector}{(ex.HasErrorCode ? $" error code {ex.ErrorCode:X}h" : "")}{(ex.Vector == 14 ? $" address {ex.FaultingAddress:X}h" : "")}");
        else if (exit.TryGetControlAccess(in capabilities, out var ca))
            sb.Append(Inv, $": {(ca.IsWrite ? "write" : "read")} {(ca.IsDebugRegister ? "DR" : "CR")}{ca.Register}{(ca.HasDecodeAssist ? (ca.IsMov ? $" via MOV, GPR {ca.GeneralRegister}" : " via LMSW/CLTS/SMSW") : " (no decode assists: decode the instruction)")}");
        else if (exit.TryGetTaskSwitch(out var ts))
            sb.Append(Inv, $": task switch to TSS {ts.TssSelector:X4}h by {(ts.ByIret ? "IRET" : ts.ByJump ? "JMP" : "CALL/interrupt")}{(ts.HasErrorCode ? $", error code {ts.ErrorCode:X}h" : "")}");
        else if (exit.TryGetWriteTrap(out int reg, out ulong nv))
            sb.Append(Inv, $": {(reg < 0 ? "EFER" : "CR" + reg)} written with {nv:X}h");
        if (exit.IntInfo.IsValid)
            sb.Append(Inv, $"; during delivery of {exit.IntInfo.Type} vector {exit.IntInfo.Vector}{(exit.IntInfo.ErrorCodeValid ? $" error code {exit.IntInfo.ErrorCode:X}h" : "")} (re-inject it)");
        return sb.ToString();
    }

    private static (int Offset, string Name, object Value)[] Fields(in Vmcb vmcb)
    {
        var list = new System.Collections.Generic.List<(int, string, object)>();
        object control = vmcb.Control, save = vmcb.Save;
        foreach (var (area, boxed, type, baseOffset) in new[] { ("control", control, typeof(VmcbControlArea), 0), ("save", save, typeof(VmcbStateSaveArea), 0x400) })
        {
            foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                int off = baseOffset + f.GetCustomAttribute<System.Runtime.InteropServices.FieldOffsetAttribute>()!.Value;
                list.Add((off, $"{area}.{f.Name}", f.GetValue(boxed)!));
            }
        }
        list.Sort((x, y) => x.Item1.CompareTo(y.Item1));
        return list.ToArray();
    }

    private static bool IsZero(object v) => v switch
    {
        VmcbSegment s => s.Selector == 0 && s.Attributes.Value == 0 && s.Limit == 0 && s.Base == 0,
        SvmSegmentAttributes a => a.Value == 0,
        SvmEvent e => e.Value == 0,
        SvmVirtualInterruptControl c => c.Value == 0,
        SvmInterruptState c => c.Value == 0,
        VmcbGuestInstructionBytes b => b.Count == 0,
        Enum e => Convert.ToUInt64(e, Inv) == 0,
        IConvertible c => c.ToUInt64(Inv) == 0,
        _ => false,
    };

    private static string Format(object v) => v switch
    {
        VmcbSegment s => string.Create(Inv, $"sel {s.Selector:X4}h attr {s.Attributes.Value:X3}h limit {s.Limit:X8}h base {s.Base:X16}h"),
        SvmSegmentAttributes a => string.Create(Inv, $"{a.Value:X3}h"),
        SvmEvent e => string.Create(Inv, $"{e.Value:X16}h"),
        SvmVirtualInterruptControl c => string.Create(Inv, $"{c.Value:X16}h"),
        SvmInterruptState c => string.Create(Inv, $"{c.Value:X16}h"),
        VmcbGuestInstructionBytes b => string.Create(Inv, $"{b.Count:X2}h:{Convert.ToHexString(b.AsSpan())}"),
        Enum e => string.Create(Inv, $"{Convert.ToUInt64(e, Inv):X}h ({e})"),
        IFormattable f => f.ToString("X", Inv) + "h",
        _ => v.ToString() ?? "",
    };
}
