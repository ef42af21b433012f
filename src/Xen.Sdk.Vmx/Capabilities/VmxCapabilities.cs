using System.Buffers.Binary;

namespace Xen.Sdk.Vmx;

/// <summary>
/// A snapshot of a processor's VMX capabilities: the IA32_VMX_* MSRs (Intel SDM Vol. 3D Appendix A) and the
/// CPUID facts that matter to VM entry. Plain data: build it from RDMSR/CPUID on the target, from a stored
/// model (<see cref="VmxCapabilityModels"/>), or from bytes (<see cref="TryReadFrom"/>). An MSR the processor
/// does not implement is stored as 0 (which allows no optional control).
/// </summary>
public struct VmxCapabilities
{
    /// <summary>Serialized size in bytes (<see cref="TryWriteTo"/>).</summary>
    public const int SerializedSize = 8 + 20 * 8 + 24;

    /// <summary>Magic of the serialized form, "VMXC" little-endian.</summary>
    public const uint Magic = 0x43584D56;

    /// <summary>IA32_VMX_BASIC (480H).</summary>
    public ulong Basic;
    /// <summary>IA32_VMX_PINBASED_CTLS (481H).</summary>
    public ulong PinBasedControls;
    /// <summary>IA32_VMX_PROCBASED_CTLS (482H).</summary>
    public ulong ProcessorBasedControls;
    /// <summary>IA32_VMX_EXIT_CTLS (483H).</summary>
    public ulong ExitControls;
    /// <summary>IA32_VMX_ENTRY_CTLS (484H).</summary>
    public ulong EntryControls;
    /// <summary>IA32_VMX_MISC (485H).</summary>
    public ulong Misc;
    /// <summary>IA32_VMX_CR0_FIXED0 (486H): bits that must be 1 in CR0.</summary>
    public ulong Cr0Fixed0;
    /// <summary>IA32_VMX_CR0_FIXED1 (487H): bits that may be 1 in CR0.</summary>
    public ulong Cr0Fixed1;
    /// <summary>IA32_VMX_CR4_FIXED0 (488H): bits that must be 1 in CR4.</summary>
    public ulong Cr4Fixed0;
    /// <summary>IA32_VMX_CR4_FIXED1 (489H): bits that may be 1 in CR4.</summary>
    public ulong Cr4Fixed1;
    /// <summary>IA32_VMX_VMCS_ENUM (48AH).</summary>
    public ulong VmcsEnum;
    /// <summary>IA32_VMX_PROCBASED_CTLS2 (48BH).</summary>
    public ulong ProcessorBasedControls2;
    /// <summary>IA32_VMX_EPT_VPID_CAP (48CH).</summary>
    public ulong EptVpidCap;
    /// <summary>IA32_VMX_TRUE_PINBASED_CTLS (48DH).</summary>
    public ulong TruePinBasedControls;
    /// <summary>IA32_VMX_TRUE_PROCBASED_CTLS (48EH).</summary>
    public ulong TrueProcessorBasedControls;
    /// <summary>IA32_VMX_TRUE_EXIT_CTLS (48FH).</summary>
    public ulong TrueExitControls;
    /// <summary>IA32_VMX_TRUE_ENTRY_CTLS (490H).</summary>
    public ulong TrueEntryControls;
    /// <summary>IA32_VMX_VMFUNC (491H).</summary>
    public ulong VmFunc;
    /// <summary>IA32_VMX_PROCBASED_CTLS3 (492H).</summary>
    public ulong ProcessorBasedControls3;
    /// <summary>IA32_VMX_EXIT_CTLS2 (493H).</summary>
    public ulong ExitControls2;

    /// <summary>MAXPHYADDR: CPUID.80000008H:EAX[7:0] (36 when that leaf is absent).</summary>
    public byte PhysicalAddressBits;
    /// <summary>Linear-address width: CPUID.80000008H:EAX[15:8] (48, or 57 with LA57).</summary>
    public byte LinearAddressBits;
    /// <summary>CPUID feature bits that matter.</summary>
    public CpuFeatures Features;
    /// <summary>Bits that may be 1 in IA32_PERF_GLOBAL_CTRL (from CPUID.0AH counter counts).</summary>
    public ulong PerfGlobalCtrlValidBits;

