using System.Runtime.InteropServices;

namespace Xen.Sdk.Svm;

/// <summary>
/// The VMCB state-save area, bytes 400h-FFFh of the VMCB (AMD APM Vol. 2 Appendix B, Table B-2).
/// Field offsets below are relative to the start of the area (VMCB offset = 400h + offset).
/// </summary>
/// <remarks>Raw fields: writing them does not touch the clean bits; see <see cref="Vmcb"/> for tracked writes.
/// VMRUN loads ES, CS, SS, DS, GDTR, IDTR, CPL, EFER, CR0/CR2/CR3/CR4, DR6/DR7, RFLAGS, RIP, RSP, RAX
/// (and G_PAT with nested paging, the LBR MSRs with LBR virtualisation); FS, GS, TR, LDTR, STAR,
/// LSTAR, CSTAR, SFMASK, KernelGSBase and the SYSENTER MSRs are moved by VMLOAD/VMSAVE
/// (AMD APM Vol. 2 §15.5.1, §15.5.2).</remarks>
[StructLayout(LayoutKind.Explicit, Size = 0xC00)]
public struct VmcbStateSaveArea
{
    /// <summary>000h: ES.</summary>
    [FieldOffset(0x000)] public VmcbSegment Es;
    /// <summary>010h: CS.</summary>
    [FieldOffset(0x010)] public VmcbSegment Cs;
    /// <summary>020h: SS.</summary>
    [FieldOffset(0x020)] public VmcbSegment Ss;
    /// <summary>030h: DS.</summary>
    [FieldOffset(0x030)] public VmcbSegment Ds;
    /// <summary>040h: FS (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x040)] public VmcbSegment Fs;
    /// <summary>050h: GS (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x050)] public VmcbSegment Gs;
    /// <summary>060h: GDTR (limit and base only).</summary>
    [FieldOffset(0x060)] public VmcbSegment Gdtr;
    /// <summary>070h: LDTR (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x070)] public VmcbSegment Ldtr;
    /// <summary>080h: IDTR (limit and base only).</summary>
    [FieldOffset(0x080)] public VmcbSegment Idtr;
    /// <summary>090h: TR (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x090)] public VmcbSegment Tr;
    /// <summary>0CAh: VMPL (SEV-SNP).</summary>
    [FieldOffset(0x0CA)] public byte Vmpl;
    /// <summary>0CBh: CPL. With SS.DPL, the guest's current privilege level.</summary>
    [FieldOffset(0x0CB)] public byte Cpl;
    /// <summary>0D0h: EFER.</summary>
    [FieldOffset(0x0D0)] public ulong Efer;
    /// <summary>148h: CR4.</summary>
    [FieldOffset(0x148)] public ulong Cr4;
    /// <summary>150h: CR3.</summary>
    [FieldOffset(0x150)] public ulong Cr3;
    /// <summary>158h: CR0.</summary>
    [FieldOffset(0x158)] public ulong Cr0;
    /// <summary>160h: DR7.</summary>
    [FieldOffset(0x160)] public ulong Dr7;
    /// <summary>168h: DR6.</summary>
    [FieldOffset(0x168)] public ulong Dr6;
    /// <summary>170h: RFLAGS.</summary>
    [FieldOffset(0x170)] public ulong Rflags;
    /// <summary>178h: RIP.</summary>
    [FieldOffset(0x178)] public ulong Rip;
    /// <summary>1D8h: RSP.</summary>
    [FieldOffset(0x1D8)] public ulong Rsp;
    /// <summary>1E0h: S_CET.</summary>
    [FieldOffset(0x1E0)] public ulong SCet;
    /// <summary>1E8h: SSP.</summary>
    [FieldOffset(0x1E8)] public ulong Ssp;
    /// <summary>1F0h: ISST_ADDR.</summary>
    [FieldOffset(0x1F0)] public ulong IsstAddr;
    /// <summary>1F8h: RAX.</summary>
    [FieldOffset(0x1F8)] public ulong Rax;
    /// <summary>200h: STAR (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x200)] public ulong Star;
    /// <summary>208h: LSTAR (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x208)] public ulong Lstar;
    /// <summary>210h: CSTAR (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x210)] public ulong Cstar;
    /// <summary>218h: SFMASK (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x218)] public ulong Sfmask;
    /// <summary>220h: KernelGSBase (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x220)] public ulong KernelGsBase;
    /// <summary>228h: SYSENTER_CS (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x228)] public ulong SysenterCs;
    /// <summary>230h: SYSENTER_ESP (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x230)] public ulong SysenterEsp;
    /// <summary>238h: SYSENTER_EIP (VMLOAD/VMSAVE).</summary>
    [FieldOffset(0x238)] public ulong SysenterEip;
    /// <summary>240h: CR2.</summary>
    [FieldOffset(0x240)] public ulong Cr2;
    /// <summary>268h: G_PAT, the guest PAT (used only with nested paging).</summary>
    [FieldOffset(0x268)] public ulong GPat;
    /// <summary>270h: DBGCTL MSR (with LBR virtualisation).</summary>
    [FieldOffset(0x270)] public ulong DbgCtl;
    /// <summary>278h: BR_FROM (with LBR virtualisation).</summary>
    [FieldOffset(0x278)] public ulong BrFrom;
    /// <summary>280h: BR_TO (with LBR virtualisation).</summary>
    [FieldOffset(0x280)] public ulong BrTo;
    /// <summary>288h: LASTEXCPFROM (with LBR virtualisation).</summary>
    [FieldOffset(0x288)] public ulong LastExceptionFrom;
    /// <summary>290h: LASTEXCPTO (with LBR virtualisation).</summary>
    [FieldOffset(0x290)] public ulong LastExceptionTo;
    /// <summary>2E0h: SPEC_CTRL, the guest's value of the speculation-control MSR (with V_SPEC_CTRL).</summary>
    [FieldOffset(0x2E0)] public ulong SpecCtrl;
}
