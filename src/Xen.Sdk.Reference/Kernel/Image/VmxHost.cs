using System;
using Internal.Runtime;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Vmx;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Exits;
using Xen.Sdk.Reference.Vmx;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>Xen.Sdk.Vmx's <see cref="IVmxInstructions"/> over the boot stub's VMX helpers. VMLAUNCH/VMRESUME go
    /// through the world switch with the guest registers at <see cref="Gprs"/>.</summary>
    internal unsafe struct KernelVmx : IVmxInstructions
    {
        public GuestRegisters* Gprs;

        public VmxInstructionStatus VmRead(ulong encoding, out ulong value)
        {
            ulong v;
            byte s = Native.VmRead(encoding, &v);
            value = v;
            return (VmxInstructionStatus)s;
        }

        public VmxInstructionStatus VmWrite(ulong encoding, ulong value) => (VmxInstructionStatus)Native.VmWrite(encoding, value);
        public VmxInstructionStatus VmPtrLd(ulong vmcsPhysicalAddress) => (VmxInstructionStatus)Native.VmPtrLd(vmcsPhysicalAddress);
        public VmxInstructionStatus VmClear(ulong vmcsPhysicalAddress) => (VmxInstructionStatus)Native.VmClear(vmcsPhysicalAddress);
        public VmxInstructionStatus VmLaunch() => (VmxInstructionStatus)Native.VmxRun(Gprs, 0);
        public VmxInstructionStatus VmResume() => (VmxInstructionStatus)Native.VmxRun(Gprs, 1);
    }

    /// <summary>The Intel VMX backend of the vendor-neutral vCPU: writes <see cref="VcpuState"/> into the current VMCS,
    /// enters the guest (VMLAUNCH, then VMRESUME), and translates the VM exit (Xen.Sdk.Vmx's
    /// <see cref="VmExitInfo"/> decoders) into the vendor-neutral <see cref="ExitInfo"/>. Instruction lengths come
    /// from the VM-exit instruction-length field (Intel SDM Vol. 3C §28.2.5); for EPT violations (where that field is
    /// undefined) and #UD the instruction bytes are fetched for Iced.</summary>
    internal unsafe struct VmxVcpu : IVcpuBackend
    {
        public GuestRam Memory;
        public bool Launched;
        public bool Ia32e;
        public VmxInstructionResult LastEntry;

        public void Run(ref VcpuState state)
        {
            var vmcs = new HardwareVmcs<KernelVmx>(default);
            WriteState(vmcs, ref state);
            VmxInstructionResult r;
            // SAFETY: state.Gprs stays pinned for the call; the stub reads and writes its 16 slots only.
            fixed (GuestRegisters* g = &state.Gprs)
            {
                var run = new HardwareVmcs<KernelVmx>(new KernelVmx { Gprs = g });
                r = Launched ? run.Resume() : run.Launch();
            }
            LastEntry = r;
            ref ExitInfo e = ref state.Exit;
            if (!r.Succeeded)
            {
                e = default;
                e.Reason = Xen.Sdk.Reference.ExitReason.EntryFailure;
                e.RawCode = (ulong)r.Error;
                return;
            }
            Launched = true;
            VmExitInfo exit = VmExitInfo.Read(vmcs);
            VmxBackend.ReadState(vmcs, Ia32e, ref state);
            switch (VmxBackend.DecodeExit(in exit, ref state))
            {
                case VmxExitFollowUp.FetchInstruction:
                    state.Exit.InstructionLength = FetchAndDecode(ref state);
                    break;
                case VmxExitFollowUp.ResolveInvalidOpcode:
                    FetchAndDecode(ref state);
                    VmxBackend.ResolveInvalidOpcode(ref state);
                    break;
            }
        }

        private static void WriteState(HardwareVmcs<KernelVmx> vmcs, ref VcpuState state) => VmxBackend.WriteState(vmcs, ref state);

        /// <summary>Fetches the bytes at CS:RIP into <see cref="ExitInfo.Code"/> and decodes the length with Iced
        /// (0 when unavailable).</summary>
        private int FetchAndDecode(ref VcpuState state)
        {
            Span<byte> code = stackalloc byte[InstructionLength.MaxLength];
            int fetched = 0;
            ulong linear = state.Mode == GuestMode.Long64 ? state.Rip : state.CsBase + (state.Rip & 0xFFFFFFFF);
            int first = (int)Math.Min((ulong)code.Length, 0x1000 - (linear & 0xFFF));
            if (GuestPageWalker.TryReadVirtual(ref Memory, state, linear, code.Slice(0, first)))
            {
                fetched = first;
                if (first < code.Length && GuestPageWalker.TryReadVirtual(ref Memory, state, linear + (ulong)first, code.Slice(first)))
                    fetched = code.Length;
            }
            state.Exit.Code.Set(code.Slice(0, fetched));
            return new IcedLengthDecoder().TryGetLength(code.Slice(0, fetched), state.Mode, out int length) ? length : 0;
        }
    }

    /// <summary>The kernel's VMX host: VMX detection (CPUID.1:ECX.VMX), capability MSRs into
    /// <see cref="VmxCapabilities"/>, VMXON, and per guest: RAM, EPT via Xen.Sdk.Paging (EPTP from Xen.Sdk.Vmx's
    /// builder), a VMCS from <see cref="VmcsTemplate"/> adjusted per guest mode (unrestricted guest for real mode and
    /// paging-off protected mode), Xen.Sdk.Vmx's VM-entry checker before VMLAUNCH and on entry failure, then the
    /// vendor-neutral loop.</summary>
    internal static unsafe class VmxHost
    {
        public static VmxCapabilities Caps;
        /// <summary>A guest's VMCS is current (the panic path then prints its exit and guest state).</summary>
        public static bool Active;
        private static ulong s_vmxon, s_hostTss;
        private static EntryCheckFailure* s_failures;
        private const int MaxFailures = 16;

        public static bool Detect()
        {
            uint* r = stackalloc uint[4];
            Native.CpuId(1, 0, r);
            return (r[2] & (1u << 5)) != 0;
        }

        private static void ClearPage(ulong pa) => new Span<byte>((void*)pa, 4096).Clear();

        public static bool Initialize(out string problem)
        {
            problem = null;
            ulong fc = Native.RdMsr(0x3A);                         // IA32_FEATURE_CONTROL (Intel SDM Vol. 3C §24.7)
            if ((fc & 1) == 0)
            {
                Native.WrMsr(0x3A, fc | 1 | 4);
                fc = Native.RdMsr(0x3A);
            }
            if ((fc & 4) == 0) { problem = "VMXON-outside-SMX-disabled-by-IA32_FEATURE_CONTROL"; return false; }
            var caps = default(VmxCapabilities);
            for (uint msr = 0x480; msr <= 0x491; msr++)
            {
                if (msr == 0x48B && (Native.RdMsr(0x482) & (1UL << 63)) == 0) continue;   // no secondary controls
                if (msr == 0x48C || msr == 0x491) continue;
                if (msr >= 0x48D && msr <= 0x490 && (Native.RdMsr(0x480) & (1UL << 55)) == 0) continue;   // no TRUE_ MSRs
                caps.TrySetMsr(msr, Native.RdMsr(msr));
            }
            if ((caps.ProcessorBasedControls2 >> 32 & (1UL << 1 | 1UL << 5)) != 0) caps.TrySetMsr(0x48C, Native.RdMsr(0x48C));
            uint* r = stackalloc uint[4];
            Native.CpuId(0x80000008, 0, r);
            caps.PhysicalAddressBits = (byte)(r[0] & 0xFF);
            caps.LinearAddressBits = (byte)((r[0] >> 8) & 0xFF);
            CpuFeatures f = CpuFeatures.Vmx;
            Native.CpuId(0x80000001, 0, r);
            if ((r[3] & (1u << 29)) != 0) f |= CpuFeatures.LongMode;
            if ((r[3] & (1u << 20)) != 0) f |= CpuFeatures.ExecuteDisable;
            if ((r[3] & (1u << 26)) != 0) f |= CpuFeatures.Pages1G;
            Native.CpuId(1, 0, r);
            if ((r[2] & (1u << 26)) != 0) f |= CpuFeatures.Xsave;
            if ((r[2] & (1u << 17)) != 0) f |= CpuFeatures.Pcid;
            caps.Features = f;
            Caps = caps;

            // CR0/CR4 fixed bits for VMX operation (Intel SDM Vol. 3D Appendix A.7, A.8), then VMXON.
            Native.WriteCr0(caps.FixCr0(Native.ReadCr0() | 0x20));
            Native.WriteCr4(caps.FixCr4(Native.ReadCr4() | 0x2000));
            if (!PhysicalMemory.TryAllocate(out s_vmxon) || !PhysicalMemory.TryAllocate(out s_hostTss)) { problem = "out-of-memory"; return false; }
            ClearPage(s_vmxon);
            ClearPage(s_hostTss);
            *(uint*)s_vmxon = caps.RevisionId;
            byte st = Native.VmxOn(s_vmxon);
            if (st != 0) { problem = "VMXON-failed"; return false; }
            IcedLengthDecoder.Instance = new Xen.Sdk.Svm.SvmInstructionDecoder();
            s_failures = (EntryCheckFailure*)KernelHeap.Allocate((nuint)(sizeof(EntryCheckFailure) * MaxFailures));

            // Controls the kernel asks for; refused ones are reported once (Xen.Sdk.Vmx's control adjustment).
            Serial.Write("XENSDK VMX revision=0x"); Serial.WriteHex(caps.RevisionId, 1);
            Serial.Write(" true_controls="); Serial.Write(caps.HasTrueControls ? "1" : "0");
            Serial.Write(" ept_vpid_cap=0x"); Serial.WriteHex(caps.EptVpidCap, 1);
            Serial.Write(" refused_pin=0x"); Serial.WriteHex(caps.AdjustPinBased(Pin).Refused, 1);
            Serial.Write(" refused_primary=0x"); Serial.WriteHex(caps.AdjustPrimaryProcessor(Primary).Refused, 1);
            Serial.Write(" refused_secondary=0x"); Serial.WriteHex(caps.AdjustSecondaryProcessor(Secondary).Refused, 1);
            Serial.Write(" refused_exit=0x"); Serial.WriteHex(caps.AdjustExit(ExitControls.HostAddressSpaceSize).Refused, 1);
            Serial.Write(" refused_entry=0x"); Serial.WriteHex(caps.AdjustEntry(EntryControls.Ia32eModeGuest).Refused, 1);
            Serial.WriteLine();
            // EPT and unrestricted guest are required (the real-mode and paging-off guests run natively under EPT).
            if (caps.AdjustSecondaryProcessor(Secondary).Refused != 0)
            {
                problem = "VMX-without-EPT-or-unrestricted-guest";
                return false;
            }
            return true;
        }

        private const PinBasedControls Pin = PinBasedControls.ExternalInterruptExiting;
        private const PrimaryProcessorControls Primary = PrimaryProcessorControls.HltExiting |
            PrimaryProcessorControls.UnconditionalIoExiting | PrimaryProcessorControls.ActivateSecondaryControls;
        private const SecondaryProcessorControls Secondary = SecondaryProcessorControls.EnableEpt | SecondaryProcessorControls.UnrestrictedGuest;

        private static PagingCapabilities EptCapabilities()
        {
            return new PagingCapabilities
            {
                Vendor = CpuVendor.Intel,
                MaxPhysicalAddressBits = Caps.PhysicalAddressBits,
                LinearAddressBits = 48,
                Pages1GiB = (Caps.Features & CpuFeatures.Pages1G) != 0,
                NoExecute = (Caps.Features & CpuFeatures.ExecuteDisable) != 0,
                Ept = true,
                EptCapabilities = new EptVpidCapabilities(Caps.EptVpidCap),
            };
        }

        /// <summary><c>run=vmx-mutants</c>: the mutant module through real VMLAUNCHes (see <see cref="VmxMutantRunner"/>).</summary>
        public static bool RunMutants(ReadOnlySpan<byte> module) => VmxMutantRunner.Run(module, in Caps, s_hostTss, s_failures, MaxFailures);

        public static void RunGuest(in GuestImage image, ref RunSummary summary)
        {
            var name = Multiboot.CString(image.Name);
            SerialGuestConsole.Begin(name);
            ulong ramSize = image.RamSize == 0 ? 8UL << 20 : image.RamSize;
            if (!PhysicalMemory.TryAllocateContiguous(ramSize, out ulong ramHost) || !PhysicalMemory.TryAllocate(out ulong vmcsPa))
            {
                Results.Line(name, "vmx", "error", "out-of-memory", default, 0, 0, 0);
                return;
            }
            var ram = new GuestRam { Host = (byte*)ramHost, Size = ramSize };
            if (image.Load + image.CodeLength > ramSize)
            {
                Results.Line(name, "vmx", "error", "image-too-large", default, 0, 0, 0);
                return;
            }
            new Span<byte>(ram.Host, (int)ramSize).Clear();
            new ReadOnlySpan<byte>(image.Code, (int)image.CodeLength).CopyTo(new Span<byte>(ram.Host + image.Load, (int)image.CodeLength));

            // EPT from Xen.Sdk.Paging: guest-physical [0, ram) -> the host region; everything else (MMIO) unmapped.
            PagingCapabilities pcaps = EptCapabilities();
            PagingStatus st = SecondLevelTables<EptFormat, KernelFrames>.Create(new EptFormat(pcaps), new KernelFrames(), out var ept);
            if (st == PagingStatus.Ok)
                st = ept.Map(new GuestPhysicalAddress(0), new HostPhysicalAddress(ramHost), ramSize, PageAttributes.ReadWriteExecute, PageSize.Size2MiB);
            if (st != PagingStatus.Ok || EptPointer.TryCreate(in ept, in Caps, out ulong eptp) != EptPointerStatus.Ok)
            {
                Results.Line(name, "vmx", "error", "ept-build-failed", default, 0, 0, 0);
                return;
            }

            ulong guestCr3 = 0;
            if (image.Mode == 0)
            {
                var frames = new GuestTableFrames { RamHost = ram.Host, Next = 0x10000, Limit = 0x20000 };
                st = GuestPageTables<LongModeFormat, GuestTableFrames>.Create(new LongModeFormat(pcaps), frames, out var gpt);
                if (st == PagingStatus.Ok)
                    st = gpt.Map(new GuestVirtualAddress(0), new GuestPhysicalAddress(0), 0x1_0000_0000UL, PageAttributes.ReadWriteExecute, PageSize.Size2MiB);
                if (st != PagingStatus.Ok)
                {
                    Results.Line(name, "vmx", "error", "guest-page-tables-failed", default, 0, 0, 0);
                    return;
                }
                guestCr3 = gpt.Root.Value;
            }

            // The VMCS: Xen.Sdk.Vmx's template for a 64-bit host, then this kernel's host values and the guest's mode.
            var layout = new VmcsTemplateLayout
            {
                HostCr3 = Native.ReadCr3(),
                HostGdtrBase = Native.ReadGdtrBase(),
                HostIdtrBase = Native.ReadIdtrBase(),
                HostTrBase = s_hostTss,
                GuestRip = image.Entry,
                GuestRsp = image.Stack,
                GuestCr3 = guestCr3,
            };
            var vmcsImage = new VmcsImage();
            VmcsTemplate.LongModeGuest(vmcsImage, Caps, layout);
            bool ia32e = image.Mode == 0;
            ConfigureControls(vmcsImage, eptp, ia32e);
            if (image.Mode == 0) SetupLongMode(vmcsImage);
            else if (image.Mode == 1) SetupProtected32(vmcsImage, image.Entry, image.Stack);
            else SetupReal(vmcsImage, (ushort)(image.Entry >> 16), (ushort)image.Entry, (ushort)image.Stack);
            // Guest flag bit 1 (badvmcb): make the state invalid on purpose (CR0.PG without PE) so the checker and the
            // processor can be seen to agree.
            if ((image.Flags & 2) != 0) vmcsImage.Write(VmcsFields.GuestCr0, vmcsImage.Read(VmcsFields.GuestCr0) & ~1UL);

            // Xen.Sdk.Vmx's VM-entry checker before the first VMLAUNCH (Intel SDM Vol. 3C §26.2-§26.3).
            EntryCheckReport report = VmEntryChecker.Check(vmcsImage, Caps, default, new Span<EntryCheckFailure>(s_failures, MaxFailures));
            PrintCheck(name, "before-first-vmlaunch", report);

            var hw = new HardwareVmcs<KernelVmx>(default);
            ClearPage(vmcsPa);
            *(uint*)vmcsPa = Caps.RevisionId;
            if (!hw.Clear(vmcsPa).Succeeded || !hw.Load(vmcsPa).Succeeded)
            {
                Results.Line(name, "vmx", "error", "vmptrld-failed", default, 0, 0, 0);
                return;
            }
            int unwritable = hw.WriteImage(vmcsImage);
            Native.InveptAll();

            var vcpu = new VmxVcpu { Memory = ram, Ia32e = ia32e };
            var dispatcher = new ExitDispatcher<GuestRam, SerialGuestConsole, HostCpu, BenchExtension>(
                ram, new SerialGuestConsole(), new HostCpu(), new BenchExtension(), HypercallInstruction.Vmcall);
            XenServicesSetup.Configure(ref dispatcher.Xen, ram, name);   // kernel branch: Xen services (event channels, XenStore, console ring)
            var host = new KernelVcpuHost { StartTicks = Traps.Ticks, LimitTicks = 500 };
            var state = new VcpuState { PendingVector = -1 };
            state.Rip = image.Mode == 2 ? (ushort)image.Entry : image.Entry;
            state.Rflags = 2;
            state.Gprs.Rsp = image.Mode == 2 ? (ushort)image.Stack : image.Stack;
            state.Cr0 = vmcsImage.Read(VmcsFields.GuestCr0);

            Serial.Write("XENSDK RUN guest=");
            Serial.Write(name);
            Serial.Write(" vendor=vmx nrip=1 unwritable_fields=");
            Serial.WriteDec((ulong)unwritable);
            Serial.WriteLine();
            MmioTestDevice.Emulated = 0;
            MmioTestDevice.Scratch = 0;
            ulong allocsAtEntry = KernelHeap.AllocationCount;
            ulong t0 = Native.Rdtsc();
            Active = true;
            ulong exits = VcpuLoop.Run(ref vcpu, ref host, ref dispatcher, ref state, 1_000_000);
            ulong t1 = Native.Rdtsc();
            Active = false;
            ulong allocsDuringRun = KernelHeap.AllocationCount - allocsAtEntry;
            SerialGuestConsole.Flush();

            if (dispatcher.Fault == GuestFault.EntryFailure)
            {
                Serial.Write("XENSDK VMENTRY-FAILURE guest="); Serial.Write(name);
                Serial.Write(" status="); Serial.WriteDec((ulong)vcpu.LastEntry.Status);
                Serial.Write(" error="); Serial.WriteDec((ulong)vcpu.LastEntry.Error);
                Serial.Write(" exit_reason=0x"); Serial.WriteHex(state.Exit.RawCode, 1);
                Serial.Write(" qualification=0x"); Serial.WriteHex(state.Exit.Info1, 1);
                Serial.WriteLine();
                hw.SnapshotInto(vmcsImage);
                vmcsImage.LaunchState = VmcsLaunchState.Clear;
                PrintCheck(name, "entry-failure", VmEntryChecker.Check(vmcsImage, Caps, default, new Span<EntryCheckFailure>(s_failures, MaxFailures)));
            }
            hw.Clear(vmcsPa);
            if ((image.Flags & 1) != 0) Results.Bench(name, ram);
            if ((image.Flags & 4) != 0) Results.XenBus(name, ram);      // kernel branch: xenbus guest figures
            Results.Line(name, "vmx", dispatcher, state, exits, Tsc.Milliseconds(t1 - t0), allocsDuringRun);
            summary.Count(dispatcher.Outcome, dispatcher.Fault);
            ept.Release();
        }

        /// <summary>The current VMCS's exit and guest state, decoded with Xen.Sdk.Vmx (panic path).</summary>
        public static void PrintPanicState()
        {
            var vmcs = new HardwareVmcs<KernelVmx>(default);
            VmExitInfo exit = VmExitInfo.Read(vmcs);
            Serial.Write("XENSDK PANIC vmcs exit_reason="); Serial.WriteDec((ulong)exit.Reason.Basic);
            Serial.Write(" entry_failure="); Serial.Write(exit.Reason.EntryFailure ? "1" : "0");
            Serial.Write(" qualification=0x"); Serial.WriteHex(exit.Qualification, 1);
            Serial.Write(" gpa=0x"); Serial.WriteHex(exit.GuestPhysicalAddress, 1);
            Serial.Write(" insn_len="); Serial.WriteDec(exit.InstructionLength);
            Serial.Write(" guest_rip=0x"); Serial.WriteHex(vmcs.Read(VmcsFields.GuestRip), 1);
            Serial.Write(" guest_rsp=0x"); Serial.WriteHex(vmcs.Read(VmcsFields.GuestRsp), 1);
            Serial.Write(" guest_cr0=0x"); Serial.WriteHex(vmcs.Read(VmcsFields.GuestCr0), 1);
            Serial.Write(" guest_cs_ar=0x"); Serial.WriteHex(vmcs.Read(VmcsFields.GuestCsAccessRights), 1);
            Serial.WriteLine();
        }

        private static void ConfigureControls(VmcsImage v, ulong eptp, bool ia32e)
        {
            v.Write(VmcsFields.PinBasedControls, (uint)Caps.AdjustPinBased(Pin).Value);
            v.Write(VmcsFields.PrimaryProcessorBasedControls, (uint)Caps.AdjustPrimaryProcessor(Primary).Value);
            v.Write(VmcsFields.SecondaryProcessorBasedControls, (uint)Caps.AdjustSecondaryProcessor(Secondary).Value);
            v.Write(VmcsFields.PrimaryExitControls, (uint)Caps.AdjustExit(ExitControls.HostAddressSpaceSize).Value);
            v.Write(VmcsFields.EntryControls, (uint)Caps.AdjustEntry(ia32e ? EntryControls.Ia32eModeGuest : EntryControls.None).Value);
            v.Write(VmcsFields.EptPointer, eptp);
            v.Write(VmcsFields.ExceptionBitmap, 1u << 6);           // #UD: VMMCALL from guests built for AMD
            // Host: this kernel's selectors (boot.asm GDT: 08h code, 10h data; FS/GS null; TR 18h over a zeroed page).
            v.Write(VmcsFields.HostCr0, Native.ReadCr0());
            v.Write(VmcsFields.HostCr4, Native.ReadCr4());
            v.Write(VmcsFields.HostFsSelector, (ushort)0);
            v.Write(VmcsFields.HostGsSelector, (ushort)0);
        }

        private static void SetupLongMode(VmcsImage v)
        {
            v.Write(VmcsFields.GuestCr4, Caps.FixCr4(0x20 | 0x200 | 0x400));
            v.Write(VmcsFields.Cr4ReadShadow, 0x20UL | 0x200 | 0x400);
            v.Write(VmcsFields.GuestGdtrBase, 0UL);
            v.Write(VmcsFields.GuestGdtrLimit, 0u);
            v.Write(VmcsFields.GuestIdtrLimit, 0u);
        }

        private static void Flat32(VmcsImage v)
        {
            v.Write(VmcsFields.GuestCsAccessRights, 0xC09Bu);      // G, D/B, P, S, code execute/read accessed
            v.Write(VmcsFields.GuestGdtrBase, 0UL);
            v.Write(VmcsFields.GuestGdtrLimit, 0u);
            v.Write(VmcsFields.GuestIdtrLimit, 0u);
            v.Write(VmcsFields.GuestTrAccessRights, 0x8Bu);        // busy 32-bit TSS (Intel SDM Vol. 3C §26.3.1.2)
            v.Write(VmcsFields.GuestIa32Efer, 0UL);
        }

        /// <summary>Protected mode, paging off, flat segments (PVH-style entry): needs unrestricted guest.</summary>
        private static void SetupProtected32(VmcsImage v, ulong rip, ulong rsp)
        {
            Flat32(v);
            const ulong cr0 = 0x11;                                // ET | PE
            v.Write(VmcsFields.GuestCr0, (cr0 | Caps.Cr0Fixed0 | 0x20) & ~0x8000_0000UL & Caps.Cr0Fixed1);
            v.Write(VmcsFields.Cr0ReadShadow, cr0);
            v.Write(VmcsFields.GuestCr3, 0UL);
            v.Write(VmcsFields.GuestCr4, Caps.FixCr4(0));
            v.Write(VmcsFields.Cr4ReadShadow, 0UL);
            v.Write(VmcsFields.GuestRip, rip);
            v.Write(VmcsFields.GuestRsp, rsp);
        }

        /// <summary>Real mode at segment:offset, 64 KiB segments (Intel SDM Vol. 3C §26.3.1.2, unrestricted guest).</summary>
        private static void SetupReal(VmcsImage v, ushort segment, ushort ip, ushort sp)
        {
            Flat32(v);
            const ulong cr0 = 0x10;                                // ET
            v.Write(VmcsFields.GuestCr0, (cr0 | Caps.Cr0Fixed0 | 0x20) & ~0x8000_0001UL & Caps.Cr0Fixed1);
            v.Write(VmcsFields.Cr0ReadShadow, cr0);
            v.Write(VmcsFields.GuestCr3, 0UL);
            v.Write(VmcsFields.GuestCr4, Caps.FixCr4(0));
            v.Write(VmcsFields.Cr4ReadShadow, 0UL);
            ulong b = (ulong)segment << 4;
            Seg(v, VmcsFields.GuestCsSelector, VmcsFields.GuestCsBase, VmcsFields.GuestCsLimit, VmcsFields.GuestCsAccessRights, segment, b, 0x9B);
            Seg(v, VmcsFields.GuestSsSelector, VmcsFields.GuestSsBase, VmcsFields.GuestSsLimit, VmcsFields.GuestSsAccessRights, segment, b, 0x93);
            Seg(v, VmcsFields.GuestDsSelector, VmcsFields.GuestDsBase, VmcsFields.GuestDsLimit, VmcsFields.GuestDsAccessRights, segment, b, 0x93);
            Seg(v, VmcsFields.GuestEsSelector, VmcsFields.GuestEsBase, VmcsFields.GuestEsLimit, VmcsFields.GuestEsAccessRights, segment, b, 0x93);
            Seg(v, VmcsFields.GuestFsSelector, VmcsFields.GuestFsBase, VmcsFields.GuestFsLimit, VmcsFields.GuestFsAccessRights, segment, b, 0x93);
            Seg(v, VmcsFields.GuestGsSelector, VmcsFields.GuestGsBase, VmcsFields.GuestGsLimit, VmcsFields.GuestGsAccessRights, segment, b, 0x93);
            v.Write(VmcsFields.GuestGdtrLimit, 0xFFFFu);
            v.Write(VmcsFields.GuestIdtrLimit, 0x3FFu);
            v.Write(VmcsFields.GuestTrLimit, 0xFFFFu);
            v.Write(VmcsFields.GuestRip, (ulong)ip);
            v.Write(VmcsFields.GuestRsp, (ulong)sp);
        }

        private static void Seg(VmcsImage v, VmcsField16 sel, VmcsFieldNatural bas, VmcsField32 lim, VmcsField32 ar, ushort s, ulong b, uint access)
        {
            v.Write(sel, s);
            v.Write(bas, b);
            v.Write(lim, 0xFFFFu);
            v.Write(ar, access);
        }

        private static void PrintCheck(ReadOnlySpan<byte> name, string when, EntryCheckReport report)
        {
            Serial.Write("XENSDK VMENTRY-CHECK guest=");
            Serial.Write(name);
            Serial.Write(" when=");
            Serial.Write(when);
            Serial.Write(" failures=");
            Serial.WriteDec((ulong)report.FailureCount);
            Serial.Write(" outcome=");
            Serial.WriteDec((ulong)report.Outcome.Kind);
            Serial.Write(" error=");
            Serial.WriteDec((ulong)report.Outcome.Error);
            Serial.Write(" checks=");
            int n = Math.Min(report.Written, MaxFailures);
            for (int i = 0; i < n; i++)
            {
                if (i > 0) Serial.Write((byte)',');
                Serial.WriteDec((ulong)s_failures[i].Check);
            }
            if (n == 0) Serial.Write("none");
            Serial.WriteLine();
        }
    }
}
