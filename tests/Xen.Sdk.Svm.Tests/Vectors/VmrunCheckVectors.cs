using System;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Vectors;

/// <summary>
/// One passing and one failing vector per VMRUN consistency check, each built from the sentence of the APM
/// that defines it (AMD APM Vol. 2 §15.5.1 "Canonicalization and Consistency Checks"; §15.20 for event
/// injection). A failing vector must fail exactly that check; a passing vector must pass every check.
/// </summary>
public sealed class VmrunCheckVectors
{
    public delegate void Mutation(ref Vmcb v);

    public sealed record Vector(SvmCheck Check, string Apm, Func<Vmcb> Pass, Func<Vmcb> Fail, SvmCheckContext? Context = null);

    private static Func<Vmcb> From(Func<Vmcb> baseVmcb, Mutation m) => () => { var v = baseVmcb(); m(ref v); return v; };
    private static Func<Vmcb> Good(Mutation m) => From(GoodVmcb.Create, m);
    private static Func<Vmcb> Prot(Mutation m) => From(GoodVmcb.Protected32, m);

    private const ulong PE = 1, WP = 1ul << 16, NW = 1ul << 29, CD = 1ul << 30, PG = 1ul << 31;
    private const ulong PAE = 1ul << 5, PGE = 1ul << 7, VMXE = 1ul << 13, CET = 1ul << 23;
    private const ulong LME = 1ul << 8, LMA = 1ul << 10, SVME = 1ul << 12, SCE = 1;

    public static readonly Vector[] All =
    {
        new(SvmCheck.EferSvmeClear, "EFER.SVME is zero.",
            Good((ref Vmcb v) => v.Efer |= SVME), Good((ref Vmcb v) => v.Efer &= ~SVME)),
        new(SvmCheck.Cr0NwWithoutCd, "CR0.CD is zero and CR0.NW is set.",
            Good((ref Vmcb v) => v.Cr0 |= CD | NW), Good((ref Vmcb v) => v.Cr0 |= NW)),
        new(SvmCheck.Cr0HighBits, "CR0[63:32] are not zero.",
            Good((ref Vmcb v) => v.Cr0 |= PG), Good((ref Vmcb v) => v.Cr0 |= 1ul << 32)),
        new(SvmCheck.Cr3Reserved, "Any MBZ bit of CR3 is set (long mode: bits 63:MAXPHYADDR).",
            Good((ref Vmcb v) => v.Cr3 = (1ul << 40) - 0x1000), Good((ref Vmcb v) => v.Cr3 = 1ul << 40)),
        new(SvmCheck.Cr4Reserved, "Any MBZ bit of CR4 is set (CR4.VMXE is reserved on AMD).",
            Good((ref Vmcb v) => v.Cr4 |= PGE), Good((ref Vmcb v) => v.Cr4 |= VMXE)),
        new(SvmCheck.Dr6HighBits, "DR6[63:32] are not zero.",
            Good((ref Vmcb v) => v.Dr6 = 0xFFFF_FFFF), Good((ref Vmcb v) => v.Dr6 |= 1ul << 32)),
        new(SvmCheck.Dr7HighBits, "DR7[63:32] are not zero.",
            Good((ref Vmcb v) => v.Dr7 = 0xFFFF_04FF), Good((ref Vmcb v) => v.Dr7 |= 1ul << 63)),
        new(SvmCheck.EferReserved, "Any MBZ bit of EFER is set (EFER[7:1] MBZ).",
            Good((ref Vmcb v) => v.Efer |= SCE), Good((ref Vmcb v) => v.Efer |= 1ul << 1)),
        new(SvmCheck.LongModeUnsupported, "EFER.LMA or EFER.LME is non-zero and this processor does not support long mode.",
            Prot((ref Vmcb v) => v.Efer &= ~(LME | LMA)), Prot((ref Vmcb v) => v.Efer |= LME), GoodVmcb.Apm(longMode: false)),
        new(SvmCheck.LongModeWithoutPae, "EFER.LME and CR0.PG are both set and CR4.PAE is zero.",
            Prot((ref Vmcb v) => v.Efer |= LME), Good((ref Vmcb v) => v.Cr4 &= ~PAE)),
        new(SvmCheck.LongModeWithoutPe, "EFER.LME and CR0.PG are both non-zero and CR0.PE is zero (PE=0 with PG=1 is otherwise allowed by VMRUN).",
            Prot((ref Vmcb v) => v.Cr0 = (v.Cr0 & ~PE) | PG), Good((ref Vmcb v) => v.Cr0 &= ~PE)),
        new(SvmCheck.LongModeCsLAndD, "EFER.LME, CR0.PG, CR4.PAE, CS.L, and CS.D are all non-zero.",
            Prot((ref Vmcb v) => { var cs = v.Cs; cs.Attributes.Long = true; cs.Attributes.DefaultBig = true; v.Cs = cs; }),
            Good((ref Vmcb v) => { var cs = v.Cs; cs.Attributes.DefaultBig = true; v.Cs = cs; })),
        new(SvmCheck.VmrunInterceptClear, "The VMRUN intercept bit is clear.",
            Good((ref Vmcb v) => v.Intercepts4 = SvmIntercept4.Vmrun), Good((ref Vmcb v) => v.Intercepts4 &= ~SvmIntercept4.Vmrun)),
        new(SvmCheck.IopmBeyondMaxPhysAddr, "The IOIO intercept table extends to a physical address >= the maximum supported physical address.",
            Good((ref Vmcb v) => v.IopmBasePa = (1ul << 40) - 0x3000), Good((ref Vmcb v) => v.IopmBasePa = (1ul << 40) - 0x2000)),
        new(SvmCheck.MsrpmBeyondMaxPhysAddr, "The MSR intercept table extends to a physical address >= the maximum supported physical address.",
            Good((ref Vmcb v) => v.MsrpmBasePa = (1ul << 40) - 0x2000), Good((ref Vmcb v) => v.MsrpmBasePa = (1ul << 40) - 0x1000)),
        new(SvmCheck.AsidZero, "ASID is equal to zero.",
            Good((ref Vmcb v) => v.GuestAsid = 63), Good((ref Vmcb v) => v.GuestAsid = 0)),
        new(SvmCheck.IllegalEventType, "§15.20: reserved values of TYPE have been specified (only when V = 1).",
            Good((ref Vmcb v) => v.EventInjection = new SvmEvent(SvmEvent.Create(SvmEventType.Reserved1, 0x20).Value & ~SvmEvent.ValidBit)),
            Good((ref Vmcb v) => v.EventInjection = SvmEvent.Create(SvmEventType.Reserved5, 0x20))),
        new(SvmCheck.IllegalEventVector, "§15.20: TYPE = 3 with a vector that does not correspond to an exception (this includes vector 2).",
            Good((ref Vmcb v) => v.EventInjection = SvmEvent.Exception(14, 0x2)), Good((ref Vmcb v) => v.EventInjection = SvmEvent.Create(SvmEventType.Exception, 2))),
        new(SvmCheck.CetWithoutWp, "CR4.CET = 1 when CR0.WP = 0.",
            Good((ref Vmcb v) => { v.Cr4 |= CET; v.Cr0 |= WP; }), Good((ref Vmcb v) => { v.Cr4 |= CET; v.Cr0 &= ~WP; })),
        new(SvmCheck.SCetReserved, "Any reserved bit is set in S_CET.",
            Good((ref Vmcb v) => v.SCet = 1), Good((ref Vmcb v) => v.SCet = 1ul << 6)),
    };

