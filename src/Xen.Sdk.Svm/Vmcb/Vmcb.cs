using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.Sdk.Svm;

/// <summary>
/// The virtual machine control block: one 4 KiB, 4 KiB-aligned page holding the control area (000h-3FFh)
/// and the state-save area (400h-FFFh) (AMD APM Vol. 2 §15.5, Appendix B).
/// </summary>
/// <remarks>
/// <para>Use it in place over the physical page: <c>ref Vmcb vmcb = ref Vmcb.FromPage(page);</c>. It is
/// never copied by the API (every method takes <c>ref</c>), so writes land in the page VMRUN reads.</para>
/// <para>Clean-bit bookkeeping (AMD APM Vol. 2 §15.15.3): the properties on this type write the field and,
/// when the value changes, clear the clean bit of the field's group, so the processor reloads it. Writes
/// straight into <see cref="Control"/> or <see cref="Save"/> bypass that; call <see cref="MarkDirty"/>
/// yourself then. After a VMRUN, <see cref="MarkClean"/> sets the groups the processor may cache.</para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct Vmcb
{
    /// <summary>Size of a VMCB in bytes.</summary>
    public const int Size = 0x1000;
    /// <summary>Offset of the state-save area.</summary>
    public const int StateSaveAreaOffset = 0x400;

    /// <summary>000h: the control area.</summary>
    [FieldOffset(0x000)] public VmcbControlArea Control;
    /// <summary>400h: the state-save area.</summary>
    [FieldOffset(StateSaveAreaOffset)] public VmcbStateSaveArea Save;

    /// <summary>Views a 4 KiB page as a VMCB, in place.</summary>
    /// <param name="page">At least <see cref="Size"/> bytes.</param>
    /// <returns>A reference into <paramref name="page"/>.</returns>
    /// <remarks>The span length is checked by <see cref="MemoryMarshal.AsRef{T}(Span{byte})"/>; use
    /// <see cref="TryFromPage"/> on paths where a short span is a value error rather than a bug.</remarks>
    public static ref Vmcb FromPage(Span<byte> page) => ref MemoryMarshal.AsRef<Vmcb>(page);

    /// <summary>Views a page as a VMCB if it is large enough.</summary>
    /// <param name="page">The page.</param>
    /// <param name="ok">False if <paramref name="page"/> is shorter than <see cref="Size"/>.</param>
    /// <returns>A reference into the page, or a null reference when <paramref name="ok"/> is false.</returns>
    public static ref Vmcb TryFromPage(Span<byte> page, out bool ok)
    {
        if (page.Length < Size)
        {
            ok = false;
            return ref Unsafe.NullRef<Vmcb>();
        }
        ok = true;
        // SAFETY: the span covers at least Size bytes, and Vmcb is a blittable struct of exactly Size bytes.
        return ref Unsafe.As<byte, Vmcb>(ref MemoryMarshal.GetReference(page));
    }

    /// <summary>Views the VMCB as its 4096 bytes.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <returns>A span over the same storage.</returns>
    public static Span<byte> AsBytes(ref Vmcb vmcb) => MemoryMarshal.CreateSpan(ref Unsafe.As<Vmcb, byte>(ref vmcb), Size);

    /// <summary>Clears the given clean bits so the processor reloads those groups on the next VMRUN.</summary>
    /// <param name="groups">Groups that changed.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkDirty(VmcbCleanBits groups) => Control.CleanBits &= ~groups;

    /// <summary>Clears every clean bit (first run, another physical CPU, or after changing the ASID).</summary>
    public void MarkAllDirty() => Control.CleanBits = VmcbCleanBits.None;

    /// <summary>After a VMRUN returned, marks every group clean if the processor supports clean bits
    /// (otherwise leaves the field zero, as required when the feature is absent).</summary>
    /// <param name="capabilities">The processor's capabilities.</param>
    public void MarkClean(in SvmCapabilities capabilities)
        => Control.CleanBits = capabilities.Has(SvmFeatures.VmcbClean) ? VmcbCleanBits.All : VmcbCleanBits.None;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(ref ulong field, ulong value, VmcbCleanBits group)
    {
        if (field != value)
        {
            field = value;
            Control.CleanBits &= ~group;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(ref VmcbSegment field, in VmcbSegment value, VmcbCleanBits group)
    {
        if (field.Selector != value.Selector || field.Attributes.Value != value.Attributes.Value || field.Limit != value.Limit || field.Base != value.Base)
        {
            field = value;
            Control.CleanBits &= ~group;
        }
    }

    // ---- Intercepts (clean bit I) ----

    /// <summary>CR read intercepts; tracked (clean bit I).</summary>
    public ushort CrReadIntercepts { readonly get => Control.CrReadIntercepts; set { if (Control.CrReadIntercepts != value) { Control.CrReadIntercepts = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>CR write intercepts; tracked (clean bit I).</summary>
    public ushort CrWriteIntercepts { readonly get => Control.CrWriteIntercepts; set { if (Control.CrWriteIntercepts != value) { Control.CrWriteIntercepts = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>DR read intercepts; tracked (clean bit I).</summary>
    public ushort DrReadIntercepts { readonly get => Control.DrReadIntercepts; set { if (Control.DrReadIntercepts != value) { Control.DrReadIntercepts = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>DR write intercepts; tracked (clean bit I).</summary>
    public ushort DrWriteIntercepts { readonly get => Control.DrWriteIntercepts; set { if (Control.DrWriteIntercepts != value) { Control.DrWriteIntercepts = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>Exception intercepts; tracked (clean bit I).</summary>
    public uint ExceptionIntercepts { readonly get => Control.ExceptionIntercepts; set { if (Control.ExceptionIntercepts != value) { Control.ExceptionIntercepts = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>Intercept vector 3; tracked (clean bit I).</summary>
    public SvmIntercept3 Intercepts3 { readonly get => Control.Intercepts3; set { if (Control.Intercepts3 != value) { Control.Intercepts3 = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>Intercept vector 4; tracked (clean bit I).</summary>
    public SvmIntercept4 Intercepts4 { readonly get => Control.Intercepts4; set { if (Control.Intercepts4 != value) { Control.Intercepts4 = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>Intercept vector 5; tracked (clean bit I).</summary>
    public SvmIntercept5 Intercepts5 { readonly get => Control.Intercepts5; set { if (Control.Intercepts5 != value) { Control.Intercepts5 = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>TSC offset; tracked (clean bit I).</summary>
    public ulong TscOffset { readonly get => Control.TscOffset; set => Write(ref Control.TscOffset, value, VmcbCleanBits.Intercepts); }
    /// <summary>Pause-filter count; tracked (clean bit I).</summary>
    public ushort PauseFilterCount { readonly get => Control.PauseFilterCount; set { if (Control.PauseFilterCount != value) { Control.PauseFilterCount = value; MarkDirty(VmcbCleanBits.Intercepts); } } }
    /// <summary>Pause-filter threshold; tracked (clean bit I).</summary>
    public ushort PauseFilterThreshold { readonly get => Control.PauseFilterThreshold; set { if (Control.PauseFilterThreshold != value) { Control.PauseFilterThreshold = value; MarkDirty(VmcbCleanBits.Intercepts); } } }

    // ---- IOPM / MSRPM (clean bit IOPM), ASID, TPR ----

    /// <summary>IOPM base; tracked (clean bit IOPM).</summary>
    public ulong IopmBasePa { readonly get => Control.IopmBasePa; set => Write(ref Control.IopmBasePa, value, VmcbCleanBits.PermissionMaps); }
    /// <summary>MSRPM base; tracked (clean bit IOPM).</summary>
    public ulong MsrpmBasePa { readonly get => Control.MsrpmBasePa; set => Write(ref Control.MsrpmBasePa, value, VmcbCleanBits.PermissionMaps); }
    /// <summary>Guest ASID; tracked (clean bit ASID).</summary>
    public uint GuestAsid { readonly get => Control.GuestAsid; set { if (Control.GuestAsid != value) { Control.GuestAsid = value; MarkDirty(VmcbCleanBits.Asid); } } }
    /// <summary>Virtual interrupt control; tracked (clean bit TPR).</summary>
    public SvmVirtualInterruptControl VirtualInterrupt { readonly get => Control.VirtualInterrupt; set => Write(ref Control.VirtualInterrupt.Value, value.Value, VmcbCleanBits.Tpr); }

    // ---- Nested paging (clean bit NP) ----

    /// <summary>Nested-paging control (NP_ENABLE ...); tracked (clean bit NP).</summary>
    public SvmNestedControl NestedControl { readonly get => Control.NestedControl; set { if (Control.NestedControl != value) { Control.NestedControl = value; MarkDirty(VmcbCleanBits.NestedPaging); } } }
    /// <summary>N_CR3; tracked (clean bit NP).</summary>
    public ulong NestedCr3 { readonly get => Control.NestedCr3; set => Write(ref Control.NestedCr3, value, VmcbCleanBits.NestedPaging); }
    /// <summary>G_PAT; tracked (clean bit NP).</summary>
    public ulong GPat { readonly get => Save.GPat; set => Write(ref Save.GPat, value, VmcbCleanBits.NestedPaging); }

    // ---- Control registers (clean bit CRx), CR2, debug registers ----

    /// <summary>CR0; tracked (clean bit CRx).</summary>
    public ulong Cr0 { readonly get => Save.Cr0; set => Write(ref Save.Cr0, value, VmcbCleanBits.ControlRegisters); }
    /// <summary>CR3; tracked (clean bit CRx).</summary>
    public ulong Cr3 { readonly get => Save.Cr3; set => Write(ref Save.Cr3, value, VmcbCleanBits.ControlRegisters); }
    /// <summary>CR4; tracked (clean bit CRx).</summary>
    public ulong Cr4 { readonly get => Save.Cr4; set => Write(ref Save.Cr4, value, VmcbCleanBits.ControlRegisters); }
    /// <summary>EFER; tracked (clean bit CRx).</summary>
    public ulong Efer { readonly get => Save.Efer; set => Write(ref Save.Efer, value, VmcbCleanBits.ControlRegisters); }
    /// <summary>CR2; tracked (clean bit CR2).</summary>
    public ulong Cr2 { readonly get => Save.Cr2; set => Write(ref Save.Cr2, value, VmcbCleanBits.Cr2); }
    /// <summary>DR6; tracked (clean bit DRx).</summary>
    public ulong Dr6 { readonly get => Save.Dr6; set => Write(ref Save.Dr6, value, VmcbCleanBits.DebugRegisters); }
    /// <summary>DR7; tracked (clean bit DRx).</summary>
    public ulong Dr7 { readonly get => Save.Dr7; set => Write(ref Save.Dr7, value, VmcbCleanBits.DebugRegisters); }

    // ---- Descriptor tables (DT), segments (SEG) ----

    /// <summary>GDTR; tracked (clean bit DT).</summary>
    public VmcbSegment Gdtr { readonly get => Save.Gdtr; set => Write(ref Save.Gdtr, value, VmcbCleanBits.DescriptorTables); }
    /// <summary>IDTR; tracked (clean bit DT).</summary>
    public VmcbSegment Idtr { readonly get => Save.Idtr; set => Write(ref Save.Idtr, value, VmcbCleanBits.DescriptorTables); }
    /// <summary>ES; tracked (clean bit SEG).</summary>
    public VmcbSegment Es { readonly get => Save.Es; set => Write(ref Save.Es, value, VmcbCleanBits.Segments); }
    /// <summary>CS; tracked (clean bit SEG).</summary>
    public VmcbSegment Cs { readonly get => Save.Cs; set => Write(ref Save.Cs, value, VmcbCleanBits.Segments); }
    /// <summary>SS; tracked (clean bit SEG).</summary>
    public VmcbSegment Ss { readonly get => Save.Ss; set => Write(ref Save.Ss, value, VmcbCleanBits.Segments); }
    /// <summary>DS; tracked (clean bit SEG).</summary>
    public VmcbSegment Ds { readonly get => Save.Ds; set => Write(ref Save.Ds, value, VmcbCleanBits.Segments); }
    /// <summary>CPL; tracked (clean bit SEG).</summary>
    public byte Cpl { readonly get => Save.Cpl; set { if (Save.Cpl != value) { Save.Cpl = value; MarkDirty(VmcbCleanBits.Segments); } } }

    // ---- LBR (clean bit LBR), AVIC (clean bit AVIC), CET (clean bit CET) ----

    /// <summary>DBGCTL; tracked (clean bit LBR).</summary>
    public ulong DbgCtl { readonly get => Save.DbgCtl; set => Write(ref Save.DbgCtl, value, VmcbCleanBits.Lbr); }
    /// <summary>BR_FROM; tracked (clean bit LBR).</summary>
    public ulong BrFrom { readonly get => Save.BrFrom; set => Write(ref Save.BrFrom, value, VmcbCleanBits.Lbr); }
    /// <summary>BR_TO; tracked (clean bit LBR).</summary>
    public ulong BrTo { readonly get => Save.BrTo; set => Write(ref Save.BrTo, value, VmcbCleanBits.Lbr); }
    /// <summary>LASTEXCPFROM; tracked (clean bit LBR).</summary>
    public ulong LastExceptionFrom { readonly get => Save.LastExceptionFrom; set => Write(ref Save.LastExceptionFrom, value, VmcbCleanBits.Lbr); }
    /// <summary>LASTEXCPTO; tracked (clean bit LBR).</summary>
    public ulong LastExceptionTo { readonly get => Save.LastExceptionTo; set => Write(ref Save.LastExceptionTo, value, VmcbCleanBits.Lbr); }
    /// <summary>AVIC APIC_BAR; tracked (clean bit AVIC).</summary>
    public ulong AvicApicBar { readonly get => Control.AvicApicBar; set => Write(ref Control.AvicApicBar, value, VmcbCleanBits.Avic); }
    /// <summary>AVIC backing page; tracked (clean bit AVIC).</summary>
    public ulong AvicBackingPage { readonly get => Control.AvicBackingPage; set => Write(ref Control.AvicBackingPage, value, VmcbCleanBits.Avic); }
    /// <summary>AVIC logical table; tracked (clean bit AVIC).</summary>
    public ulong AvicLogicalTable { readonly get => Control.AvicLogicalTable; set => Write(ref Control.AvicLogicalTable, value, VmcbCleanBits.Avic); }
    /// <summary>AVIC physical table; tracked (clean bit AVIC).</summary>
    public ulong AvicPhysicalTable { readonly get => Control.AvicPhysicalTable; set => Write(ref Control.AvicPhysicalTable, value, VmcbCleanBits.Avic); }
    /// <summary>S_CET; tracked (clean bit CET).</summary>
    public ulong SCet { readonly get => Save.SCet; set => Write(ref Save.SCet, value, VmcbCleanBits.Cet); }
    /// <summary>SSP; tracked (clean bit CET).</summary>
    public ulong Ssp { readonly get => Save.Ssp; set => Write(ref Save.Ssp, value, VmcbCleanBits.Cet); }
    /// <summary>ISST_ADDR; tracked (clean bit CET).</summary>
    public ulong IsstAddr { readonly get => Save.IsstAddr; set => Write(ref Save.IsstAddr, value, VmcbCleanBits.Cet); }

    // ---- Fields the processor always reloads (no clean bit) ----

    /// <summary>RIP (always reloaded).</summary>
    public ulong Rip { readonly get => Save.Rip; set => Save.Rip = value; }
    /// <summary>RSP (always reloaded).</summary>
    public ulong Rsp { readonly get => Save.Rsp; set => Save.Rsp = value; }
    /// <summary>RAX (always reloaded).</summary>
    public ulong Rax { readonly get => Save.Rax; set => Save.Rax = value; }
    /// <summary>RFLAGS (always reloaded).</summary>
    public ulong Rflags { readonly get => Save.Rflags; set => Save.Rflags = value; }
    /// <summary>EVENTINJ (always reloaded).</summary>
    public SvmEvent EventInjection { readonly get => Control.EventInjection; set => Control.EventInjection = value; }
    /// <summary>TLB_CONTROL (always reloaded).</summary>
    public SvmTlbControl TlbControl { readonly get => Control.TlbControl; set => Control.TlbControl = value; }

    /// <summary>The exit code as the processor stored it, normalised (QEMU stores VMEXIT_INVALID as the
    /// 32-bit value FFFFFFFFh; compare on the low 32 bits).</summary>
    public readonly SvmExitCode ExitCode => SvmExitCodes.Normalize(Control.ExitCode);
}