    /// <summary>Reads an MSR of the snapshot by index (480H..493H); false for another index.</summary>
    /// <param name="msr">MSR index.</param>
    /// <param name="value">Value.</param>
    /// <returns>True when the index is a VMX capability MSR.</returns>
    public readonly bool TryGetMsr(uint msr, out ulong value)
    {
        value = msr switch
        {
            VmxMsr.Basic => Basic,
            VmxMsr.PinBasedControls => PinBasedControls,
            VmxMsr.ProcessorBasedControls => ProcessorBasedControls,
            VmxMsr.ExitControls => ExitControls,
            VmxMsr.EntryControls => EntryControls,
            VmxMsr.Misc => Misc,
            VmxMsr.Cr0Fixed0 => Cr0Fixed0,
            VmxMsr.Cr0Fixed1 => Cr0Fixed1,
            VmxMsr.Cr4Fixed0 => Cr4Fixed0,
            VmxMsr.Cr4Fixed1 => Cr4Fixed1,
            VmxMsr.VmcsEnum => VmcsEnum,
            VmxMsr.ProcessorBasedControls2 => ProcessorBasedControls2,
            VmxMsr.EptVpidCap => EptVpidCap,
            VmxMsr.TruePinBasedControls => TruePinBasedControls,
            VmxMsr.TrueProcessorBasedControls => TrueProcessorBasedControls,
            VmxMsr.TrueExitControls => TrueExitControls,
            VmxMsr.TrueEntryControls => TrueEntryControls,
            VmxMsr.VmFunc => VmFunc,
            VmxMsr.ProcessorBasedControls3 => ProcessorBasedControls3,
            VmxMsr.ExitControls2 => ExitControls2,
            _ => 0,
        };
        return msr >= VmxMsr.Basic && msr <= VmxMsr.ExitControls2;
    }

    /// <summary>Sets an MSR of the snapshot by index (480H..493H); false for another index.</summary>
    /// <param name="msr">MSR index.</param>
    /// <param name="value">Value.</param>
    /// <returns>True when stored.</returns>
    public bool TrySetMsr(uint msr, ulong value)
    {
        switch (msr)
        {
            case VmxMsr.Basic: Basic = value; break;
            case VmxMsr.PinBasedControls: PinBasedControls = value; break;
            case VmxMsr.ProcessorBasedControls: ProcessorBasedControls = value; break;
            case VmxMsr.ExitControls: ExitControls = value; break;
            case VmxMsr.EntryControls: EntryControls = value; break;
            case VmxMsr.Misc: Misc = value; break;
            case VmxMsr.Cr0Fixed0: Cr0Fixed0 = value; break;
            case VmxMsr.Cr0Fixed1: Cr0Fixed1 = value; break;
            case VmxMsr.Cr4Fixed0: Cr4Fixed0 = value; break;
            case VmxMsr.Cr4Fixed1: Cr4Fixed1 = value; break;
            case VmxMsr.VmcsEnum: VmcsEnum = value; break;
            case VmxMsr.ProcessorBasedControls2: ProcessorBasedControls2 = value; break;
            case VmxMsr.EptVpidCap: EptVpidCap = value; break;
            case VmxMsr.TruePinBasedControls: TruePinBasedControls = value; break;
            case VmxMsr.TrueProcessorBasedControls: TrueProcessorBasedControls = value; break;
            case VmxMsr.TrueExitControls: TrueExitControls = value; break;
            case VmxMsr.TrueEntryControls: TrueEntryControls = value; break;
            case VmxMsr.VmFunc: VmFunc = value; break;
            case VmxMsr.ProcessorBasedControls3: ProcessorBasedControls3 = value; break;
            case VmxMsr.ExitControls2: ExitControls2 = value; break;
            default: return false;
        }

        return true;
    }

    // ---- IA32_VMX_BASIC (Intel SDM Vol. 3D §A.1) ----

    /// <summary>VMCS revision identifier, bits 30:0.</summary>
    public readonly uint RevisionId => (uint)Basic & 0x7FFF_FFFFu;

    /// <summary>Bytes to allocate for the VMXON and VMCS regions, bits 44:32.</summary>
    public readonly uint VmcsRegionSize => (uint)(Basic >> 32) & 0x1FFFu;

    /// <summary>Bit 48: addresses of VMXON, VMCS and referenced structures are limited to 32 bits.</summary>
    public readonly bool PhysicalAddressesLimitedTo32Bits => (Basic & (1UL << 48)) != 0;

    /// <summary>Bit 49: dual-monitor treatment of SMIs and SMM is supported.</summary>
    public readonly bool DualMonitor => (Basic & (1UL << 49)) != 0;

    /// <summary>Bits 53:50: memory type for VMCS access (6 = write-back).</summary>
    public readonly uint VmcsMemoryType => (uint)(Basic >> 50) & 0xFu;

    /// <summary>Bit 54: INS/OUTS exits report VM-exit instruction information.</summary>
    public readonly bool ReportsInsOutsInfo => (Basic & (1UL << 54)) != 0;

    /// <summary>Bit 55: the TRUE_* control MSRs exist and govern default1 controls.</summary>
    public readonly bool HasTrueControls => (Basic & (1UL << 55)) != 0;

