using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.Sdk.Svm;

/// <summary>
/// The VMCB control area, bytes 000h-3FFh of the VMCB (AMD APM Vol. 2 Appendix B, Table B-1).
/// </summary>
/// <remarks>
/// <para>Raw fields: writing them directly does not touch the clean bits. Use the tracked properties of
/// <see cref="Vmcb"/> (or <see cref="Vmcb.MarkDirty"/>) when the VMCB has run before on a processor with
/// VMCB clean-bit support.</para>
/// <para>Offsets 3E0h-3FFh are reserved for host software; the processor never reads or writes them.</para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 0x400)]
public struct VmcbControlArea
{
    /// <summary>000h, bits 15:0: intercept reads of CR0-CR15 (bit n = CRn). IN.</summary>
    [FieldOffset(0x000)] public ushort CrReadIntercepts;
    /// <summary>002h (000h bits 31:16): intercept writes of CR0-CR15. IN.</summary>
    [FieldOffset(0x002)] public ushort CrWriteIntercepts;
    /// <summary>004h, bits 15:0: intercept reads of DR0-DR15. IN.</summary>
    [FieldOffset(0x004)] public ushort DrReadIntercepts;
    /// <summary>006h (004h bits 31:16): intercept writes of DR0-DR15. IN.</summary>
    [FieldOffset(0x006)] public ushort DrWriteIntercepts;
    /// <summary>008h: intercept exception vectors 0-31 (bit n = vector n). IN.</summary>
    [FieldOffset(0x008)] public uint ExceptionIntercepts;
    /// <summary>00Ch: intercept vector 3 (INTR ... shutdown). IN.</summary>
    [FieldOffset(0x00C)] public SvmIntercept3 Intercepts3;
    /// <summary>010h: intercept vector 4 (VMRUN ... CR write traps). IN.</summary>
    [FieldOffset(0x010)] public SvmIntercept4 Intercepts4;
    /// <summary>014h: intercept vector 5 (INVLPGB ... idle HLT). IN.</summary>
    [FieldOffset(0x014)] public SvmIntercept5 Intercepts5;
    /// <summary>03Ch: PAUSE_FILTER_THRESHOLD. IN.</summary>
    [FieldOffset(0x03C)] public ushort PauseFilterThreshold;
    /// <summary>03Eh: PAUSE_FILTER_COUNT. IN.</summary>
    [FieldOffset(0x03E)] public ushort PauseFilterCount;
    /// <summary>040h: IOPM_BASE_PA, physical base of the 12 KiB I/O permission map (bits 11:0 ignored). IN.</summary>
    [FieldOffset(0x040)] public ulong IopmBasePa;
    /// <summary>048h: MSRPM_BASE_PA, physical base of the 8 KiB MSR permission map (bits 11:0 ignored). IN.</summary>
    [FieldOffset(0x048)] public ulong MsrpmBasePa;
    /// <summary>050h: TSC_OFFSET, added to the TSC in the guest. IN.</summary>
    [FieldOffset(0x050)] public ulong TscOffset;
    /// <summary>058h, bits 31:0: guest ASID (0 is the host's and illegal for VMRUN). IN.</summary>
    [FieldOffset(0x058)] public uint GuestAsid;
    /// <summary>05Ch (058h bits 39:32): TLB_CONTROL. IN.</summary>
    [FieldOffset(0x05C)] public SvmTlbControl TlbControl;
    /// <summary>060h: virtual interrupt control (V_TPR, V_IRQ, ..., V_INTR_VECTOR). IN/OUT.</summary>
    [FieldOffset(0x060)] public SvmVirtualInterruptControl VirtualInterrupt;
    /// <summary>068h: interrupt shadow and guest interrupt mask. IN/OUT.</summary>
    [FieldOffset(0x068)] public SvmInterruptState InterruptState;
    /// <summary>070h: EXITCODE. OUT.</summary>
    [FieldOffset(0x070)] public ulong ExitCode;
    /// <summary>078h: EXITINFO1. OUT.</summary>
    [FieldOffset(0x078)] public ulong ExitInfo1;
    /// <summary>080h: EXITINFO2. OUT.</summary>
    [FieldOffset(0x080)] public ulong ExitInfo2;
    /// <summary>088h: EXITINTINFO, the event being delivered when the exit happened. OUT.</summary>
    [FieldOffset(0x088)] public SvmEvent ExitIntInfo;
    /// <summary>090h: NP_ENABLE and other nested-paging/SEV enables. IN.</summary>
    [FieldOffset(0x090)] public SvmNestedControl NestedControl;
    /// <summary>098h: AVIC APIC_BAR (bits 51:0). IN.</summary>
    [FieldOffset(0x098)] public ulong AvicApicBar;
    /// <summary>0A0h: guest physical address of the GHCB (SEV-ES). IN.</summary>
    [FieldOffset(0x0A0)] public ulong GhcbGpa;
    /// <summary>0A8h: EVENTINJ, the event to inject on VMRUN. IN (V cleared by the processor on #VMEXIT).</summary>
    [FieldOffset(0x0A8)] public SvmEvent EventInjection;
    /// <summary>0B0h: N_CR3, the nested page-table root (host-physical). IN.</summary>
    [FieldOffset(0x0B0)] public ulong NestedCr3;
    /// <summary>0B8h: LBR virtualisation enable and virtual VMSAVE/VMLOAD enable. IN.</summary>
    [FieldOffset(0x0B8)] public SvmVirtualizationExtensions VirtualizationExtensions;
    /// <summary>0C0h, bits 31:0: VMCB clean bits. IN.</summary>
    [FieldOffset(0x0C0)] public VmcbCleanBits CleanBits;
    /// <summary>0C8h: nRIP, the next sequential instruction pointer (with NRIP save). OUT.</summary>
    [FieldOffset(0x0C8)] public ulong NextRip;
    /// <summary>0D0h-0DFh: number of guest instruction bytes fetched (0D0h) and the bytes (0D1h-0DFh), with decode assists. OUT.</summary>
    [FieldOffset(0x0D0)] public VmcbGuestInstructionBytes GuestInstructionBytes;
    /// <summary>0E0h: AVIC APIC_BACKING_PAGE pointer (bits 51:12). IN.</summary>
    [FieldOffset(0x0E0)] public ulong AvicBackingPage;
    /// <summary>0F0h: AVIC_LOGICAL_TABLE pointer (bits 51:12). IN.</summary>
    [FieldOffset(0x0F0)] public ulong AvicLogicalTable;
    /// <summary>0F8h: AVIC_PHYSICAL_TABLE pointer (bits 51:12) and AVIC_PHYSICAL_MAX_INDEX (bits 7:0). IN.</summary>
    [FieldOffset(0x0F8)] public ulong AvicPhysicalTable;
    /// <summary>108h: VMSA pointer (SEV-ES, bits 51:12). IN.</summary>
    [FieldOffset(0x108)] public ulong VmsaPointer;
    /// <summary>3E0h-3FFh: 32 bytes reserved for host software (first quadword).</summary>
    [FieldOffset(0x3E0)] public ulong HostSoftware0;
    /// <summary>3E8h: reserved for host software.</summary>
    [FieldOffset(0x3E8)] public ulong HostSoftware1;
    /// <summary>3F0h: reserved for host software.</summary>
    [FieldOffset(0x3F0)] public ulong HostSoftware2;
    /// <summary>3F8h: reserved for host software.</summary>
    [FieldOffset(0x3F8)] public ulong HostSoftware3;

