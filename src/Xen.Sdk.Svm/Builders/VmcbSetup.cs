using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Formats;

namespace Xen.Sdk.Svm;

/// <summary>
/// Builders that put a VMCB into a known-good state for common guest modes, and the usual control setup
/// (intercepts, permission maps, nested paging, event injection). Every write goes through the tracked
/// properties of <see cref="Vmcb"/>, so clean bits stay right.
/// </summary>
public static class VmcbSetup
{
    /// <summary>EFER.SVME.</summary>
    public const ulong EferSvme = 1ul << 12;
    /// <summary>EFER.LME.</summary>
    public const ulong EferLme = 1ul << 8;
    /// <summary>EFER.LMA.</summary>
    public const ulong EferLma = 1ul << 10;
    /// <summary>EFER.NXE.</summary>
    public const ulong EferNxe = 1ul << 11;
    /// <summary>CR0.PE | CR0.ET | CR0.NE.</summary>
    public const ulong Cr0Protected = (1ul << 0) | (1ul << 4) | (1ul << 5);
    /// <summary>CR0.PG.</summary>
    public const ulong Cr0Pg = 1ul << 31;
    /// <summary>CR4.PAE.</summary>
    public const ulong Cr4Pae = 1ul << 5;
    /// <summary>The power-on PAT value 0007_0406_0007_0406h (WB, WT, UC-, UC repeated).</summary>
    public const ulong DefaultPat = 0x0007_0406_0007_0406ul;

    /// <summary>Code segment attributes: type 0Bh (execute/read, accessed), S, P, plus L or D.</summary>
    /// <param name="longMode">64-bit code (L) rather than 32-bit (D).</param>
    /// <returns>The attributes.</returns>
    public static SvmSegmentAttributes CodeAttributes(bool longMode) => SvmSegmentAttributes.Create(0xB, true, 0, true, longMode, !longMode, true);
    /// <summary>Data segment attributes: type 03h (read/write, accessed), S, P, D/B, G.</summary>
    /// <returns>The attributes.</returns>
    public static SvmSegmentAttributes DataAttributes() => SvmSegmentAttributes.Create(0x3, true, 0, true, false, true, true);

    /// <summary>Clears the whole VMCB and sets the fields every guest needs: the VMRUN intercept (mandatory),
    /// ASID, DR6/DR7 reset values, RFLAGS bit 1, G_PAT, and all clean bits cleared.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="asid">Guest ASID (non-zero).</param>
    public static void Reset(ref Vmcb vmcb, uint asid)
    {
        Vmcb.AsBytes(ref vmcb).Clear();
        vmcb.Intercepts4 = SvmIntercept4.Vmrun;
        vmcb.GuestAsid = asid;
        vmcb.Dr6 = 0xFFFF_0FF0;
        vmcb.Dr7 = 0x400;
        vmcb.Rflags = 2;
        vmcb.GPat = DefaultPat;
        vmcb.MarkAllDirty();
    }

    /// <summary>A 64-bit guest with flat segments: EFER = SVME|LME|LMA|NXE, CR0 = PE|ET|NE|PG, CR4 = PAE.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="cr3">The guest's page-table root (a guest-physical address under nested paging).</param>
    /// <param name="rip">Entry point.</param>
    /// <param name="rsp">Stack pointer.</param>
    public static void LongMode(ref Vmcb vmcb, ulong cr3, ulong rip, ulong rsp)
    {
        vmcb.Efer = EferSvme | EferLme | EferLma | EferNxe;
        vmcb.Cr0 = Cr0Protected | Cr0Pg;
        vmcb.Cr4 = Cr4Pae;
        vmcb.Cr3 = cr3;
        FlatSegments(ref vmcb, longMode: true);
        vmcb.Rip = rip;
        vmcb.Rsp = rsp;
    }

    /// <summary>A 32-bit protected-mode guest without paging and with flat 4 GiB segments.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="rip">Entry point.</param>
    /// <param name="rsp">Stack pointer.</param>
    public static void ProtectedMode(ref Vmcb vmcb, uint rip, uint rsp)
    {
        vmcb.Efer = EferSvme;
        vmcb.Cr0 = Cr0Protected;
        vmcb.Cr4 = 0;
        vmcb.Cr3 = 0;
        FlatSegments(ref vmcb, longMode: false);
        vmcb.Rip = rip;
        vmcb.Rsp = rsp;
    }