    /// <summary>Bit 56: VM entry may deliver a hardware exception with or without an error code, any vector.</summary>
    public readonly bool ErrorCodeAnyException => (Basic & (1UL << 56)) != 0;

    // ---- IA32_VMX_MISC (Intel SDM Vol. 3D §A.6) ----

    /// <summary>Bits 4:0: the preemption timer counts down by 1 every 2^X TSC ticks.</summary>
    public readonly int PreemptionTimerRate => (int)(Misc & 0x1F);

    /// <summary>Bit 5: VM exits store EFER.LMA in the "IA-32e mode guest" entry control.</summary>
    public readonly bool ExitStoresLma => (Misc & (1UL << 5)) != 0;

    /// <summary>Bit 6: activity state HLT is supported.</summary>
    public readonly bool SupportsHltActivity => (Misc & (1UL << 6)) != 0;

    /// <summary>Bit 7: activity state shutdown is supported.</summary>
    public readonly bool SupportsShutdownActivity => (Misc & (1UL << 7)) != 0;

    /// <summary>Bit 8: activity state wait-for-SIPI is supported.</summary>
    public readonly bool SupportsWaitForSipiActivity => (Misc & (1UL << 8)) != 0;

    /// <summary>Bits 24:16: number of CR3-target values supported.</summary>
    public readonly uint Cr3TargetCount => (uint)(Misc >> 16) & 0x1FFu;

    /// <summary>Recommended maximum MSRs in each MSR list: 512 * (bits 27:25 + 1).</summary>
    public readonly uint MaxMsrListCount => 512u * (((uint)(Misc >> 25) & 7u) + 1u);

    /// <summary>Bit 29: VMWRITE may write any supported field, including VM-exit information fields.</summary>
    public readonly bool VmwriteAnyField => (Misc & (1UL << 29)) != 0;

    /// <summary>Bit 30: VM entry may inject software interrupts/exceptions with instruction length 0.</summary>
    public readonly bool ZeroLengthInjection => (Misc & (1UL << 30)) != 0;

    // ---- Controls (Intel SDM Vol. 3D §A.2-§A.5) ----

    /// <summary>The MSR that governs pin-based controls (TRUE when bit 55 of BASIC is set).</summary>
    public readonly ulong EffectivePinBased => HasTrueControls ? TruePinBasedControls : PinBasedControls;

    /// <summary>The MSR that governs primary processor-based controls.</summary>
    public readonly ulong EffectivePrimaryProcessor => HasTrueControls ? TrueProcessorBasedControls : ProcessorBasedControls;

    /// <summary>The MSR that governs primary VM-exit controls.</summary>
    public readonly ulong EffectiveExit => HasTrueControls ? TrueExitControls : ExitControls;

    /// <summary>The MSR that governs VM-entry controls.</summary>
    public readonly ulong EffectiveEntry => HasTrueControls ? TrueEntryControls : EntryControls;

    /// <summary>Fits pin-based controls to the processor.</summary>
    /// <param name="requested">Requested controls.</param>
    /// <returns>The adjustment, with refused controls listed.</returns>
    public readonly ControlAdjustment AdjustPinBased(PinBasedControls requested) => ControlAdjustment.Adjust32((uint)requested, EffectivePinBased);

    /// <summary>Fits primary processor-based controls to the processor.</summary>
    /// <param name="requested">Requested controls.</param>
    /// <returns>The adjustment.</returns>
    public readonly ControlAdjustment AdjustPrimaryProcessor(PrimaryProcessorControls requested) => ControlAdjustment.Adjust32((uint)requested, EffectivePrimaryProcessor);

    /// <summary>
    /// Fits secondary processor-based controls (IA32_VMX_PROCBASED_CTLS2; all refused when the processor cannot
    /// activate secondary controls, Intel SDM Vol. 3D §A.3.3).
    /// </summary>
    /// <param name="requested">Requested controls.</param>
    /// <returns>The adjustment.</returns>
    public readonly ControlAdjustment AdjustSecondaryProcessor(SecondaryProcessorControls requested)
        => ControlAdjustment.Adjust32((uint)requested, (ProcessorBasedControls >> 63) != 0 ? ProcessorBasedControls2 : 0);

    /// <summary>Fits tertiary processor-based controls (IA32_VMX_PROCBASED_CTLS3, Intel SDM Vol. 3D §A.3.4).</summary>
    /// <param name="requested">Requested controls.</param>
    /// <returns>The adjustment.</returns>
    public readonly ControlAdjustment AdjustTertiaryProcessor(TertiaryProcessorControls requested)
        => ControlAdjustment.Adjust64((ulong)requested, (ProcessorBasedControls & (1UL << 49)) != 0 ? ProcessorBasedControls3 : 0);