    /// <summary>Whether CRn reads are intercepted.</summary>
    /// <param name="cr">Control register number 0-15.</param>
    /// <returns>True if intercepted.</returns>
    public readonly bool IsCrReadIntercepted(int cr) => ((CrReadIntercepts >> (cr & 15)) & 1) != 0;
    /// <summary>Whether CRn writes are intercepted.</summary>
    /// <param name="cr">Control register number 0-15.</param>
    /// <returns>True if intercepted.</returns>
    public readonly bool IsCrWriteIntercepted(int cr) => ((CrWriteIntercepts >> (cr & 15)) & 1) != 0;
    /// <summary>Whether an exception vector is intercepted.</summary>
    /// <param name="vector">Vector 0-31.</param>
    /// <returns>True if intercepted.</returns>
    public readonly bool IsExceptionIntercepted(int vector) => ((ExceptionIntercepts >> (vector & 31)) & 1) != 0;
}

/// <summary>
/// VMCB bytes 0D0h-0DFh: the number of guest instruction bytes fetched (0-15) followed by up to 15 bytes,
/// filled by processors with decode assists on #PF/NPF and some intercepts (AMD APM Vol. 2 §15.33.4).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct VmcbGuestInstructionBytes
{
    /// <summary>0D0h: number of bytes fetched (0 = none).</summary>
    [FieldOffset(0)] public byte Count;
    [FieldOffset(0)] private ulong _low;
    [FieldOffset(8)] private ulong _high;

    /// <summary>The valid instruction bytes (at most 15), as a span over this storage.</summary>
    /// <returns>The bytes; valid while the VMCB storage is.</returns>
    public readonly ReadOnlySpan<byte> AsSpan()
    {
        int n = Count > 15 ? 15 : Count;
        // SAFETY: this struct is 16 bytes; byte 0 is the count and bytes 1..15 are the instruction bytes,
        // so a span of n <= 15 bytes from offset 1 stays inside it. The caller holds the VMCB by reference.
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref Unsafe.As<VmcbGuestInstructionBytes, byte>(ref Unsafe.AsRef(in this)), 1), n);
    }

    /// <summary>Reads byte <paramref name="index"/> (0-14) of the instruction bytes.</summary>
    /// <param name="index">Index 0-14.</param>
    /// <returns>The byte, or 0 if the index is out of range.</returns>
    public readonly byte this[int index]
    {
        get
        {
            if ((uint)index >= 15) return 0;
            int b = index + 1;
            return b < 8 ? (byte)(_low >> (b * 8)) : (byte)(_high >> ((b - 8) * 8));
        }
    }
}