    /// <summary>A real-mode guest at <c>segment:offset</c> (segment bases = selector × 16, limits 64 KiB).</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="codeSegment">CS selector.</param>
    /// <param name="ip">Entry IP.</param>
    public static void RealMode(ref Vmcb vmcb, ushort codeSegment, ushort ip)
    {
        vmcb.Efer = EferSvme;
        vmcb.Cr0 = 1ul << 4; // ET
        vmcb.Cr4 = 0;
        vmcb.Cr3 = 0;
        var data = SvmSegmentAttributes.Create(0x3, true, 0, true, false, false, false);
        var code = SvmSegmentAttributes.Create(0xB, true, 0, true, false, false, false);
        vmcb.Cs = new VmcbSegment(codeSegment, code, 0xFFFF, (ulong)codeSegment << 4);
        vmcb.Ds = new VmcbSegment(0, data, 0xFFFF, 0);
        vmcb.Es = new VmcbSegment(0, data, 0xFFFF, 0);
        vmcb.Ss = new VmcbSegment(0, data, 0xFFFF, 0);
        vmcb.Save.Fs = new VmcbSegment(0, data, 0xFFFF, 0);
        vmcb.Save.Gs = new VmcbSegment(0, data, 0xFFFF, 0);
        vmcb.Gdtr = new VmcbSegment(0, default, 0xFFFF, 0);
        vmcb.Idtr = new VmcbSegment(0, default, 0x3FF, 0);
        vmcb.Save.Ldtr = new VmcbSegment(0, SvmSegmentAttributes.Create(0x2, false, 0, true, false, false, false), 0xFFFF, 0);
        vmcb.Save.Tr = new VmcbSegment(0, SvmSegmentAttributes.Create(0x3, false, 0, true, false, false, false), 0xFFFF, 0);
        vmcb.Cpl = 0;
        vmcb.Rip = ip;
    }

    private static void FlatSegments(ref Vmcb vmcb, bool longMode)
    {
        vmcb.Cs = new VmcbSegment(0x08, CodeAttributes(longMode), 0xFFFF_FFFF, 0);
        var data = DataAttributes();
        vmcb.Ds = new VmcbSegment(0x10, data, 0xFFFF_FFFF, 0);
        vmcb.Es = new VmcbSegment(0x10, data, 0xFFFF_FFFF, 0);
        vmcb.Ss = new VmcbSegment(0x10, data, 0xFFFF_FFFF, 0);
        vmcb.Save.Fs = new VmcbSegment(0x10, data, 0xFFFF_FFFF, 0);
        vmcb.Save.Gs = new VmcbSegment(0x10, data, 0xFFFF_FFFF, 0);
        vmcb.Save.Ldtr = new VmcbSegment(0, SvmSegmentAttributes.Create(0x2, false, 0, true, false, false, false), 0xFFFF, 0);
        vmcb.Save.Tr = new VmcbSegment(0, SvmSegmentAttributes.Create(0xB, false, 0, true, false, false, false), 0x67, 0);
        vmcb.Cpl = 0;
    }

    /// <summary>Points the VMCB at an IOPM and an MSRPM and turns on the IOIO and MSR intercepts.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="iopmHostPhysical">Host-physical address of the 12 KiB IOPM (4 KiB aligned).</param>
    /// <param name="msrpmHostPhysical">Host-physical address of the 8 KiB MSRPM (4 KiB aligned).</param>
    public static void PermissionMaps(ref Vmcb vmcb, ulong iopmHostPhysical, ulong msrpmHostPhysical)
    {
        vmcb.IopmBasePa = iopmHostPhysical;
        vmcb.MsrpmBasePa = msrpmHostPhysical;
        vmcb.Intercepts3 |= SvmIntercept3.IoioProtection | SvmIntercept3.MsrProtection;
    }

    /// <summary>Enables nested paging with the given nested page-table root (host-physical address of the
    /// PML4 of an NPT built with Xen.Sdk.Paging) and a guest PAT.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="nestedCr3">N_CR3: host-physical address of the nested PML4.</param>
    /// <param name="guestPat">G_PAT (<see cref="DefaultPat"/> for the power-on value).</param>
    public static void NestedPaging(ref Vmcb vmcb, ulong nestedCr3, ulong guestPat)
    {
        vmcb.NestedControl |= SvmNestedControl.NestedPaging;
        vmcb.NestedCr3 = nestedCr3;
        vmcb.GPat = guestPat;
    }

    /// <summary>Enables nested paging over NPT tables built with Xen.Sdk.Paging: N_CR3 is the root table's
    /// host-physical address (<see cref="NptFormat.MakeNestedCr3"/>) (AMD APM Vol. 2 §15.25.3).</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="nptRoot">The NPT root (<c>SecondLevelTables&lt;NptFormat, ...&gt;.Root</c>).</param>
    /// <param name="guestPat">G_PAT (<see cref="DefaultPat"/> for the power-on value).</param>
    public static void NestedPaging(ref Vmcb vmcb, HostPhysicalAddress nptRoot, ulong guestPat)
        => NestedPaging(ref vmcb, NptFormat.MakeNestedCr3(nptRoot), guestPat);

    /// <summary>Turns a Xen.Sdk.Paging flush hint (after NPT changes) into the next VMRUN's TLB_CONTROL:
    /// flush this guest's entries with flush-by-ASID, else the whole TLB (AMD APM Vol. 2 §15.16.1).</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="hint">The hint taken from the NPT builder.</param>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <returns>The TLB_CONTROL written (unchanged if no flush is needed).</returns>
    public static SvmTlbControl ApplyFlush(ref Vmcb vmcb, in FlushHint hint, in SvmCapabilities capabilities)
    {
        if (hint.Required)
            vmcb.TlbControl = capabilities.Has(SvmFeatures.FlushByAsid) ? SvmTlbControl.FlushGuest : SvmTlbControl.FlushAll;
        return vmcb.TlbControl;
    }

    /// <summary>Queues an event for injection on the next VMRUN.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <param name="ev">The event (from <see cref="SvmEvent"/>'s factories).</param>
    public static void Inject(ref Vmcb vmcb, SvmEvent ev) => vmcb.EventInjection = ev;
}
