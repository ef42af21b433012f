using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Vmx.Checking;

/// <summary>
/// Software VM-entry checker: every check of Intel SDM Vol. 3C §27.1 (launch state), §27.2 (VMX controls and
/// host-state area), §27.3.1 (guest-state area) and §27.4 (MSR loading), run in the SDM's order so the first
/// failure predicts what the processor reports (VMfailValid 4/5/7/8, or a VM-entry failure with exit reason
/// 33/34 and its qualification). It never allocates: failures go to a caller-supplied buffer.
/// </summary>
public static class VmEntryChecker
{
    /// <summary>Checks an image (its launch state is taken from the image) without memory access.</summary>
    /// <param name="image">The VMCS image.</param>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <param name="options">Options.</param>
    /// <param name="failures">Buffer for failures (may be empty: the report still has the outcome).</param>
    /// <returns>The report.</returns>
    public static EntryCheckReport Check(VmcsImage image, in VmxCapabilities capabilities, EntryCheckOptions options, Span<EntryCheckFailure> failures)
    {
        var none = default(NoPhysicalMemory);
        return Check(image, in capabilities, options, image.LaunchState, ref none, failures);
    }

    /// <summary>Checks an image with access to physical memory for the memory-dependent checks.</summary>
    /// <typeparam name="TMemory">Memory reader.</typeparam>
    /// <param name="image">The VMCS image.</param>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <param name="options">Options.</param>
    /// <param name="memory">Physical memory.</param>
    /// <param name="failures">Buffer for failures.</param>
    /// <returns>The report.</returns>
    public static EntryCheckReport Check<TMemory>(VmcsImage image, in VmxCapabilities capabilities, EntryCheckOptions options, ref TMemory memory, Span<EntryCheckFailure> failures)
        where TMemory : struct, IPhysicalMemoryReader
        => Check(image, in capabilities, options, image.LaunchState, ref memory, failures);

    /// <summary>Checks any VMCS (an image, or the current VMCS through VMREAD).</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <typeparam name="TMemory">Memory reader.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <param name="options">Options.</param>
    /// <param name="launchState">The VMCS's launch state (ignored with <see cref="EntryCheckOptions.IgnoreLaunchState"/>).</param>
    /// <param name="memory">Physical memory.</param>
    /// <param name="failures">Buffer for failures.</param>
    /// <returns>The report.</returns>
    public static EntryCheckReport Check<TVmcs, TMemory>(TVmcs vmcs, in VmxCapabilities capabilities, EntryCheckOptions options, VmcsLaunchState launchState, ref TMemory memory, Span<EntryCheckFailure> failures)
        where TVmcs : IVmcsAccess
        where TMemory : struct, IPhysicalMemoryReader
    {
        var run = new Run<TVmcs, TMemory>(vmcs, in capabilities, options, ref memory, failures);
        _ = run.Basic(launchState) || run.ExecutionControls() || run.ExitControlFields() || run.EntryControlFields()
            || run.HostControlRegisters() || run.HostSegments() || run.AddressSpaceSize()
            || run.GuestControlRegisters() || run.GuestSegments() || run.GuestDescriptorTables()
            || run.GuestRipRflags() || run.GuestNonRegisterState() || run.GuestPdptes() || run.MsrLoading();
        return run.Report;
    }

    /// <summary>The outcome a failure of this check produces (qualification 0; MSR loading: index 1).</summary>
    /// <param name="check">Check.</param>
    /// <returns>Outcome.</returns>
    public static EntryOutcome OutcomeOf(EntryCheckId check) => OutcomeOf(check, 1);

    internal static EntryOutcome OutcomeOf(EntryCheckId check, ulong msrIndex)
    {
        switch ((EntryCheckSection)((ushort)check >> 8))
        {
            case EntryCheckSection.Basic:
                return new EntryOutcome(EntryOutcomeKind.VmFailValid,
                    check == EntryCheckId.LaunchStateNotClear ? VmInstructionError.VmlaunchNonClearVmcs : VmInstructionError.VmresumeNonLaunchedVmcs, 0, 0);
            case EntryCheckSection.ExecutionControls:
            case EntryCheckSection.ExitControls:
            case EntryCheckSection.EntryControls:
                return new EntryOutcome(EntryOutcomeKind.VmFailValid, VmInstructionError.EntryInvalidControlFields, 0, 0);
            case EntryCheckSection.HostControlRegistersAndMsrs:
            case EntryCheckSection.HostSegmentRegisters:
            case EntryCheckSection.AddressSpaceSize:
                return new EntryOutcome(EntryOutcomeKind.VmFailValid, VmInstructionError.EntryInvalidHostStateFields, 0, 0);
            case EntryCheckSection.GuestPdptes:
                return new EntryOutcome(EntryOutcomeKind.EntryFailure, VmInstructionError.None, 33, 2);
            case EntryCheckSection.MsrLoading:
                return new EntryOutcome(EntryOutcomeKind.EntryFailure, VmInstructionError.None, 34, msrIndex);
            default:
                bool link = check is EntryCheckId.VmcsLinkPointerAddress or EntryCheckId.VmcsLinkPointerRevision;
                return new EntryOutcome(EntryOutcomeKind.EntryFailure, VmInstructionError.None, 33, link ? 4UL : 0UL);
        }
    }

    private const uint NoField = EntryCheckFailure.NoField;

    // CR0 / CR4 / RFLAGS / EFER bits (Intel SDM Vol. 3A §2.5, §2.3, §2.2.1).
    private const ulong Cr0Pe = 1UL << 0, Cr0Wp = 1UL << 16, Cr0Pg = 1UL << 31;
    private const ulong Cr4Pae = 1UL << 5, Cr4Pcide = 1UL << 17, Cr4Cet = 1UL << 23;
    private const ulong RflagsTf = 1UL << 8, RflagsIf = 1UL << 9, RflagsVm = 1UL << 17;
    private const ulong EferSce = 1UL << 0, EferLme = 1UL << 8, EferLma = 1UL << 10, EferNxe = 1UL << 11;

    /// <summary>Interruption types (Intel SDM Vol. 3C §25.8.3, Table 25-16).</summary>
    private const uint TypeExternal = 0, TypeReserved = 1, TypeNmi = 2, TypeHardwareException = 3, TypeSoftwareInterrupt = 4,
        TypePrivilegedSoftwareException = 5, TypeSoftwareException = 6, TypeOther = 7;