    /// <summary>Fits primary VM-exit controls to the processor.</summary>
    /// <param name="requested">Requested controls.</param>
    /// <returns>The adjustment.</returns>
    public readonly ControlAdjustment AdjustExit(ExitControls requested) => ControlAdjustment.Adjust32((uint)requested, EffectiveExit);

    /// <summary>Fits secondary VM-exit controls (IA32_VMX_EXIT_CTLS2, Intel SDM Vol. 3D §A.4.2).</summary>
    /// <param name="requested">Requested controls.</param>
    /// <returns>The adjustment.</returns>
    public readonly ControlAdjustment AdjustSecondaryExit(ulong requested)
        => ControlAdjustment.Adjust64(requested, (ExitControls >> 63) != 0 ? ExitControls2 : 0);

    /// <summary>Fits VM-entry controls to the processor.</summary>
    /// <param name="requested">Requested controls.</param>
    /// <returns>The adjustment.</returns>
    public readonly ControlAdjustment AdjustEntry(EntryControls requested) => ControlAdjustment.Adjust32((uint)requested, EffectiveEntry);

    /// <summary>Fits a CR0 value to IA32_VMX_CR0_FIXED0/1 (Intel SDM Vol. 3D §A.7).</summary>
    /// <param name="cr0">Requested CR0.</param>
    /// <returns>CR0 with fixed-1 bits set and fixed-0 bits cleared.</returns>
    public readonly ulong FixCr0(ulong cr0) => (cr0 | Cr0Fixed0) & Cr0Fixed1;

    /// <summary>Fits a CR4 value to IA32_VMX_CR4_FIXED0/1 (Intel SDM Vol. 3D §A.8).</summary>
    /// <param name="cr4">Requested CR4.</param>
    /// <returns>CR4 with fixed-1 bits set and fixed-0 bits cleared.</returns>
    public readonly ulong FixCr4(ulong cr4) => (cr4 | Cr4Fixed0) & Cr4Fixed1;

    /// <summary>True when the processor can set this control to 1 in the secondary processor-based controls.</summary>
    /// <param name="control">Control.</param>
    /// <returns>True when allowed.</returns>
    public readonly bool Supports(SecondaryProcessorControls control)
        => (ProcessorBasedControls >> 63) != 0 && ((ProcessorBasedControls2 >> 32) & (uint)control) == (uint)control;

    /// <summary>True when the processor can set this control to 1 in the primary processor-based controls.</summary>
    /// <param name="control">Control.</param>
    /// <returns>True when allowed.</returns>
    public readonly bool Supports(PrimaryProcessorControls control) => ((EffectivePrimaryProcessor >> 32) & (uint)control) == (uint)control;

    /// <summary>
    /// Serializes: u32 magic "VMXC", u16 version 1, u16 size, the 20 MSRs 480H..493H as u64, then
    /// u8 MAXPHYADDR, u8 linear-address bits, u16 and u32 zero, u64 features, u64 IA32_PERF_GLOBAL_CTRL
    /// valid bits; little-endian, <see cref="SerializedSize"/> bytes.
    /// </summary>
    /// <param name="destination">Buffer.</param>
    /// <returns>False when too small.</returns>
    public readonly bool TryWriteTo(System.Span<byte> destination)
    {
        if (destination.Length < SerializedSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], SerializedSize);
        for (uint i = 0; i < 20; i++)
        {
            TryGetMsr(VmxMsr.Basic + i, out ulong v);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(int)(8 + 8 * i)..], v);
        }

        destination[168] = PhysicalAddressBits;
        destination[169] = LinearAddressBits;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[170..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[172..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[176..], (ulong)Features);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[184..], PerfGlobalCtrlValidBits);
        return true;
    }

    /// <summary>Reads the form <see cref="TryWriteTo"/> writes.</summary>
    /// <param name="source">Bytes.</param>
    /// <param name="capabilities">The snapshot.</param>
    /// <returns>False for a bad magic, version or size.</returns>
    public static bool TryReadFrom(System.ReadOnlySpan<byte> source, out VmxCapabilities capabilities)
    {
        capabilities = default;
        if (source.Length < SerializedSize || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(source[4..]) != 1
            || BinaryPrimitives.ReadUInt16LittleEndian(source[6..]) != SerializedSize)
        {
            return false;
        }

        for (uint i = 0; i < 20; i++)
        {
            capabilities.TrySetMsr(VmxMsr.Basic + i, BinaryPrimitives.ReadUInt64LittleEndian(source[(int)(8 + 8 * i)..]));
        }

        capabilities.PhysicalAddressBits = source[168];
        capabilities.LinearAddressBits = source[169];
        capabilities.Features = (CpuFeatures)BinaryPrimitives.ReadUInt64LittleEndian(source[176..]);
        capabilities.PerfGlobalCtrlValidBits = BinaryPrimitives.ReadUInt64LittleEndian(source[184..]);
        return true;
    }
}