    public static TheoryData<SvmCheck> Checks()
    {
        var d = new TheoryData<SvmCheck>();
        foreach (var v in All) d.Add(v.Check);
        return d;
    }

    [Fact]
    public void The_known_good_VMCB_passes_every_profile()
    {
        var v = GoodVmcb.Create();
        Assert.True(VmrunChecker.Check(in v, GoodVmcb.Apm()).IsValid);
        Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Qemu72).IsValid);
        Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Bochs27Ryzen).IsValid);
    }

    [Fact]
    public void Every_APM_check_has_a_vector()
    {
        for (int c = 0; c <= (int)SvmCheck.SCetReserved; c++)
            Assert.Contains(All, v => (int)v.Check == c);
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Passing_vector_passes(SvmCheck check)
    {
        var vec = Array.Find(All, x => x.Check == check)!;
        var v = vec.Pass();
        var report = VmrunChecker.Check(in v, vec.Context ?? GoodVmcb.Apm());
        Assert.True(report.IsValid, $"{check} ({vec.Apm}) pass vector failed: mask {report.FailedMask:X}");
        Assert.False(report.TryGetPredictedExit(out _));
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Failing_vector_fails_exactly_that_check_with_VMEXIT_INVALID(SvmCheck check)
    {
        var vec = Array.Find(All, x => x.Check == check)!;
        var v = vec.Fail();
        var report = VmrunChecker.Check(in v, vec.Context ?? GoodVmcb.Apm());
        Assert.Equal(1ul << (int)check, report.FailedMask);
        Assert.True(report.TryGetPredictedExit(out var exit));
        Assert.Equal(SvmExitCode.Invalid, exit);
        Span<SvmCheckFailure> buf = stackalloc SvmCheckFailure[4];
        Assert.Equal(1, VmrunChecker.Check(in v, vec.Context ?? GoodVmcb.Apm(), buf));
        Assert.Equal(check, buf[0].Check);
        Assert.StartsWith("(AMD APM Vol. 2 §15.", buf[0].Reference);
        Assert.Equal(SvmChecks.FieldValue(in v, buf[0].VmcbOffset), buf[0].Value);
    }

    // ---- where the emulators differ from the APM (from their sources; the differential run decides) ----

    [Fact]
    public void Qemu_checks_CR3_by_host_long_mode_even_for_a_32_bit_guest()
    {
        var v = GoodVmcb.Protected32();
        v.Cr3 = 1ul << 40;
        Assert.True(VmrunChecker.Check(in v, GoodVmcb.Apm()).IsValid);
        Assert.Equal(1ul << (int)SvmCheck.Cr3Reserved, VmrunChecker.Check(in v, SvmCheckContext.Qemu72).FailedMask);
        Assert.True(VmrunChecker.Check(in v, new SvmCheckContext(SvmCapabilities.Qemu72Tcg, SvmCheckProfile.Qemu72, hostLongMode: false)).IsValid);
    }

    [Theory]
    [InlineData(0x3000, true, true, true)]    // 12 KiB ends exactly at 2^40 - 1: everybody accepts (QEMU bounds 8 KiB + 1)
    [InlineData(0x2001, true, true, true)]    // not page-aligned: bits 11:0 ignored, base 2^40 - 0x3000 (same as above)
    [InlineData(0x2000, false, false, true)]  // 12 KiB crosses 2^40: APM rejects; QEMU: base >= 2^40 - 0x2001 rejects; Bochs checks only the base
    [InlineData(0x1000, false, false, true)]
    [InlineData(0x0000, false, false, false)] // base at 2^40: everybody rejects
    public void Iopm_bound_differs_per_implementation(ulong belowLimit, bool apm, bool qemu, bool bochs)
    {
        var v = GoodVmcb.Create();
        v.IopmBasePa = (1ul << 40) - belowLimit;
        Assert.Equal(apm, VmrunChecker.Check(in v, GoodVmcb.Apm()).IsValid);
        Assert.Equal(qemu, VmrunChecker.Check(in v, SvmCheckContext.Qemu72).IsValid);
        Assert.Equal(bochs, VmrunChecker.Check(in v, SvmCheckContext.Bochs27Ryzen).IsValid);
    }

    [Fact]
    public void Exception_vector_31_is_rejected_by_qemu_only()
    {
        var v = GoodVmcb.Create();
        v.EventInjection = SvmEvent.Create(SvmEventType.Exception, 31);
        Assert.True(VmrunChecker.Check(in v, GoodVmcb.Apm()).IsValid);
        Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Bochs27Ryzen).IsValid);
        Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Qemu72).Has(SvmCheck.IllegalEventVector));
    }

    [Fact]
    public void Bochs_accepts_long_mode_without_PE_and_rejects_CS_L_and_D_in_any_mode()
    {
        var v = GoodVmcb.Create();
        v.Cr0 &= ~PE;
        Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Bochs27Ryzen).IsValid);
        Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Qemu72).Has(SvmCheck.LongModeWithoutPe));

        var p = GoodVmcb.Protected32();
        var cs = p.Cs; cs.Attributes.Long = true; cs.Attributes.DefaultBig = true; p.Cs = cs;
        Assert.True(VmrunChecker.Check(in p, SvmCheckContext.Qemu72).IsValid);
        Assert.Equal(1ul << (int)SvmCheck.CsLAndDAlways, VmrunChecker.Check(in p, SvmCheckContext.Bochs27Ryzen).FailedMask);
    }

    [Fact]
    public void Bochs_checks_G_PAT_with_nested_paging()
    {
        var v = GoodVmcb.Create();
        VmcbSetup.NestedPaging(ref v, 0x30_0000, guestPat: 0x0007_0406_0007_0402); // type 2 is undefined
        Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Qemu72).IsValid);
        Assert.Equal(1ul << (int)SvmCheck.GPatInvalid, VmrunChecker.Check(in v, SvmCheckContext.Bochs27Ryzen).FailedMask);
    }

    [Fact]
    public void Several_failures_are_all_reported_in_order()
    {
        var v = GoodVmcb.Create();
        v.Efer &= ~SVME;
        v.GuestAsid = 0;
        v.Dr7 |= 1ul << 40;
        var r = VmrunChecker.Check(in v, GoodVmcb.Apm());
        Assert.Equal(3, r.Count);
        var list = new System.Collections.Generic.List<SvmCheck>();
        foreach (var c in r) list.Add(c);
        Assert.Equal(new[] { SvmCheck.EferSvmeClear, SvmCheck.Dr7HighBits, SvmCheck.AsidZero }, list);
        Span<SvmCheckFailure> one = stackalloc SvmCheckFailure[1];
        Assert.Equal(3, VmrunChecker.Check(in v, GoodVmcb.Apm(), one));
        Assert.Equal(SvmCheck.EferSvmeClear, one[0].Check);
    }
}