    private ref struct Run<TVmcs, TMemory>
        where TVmcs : IVmcsAccess
        where TMemory : struct, IPhysicalMemoryReader
    {
        private readonly TVmcs _vmcs;
        private readonly ref readonly VmxCapabilities _caps;
        private readonly EntryCheckOptions _options;
        private readonly ref TMemory _memory;
        private readonly Span<EntryCheckFailure> _buffer;
        private int _count;
        private int _written;
        private int _skipped;
        private EntryOutcome _first;

        // Values many checks use, read once.
        private readonly uint _pin, _proc, _exit, _entry;
        private readonly uint _proc2;
        private readonly ulong _proc3;
        private readonly int _physBits;
        private readonly int _linearBits;
        private readonly bool _ia32eGuest, _unrestricted, _hostAddressSpace;
        private readonly ulong _guestCr0, _guestCr4, _rflags;
        private readonly uint _injection;

        public Run(TVmcs vmcs, in VmxCapabilities caps, EntryCheckOptions options, ref TMemory memory, Span<EntryCheckFailure> buffer)
        {
            _vmcs = vmcs;
            _caps = ref caps;
            _options = options;
            _memory = ref memory;
            _buffer = buffer;
            _pin = vmcs.Read(VmcsFields.PinBasedControls);
            _proc = vmcs.Read(VmcsFields.PrimaryProcessorBasedControls);
            _exit = vmcs.Read(VmcsFields.PrimaryExitControls);
            _entry = vmcs.Read(VmcsFields.EntryControls);
            // Secondary and tertiary controls act as 0 when not activated (Intel SDM Vol. 3C §25.6.2).
            _proc2 = (_proc & (uint)PrimaryProcessorControls.ActivateSecondaryControls) != 0 ? vmcs.Read(VmcsFields.SecondaryProcessorBasedControls) : 0;
            _proc3 = (_proc & (uint)PrimaryProcessorControls.ActivateTertiaryControls) != 0 ? vmcs.Read(VmcsFields.TertiaryProcessorBasedControls) : 0;
            _physBits = caps.PhysicalAddressesLimitedTo32Bits ? 32 : caps.PhysicalAddressBits == 0 ? 36 : caps.PhysicalAddressBits;
            _linearBits = caps.LinearAddressBits == 0 ? 48 : caps.LinearAddressBits;
            _ia32eGuest = (_entry & (uint)EntryControls.Ia32eModeGuest) != 0;
            _unrestricted = (_proc2 & (uint)SecondaryProcessorControls.UnrestrictedGuest) != 0;
            _hostAddressSpace = (_exit & (uint)ExitControls.HostAddressSpaceSize) != 0;
            _guestCr0 = vmcs.Read(VmcsFields.GuestCr0);
            _guestCr4 = vmcs.Read(VmcsFields.GuestCr4);
            _rflags = vmcs.Read(VmcsFields.GuestRflags);
            _injection = vmcs.Read(VmcsFields.EntryInterruptionInfo);
            _count = 0;
            _written = 0;
            _skipped = 0;
            _first = default;
        }

        public readonly EntryCheckReport Report => new(_first, _count, _written, _skipped);

        /// <summary>Records a failure; true when the run must stop.</summary>
        private bool Fail(EntryCheckId id, uint field, uint related, ulong actual, ulong expected, ulong msrIndex = 1)
        {
            EntryOutcome outcome = OutcomeOf(id, msrIndex);
            if (_count == 0)
            {
                _first = outcome;
            }

            _count++;
            if (_written < _buffer.Length)
            {
                _buffer[_written++] = new EntryCheckFailure(id, field, related, actual, expected, outcome);
            }

            return _options.StopAtFirstFailure;
        }

        private static uint F(VmcsField16 f) => f.Id.Encoding;
        private static uint F(VmcsField32 f) => f.Id.Encoding;
        private static uint F(VmcsField64 f) => f.Id.Encoding;
        private static uint F(VmcsFieldNatural f) => f.Id.Encoding;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly bool PhysOk(ulong address) => _physBits >= 64 || (address >> _physBits) == 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly ulong PhysMask(ulong address) => _physBits >= 64 ? address : address & ((1UL << _physBits) - 1);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly bool Canonical(ulong address)
        {
            int shift = 64 - _linearBits;
            return (ulong)((long)(address << shift) >> shift) == address;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly ulong MakeCanonical(ulong address)
        {
            int shift = 64 - _linearBits;
            return (ulong)((long)(address << shift) >> shift);
        }

        private readonly bool Has(PinBasedControls c) => (_pin & (uint)c) != 0;
        private readonly bool Has(PrimaryProcessorControls c) => (_proc & (uint)c) != 0;
        private readonly bool Has(SecondaryProcessorControls c) => (_proc2 & (uint)c) != 0;
        private readonly bool Has(ExitControls c) => (_exit & (uint)c) != 0;
        private readonly bool Has(EntryControls c) => (_entry & (uint)c) != 0;

        /// <summary>Aligned (mask) and within the physical-address width.</summary>
        private bool Address(EntryCheckId id, uint field, ulong value, ulong alignMask)
            => ((value & alignMask) != 0 || !PhysOk(value)) && Fail(id, field, NoField, value, PhysMask(value) & ~alignMask);

        private static bool IsPatValid(ulong pat, out ulong fixedPat)
        {
            bool ok = true;
            fixedPat = pat;
            for (int i = 0; i < 8; i++)
            {
                ulong b = (pat >> (8 * i)) & 0xFF;
                if (b is not (0 or 1 or 4 or 5 or 6 or 7))
                {
                    ok = false;
                    fixedPat = (fixedPat & ~(0xFFUL << (8 * i))) | (6UL << (8 * i));
                }
            }

            return ok;
        }

        private bool ReadMemory(ulong address, scoped Span<byte> destination)
        {
            if (_memory.TryRead(address, destination))
            {
                return true;
            }

            _skipped++;
            return false;
        }

        // ---------------- §27.1 ----------------
        public bool Basic(VmcsLaunchState launchState)
        {
            if (_options.IgnoreLaunchState)
            {
                return false;
            }

            if (!_options.Resume && launchState != VmcsLaunchState.Clear)
            {
                return Fail(EntryCheckId.LaunchStateNotClear, NoField, NoField, (ulong)launchState, (ulong)VmcsLaunchState.Clear);
            }

            if (_options.Resume && launchState != VmcsLaunchState.Launched)
            {
                return Fail(EntryCheckId.LaunchStateNotLaunched, NoField, NoField, (ulong)launchState, (ulong)VmcsLaunchState.Launched);
            }

            return false;
        }

        // ---------------- §27.2.1.1 ----------------
        public bool ExecutionControls()
        {
            ulong pinMsr = _caps.EffectivePinBased;
            if (!ControlAdjustment.IsValid32(_pin, pinMsr)
                && Fail(EntryCheckId.PinBasedReserved, F(VmcsFields.PinBasedControls), NoField, _pin, ControlAdjustment.Adjust32(_pin, pinMsr).Value))
            {
                return true;
            }

            ulong procMsr = _caps.EffectivePrimaryProcessor;
            if (!ControlAdjustment.IsValid32(_proc, procMsr)
                && Fail(EntryCheckId.PrimaryProcessorReserved, F(VmcsFields.PrimaryProcessorBasedControls), NoField, _proc, ControlAdjustment.Adjust32(_proc, procMsr).Value))
            {
                return true;
            }

            if (Has(PrimaryProcessorControls.ActivateSecondaryControls) && !ControlAdjustment.IsValid32(_proc2, _caps.ProcessorBasedControls2)
                && Fail(EntryCheckId.SecondaryProcessorReserved, F(VmcsFields.SecondaryProcessorBasedControls), NoField, _proc2, ControlAdjustment.Adjust32(_proc2, _caps.ProcessorBasedControls2).Value))
            {
                return true;
            }

            if (Has(PrimaryProcessorControls.ActivateTertiaryControls) && (_proc3 & ~_caps.ProcessorBasedControls3) != 0
                && Fail(EntryCheckId.TertiaryProcessorReserved, F(VmcsFields.TertiaryProcessorBasedControls), NoField, _proc3, _proc3 & _caps.ProcessorBasedControls3))
            {
                return true;
            }

            uint cr3Count = _vmcs.Read(VmcsFields.Cr3TargetCount);
            if (cr3Count > _caps.Cr3TargetCount && Fail(EntryCheckId.Cr3TargetCount, F(VmcsFields.Cr3TargetCount), NoField, cr3Count, _caps.Cr3TargetCount))
            {
                return true;
            }

            if (Has(PrimaryProcessorControls.UseIoBitmaps)
                && (Address(EntryCheckId.IoBitmapAAddress, F(VmcsFields.IoBitmapAAddress), _vmcs.Read(VmcsFields.IoBitmapAAddress), 0xFFF)
                    || Address(EntryCheckId.IoBitmapBAddress, F(VmcsFields.IoBitmapBAddress), _vmcs.Read(VmcsFields.IoBitmapBAddress), 0xFFF)))
            {
                return true;
            }

            if (Has(PrimaryProcessorControls.UseMsrBitmaps)
                && Address(EntryCheckId.MsrBitmapAddress, F(VmcsFields.MsrBitmapAddress), _vmcs.Read(VmcsFields.MsrBitmapAddress), 0xFFF))
            {
                return true;
            }

            if (Has(PrimaryProcessorControls.UseTprShadow))
            {
                ulong vapic = _vmcs.Read(VmcsFields.VirtualApicAddress);
                if (Address(EntryCheckId.VirtualApicAddress, F(VmcsFields.VirtualApicAddress), vapic, 0xFFF))
                {
                    return true;
                }

                uint threshold = _vmcs.Read(VmcsFields.TprThreshold);
                if (!Has(SecondaryProcessorControls.VirtualInterruptDelivery))
                {
                    if ((threshold & ~0xFu) != 0
                        && Fail(EntryCheckId.TprThresholdHighBits, F(VmcsFields.TprThreshold), NoField, threshold, threshold & 0xF))
                    {
                        return true;
                    }

                    if (!Has(SecondaryProcessorControls.VirtualizeApicAccesses) && (threshold & ~0xFu) == 0)
                    {
                        Span<byte> vtpr = stackalloc byte[1];
                        if (ReadMemory(vapic + 0x80, vtpr) && (threshold & 0xF) > (uint)(vtpr[0] >> 4)
                            && Fail(EntryCheckId.TprThresholdAboveVtpr, F(VmcsFields.TprThreshold), F(VmcsFields.VirtualApicAddress), threshold, (uint)(vtpr[0] >> 4)))
                        {
                            return true;
                        }
                    }
                }
            }

            if (!Has(PinBasedControls.NmiExiting) && Has(PinBasedControls.VirtualNmis)
                && Fail(EntryCheckId.VirtualNmisWithoutNmiExiting, F(VmcsFields.PinBasedControls), NoField, _pin, _pin & ~(uint)PinBasedControls.VirtualNmis))
            {
                return true;
            }

            if (!Has(PinBasedControls.VirtualNmis) && Has(PrimaryProcessorControls.NmiWindowExiting)
                && Fail(EntryCheckId.NmiWindowWithoutVirtualNmis, F(VmcsFields.PrimaryProcessorBasedControls), F(VmcsFields.PinBasedControls), _proc, _proc & ~(uint)PrimaryProcessorControls.NmiWindowExiting))
            {
                return true;
            }

            if (Has(SecondaryProcessorControls.VirtualizeApicAccesses)
                && Address(EntryCheckId.ApicAccessAddress, F(VmcsFields.ApicAccessAddress), _vmcs.Read(VmcsFields.ApicAccessAddress), 0xFFF))
            {
                return true;
            }

            if (!Has(PrimaryProcessorControls.UseTprShadow))
            {
                uint p2 = F(VmcsFields.SecondaryProcessorBasedControls), p1 = F(VmcsFields.PrimaryProcessorBasedControls);
                if (Has(SecondaryProcessorControls.VirtualizeX2ApicMode)
                    && Fail(EntryCheckId.X2ApicModeWithoutTprShadow, p2, p1, _proc2, _proc2 & ~(uint)SecondaryProcessorControls.VirtualizeX2ApicMode))
                {
                    return true;
                }

                if (Has(SecondaryProcessorControls.ApicRegisterVirtualization)
                    && Fail(EntryCheckId.ApicRegisterVirtualizationWithoutTprShadow, p2, p1, _proc2, _proc2 & ~(uint)SecondaryProcessorControls.ApicRegisterVirtualization))
                {
                    return true;
                }

                if (Has(SecondaryProcessorControls.VirtualInterruptDelivery)
                    && Fail(EntryCheckId.VirtualInterruptDeliveryWithoutTprShadow, p2, p1, _proc2, _proc2 & ~(uint)SecondaryProcessorControls.VirtualInterruptDelivery))
                {
                    return true;
                }
            }

            if (Has(SecondaryProcessorControls.VirtualizeX2ApicMode) && Has(SecondaryProcessorControls.VirtualizeApicAccesses)
                && Fail(EntryCheckId.X2ApicModeWithApicAccesses, F(VmcsFields.SecondaryProcessorBasedControls), NoField, _proc2, _proc2 & ~(uint)SecondaryProcessorControls.VirtualizeApicAccesses))
            {
                return true;
            }

            if (Has(SecondaryProcessorControls.VirtualInterruptDelivery) && !Has(PinBasedControls.ExternalInterruptExiting)
                && Fail(EntryCheckId.VirtualInterruptDeliveryWithoutExternalInterruptExiting, F(VmcsFields.PinBasedControls), F(VmcsFields.SecondaryProcessorBasedControls), _pin, _pin | (uint)PinBasedControls.ExternalInterruptExiting))
            {
                return true;
            }

            if (Has(PinBasedControls.ProcessPostedInterrupts))
            {
                if (!Has(SecondaryProcessorControls.VirtualInterruptDelivery)
                    && Fail(EntryCheckId.PostedInterruptsWithoutVirtualInterruptDelivery, F(VmcsFields.SecondaryProcessorBasedControls), F(VmcsFields.PinBasedControls), _proc2, _proc2 | (uint)SecondaryProcessorControls.VirtualInterruptDelivery))
                {
                    return true;
                }

                if (!Has(ExitControls.AcknowledgeInterruptOnExit)
                    && Fail(EntryCheckId.PostedInterruptsWithoutAcknowledgeOnExit, F(VmcsFields.PrimaryExitControls), F(VmcsFields.PinBasedControls), _exit, _exit | (uint)ExitControls.AcknowledgeInterruptOnExit))
                {
                    return true;
                }

                ushort vector = _vmcs.Read(VmcsFields.PostedInterruptNotificationVector);
                if ((vector & 0xFF00) != 0
                    && Fail(EntryCheckId.PostedInterruptNotificationVector, F(VmcsFields.PostedInterruptNotificationVector), NoField, vector, vector & 0xFFu))
                {
                    return true;
                }

                if (Address(EntryCheckId.PostedInterruptDescriptorAddress, F(VmcsFields.PostedInterruptDescriptorAddress), _vmcs.Read(VmcsFields.PostedInterruptDescriptorAddress), 0x3F))
                {
                    return true;
                }
            }

            if (Has(SecondaryProcessorControls.EnableVpid))
            {
                ushort vpid = _vmcs.Read(VmcsFields.VirtualProcessorId);
                if (vpid == 0 && Fail(EntryCheckId.VpidZero, F(VmcsFields.VirtualProcessorId), NoField, 0, 1))
                {
                    return true;
                }
            }

            bool ept = Has(SecondaryProcessorControls.EnableEpt);
            if (ept && CheckEptp(F(VmcsFields.EptPointer), _vmcs.Read(VmcsFields.EptPointer)))
            {
                return true;
            }

            if (Has(SecondaryProcessorControls.EnablePml))
            {
                if (!ept && Fail(EntryCheckId.PmlWithoutEpt, F(VmcsFields.SecondaryProcessorBasedControls), NoField, _proc2, _proc2 | (uint)SecondaryProcessorControls.EnableEpt))
                {
                    return true;
                }

                if (Address(EntryCheckId.PmlAddress, F(VmcsFields.PmlAddress), _vmcs.Read(VmcsFields.PmlAddress), 0xFFF))
                {
                    return true;
                }
            }

            if (!ept)
            {
                uint p2 = F(VmcsFields.SecondaryProcessorBasedControls);
                if (Has(SecondaryProcessorControls.UnrestrictedGuest)
                    && Fail(EntryCheckId.UnrestrictedGuestWithoutEpt, p2, NoField, _proc2, _proc2 | (uint)SecondaryProcessorControls.EnableEpt))
                {
                    return true;
                }

                if (Has(SecondaryProcessorControls.ModeBasedExecuteControl)
                    && Fail(EntryCheckId.ModeBasedExecuteWithoutEpt, p2, NoField, _proc2, _proc2 | (uint)SecondaryProcessorControls.EnableEpt))
                {
                    return true;
                }
            }

            if (Has(SecondaryProcessorControls.SubPageWritePermissions))
            {
                if (!ept && Fail(EntryCheckId.SubPageWriteWithoutEpt, F(VmcsFields.SecondaryProcessorBasedControls), NoField, _proc2, _proc2 | (uint)SecondaryProcessorControls.EnableEpt))
                {
                    return true;
                }

                if (Address(EntryCheckId.SubPagePermissionTablePointer, F(VmcsFields.SubPagePermissionTablePointer), _vmcs.Read(VmcsFields.SubPagePermissionTablePointer), 0xFFF))
                {
                    return true;
                }
            }

            if (Has(SecondaryProcessorControls.EnableVmFunctions))
            {
                ulong vmfunc = _vmcs.Read(VmcsFields.VmFunctionControls);
                if ((vmfunc & ~_caps.VmFunc) != 0
                    && Fail(EntryCheckId.VmFunctionControlsReserved, F(VmcsFields.VmFunctionControls), NoField, vmfunc, vmfunc & _caps.VmFunc))
                {
                    return true;
                }

                if ((vmfunc & 1) != 0)
                {
                    if (!ept && Fail(EntryCheckId.EptpSwitchingWithoutEpt, F(VmcsFields.SecondaryProcessorBasedControls), F(VmcsFields.VmFunctionControls), _proc2, _proc2 | (uint)SecondaryProcessorControls.EnableEpt))
                    {
                        return true;
                    }

                    if (Address(EntryCheckId.EptpListAddress, F(VmcsFields.EptpListAddress), _vmcs.Read(VmcsFields.EptpListAddress), 0xFFF))
                    {
                        return true;
                    }
                }
            }

            if (Has(SecondaryProcessorControls.VmcsShadowing)
                && (Address(EntryCheckId.VmreadBitmapAddress, F(VmcsFields.VmreadBitmapAddress), _vmcs.Read(VmcsFields.VmreadBitmapAddress), 0xFFF)
                    || Address(EntryCheckId.VmwriteBitmapAddress, F(VmcsFields.VmwriteBitmapAddress), _vmcs.Read(VmcsFields.VmwriteBitmapAddress), 0xFFF)))
            {
                return true;
            }

            return Has(SecondaryProcessorControls.EptViolationVe)
                && Address(EntryCheckId.VirtualizationExceptionInfoAddress, F(VmcsFields.VirtualizationExceptionInfoAddress), _vmcs.Read(VmcsFields.VirtualizationExceptionInfoAddress), 0xFFF);
        }

        /// <summary>EPTP checks (Intel SDM Vol. 3C §27.2.1.1, EPTP format §25.6.11).</summary>
        private bool CheckEptp(uint field, ulong eptp)
        {
            ulong cap = _caps.EptVpidCap;
            ulong type = eptp & 7;
            bool typeOk = (type == 0 && (cap & (1UL << 8)) != 0) || (type == 6 && (cap & (1UL << 14)) != 0);
            if (!typeOk && Fail(EntryCheckId.EptpMemoryType, field, NoField, eptp, (eptp & ~7UL) | ((cap & (1UL << 14)) != 0 ? 6UL : 0UL)))
            {
                return true;
            }

            ulong walk = (eptp >> 3) & 7;
            bool walkOk = (walk == 3 && (cap & (1UL << 6)) != 0) || (walk == 4 && (cap & (1UL << 7)) != 0);
            if (!walkOk && Fail(EntryCheckId.EptpWalkLength, field, NoField, eptp, (eptp & ~0x38UL) | (3UL << 3)))
            {
                return true;
            }

            if ((eptp & 0x40) != 0 && (cap & (1UL << 21)) == 0
                && Fail(EntryCheckId.EptpAccessedDirty, field, NoField, eptp, eptp & ~0x40UL))
            {
                return true;
            }

            // Bit 7 (supervisor shadow-stack control) needs IA32_VMX_EPT_VPID_CAP bit 7? No: it needs CET
            // supervisor shadow stacks; treated as reserved unless the CPU has CET shadow stacks. Bits 11:8 are reserved.
            ulong reserved = 0xF00UL | ((_caps.Features & CpuFeatures.CetShadowStack) == 0 ? 0x80UL : 0);
            return ((eptp & reserved) != 0 || !PhysOk(eptp))
                && Fail(EntryCheckId.EptpReserved, field, NoField, eptp, PhysMask(eptp) & ~reserved);
        }

        // ---------------- §27.2.1.2 ----------------
        public bool ExitControlFields()
        {
            ulong exitMsr = _caps.EffectiveExit;
            if (!ControlAdjustment.IsValid32(_exit, exitMsr)
                && Fail(EntryCheckId.ExitReserved, F(VmcsFields.PrimaryExitControls), NoField, _exit, ControlAdjustment.Adjust32(_exit, exitMsr).Value))
            {
                return true;
            }

            if (Has(Vmx.ExitControls.ActivateSecondaryControls))
            {
                ulong exit2 = _vmcs.Read(VmcsFields.SecondaryExitControls);
                if ((exit2 & ~_caps.ExitControls2) != 0
                    && Fail(EntryCheckId.SecondaryExitReserved, F(VmcsFields.SecondaryExitControls), NoField, exit2, exit2 & _caps.ExitControls2))
                {
                    return true;
                }
            }

            if (!Has(PinBasedControls.ActivatePreemptionTimer) && Has(Vmx.ExitControls.SavePreemptionTimer)
                && Fail(EntryCheckId.SavePreemptionTimerWithoutTimer, F(VmcsFields.PrimaryExitControls), F(VmcsFields.PinBasedControls), _exit, _exit & ~(uint)Vmx.ExitControls.SavePreemptionTimer))
            {
                return true;
            }

            return MsrArea(EntryCheckId.ExitMsrStoreAddress, F(VmcsFields.ExitMsrStoreAddress), _vmcs.Read(VmcsFields.ExitMsrStoreCount), _vmcs.Read(VmcsFields.ExitMsrStoreAddress))
                || MsrArea(EntryCheckId.ExitMsrLoadAddress, F(VmcsFields.ExitMsrLoadAddress), _vmcs.Read(VmcsFields.ExitMsrLoadCount), _vmcs.Read(VmcsFields.ExitMsrLoadAddress));
        }

        /// <summary>MSR area: bits 3:0 zero, first and last byte within the physical-address width.</summary>
        private bool MsrArea(EntryCheckId id, uint field, uint count, ulong address)
        {
            if (count == 0)
            {
                return false;
            }

            ulong last = address + (ulong)count * 16 - 1;
            return ((address & 0xF) != 0 || !PhysOk(address) || !PhysOk(last) || last < address)
                && Fail(id, field, NoField, address, PhysMask(address) & ~0xFUL);
        }

        // ---------------- §27.2.1.3 ----------------
        public bool EntryControlFields()
        {
            ulong entryMsr = _caps.EffectiveEntry;
            if (!ControlAdjustment.IsValid32(_entry, entryMsr)
                && Fail(EntryCheckId.EntryReserved, F(VmcsFields.EntryControls), NoField, _entry, ControlAdjustment.Adjust32(_entry, entryMsr).Value))
            {
                return true;
            }

            uint info = _injection;
            uint infoField = F(VmcsFields.EntryInterruptionInfo);
            if ((info & 0x8000_0000u) != 0)
            {
                uint type = (info >> 8) & 7;
                uint vector = info & 0xFF;
                if (type == TypeReserved && Fail(EntryCheckId.EventTypeReserved, infoField, NoField, info, info & ~0x700u | (TypeExternal << 8)))
                {
                    return true;
                }

                if (type == TypeOther && !_caps.Supports(PrimaryProcessorControls.MonitorTrapFlag)
                    && Fail(EntryCheckId.EventTypeOtherWithoutMtf, infoField, NoField, info, info & ~0x700u))
                {
                    return true;
                }

                if (type == TypeNmi && vector != 2 && Fail(EntryCheckId.EventNmiVector, infoField, NoField, info, (info & ~0xFFu) | 2))
                {
                    return true;
                }

                if (type == TypeHardwareException && vector > 31 && Fail(EntryCheckId.EventHardwareExceptionVector, infoField, NoField, info, info & ~0xE0u))
                {
                    return true;
                }

                if (type == TypeOther && vector != 0 && Fail(EntryCheckId.EventOtherVector, infoField, NoField, info, info & ~0xFFu))
                {
                    return true;
                }

                bool deliver = (info & 0x800) != 0;
                bool protectedMode = !_unrestricted || (_guestCr0 & Cr0Pe) != 0;
                bool pushesCode = vector is 8 or 10 or 11 or 12 or 13 or 14 or 17
                    || (vector == 21 && (_caps.Features & (CpuFeatures.CetShadowStack | CpuFeatures.CetIbt)) != 0);
                bool ok;
                if (_caps.ErrorCodeAnyException)
                {
                    // IA32_VMX_BASIC[56]: any hardware exception may deliver an error code (Intel SDM Vol. 3D §A.1).
                    ok = !deliver || (type == TypeHardwareException && protectedMode);
                }
                else
                {
                    ok = deliver == (type == TypeHardwareException && protectedMode && pushesCode);
                }

                if (!ok && Fail(EntryCheckId.EventErrorCodeMismatch, infoField, F(VmcsFields.GuestCr0), info, info ^ 0x800u))
                {
                    return true;
                }

                if ((info & 0x7FFF_F000u) != 0 && Fail(EntryCheckId.EventInfoReserved, infoField, NoField, info, info & ~0x7FFF_F000u))
                {
                    return true;
                }

                if (deliver)
                {
                    uint code = _vmcs.Read(VmcsFields.EntryExceptionErrorCode);
                    if ((code & 0xFFFF_0000u) != 0
                        && Fail(EntryCheckId.EventErrorCodeReserved, F(VmcsFields.EntryExceptionErrorCode), NoField, code, code & 0xFFFF))
                    {
                        return true;
                    }
                }

                if (type is TypeSoftwareInterrupt or TypePrivilegedSoftwareException or TypeSoftwareException)
                {
                    uint length = _vmcs.Read(VmcsFields.EntryInstructionLength);
                    bool lengthOk = length <= 15 && (length != 0 || _caps.ZeroLengthInjection);
                    if (!lengthOk && Fail(EntryCheckId.EventInstructionLength, F(VmcsFields.EntryInstructionLength), infoField, length, 1))
                    {
                        return true;
                    }
                }
            }

            if (MsrArea(EntryCheckId.EntryMsrLoadAddress, F(VmcsFields.EntryMsrLoadAddress), _vmcs.Read(VmcsFields.EntryMsrLoadCount), _vmcs.Read(VmcsFields.EntryMsrLoadAddress)))
            {
                return true;
            }

            uint entryField = F(VmcsFields.EntryControls);
            if (!_options.InSmm)
            {
                if (Has(Vmx.EntryControls.EntryToSmm)
                    && Fail(EntryCheckId.EntryToSmmOutsideSmm, entryField, NoField, _entry, _entry & ~(uint)Vmx.EntryControls.EntryToSmm))
                {
                    return true;
                }

                if (Has(Vmx.EntryControls.DeactivateDualMonitor)
                    && Fail(EntryCheckId.DeactivateDualMonitorOutsideSmm, entryField, NoField, _entry, _entry & ~(uint)Vmx.EntryControls.DeactivateDualMonitor))
                {
                    return true;
                }
            }

            return Has(Vmx.EntryControls.EntryToSmm) && Has(Vmx.EntryControls.DeactivateDualMonitor)
                && Fail(EntryCheckId.EntryToSmmAndDeactivateDualMonitor, entryField, NoField, _entry, _entry & ~(uint)Vmx.EntryControls.DeactivateDualMonitor);
        }

        // ---------------- §27.2.2 ----------------
        public bool HostControlRegisters()
        {
            ulong cr0 = _vmcs.Read(VmcsFields.HostCr0);
            if (((cr0 & _caps.Cr0Fixed0) != _caps.Cr0Fixed0 || (cr0 & ~_caps.Cr0Fixed1) != 0)
                && Fail(EntryCheckId.HostCr0Fixed, F(VmcsFields.HostCr0), NoField, cr0, _caps.FixCr0(cr0)))
            {
                return true;
            }

            ulong cr4 = _vmcs.Read(VmcsFields.HostCr4);
            if (((cr4 & _caps.Cr4Fixed0) != _caps.Cr4Fixed0 || (cr4 & ~_caps.Cr4Fixed1) != 0)
                && Fail(EntryCheckId.HostCr4Fixed, F(VmcsFields.HostCr4), NoField, cr4, _caps.FixCr4(cr4)))
            {
                return true;
            }

            if ((cr4 & Cr4Cet) != 0 && (cr0 & Cr0Wp) == 0
                && Fail(EntryCheckId.HostCr4CetWithoutWp, F(VmcsFields.HostCr0), F(VmcsFields.HostCr4), cr0, cr0 | Cr0Wp))
            {
                return true;
            }

            ulong cr3 = _vmcs.Read(VmcsFields.HostCr3);
            if (!PhysOk(cr3) && Fail(EntryCheckId.HostCr3Reserved, F(VmcsFields.HostCr3), NoField, cr3, PhysMask(cr3)))
            {
                return true;
            }

            if (CanonicalField(EntryCheckId.HostSysenterEspCanonical, F(VmcsFields.HostIa32SysenterEsp), _vmcs.Read(VmcsFields.HostIa32SysenterEsp))
                || CanonicalField(EntryCheckId.HostSysenterEipCanonical, F(VmcsFields.HostIa32SysenterEip), _vmcs.Read(VmcsFields.HostIa32SysenterEip)))
            {
                return true;
            }

            if (Has(Vmx.ExitControls.LoadCetState))
            {
                ulong scet = _vmcs.Read(VmcsFields.HostIa32SCet);
                if ((scet & 0x3C0) != 0 && Fail(EntryCheckId.HostSCetReserved, F(VmcsFields.HostIa32SCet), NoField, scet, scet & ~0x3C0UL))
                {
                    return true;
                }

                ulong ssp = _vmcs.Read(VmcsFields.HostSsp);
                if ((ssp & 3) != 0 && Fail(EntryCheckId.HostSspAlignment, F(VmcsFields.HostSsp), NoField, ssp, ssp & ~3UL))
                {
                    return true;
                }

                if (CanonicalField(EntryCheckId.HostIsstCanonical, F(VmcsFields.HostIa32InterruptSspTableAddr), _vmcs.Read(VmcsFields.HostIa32InterruptSspTableAddr)))
                {
                    return true;
                }
            }

            if (Has(Vmx.ExitControls.LoadPerfGlobalCtrl))
            {
                ulong perf = _vmcs.Read(VmcsFields.HostIa32PerfGlobalCtrl);
                if ((perf & ~_caps.PerfGlobalCtrlValidBits) != 0
                    && Fail(EntryCheckId.HostPerfGlobalCtrlReserved, F(VmcsFields.HostIa32PerfGlobalCtrl), NoField, perf, perf & _caps.PerfGlobalCtrlValidBits))
                {
                    return true;
                }
            }

            if (Has(Vmx.ExitControls.LoadPat))
            {
                ulong pat = _vmcs.Read(VmcsFields.HostIa32Pat);
                if (!IsPatValid(pat, out ulong fixedPat) && Fail(EntryCheckId.HostPatInvalid, F(VmcsFields.HostIa32Pat), NoField, pat, fixedPat))
                {
                    return true;
                }
            }

            if (Has(Vmx.ExitControls.LoadEfer))
            {
                ulong efer = _vmcs.Read(VmcsFields.HostIa32Efer);
                ulong valid = EferValidBits;
                uint field = F(VmcsFields.HostIa32Efer);
                if ((efer & ~valid) != 0 && Fail(EntryCheckId.HostEferReserved, field, NoField, efer, efer & valid))
                {
                    return true;
                }

                if (((efer & EferLma) != 0) != _hostAddressSpace
                    && Fail(EntryCheckId.HostEferLma, field, F(VmcsFields.PrimaryExitControls), efer, efer ^ EferLma))
                {
                    return true;
                }

                if (((efer & EferLme) != 0) != _hostAddressSpace
                    && Fail(EntryCheckId.HostEferLme, field, F(VmcsFields.PrimaryExitControls), efer, efer ^ EferLme))
                {
                    return true;
                }
            }

            if (Has(Vmx.ExitControls.LoadPkrs))
            {
                ulong pkrs = _vmcs.Read(VmcsFields.HostIa32Pkrs);
                if ((pkrs >> 32) != 0 && Fail(EntryCheckId.HostPkrsReserved, F(VmcsFields.HostIa32Pkrs), NoField, pkrs, pkrs & 0xFFFF_FFFF))
                {
                    return true;
                }
            }

            return false;
        }

        private readonly ulong EferValidBits => EferSce | EferLme | EferLma | ((_caps.Features & CpuFeatures.ExecuteDisable) != 0 ? EferNxe : 0);

        private bool CanonicalField(EntryCheckId id, uint field, ulong value)
            => !Canonical(value) && Fail(id, field, NoField, value, MakeCanonical(value));

        // ---------------- §27.2.3 ----------------
        public bool HostSegments()
        {
            if (HostSelector(VmcsFields.HostEsSelector) || HostSelector(VmcsFields.HostCsSelector) || HostSelector(VmcsFields.HostSsSelector)
                || HostSelector(VmcsFields.HostDsSelector) || HostSelector(VmcsFields.HostFsSelector) || HostSelector(VmcsFields.HostGsSelector)
                || HostSelector(VmcsFields.HostTrSelector))
            {
                return true;
            }

            if (_vmcs.Read(VmcsFields.HostCsSelector) == 0 && Fail(EntryCheckId.HostCsSelectorZero, F(VmcsFields.HostCsSelector), NoField, 0, 8))
            {
                return true;
            }

            if (_vmcs.Read(VmcsFields.HostTrSelector) == 0 && Fail(EntryCheckId.HostTrSelectorZero, F(VmcsFields.HostTrSelector), NoField, 0, 8))
            {
                return true;
            }

            if (!_hostAddressSpace && _vmcs.Read(VmcsFields.HostSsSelector) == 0
                && Fail(EntryCheckId.HostSsSelectorZero, F(VmcsFields.HostSsSelector), F(VmcsFields.PrimaryExitControls), 0, 0x10))
            {
                return true;
            }

            return CanonicalField(EntryCheckId.HostBaseCanonical, F(VmcsFields.HostFsBase), _vmcs.Read(VmcsFields.HostFsBase))
                || CanonicalField(EntryCheckId.HostBaseCanonical, F(VmcsFields.HostGsBase), _vmcs.Read(VmcsFields.HostGsBase))
                || CanonicalField(EntryCheckId.HostBaseCanonical, F(VmcsFields.HostGdtrBase), _vmcs.Read(VmcsFields.HostGdtrBase))
                || CanonicalField(EntryCheckId.HostBaseCanonical, F(VmcsFields.HostIdtrBase), _vmcs.Read(VmcsFields.HostIdtrBase))
                || CanonicalField(EntryCheckId.HostBaseCanonical, F(VmcsFields.HostTrBase), _vmcs.Read(VmcsFields.HostTrBase));
        }

        private bool HostSelector(VmcsField16 field)
        {
            ushort sel = _vmcs.Read(field);
            return (sel & 7) != 0 && Fail(EntryCheckId.HostSelectorRplTi, F(field), NoField, sel, sel & ~7u);
        }

        // ---------------- §27.2.4 ----------------
        public bool AddressSpaceSize()
        {
            uint exitField = F(VmcsFields.PrimaryExitControls), entryField = F(VmcsFields.EntryControls);
            if (_options.HostOutsideIa32eMode)
            {
                if (_ia32eGuest && Fail(EntryCheckId.Ia32eGuestOutsideIa32e, entryField, NoField, _entry, _entry & ~(uint)Vmx.EntryControls.Ia32eModeGuest))
                {
                    return true;
                }

                if (_hostAddressSpace && Fail(EntryCheckId.HostAddressSpaceOutsideIa32e, exitField, NoField, _exit, _exit & ~(uint)Vmx.ExitControls.HostAddressSpaceSize))
                {
                    return true;
                }
            }
            else if (!_hostAddressSpace && Fail(EntryCheckId.HostAddressSpaceRequired, exitField, NoField, _exit, _exit | (uint)Vmx.ExitControls.HostAddressSpaceSize))
            {
                return true;
            }

            ulong cr4 = _vmcs.Read(VmcsFields.HostCr4);
            ulong rip = _vmcs.Read(VmcsFields.HostRip);
            if (!_hostAddressSpace)
            {
                if (_ia32eGuest && Fail(EntryCheckId.Ia32eGuestWithoutHostAddressSpace, entryField, exitField, _entry, _entry & ~(uint)Vmx.EntryControls.Ia32eModeGuest))
                {
                    return true;
                }

                if ((cr4 & Cr4Pcide) != 0 && Fail(EntryCheckId.HostPcideWithoutAddressSpace, F(VmcsFields.HostCr4), exitField, cr4, cr4 & ~Cr4Pcide))
                {
                    return true;
                }

                return (rip >> 32) != 0 && Fail(EntryCheckId.HostRipHighWithoutAddressSpace, F(VmcsFields.HostRip), exitField, rip, rip & 0xFFFF_FFFF);
            }

            if ((cr4 & Cr4Pae) == 0 && Fail(EntryCheckId.HostPaeRequired, F(VmcsFields.HostCr4), exitField, cr4, cr4 | Cr4Pae))
            {
                return true;
            }

            return CanonicalField(EntryCheckId.HostRipCanonical, F(VmcsFields.HostRip), rip);
        }

        // ---------------- §27.3.1.1 ----------------
        public bool GuestControlRegisters()
        {
            ulong cr0 = _guestCr0, cr4 = _guestCr4;
            ulong fixed0 = _caps.Cr0Fixed0;
            if (_unrestricted)
            {
                fixed0 &= ~(Cr0Pe | Cr0Pg);
            }

            if (((cr0 & fixed0) != fixed0 || (cr0 & ~_caps.Cr0Fixed1) != 0)
                && Fail(EntryCheckId.GuestCr0Fixed, F(VmcsFields.GuestCr0), NoField, cr0, (cr0 | fixed0) & _caps.Cr0Fixed1))
            {
                return true;
            }

            if ((cr0 & Cr0Pg) != 0 && (cr0 & Cr0Pe) == 0 && Fail(EntryCheckId.GuestCr0PgWithoutPe, F(VmcsFields.GuestCr0), NoField, cr0, cr0 | Cr0Pe))
            {
                return true;
            }

            if (((cr4 & _caps.Cr4Fixed0) != _caps.Cr4Fixed0 || (cr4 & ~_caps.Cr4Fixed1) != 0)
                && Fail(EntryCheckId.GuestCr4Fixed, F(VmcsFields.GuestCr4), NoField, cr4, _caps.FixCr4(cr4)))
            {
                return true;
            }

            if ((cr4 & Cr4Cet) != 0 && (cr0 & Cr0Wp) == 0
                && Fail(EntryCheckId.GuestCr4CetWithoutWp, F(VmcsFields.GuestCr0), F(VmcsFields.GuestCr4), cr0, cr0 | Cr0Wp))
            {
                return true;
            }

            bool loadDebug = Has(Vmx.EntryControls.LoadDebugControls);
            if (loadDebug)
            {
                ulong debugctl = _vmcs.Read(VmcsFields.GuestIa32DebugCtl);
                if ((debugctl & ~DebugCtlValidBits) != 0
                    && Fail(EntryCheckId.GuestDebugCtlReserved, F(VmcsFields.GuestIa32DebugCtl), NoField, debugctl, debugctl & DebugCtlValidBits))
                {
                    return true;
                }
            }

            uint entryField = F(VmcsFields.EntryControls);
            if (_ia32eGuest)
            {
                if ((cr0 & Cr0Pg) == 0 && Fail(EntryCheckId.GuestIa32eWithoutPaging, F(VmcsFields.GuestCr0), entryField, cr0, cr0 | Cr0Pg | Cr0Pe))
                {
                    return true;
                }

                if ((cr4 & Cr4Pae) == 0 && Fail(EntryCheckId.GuestIa32eWithoutPae, F(VmcsFields.GuestCr4), entryField, cr4, cr4 | Cr4Pae))
                {
                    return true;
                }
            }
            else if ((cr4 & Cr4Pcide) != 0 && Fail(EntryCheckId.GuestPcideOutsideIa32e, F(VmcsFields.GuestCr4), entryField, cr4, cr4 & ~Cr4Pcide))
            {
                return true;
            }

            ulong cr3 = _vmcs.Read(VmcsFields.GuestCr3);
            if (!PhysOk(cr3) && Fail(EntryCheckId.GuestCr3Reserved, F(VmcsFields.GuestCr3), NoField, cr3, PhysMask(cr3)))
            {
                return true;
            }

            if (loadDebug)
            {
                ulong dr7 = _vmcs.Read(VmcsFields.GuestDr7);
                if ((dr7 >> 32) != 0 && Fail(EntryCheckId.GuestDr7High, F(VmcsFields.GuestDr7), NoField, dr7, dr7 & 0xFFFF_FFFF))
                {
                    return true;
                }
            }

            if (CanonicalField(EntryCheckId.GuestSysenterEspCanonical, F(VmcsFields.GuestIa32SysenterEsp), _vmcs.Read(VmcsFields.GuestIa32SysenterEsp))
                || CanonicalField(EntryCheckId.GuestSysenterEipCanonical, F(VmcsFields.GuestIa32SysenterEip), _vmcs.Read(VmcsFields.GuestIa32SysenterEip)))
            {
                return true;
            }

            if (Has(Vmx.EntryControls.LoadCetState))
            {
                ulong scet = _vmcs.Read(VmcsFields.GuestIa32SCet);
                if ((scet & 0x3C0) != 0 && Fail(EntryCheckId.GuestSCetReserved, F(VmcsFields.GuestIa32SCet), NoField, scet, scet & ~0x3C0UL))
                {
                    return true;
                }

                ulong ssp = _vmcs.Read(VmcsFields.GuestSsp);
                if ((ssp & 3) != 0 && Fail(EntryCheckId.GuestSspAlignment, F(VmcsFields.GuestSsp), NoField, ssp, ssp & ~3UL))
                {
                    return true;
                }

                if (CanonicalField(EntryCheckId.GuestIsstCanonical, F(VmcsFields.GuestIa32InterruptSspTableAddr), _vmcs.Read(VmcsFields.GuestIa32InterruptSspTableAddr)))
                {
                    return true;
                }
            }

            if (Has(Vmx.EntryControls.LoadPerfGlobalCtrl))
            {
                ulong perf = _vmcs.Read(VmcsFields.GuestIa32PerfGlobalCtrl);
                if ((perf & ~_caps.PerfGlobalCtrlValidBits) != 0
                    && Fail(EntryCheckId.GuestPerfGlobalCtrlReserved, F(VmcsFields.GuestIa32PerfGlobalCtrl), NoField, perf, perf & _caps.PerfGlobalCtrlValidBits))
                {
                    return true;
                }
            }

            if (Has(Vmx.EntryControls.LoadPat))
            {
                ulong pat = _vmcs.Read(VmcsFields.GuestIa32Pat);
                if (!IsPatValid(pat, out ulong fixedPat) && Fail(EntryCheckId.GuestPatInvalid, F(VmcsFields.GuestIa32Pat), NoField, pat, fixedPat))
                {
                    return true;
                }
            }

            if (Has(Vmx.EntryControls.LoadEfer))
            {
                ulong efer = _vmcs.Read(VmcsFields.GuestIa32Efer);
                uint field = F(VmcsFields.GuestIa32Efer);
                if ((efer & ~EferValidBits) != 0 && Fail(EntryCheckId.GuestEferReserved, field, NoField, efer, efer & EferValidBits))
                {
                    return true;
                }

                if (((efer & EferLma) != 0) != _ia32eGuest && Fail(EntryCheckId.GuestEferLma, field, entryField, efer, efer ^ EferLma))
                {
                    return true;
                }

                if ((cr0 & Cr0Pg) != 0 && ((efer & EferLme) != 0) != _ia32eGuest
                    && Fail(EntryCheckId.GuestEferLme, field, entryField, efer, efer ^ EferLme))
                {
                    return true;
                }
            }

            if (Has(Vmx.EntryControls.LoadBndcfgs))
            {
                ulong bnd = _vmcs.Read(VmcsFields.GuestIa32Bndcfgs);
                ulong upper = bnd & ~0xFFFUL;
                if (((bnd & 0x1C) != 0 || !Canonical(upper))
                    && Fail(EntryCheckId.GuestBndcfgsReserved, F(VmcsFields.GuestIa32Bndcfgs), NoField, bnd, (MakeCanonical(upper) & ~0xFFFUL) | (bnd & 0xFE3)))
                {
                    return true;
                }
            }

            if (Has(Vmx.EntryControls.LoadPkrs))
            {
                ulong pkrs = _vmcs.Read(VmcsFields.GuestIa32Pkrs);
                if ((pkrs >> 32) != 0 && Fail(EntryCheckId.GuestPkrsReserved, F(VmcsFields.GuestIa32Pkrs), NoField, pkrs, pkrs & 0xFFFF_FFFF))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>IA32_DEBUGCTL bits 0, 1 and 6-15 (Intel SDM Vol. 4 Table 2-2); bits 5:2 and 63:16 are reserved.</summary>
        private const ulong DebugCtlValidBits = 0xFFC3;

        // ---------------- §27.3.1.2 ----------------
        private struct Segment
        {
            public ushort Selector;
            public uint Limit;
            public uint Ar;
            public ulong Base;
            public uint SelectorField, BaseField, LimitField, ArField;

            public readonly bool Usable => (Ar & 0x10000) == 0;
            public readonly uint Type => Ar & 0xF;
            public readonly uint Dpl => (Ar >> 5) & 3;
            public readonly uint Rpl => Selector & 3u;
        }

        private readonly Segment Load(VmcsField16 sel, VmcsFieldNatural baseField, VmcsField32 limit, VmcsField32 ar) => new()
        {
            Selector = _vmcs.Read(sel),
            Base = _vmcs.Read(baseField),
            Limit = _vmcs.Read(limit),
            Ar = _vmcs.Read(ar),
            SelectorField = F(sel),
            BaseField = F(baseField),
            LimitField = F(limit),
            ArField = F(ar),
        };

        public bool GuestSegments()
        {
            Segment cs = Load(VmcsFields.GuestCsSelector, VmcsFields.GuestCsBase, VmcsFields.GuestCsLimit, VmcsFields.GuestCsAccessRights);
            Segment ss = Load(VmcsFields.GuestSsSelector, VmcsFields.GuestSsBase, VmcsFields.GuestSsLimit, VmcsFields.GuestSsAccessRights);
            Segment ds = Load(VmcsFields.GuestDsSelector, VmcsFields.GuestDsBase, VmcsFields.GuestDsLimit, VmcsFields.GuestDsAccessRights);
            Segment es = Load(VmcsFields.GuestEsSelector, VmcsFields.GuestEsBase, VmcsFields.GuestEsLimit, VmcsFields.GuestEsAccessRights);
            Segment fs = Load(VmcsFields.GuestFsSelector, VmcsFields.GuestFsBase, VmcsFields.GuestFsLimit, VmcsFields.GuestFsAccessRights);
            Segment gs = Load(VmcsFields.GuestGsSelector, VmcsFields.GuestGsBase, VmcsFields.GuestGsLimit, VmcsFields.GuestGsAccessRights);
            Segment tr = Load(VmcsFields.GuestTrSelector, VmcsFields.GuestTrBase, VmcsFields.GuestTrLimit, VmcsFields.GuestTrAccessRights);
            Segment ldtr = Load(VmcsFields.GuestLdtrSelector, VmcsFields.GuestLdtrBase, VmcsFields.GuestLdtrLimit, VmcsFields.GuestLdtrAccessRights);
            bool v86 = (_rflags & RflagsVm) != 0;

            // Selector fields.
            if ((tr.Selector & 4) != 0 && Fail(EntryCheckId.GuestTrTi, tr.SelectorField, NoField, tr.Selector, tr.Selector & ~4u))
            {
                return true;
            }

            if (ldtr.Usable && (ldtr.Selector & 4) != 0 && Fail(EntryCheckId.GuestLdtrTi, ldtr.SelectorField, NoField, ldtr.Selector, ldtr.Selector & ~4u))
            {
                return true;
            }

            if (!v86 && !_unrestricted && ss.Rpl != cs.Rpl
                && Fail(EntryCheckId.GuestSsRplNotCsRpl, ss.SelectorField, cs.SelectorField, ss.Selector, (ss.Selector & ~3u) | cs.Rpl))
            {
                return true;
            }

            // Base-address fields.
            if (v86 && (V86Base(cs) || V86Base(ss) || V86Base(ds) || V86Base(es) || V86Base(fs) || V86Base(gs)))
            {
                return true;
            }

            if (CanonicalBase(tr) || CanonicalBase(fs) || CanonicalBase(gs) || (ldtr.Usable && CanonicalBase(ldtr)))
            {
                return true;
            }

            if (HighBase(cs) || (ss.Usable && HighBase(ss)) || (ds.Usable && HighBase(ds)) || (es.Usable && HighBase(es)))
            {
                return true;
            }

            if (v86)
            {
                // Limit fields, then access-rights fields, in virtual-8086 mode.
                if (V86Limit(cs) || V86Limit(ss) || V86Limit(ds) || V86Limit(es) || V86Limit(fs) || V86Limit(gs))
                {
                    return true;
                }

                if (V86Ar(cs) || V86Ar(ss) || V86Ar(ds) || V86Ar(es) || V86Ar(fs) || V86Ar(gs))
                {
                    return true;
                }
            }
            else if (CodeAndDataAccessRights(in cs, in ss, in ds, in es, in fs, in gs))
            {
                return true;
            }

            // TR (always checked).
            uint trType = tr.Type;
            bool trTypeOk = _ia32eGuest ? trType == 11 : trType is 3 or 11;
            if (!trTypeOk && Fail(EntryCheckId.GuestTrType, tr.ArField, F(VmcsFields.EntryControls), tr.Ar, (tr.Ar & ~0xFu) | 11))
            {
                return true;
            }

            uint trGood = (tr.Ar & ~0xFFFE_0F90u) | 0x80; // S = 0, P = 1, reserved clear, usable
            if (((tr.Ar & 0x10) != 0 || (tr.Ar & 0x80) == 0 || (tr.Ar & 0xF00) != 0 || (tr.Ar & 0xFFFE_0000u) != 0 || !tr.Usable)
                && Fail(EntryCheckId.GuestTrAccessRights, tr.ArField, NoField, tr.Ar, trGood))
            {
                return true;
            }

            if (Granularity(EntryCheckId.GuestTrAccessRights, tr))
            {
                return true;
            }

            // LDTR (if usable).
            if (ldtr.Usable)
            {
                uint good = (ldtr.Ar & ~0xFFFE_0F9Fu) | 0x80 | 2;
                if ((ldtr.Type != 2 || (ldtr.Ar & 0x10) != 0 || (ldtr.Ar & 0x80) == 0 || (ldtr.Ar & 0xF00) != 0 || (ldtr.Ar & 0xFFFE_0000u) != 0)
                    && Fail(EntryCheckId.GuestLdtrAccessRights, ldtr.ArField, NoField, ldtr.Ar, good))
                {
                    return true;
                }

                if (Granularity(EntryCheckId.GuestLdtrAccessRights, ldtr))
                {
                    return true;
                }
            }

            return false;
        }

        private bool CodeAndDataAccessRights(in Segment cs, in Segment ss, in Segment ds, in Segment es, in Segment fs, in Segment gs)
        {
            // Types (bits 3:0).
            uint csType = cs.Type;
            bool csTypeOk = csType is 9 or 11 or 13 or 15 || (_unrestricted && csType == 3);
            if (!csTypeOk && Fail(EntryCheckId.GuestCsType, cs.ArField, NoField, cs.Ar, (cs.Ar & ~0xFu) | 11))
            {
                return true;
            }

            if (ss.Usable && ss.Type is not (3 or 7) && Fail(EntryCheckId.GuestSsType, ss.ArField, NoField, ss.Ar, (ss.Ar & ~0xFu) | 3))
            {
                return true;
            }

            if (DataType(ds) || DataType(es) || DataType(fs) || DataType(gs))
            {
                return true;
            }

            // S (bit 4).
            if (SBit(cs, true) || SBit(ss, ss.Usable) || SBit(ds, ds.Usable) || SBit(es, es.Usable) || SBit(fs, fs.Usable) || SBit(gs, gs.Usable))
            {
                return true;
            }

            // DPL (bits 6:5).
            uint csDpl = cs.Dpl, ssDpl = ss.Dpl;
            bool csDplOk = csType switch
            {
                3 => csDpl == 0,
                9 or 11 => csDpl == ssDpl,
                13 or 15 => csDpl <= ssDpl,
                _ => true,
            };
            if (!csDplOk && Fail(EntryCheckId.GuestCsDpl, cs.ArField, ss.ArField, cs.Ar, (cs.Ar & ~0x60u) | ((csType == 3 ? 0 : ssDpl) << 5)))
            {
                return true;
            }

            if (!_unrestricted && ssDpl != ss.Rpl && Fail(EntryCheckId.GuestSsDpl, ss.ArField, ss.SelectorField, ss.Ar, (ss.Ar & ~0x60u) | (ss.Rpl << 5)))
            {
                return true;
            }

            if ((csType == 3 || (_guestCr0 & Cr0Pe) == 0) && ssDpl != 0
                && Fail(EntryCheckId.GuestSsDpl, ss.ArField, cs.ArField, ss.Ar, ss.Ar & ~0x60u))
            {
                return true;
            }

            if (!_unrestricted && (DataDpl(ds) || DataDpl(es) || DataDpl(fs) || DataDpl(gs)))
            {
                return true;
            }

            // P (bit 7).
            if (Present(cs, true) || Present(ss, ss.Usable) || Present(ds, ds.Usable) || Present(es, es.Usable) || Present(fs, fs.Usable) || Present(gs, gs.Usable))
            {
                return true;
            }

            // Bits 11:8 reserved.
            if (Reserved(cs, true, 0xF00) || Reserved(ss, ss.Usable, 0xF00) || Reserved(ds, ds.Usable, 0xF00)
                || Reserved(es, es.Usable, 0xF00) || Reserved(fs, fs.Usable, 0xF00) || Reserved(gs, gs.Usable, 0xF00))
            {
                return true;
            }

            // D/B (bit 14) for CS with L (bit 13) in IA-32e mode.
            if (_ia32eGuest && (cs.Ar & 0x2000) != 0 && (cs.Ar & 0x4000) != 0
                && Fail(EntryCheckId.GuestCsDbWithL, cs.ArField, F(VmcsFields.EntryControls), cs.Ar, cs.Ar & ~0x4000u))
            {
                return true;
            }

            // G (bit 15).
            if (Granularity(EntryCheckId.GuestSegmentGranularity, cs) || (ss.Usable && Granularity(EntryCheckId.GuestSegmentGranularity, ss))
                || (ds.Usable && Granularity(EntryCheckId.GuestSegmentGranularity, ds)) || (es.Usable && Granularity(EntryCheckId.GuestSegmentGranularity, es))
                || (fs.Usable && Granularity(EntryCheckId.GuestSegmentGranularity, fs)) || (gs.Usable && Granularity(EntryCheckId.GuestSegmentGranularity, gs)))
            {
                return true;
            }

            // Bits 31:17 reserved.
            return Reserved(cs, true, 0xFFFE_0000u) || Reserved(ss, ss.Usable, 0xFFFE_0000u) || Reserved(ds, ds.Usable, 0xFFFE_0000u)
                || Reserved(es, es.Usable, 0xFFFE_0000u) || Reserved(fs, fs.Usable, 0xFFFE_0000u) || Reserved(gs, gs.Usable, 0xFFFE_0000u);
        }

        private bool V86Base(in Segment s)
            => s.Base != (ulong)s.Selector << 4 && Fail(EntryCheckId.GuestV86Base, s.BaseField, s.SelectorField, s.Base, (ulong)s.Selector << 4);

        private bool V86Limit(in Segment s)
            => s.Limit != 0xFFFF && Fail(EntryCheckId.GuestV86Limit, s.LimitField, NoField, s.Limit, 0xFFFF);

        private bool V86Ar(in Segment s)
            => s.Ar != 0xF3 && Fail(EntryCheckId.GuestV86AccessRights, s.ArField, NoField, s.Ar, 0xF3);

        private bool CanonicalBase(in Segment s)
            => !Canonical(s.Base) && Fail(EntryCheckId.GuestBaseCanonical, s.BaseField, NoField, s.Base, MakeCanonical(s.Base));

        private bool HighBase(in Segment s)
            => (s.Base >> 32) != 0 && Fail(EntryCheckId.GuestBaseHigh, s.BaseField, NoField, s.Base, s.Base & 0xFFFF_FFFF);

        private bool DataType(in Segment s)
        {
            if (!s.Usable)
            {
                return false;
            }

            bool ok = (s.Ar & 1) != 0 && ((s.Ar & 8) == 0 || (s.Ar & 2) != 0);
            return !ok && Fail(EntryCheckId.GuestDataSegmentType, s.ArField, NoField, s.Ar, s.Ar | 1 | ((s.Ar & 8) != 0 ? 2u : 0u));
        }

        private bool SBit(in Segment s, bool applies)
            => applies && (s.Ar & 0x10) == 0 && Fail(EntryCheckId.GuestSegmentNotCodeOrData, s.ArField, NoField, s.Ar, s.Ar | 0x10);

        private bool DataDpl(in Segment s)
            => s.Usable && s.Type <= 11 && s.Dpl < s.Rpl
                && Fail(EntryCheckId.GuestDataSegmentDpl, s.ArField, s.SelectorField, s.Ar, (s.Ar & ~0x60u) | (s.Rpl << 5));

        private bool Present(in Segment s, bool applies)
            => applies && (s.Ar & 0x80) == 0 && Fail(EntryCheckId.GuestSegmentNotPresent, s.ArField, NoField, s.Ar, s.Ar | 0x80);

        private bool Reserved(in Segment s, bool applies, uint mask)
            => applies && (s.Ar & mask) != 0 && Fail(EntryCheckId.GuestSegmentArReserved, s.ArField, NoField, s.Ar, s.Ar & ~mask);

        private bool Granularity(EntryCheckId id, in Segment s)
        {
            bool g = (s.Ar & 0x8000) != 0;
            bool mustBe0 = (s.Limit & 0xFFF) != 0xFFF;
            bool mustBe1 = (s.Limit & 0xFFF0_0000u) != 0;
            bool bad = (g && mustBe0) || (!g && mustBe1);
            return bad && Fail(id, s.ArField, s.LimitField, s.Ar, s.Ar ^ 0x8000);
        }

        // ---------------- §27.3.1.3 ----------------
        public bool GuestDescriptorTables()
        {
            if (CanonicalField(EntryCheckId.GuestDescriptorTableBaseCanonical, F(VmcsFields.GuestGdtrBase), _vmcs.Read(VmcsFields.GuestGdtrBase))
                || CanonicalField(EntryCheckId.GuestDescriptorTableBaseCanonical, F(VmcsFields.GuestIdtrBase), _vmcs.Read(VmcsFields.GuestIdtrBase)))
            {
                return true;
            }

            uint gdtLimit = _vmcs.Read(VmcsFields.GuestGdtrLimit), idtLimit = _vmcs.Read(VmcsFields.GuestIdtrLimit);
            return ((gdtLimit >> 16) != 0 && Fail(EntryCheckId.GuestDescriptorTableLimitHigh, F(VmcsFields.GuestGdtrLimit), NoField, gdtLimit, gdtLimit & 0xFFFF))
                || ((idtLimit >> 16) != 0 && Fail(EntryCheckId.GuestDescriptorTableLimitHigh, F(VmcsFields.GuestIdtrLimit), NoField, idtLimit, idtLimit & 0xFFFF));
        }

        // ---------------- §27.3.1.4 ----------------
        public bool GuestRipRflags()
        {
            ulong rip = _vmcs.Read(VmcsFields.GuestRip);
            bool longMode = _ia32eGuest && (_vmcs.Read(VmcsFields.GuestCsAccessRights) & 0x2000) != 0;
            if (!longMode && (rip >> 32) != 0
                && Fail(EntryCheckId.GuestRipHigh, F(VmcsFields.GuestRip), F(VmcsFields.GuestCsAccessRights), rip, rip & 0xFFFF_FFFF))
            {
                return true;
            }

            if (longMode && CanonicalField(EntryCheckId.GuestRipCanonical, F(VmcsFields.GuestRip), rip))
            {
                return true;
            }

            const ulong reserved = 0xFFFF_FFFF_FFC0_8028UL; // bits 63:22, 15, 5, 3
            ulong rflags = _rflags;
            uint field = F(VmcsFields.GuestRflags);
            if (((rflags & reserved) != 0 || (rflags & 2) == 0) && Fail(EntryCheckId.GuestRflagsReserved, field, NoField, rflags, (rflags & ~reserved) | 2))
            {
                return true;
            }

            if ((_ia32eGuest || (_guestCr0 & Cr0Pe) == 0) && (rflags & RflagsVm) != 0
                && Fail(EntryCheckId.GuestRflagsVm, field, F(VmcsFields.EntryControls), rflags, rflags & ~RflagsVm))
            {
                return true;
            }

            return (_injection & 0x8000_0000u) != 0 && ((_injection >> 8) & 7) == TypeExternal && (rflags & RflagsIf) == 0
                && Fail(EntryCheckId.GuestRflagsIfForInterrupt, field, F(VmcsFields.EntryInterruptionInfo), rflags, rflags | RflagsIf);
        }

        // ---------------- §27.3.1.5 ----------------
        public bool GuestNonRegisterState()
        {
            uint activity = _vmcs.Read(VmcsFields.GuestActivityState);
            uint activityField = F(VmcsFields.GuestActivityState);
            bool activityOk = activity switch
            {
                0 => true,
                1 => _caps.SupportsHltActivity,
                2 => _caps.SupportsShutdownActivity,
                3 => _caps.SupportsWaitForSipiActivity,
                _ => false,
            };
            if (!activityOk && Fail(EntryCheckId.ActivityStateInvalid, activityField, NoField, activity, 0))
            {
                return true;
            }

            uint ssAr = _vmcs.Read(VmcsFields.GuestSsAccessRights);
            if (activity == 1 && ((ssAr >> 5) & 3) != 0 && Fail(EntryCheckId.ActivityHltWithSsDpl, activityField, F(VmcsFields.GuestSsAccessRights), activity, 0))
            {
                return true;
            }

            uint intr = _vmcs.Read(VmcsFields.GuestInterruptibilityState);
            uint intrField = F(VmcsFields.GuestInterruptibilityState);
            if (activity != 0 && (intr & 3) != 0
                && Fail(EntryCheckId.ActivityNotActiveWithBlocking, activityField, intrField, activity, 0))
            {
                return true;
            }

            bool inject = (_injection & 0x8000_0000u) != 0;
            uint type = (_injection >> 8) & 7, vector = _injection & 0xFF;
            if (inject && activity != 0)
            {
                bool allowed = activity switch
                {
                    1 => type is TypeExternal or TypeNmi || (type == TypeHardwareException && vector is 1 or 18) || (type == TypeOther && vector == 0),
                    2 => type == TypeNmi || (type == TypeHardwareException && vector == 18),
                    _ => false,
                };
                if (!allowed && Fail(EntryCheckId.ActivityEventInjection, activityField, F(VmcsFields.EntryInterruptionInfo), activity, 0))
                {
                    return true;
                }
            }

            if (Has(Vmx.EntryControls.EntryToSmm) && activity == 3
                && Fail(EntryCheckId.ActivityWaitForSipiWithEntryToSmm, activityField, F(VmcsFields.EntryControls), activity, 0))
            {
                return true;
            }

            if ((intr & 0xFFFF_FFE0u) != 0 && Fail(EntryCheckId.InterruptibilityReserved, intrField, NoField, intr, intr & 0x1F))
            {
                return true;
            }

            if ((intr & 3) == 3 && Fail(EntryCheckId.InterruptibilityStiAndMovSs, intrField, NoField, intr, intr & ~1u))
            {
                return true;
            }

            if ((intr & 1) != 0 && (_rflags & RflagsIf) == 0
                && Fail(EntryCheckId.InterruptibilityStiWithoutIf, intrField, F(VmcsFields.GuestRflags), intr, intr & ~1u))
            {
                return true;
            }

            if (inject && ((type == TypeExternal && (intr & 3) != 0) || (type == TypeNmi && (intr & 2) != 0))
                && Fail(EntryCheckId.InterruptibilityBlockingWithInjection, intrField, F(VmcsFields.EntryInterruptionInfo), intr, intr & ~(type == TypeExternal ? 3u : 2u)))
            {
                return true;
            }

            if (!_options.InSmm && (intr & 4) != 0 && Fail(EntryCheckId.InterruptibilitySmiOutsideSmm, intrField, NoField, intr, intr & ~4u))
            {
                return true;
            }

            if (Has(Vmx.EntryControls.EntryToSmm) && (intr & 4) == 0
                && Fail(EntryCheckId.InterruptibilitySmiWithEntryToSmm, intrField, F(VmcsFields.EntryControls), intr, intr | 4))
            {
                return true;
            }

            if (Has(PinBasedControls.VirtualNmis) && inject && type == TypeNmi && (intr & 8) != 0
                && Fail(EntryCheckId.InterruptibilityNmiWithVirtualNmiInjection, intrField, F(VmcsFields.EntryInterruptionInfo), intr, intr & ~8u))
            {
                return true;
            }

            ulong pending = _vmcs.Read(VmcsFields.GuestPendingDebugExceptions);
            uint pendingField = F(VmcsFields.GuestPendingDebugExceptions);
            const ulong pendingReserved = 0xFFFF_FFFF_FFFF_AFF0UL; // bits 11:4, 13, 15, 63:16
            if ((pending & pendingReserved) != 0 && Fail(EntryCheckId.PendingDebugReserved, pendingField, NoField, pending, pending & ~pendingReserved))
            {
                return true;
            }

            if ((intr & 3) != 0 || activity == 1)
            {
                bool tf = (_rflags & RflagsTf) != 0;
                bool btf = (_vmcs.Read(VmcsFields.GuestIa32DebugCtl) & 2) != 0;
                bool bs = (pending & 0x4000) != 0;
                bool need = tf && !btf;
                if (bs != need && Fail(EntryCheckId.PendingDebugBs, pendingField, F(VmcsFields.GuestRflags), pending, pending ^ 0x4000))
                {
                    return true;
                }
            }

            ulong link = _vmcs.Read(VmcsFields.VmcsLinkPointer);
            if (link != ulong.MaxValue)
            {
                uint linkField = F(VmcsFields.VmcsLinkPointer);
                if (((link & 0xFFF) != 0 || !PhysOk(link)) && Fail(EntryCheckId.VmcsLinkPointerAddress, linkField, NoField, link, ulong.MaxValue))
                {
                    return true;
                }

                Span<byte> header = stackalloc byte[4];
                if ((link & 0xFFF) == 0 && PhysOk(link) && ReadMemory(link, header))
                {
                    uint word = BinaryPrimitives.ReadUInt32LittleEndian(header);
                    uint expected = _caps.RevisionId | (Has(SecondaryProcessorControls.VmcsShadowing) ? 0x8000_0000u : 0);
                    if (word != expected && Fail(EntryCheckId.VmcsLinkPointerRevision, linkField, NoField, word, expected))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        // ---------------- §27.3.1.6 ----------------
        public bool GuestPdptes()
        {
            if ((_guestCr0 & Cr0Pg) == 0 || (_guestCr4 & Cr4Pae) == 0 || _ia32eGuest)
            {
                return false;
            }

            // PDPTE reserved bits: 2:1, 8:5, 63:MAXPHYADDR (Intel SDM Vol. 3A §4.4.1).
            ulong reserved = 0x1E6UL | (_physBits >= 64 ? 0 : ~((1UL << _physBits) - 1));
            if (Has(SecondaryProcessorControls.EnableEpt))
            {
                return Pdpte(VmcsFields.GuestPdpte0, reserved) || Pdpte(VmcsFields.GuestPdpte1, reserved)
                    || Pdpte(VmcsFields.GuestPdpte2, reserved) || Pdpte(VmcsFields.GuestPdpte3, reserved);
            }

            ulong cr3 = _vmcs.Read(VmcsFields.GuestCr3);
            Span<byte> table = stackalloc byte[32];
            if (!ReadMemory(cr3 & 0xFFFF_FFE0UL, table))
            {
                return false;
            }

            for (int i = 0; i < 4; i++)
            {
                ulong e = BinaryPrimitives.ReadUInt64LittleEndian(table[(8 * i)..]);
                if ((e & 1) != 0 && (e & reserved) != 0 && Fail(EntryCheckId.PdpteReserved, F(VmcsFields.GuestCr3), NoField, e, e & ~reserved))
                {
                    return true;
                }
            }

            return false;
        }

        private bool Pdpte(VmcsField64 field, ulong reserved)
        {
            ulong e = _vmcs.Read(field);
            return (e & 1) != 0 && (e & reserved) != 0 && Fail(EntryCheckId.PdpteReserved, F(field), NoField, e, e & ~reserved);
        }

        // ---------------- §27.4 ----------------
        public bool MsrLoading()
        {
            uint count = _vmcs.Read(VmcsFields.EntryMsrLoadCount);
            if (count == 0)
            {
                return false;
            }

            ulong area = _vmcs.Read(VmcsFields.EntryMsrLoadAddress);
            uint field = F(VmcsFields.EntryMsrLoadAddress);
            Span<byte> entry = stackalloc byte[16];
            for (uint i = 0; i < count; i++)
            {
                if (!ReadMemory(area + 16UL * i, entry))
                {
                    return false;
                }

                uint index = BinaryPrimitives.ReadUInt32LittleEndian(entry);
                uint reserved = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
                ulong data = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
                ulong n = i + 1UL;
                if (index is 0xC000_0100 or 0xC000_0101)
                {
                    return Fail(EntryCheckId.MsrLoadFsGsBase, field, NoField, index, 0, n);
                }

                if ((index >> 8) == 0x8)
                {
                    return Fail(EntryCheckId.MsrLoadX2Apic, field, NoField, index, 0, n);
                }

                if (index == 0x9B && !_options.InSmm)
                {
                    return Fail(EntryCheckId.MsrLoadSmmOnly, field, NoField, index, 0, n);
                }

                if (reserved != 0)
                {
                    return Fail(EntryCheckId.MsrLoadReservedBits, field, NoField, reserved, 0, n);
                }

                if (!MsrValueAccepted(index, data, out ulong fixedData))
                {
                    return Fail(EntryCheckId.MsrLoadWouldFault, field, NoField, data, fixedData, n);
                }
            }

            return false;
        }

        /// <summary>The WRMSR #GP conditions the checker knows (Intel SDM Vol. 4; Vol. 3A §2.2.1, §12.12.2).</summary>
        private readonly bool MsrValueAccepted(uint index, ulong data, out ulong fixedData)
        {
            fixedData = data;
            switch (index)
            {
                case 0x174: // IA32_SYSENTER_CS: any value
                    return true;
                case 0x175: // IA32_SYSENTER_ESP
                case 0x176: // IA32_SYSENTER_EIP
                case 0xC000_0082: // IA32_LSTAR
                case 0xC000_0083: // IA32_CSTAR
                case 0xC000_0102: // IA32_KERNEL_GS_BASE
                    fixedData = MakeCanonical(data);
                    return Canonical(data);
                case 0x277: // IA32_PAT
                    return IsPatValid(data, out fixedData);
                case 0xC000_0080: // IA32_EFER
                    fixedData = data & EferValidBits;
                    return (data & ~EferValidBits) == 0;
                default:
                    return true;
            }
        }
    }
}
