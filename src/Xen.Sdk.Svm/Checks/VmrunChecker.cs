using System;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Svm;

/// <summary>
/// Predicts whether VMRUN accepts a VMCB: evaluates every condition of AMD APM Vol. 2 §15.5.1
/// ("Canonicalization and Consistency Checks") and the illegal event injections of §15.20, for the APM or
/// for an emulator profile. Any failure means VMRUN ends at once with #VMEXIT(VMEXIT_INVALID).
/// </summary>
/// <remarks>Freestanding and allocation-free: the result is a bit set (<see cref="VmrunCheckReport"/>);
/// details with field values go to a caller-provided span.</remarks>
public static class VmrunChecker
{
    private const ulong CR0_PE = 1ul << 0, CR0_WP = 1ul << 16, CR0_NW = 1ul << 29, CR0_CD = 1ul << 30, CR0_PG = 1ul << 31;
    private const ulong CR4_PAE = 1ul << 5, CR4_CET = 1ul << 23;
    private const ulong EFER_LME = 1ul << 8, EFER_LMA = 1ul << 10, EFER_SVME = 1ul << 12;
    /// <summary>QEMU 7.2's IOPM size in its bound check: 2000h + 1 bytes (target/i386/svm.h SVM_IOPM_SIZE),
    /// enough for the 64K port bits plus the byte a 2- or 4-byte access at FFFFh reaches.</summary>
    private const int QemuIopmSize = 0x2001;
    /// <summary>S_CET bits 9:6 are reserved.</summary>
    private const ulong SCetReservedMask = 0x3C0;

    /// <summary>Runs every check.</summary>
    /// <param name="vmcb">The VMCB as VMRUN would read it.</param>
    /// <param name="context">Capabilities, profile and host state.</param>
    /// <returns>The set of failed checks (empty: VMRUN passes its consistency checks).</returns>
    public static VmrunCheckReport Check(in Vmcb vmcb, in SvmCheckContext context)
    {
        ref readonly VmcbStateSaveArea s = ref vmcb.Save;
        ref readonly VmcbControlArea c = ref vmcb.Control;
        SvmCapabilities caps = context.Capabilities;
        SvmCheckProfile profile = context.Profile;
        ulong failed = 0;

        ulong efer = s.Efer, cr0 = s.Cr0, cr4 = s.Cr4;
        int maxPhys = caps.PhysicalAddressBits;
        if (maxPhys <= 0 || maxPhys > 63) maxPhys = 52;

        if ((efer & EFER_SVME) == 0) failed |= Bit(SvmCheck.EferSvmeClear);
        if ((cr0 & CR0_NW) != 0 && (cr0 & CR0_CD) == 0) failed |= Bit(SvmCheck.Cr0NwWithoutCd);
        if ((cr0 >> 32) != 0) failed |= Bit(SvmCheck.Cr0HighBits);

        bool longModeGuest = (efer & EFER_LME) != 0 && (cr0 & CR0_PG) != 0;
        switch (profile)
        {
            case SvmCheckProfile.Qemu72:
                // QEMU tests CR3 before loading the guest EFER, so the host's EFER.LMA decides.
                if (context.HostLongMode && (s.Cr3 >> maxPhys) != 0) failed |= Bit(SvmCheck.Cr3Reserved);
                break;
            case SvmCheckProfile.Apm:
                // Long mode: CR3 bits 63:52 are reserved and bits 51:MAXPHYADDR are beyond the physical space.
                if (longModeGuest && (s.Cr3 >> maxPhys) != 0) failed |= Bit(SvmCheck.Cr3Reserved);
                break;
        }

        if ((cr4 & caps.Cr4Reserved) != 0) failed |= Bit(SvmCheck.Cr4Reserved);
        if ((s.Dr6 >> 32) != 0) failed |= Bit(SvmCheck.Dr6HighBits);
        if ((s.Dr7 >> 32) != 0) failed |= Bit(SvmCheck.Dr7HighBits);
        if ((efer & caps.EferReserved) != 0) failed |= Bit(SvmCheck.EferReserved);
        if ((efer & (EFER_LME | EFER_LMA)) != 0 && !caps.LongMode) failed |= Bit(SvmCheck.LongModeUnsupported);
        if (longModeGuest && (cr4 & CR4_PAE) == 0) failed |= Bit(SvmCheck.LongModeWithoutPae);
        if (longModeGuest && (cr0 & CR0_PE) == 0 && profile != SvmCheckProfile.Bochs27) failed |= Bit(SvmCheck.LongModeWithoutPe);

        bool csL = s.Cs.Attributes.Long, csD = s.Cs.Attributes.DefaultBig;
        if (profile == SvmCheckProfile.Bochs27)
        {
            if (csL && csD) failed |= Bit(SvmCheck.CsLAndDAlways);
        }
        else if (longModeGuest && (cr4 & CR4_PAE) != 0 && csL && csD)
        {
            failed |= Bit(SvmCheck.LongModeCsLAndD);
        }

        if ((c.Intercepts4 & SvmIntercept4.Vmrun) == 0) failed |= Bit(SvmCheck.VmrunInterceptClear);
        // QEMU 7.2 bounds the IOPM as 8 KiB + 1 byte (SVM_IOPM_SIZE), not the architectural 12 KiB.
        int iopmSize = profile == SvmCheckProfile.Qemu72 ? QemuIopmSize : IoPermissionMap.Size;
        if (MapBeyond(c.IopmBasePa, iopmSize, maxPhys, profile)) failed |= Bit(SvmCheck.IopmBeyondMaxPhysAddr);
        if (MapBeyond(c.MsrpmBasePa, MsrPermissionMap.Size, maxPhys, profile)) failed |= Bit(SvmCheck.MsrpmBeyondMaxPhysAddr);
        if (c.GuestAsid == 0) failed |= Bit(SvmCheck.AsidZero);

        SvmEvent ev = c.EventInjection;
        if (ev.IsValid)
        {
            SvmEventType type = ev.Type;
            if (type == SvmEventType.Reserved1 || type >= SvmEventType.Reserved5)
            {
                failed |= Bit(SvmCheck.IllegalEventType);
            }
            else if (type == SvmEventType.Exception)
            {
                int lastVector = profile == SvmCheckProfile.Qemu72 ? 30 : 31;
                // Injecting #BR (5) or #OF (4) into 64-bit code is not a VMRUN failure on Bochs 2.7 either: the reference
                // kernel's 64-bit mutant run showed Bochs entering the guest and delivering the event (mutants 1016, 1017).
                if (ev.Vector == 2 || ev.Vector > lastVector) failed |= Bit(SvmCheck.IllegalEventVector);
            }
        }

        if ((caps.Cr4Supported & CR4_CET) != 0)
        {
            if ((cr4 & CR4_CET) != 0 && (cr0 & CR0_WP) == 0) failed |= Bit(SvmCheck.CetWithoutWp);
            if ((s.SCet & SCetReservedMask) != 0) failed |= Bit(SvmCheck.SCetReserved);
        }

        if (profile == SvmCheckProfile.Bochs27 && (c.NestedControl & SvmNestedControl.NestedPaging) != 0 && caps.Has(SvmFeatures.NestedPaging))
        {
            if (!context.HostPaging) failed |= Bit(SvmCheck.NestedPagingWithoutHostPaging);
            if (!IsValidPat(s.GPat)) failed |= Bit(SvmCheck.GPatInvalid);
            if (context.HostLongMode && (c.NestedCr3 >> maxPhys) != 0) failed |= Bit(SvmCheck.NestedCr3Reserved);
        }

        return new VmrunCheckReport(failed);
    }

    /// <summary>Runs every check and writes each failure, with the offending field's offset and value, to
    /// <paramref name="failures"/>.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="context">Capabilities, profile and host state.</param>
    /// <param name="failures">Receives up to its length failures, in <see cref="SvmCheck"/> order.</param>
    /// <returns>The total number of failures (may exceed the span's length).</returns>
    public static int Check(in Vmcb vmcb, in SvmCheckContext context, Span<SvmCheckFailure> failures)
    {
        VmrunCheckReport report = Check(in vmcb, in context);
        int n = 0;
        foreach (SvmCheck check in report)
        {
            if (n < failures.Length) failures[n] = SvmCheckFailure.From(check, in vmcb);
            n++;
        }
        return n;
    }

    /// <summary>Whether VMRUN accepts the VMCB (no check fails).</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="context">Capabilities, profile and host state.</param>
    /// <returns>True if every check passes.</returns>
    public static bool Passes(in Vmcb vmcb, in SvmCheckContext context) => Check(in vmcb, in context).IsValid;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(SvmCheck check) => 1ul << (int)check;

    private static bool MapBeyond(ulong basePa, int size, int maxPhys, SvmCheckProfile profile)
    {
        ulong pageBase = basePa & ~0xFFFul;
        ulong limit = 1ul << maxPhys;
        return profile switch
        {
            // QEMU: (base & ~0xfff) >= (1 << phys_bits) - size.
            SvmCheckProfile.Qemu72 => pageBase >= limit - (ulong)size,
            // Bochs: only the (page-aligned) base must be a valid physical address.
            SvmCheckProfile.Bochs27 => pageBase >= limit,
            // APM: the table extends to an address >= MAXPHYADDR: base + size - 1 >= 2^MAXPHYADDR.
            _ => pageBase > limit - (ulong)size,
        };
    }

    /// <summary>Whether every PAT entry holds a defined memory type (0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-)
    /// (AMD APM Vol. 2 §7.8.1).</summary>
    /// <param name="pat">The PAT value.</param>
    /// <returns>True if valid.</returns>
    public static bool IsValidPat(ulong pat)
    {
        for (int i = 0; i < 8; i++)
        {
            ulong t = (pat >> (i * 8)) & 0xFF;
            if (t > 7 || t == 2 || t == 3) return false;
        }
        return true;
    }
}
