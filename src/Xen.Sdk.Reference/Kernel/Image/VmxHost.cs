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
        /// <summary>Where the world switch moves the hot VMCS fields (null: it moves none).</summary>
        public VmxExitFields* Fields;

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
        public VmxInstructionStatus VmLaunch() => (VmxInstructionStatus)Native.VmxRun(Gprs, 0, Fields);
        public VmxInstructionStatus VmResume() => (VmxInstructionStatus)Native.VmxRun(Gprs, 1, Fields);
    }

    /// <summary>The current VMCS for the per-exit state copies (<see cref="VmxBackend.ReadState"/> / <c>WriteState</c>):
    /// VMREAD/VMWRITE straight through the boot stub, without Xen.Sdk.Vmx's <see cref="HardwareVmcs{T}"/> wrapper (whose
    /// per-access completion call costs more than the instruction on this path). Results as HardwareVmcs reports them:
    /// VMsucceed, VMfailInvalid, or VMfailValid with the VM-instruction error field (Intel SDM Vol. 3C §31.4).</summary>
    internal unsafe struct CurrentVmcs : IVmcsAccess
    {
        public VmxInstructionResult Read(VmcsFieldId field, out ulong value)
        {
            ulong v;
            byte status = Native.VmRead(field.Encoding, &v);
            value = v;
            return status == 0 ? default : Complete(status);
        }

        public VmxInstructionResult Write(VmcsFieldId field, ulong value)
        {
            byte status = Native.VmWrite(field.Encoding, value);
            return status == 0 ? default : Complete(status);
        }

        /// <summary>VMRESUME through the world switch with the guest registers at <paramref name="gprs"/> and the hot
        /// fields at <paramref name="fields"/>.</summary>
        public static VmxInstructionResult Resume(GuestRegisters* gprs, VmxExitFields* fields)
        {
            byte status = Native.VmxRun(gprs, 1, fields);
            return status == 0 ? default : Complete(status);
        }

        /// <summary>The result of a VMX instruction from its status (the VM-instruction error field for VMfailValid).</summary>
        public static VmxInstructionResult Complete(byte status)
        {
            ulong error = 0;
            if (status == (byte)VmxInstructionStatus.FailValid) Native.VmRead(VmcsFields.VmInstructionError.Id.Encoding, &error);
            return new VmxInstructionResult((VmxInstructionStatus)status, (VmInstructionError)error);
        }
    }

    /// <summary>The current VMCS as the vendor-neutral backend sees it between two VM exits: guest RIP, RSP and RFLAGS live
    /// in the <see cref="VmxExitFields"/> the world switch fills after each exit and writes back before each entry; every
    /// other field goes to VMREAD/VMWRITE (<see cref="CurrentVmcs"/>).</summary>
    internal unsafe struct CachedVmcs : IVmcsAccess
    {
        public VmxExitFields* Fields;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public VmxInstructionResult Read(VmcsFieldId field, out ulong value)
        {
            // SAFETY: Fields points at the vCPU's VmxExitFields on the boot stack, live for the whole run.
            switch (field.Encoding)
            {
                case 0x681E: value = Fields->GuestRip; return default;       // Intel SDM Vol. 3D Appendix B encodings
                case 0x681C: value = Fields->GuestRsp; return default;
                case 0x6820: value = Fields->GuestRflags; return default;
                default: return new CurrentVmcs().Read(field, out value);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public VmxInstructionResult Write(VmcsFieldId field, ulong value)
        {
            // SAFETY: as in Read.
            switch (field.Encoding)
            {
                case 0x681E: Fields->GuestRip = value; return default;
                case 0x681C: Fields->GuestRsp = value; return default;
                case 0x6820: Fields->GuestRflags = value; return default;
                default: return new CurrentVmcs().Write(field, value);
            }
        }
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

        /// <summary>#UD exits that were not a cross-vendor VMMCALL and went back to the guest (see <see cref="Run"/>).</summary>
        public ulong ReflectedInvalidOpcodes;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Run(ref VcpuState state)
        {
            // The #UD intercept exists only to emulate VMMCALL for guests built for AMD (Xen does the same). Any other
            // #UD is the guest's own: it is reflected into the guest (event injection, Intel SDM Vol. 3C §27.6) and the
            // guest re-entered here, so the vendor-neutral dispatcher sees the same exits as on SVM, where #UD is not
            // intercepted at all (a guest with no usable IDT then escalates to a triple fault, exit reason 2).
            while (RunOnce(ref state)) ReflectedInvalidOpcodes++;
        }

        /// <summary>Guest RIP/RSP/RFLAGS and the fields every exit needs, moved by the world switch (<see cref="VmxExitFields"/>).</summary>
        public VmxExitFields Fields;

        /// <summary>One VM entry and exit; true when the exit was a guest #UD that must be reflected (already queued).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private bool RunOnce(ref VcpuState state)
        {
            // SAFETY: this vCPU (and so Fields) and state.Gprs live on the boot stack for the whole run (no moving GC in
            // the kernel); the stub reads and writes the 16 register slots and the 13 field slots only.
            VmxExitFields* f = (VmxExitFields*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref Fields);
            GuestRegisters* g = (GuestRegisters*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref state.Gprs);
            VmxBackend.WriteState(new CachedVmcs { Fields = f }, ref state);
            VmxInstructionResult r = Launched ? CurrentVmcs.Resume(g, f) : new HardwareVmcs<KernelVmx>(new KernelVmx { Gprs = g, Fields = f }).Launch();
            // The bench guest's bare round trip (rax = BareHypercall): VMCALL exit (basic reason 18) -> RIP += the VM-exit
            // instruction length (Intel SDM Vol. 3C §28.2.5) -> VMRESUME, nothing else (no state copy, no exit decode, no
            // dispatcher); the world switch moved RIP and the exit fields.
            if (Bare)
            {
                while (r.Succeeded && g->Rax == BenchExtension.BareHypercall && (f->ExitReason & 0x8000FFFF) == 18)   // VMCALL (Intel SDM Vol. 3D App. C)
                {
                    f->GuestRip += f->ExitInstructionLength;
                    BareExits++;
                    Launched = true;
                    r = CurrentVmcs.Resume(g, f);
                }
            }
            LastEntry = r;
            ref ExitInfo e = ref state.Exit;
            if (!r.Succeeded)
            {
                e = default;
                e.Reason = Xen.Sdk.Reference.ExitReason.EntryFailure;
                e.RawCode = (ulong)r.Error;
                return false;
            }
            Launched = true;
            VmExitInfo exit = ReadExitInfo(f);
            VmxBackend.ReadState(*f, Ia32e, ref state);
            switch (VmxBackend.DecodeExit(in exit, ref state))
            {
                case VmxExitFollowUp.FetchInstruction:
                    state.Exit.InstructionLength = FetchAndDecode(ref state);
                    break;
                case VmxExitFollowUp.ResolveInvalidOpcode:
                    FetchAndDecode(ref state);
                    if (!VmxBackend.ResolveInvalidOpcode(ref state) && state.Exit.Reason == Xen.Sdk.Reference.ExitReason.Exception && state.Exit.Vector == 6)
                    {
                        state.PendingVector = 6;                 // #UD has no error code (Intel SDM Vol. 3A §6.15)
                        state.PendingHasErrorCode = false;
                        return true;
                    }
                    break;
            }
            return false;
        }


        /// <summary>Resume the bench guest's bare hypercalls here (guest flag bit 0 only).</summary>
        public bool Bare;
        /// <summary>Bare round trips handled without the dispatcher.</summary>
        public ulong BareExits;

        /// <summary>The exit-information fields <see cref="VmxBackend.DecodeExit"/> uses: reason, qualification, IDT-vectoring
        /// information and instruction length from the world switch (<see cref="VmxExitFields"/>); the guest-physical
        /// address only for EPT violations and misconfigurations (undefined for other exits, Intel SDM Vol. 3C §28.2.1),
        /// the VM-exit interruption information and error code only for exception exits (reason 0), the IDT-vectoring
        /// error code only when the IDT-vectoring information is valid (bit 31, §28.2.4), each by VMREAD. The fields never
        /// read here (guest-linear address, instruction information, VM-instruction error) are not used by the decode.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static VmExitInfo ReadExitInfo(VmxExitFields* f)
        {
            ulong v;
            ulong reason = f->ExitReason, vectoring = f->IdtVectoringInformation;
            var exit = new VmExitInfo
            {
                Reason = new Xen.Sdk.Vmx.Exits.ExitReason((uint)reason),
                Qualification = f->ExitQualification,
                IdtVectoring = new InterruptionInfo((uint)vectoring),
                InstructionLength = (uint)f->ExitInstructionLength,
            };
            uint basic = (uint)reason & 0xFFFF;
            if (basic == 48 || basic == 49)
            {
                Native.VmRead(VmcsFields.GuestPhysicalAddress.Id.Encoding, &v);
                exit.GuestPhysicalAddress = v;
            }
            if (basic == 0)
            {
                Native.VmRead(VmcsFields.ExitInterruptionInfo.Id.Encoding, &v);
                exit.Interruption = new InterruptionInfo((uint)v);
                Native.VmRead(VmcsFields.ExitInterruptionErrorCode.Id.Encoding, &v);
                exit.InterruptionErrorCode = (uint)v;
            }
            if ((vectoring & 0x8000_0000UL) != 0)
            {
                Native.VmRead(VmcsFields.IdtVectoringErrorCode.Id.Encoding, &v);
                exit.IdtVectoringErrorCode = (uint)v;
            }
            return exit;
        }

        /// <summary>Fetches the bytes at CS:RIP into <see cref="ExitInfo.Code"/> (the SDK's in-place fetch, through the same
        /// one-entry translation cache as the SVM vCPU) and decodes the length: the fixed-length fast path, else Iced
        /// (0 when unavailable).</summary>
        private int FetchAndDecode(ref VcpuState state)
        {
            GuestPageWalker.FetchInstruction(ref Memory, state, ref state.Exit.Code, ref FetchCache);
            var decoder = new IcedLengthDecoder();
            return InstructionLength.Measure(ref decoder, state.Exit.Code, state.Mode);
        }

        /// <summary>The translation of the guest's code page for <see cref="FetchAndDecode"/>.</summary>
        public InstructionFetchCache FetchCache;
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
        /// <summary>The one VMCS image every guest's setup reuses (<see cref="VmcsImage.Reset"/>), allocated at
        /// initialization so that guest setup allocates nothing.</summary>
        private static VmcsImage s_image;

        // VPIDs (Intel SDM Vol. 3C §29.1): Xen.Sdk.Vmx's VpidAllocator over a bitmap in frames of the kernel's pool.
        // s_vpidTagged marks VPIDs that may still tag translations in the TLB: handing one of those out again needs an
        // INVVPID first (§29.3.3.3), because its earlier guest's combined mappings (VPID, PCID, EP4TA) would otherwise
        // be used by the new guest if its EPT root frame is reused.
        private static ulong* s_vpidInUse, s_vpidTagged;
        private static VpidAllocator s_vpids;
        /// <summary>VPIDs on (the secondary control allowed by the capability MSRs, INVVPID present, not disabled with
        /// <c>vpid=0</c>).</summary>
        public static bool VpidEnabled;
        /// <summary>INVVPID / INVEPT types this processor supports, from IA32_VMX_EPT_VPID_CAP (Vol. 3D §A.10):
        /// single-context (1) when bit 41 / 25 says so, else all-context (2) when bit 42 / 26 does, else 0.</summary>
        public static int InvvpidType, InveptType;
        /// <summary>Size of the VPID pool (<c>vpids=N</c> on the command line: VPIDs 1..N; default 65535).</summary>
        public static uint VpidPool;

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
            s_image = new VmcsImage(caps.RevisionId);

            // INVEPT/INVVPID types (IA32_VMX_EPT_VPID_CAP bits 25/26 and 41/42; bit 20/32 = instruction supported).
            var ev = new EptVpidCapabilities(caps.EptVpidCap);
            InveptType = !ev.Invept ? 0 : ev.InveptSingleContext ? 1 : ev.InveptAllContext ? 2 : 0;
            InvvpidType = !ev.Invvpid ? 0 : ev.InvvpidSingleContext ? 1 : ev.InvvpidAllContext ? 2 : 0;
            VpidEnabled = caps.AdjustSecondaryProcessor(SecondaryProcessorControls.EnableVpid).Refused == 0 && InvvpidType != 0 &&
                          Multiboot.OptionNumber("vpid"u8, 1) != 0;
            VpidPool = Multiboot.OptionNumber("vpids"u8, 65535);
            if (VpidPool == 0 || VpidPool > 65535) VpidPool = 65535;
            if (VpidEnabled)
            {
                const ulong bytes = VpidAllocator.BitmapWords * sizeof(ulong);
                if (!PhysicalMemory.TryAllocateContiguous(bytes, out ulong inUse) || !PhysicalMemory.TryAllocateContiguous(bytes, out ulong tagged))
                { problem = "out-of-memory"; return false; }
                s_vpidInUse = (ulong*)inUse;
                s_vpidTagged = (ulong*)tagged;
                new Span<ulong>(s_vpidInUse, VpidAllocator.BitmapWords).Clear();
                new Span<ulong>(s_vpidTagged, VpidAllocator.BitmapWords).Clear();
                // A smaller pool (vpids=N) is the same allocator with VPIDs N+1..65535 marked in use: it makes VPID reuse,
                // and so the INVVPID path, happen within a few guests.
                for (uint v = VpidPool + 1; v <= 65535; v++) s_vpidInUse[v >> 6] |= 1UL << (int)(v & 63);
            }

            // Controls the kernel asks for; refused ones are reported once (Xen.Sdk.Vmx's control adjustment).
            Serial.Write("XENSDK VMX revision=0x"); Serial.WriteHex(caps.RevisionId, 1);
            Serial.Write(" true_controls="); Serial.Write(caps.HasTrueControls ? "1" : "0");
            Serial.Write(" ept_vpid_cap=0x"); Serial.WriteHex(caps.EptVpidCap, 1);
            Serial.Write(" refused_pin=0x"); Serial.WriteHex(caps.AdjustPinBased(Pin).Refused, 1);
            Serial.Write(" refused_primary=0x"); Serial.WriteHex(caps.AdjustPrimaryProcessor(Primary).Refused, 1);
            Serial.Write(" refused_secondary=0x"); Serial.WriteHex(caps.AdjustSecondaryProcessor(Secondary).Refused, 1);
            Serial.Write(" refused_exit=0x"); Serial.WriteHex(caps.AdjustExit(ExitControls.HostAddressSpaceSize).Refused, 1);
            Serial.Write(" refused_entry=0x"); Serial.WriteHex(caps.AdjustEntry(EntryControls.Ia32eModeGuest).Refused, 1);
            Serial.Write(" vpid="); Serial.Write(VpidEnabled ? "1" : "0");
            Serial.Write(" vpid_pool="); Serial.WriteDec(VpidEnabled ? VpidPool : 0);
            Serial.Write(" invvpid_type="); Serial.WriteDec((ulong)InvvpidType);
            Serial.Write(" invept_type="); Serial.WriteDec((ulong)InveptType);
            Serial.WriteLine();
            // EPT and unrestricted guest are required (the real-mode and paging-off guests run natively under EPT).
            // The status names the refused control(s) (IA32_VMX_PROCBASED_CTLS2 allowed-1 bits 1 and 7, Vol. 3D §A.3.3).
            ulong refused = caps.AdjustSecondaryProcessor(Secondary).Refused;
            if (refused != 0)
            {
                bool noEpt = (refused & (ulong)SecondaryProcessorControls.EnableEpt) != 0;
                bool noUg = (refused & (ulong)SecondaryProcessorControls.UnrestrictedGuest) != 0;
                problem = noEpt && noUg ? "VMX-without-EPT-and-unrestricted-guest" : noEpt ? "VMX-without-EPT" : "VMX-without-unrestricted-guest";
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
            VmcsImage vmcsImage = s_image;
            vmcsImage.Reset(Caps.RevisionId);
            VmcsTemplate.LongModeGuest(vmcsImage, Caps, layout);
            bool ia32e = image.Mode == 0;
            ConfigureControls(vmcsImage, eptp, ia32e);
            if (image.Mode == 0) SetupLongMode(vmcsImage);
            else if (image.Mode == 1) SetupProtected32(vmcsImage, image.Entry, image.Stack);
            else SetupReal(vmcsImage, (ushort)(image.Entry >> 16), (ushort)image.Entry, (ushort)image.Stack);
            // Guest flag bit 1 (badvmcb): make the state invalid on purpose (CR0.PG without PE) so the checker and the
            // processor can be seen to agree.
            if ((image.Flags & 2) != 0) vmcsImage.Write(VmcsFields.GuestCr0, vmcsImage.Read(VmcsFields.GuestCr0) & ~1UL);

            // A VPID for this vCPU (Xen.Sdk.Vmx's allocator and Vpid.EnableIn: the VPID field and "enable VPID").
            Vpid vpid = default;
            int invvpid = 0;
            if (VpidEnabled)
            {
                if (!s_vpids.TryAllocate(new Span<ulong>(s_vpidInUse, VpidAllocator.BitmapWords), out vpid))
                {
                    Results.Line(name, "vmx", "error", "vpid-exhausted", default, 0, 0, 0);
                    ept.Release();
                    return;
                }
                ref ulong tag = ref s_vpidTagged[vpid.Value >> 6];
                ulong bit = 1UL << (vpid.Value & 63);
                if ((tag & bit) != 0)
                {
                    // Reused VPID: drop what its previous guest left tagged with it (Intel SDM Vol. 3C §29.3.3.3).
                    if (Native.Invvpid((ulong)InvvpidType, vpid.Value, 0) != 0)
                    {
                        Results.Line(name, "vmx", "error", "invvpid-failed", default, 0, 0, 0);
                        VpidAllocator.Free(new Span<ulong>(s_vpidInUse, VpidAllocator.BitmapWords), vpid);
                        ept.Release();
                        return;
                    }
                    invvpid = InvvpidType;
                }
                tag |= bit;
                // Xen.Sdk.Vmx's Vpid.EnableIn is generic over IVmcsAccess; with the VmcsImage class as the type argument ilc
                // compiles it as shared code that calls Read/Write through interface dispatch cells, resolved by the
                // kernel runtime (Kernel/CoreLib/Runtime/InterfaceDispatch.cs).
                if (!vpid.EnableIn(vmcsImage).Succeeded)
                {
                    Results.Line(name, "vmx", "error", "vpid-enable-failed", default, 0, 0, 0);
                    VpidAllocator.Free(new Span<ulong>(s_vpidInUse, VpidAllocator.BitmapWords), vpid);
                    ept.Release();
                    return;
                }
            }

            // Xen.Sdk.Vmx's VM-entry checker before the first VMLAUNCH (Intel SDM Vol. 3C §27.2-§27.3).
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
            // The EPT root frame may be one a previous guest's tables used: drop guest-physical and combined mappings
            // tagged with this EPTP (single-context) or all of them (Intel SDM Vol. 3C §29.3.3.1).
            byte inveptStatus = InveptType == 1 ? Native.Invept(1, eptp) : Native.Invept(2, 0);

            var vcpu = new VmxVcpu { Memory = ram, Ia32e = ia32e, Bare = (image.Flags & 1) != 0 };
            if ((image.Flags & 1) != 0) Results.PrepareBench(ram);
            var dispatcher = new ExitDispatcher<GuestRam, SerialGuestConsole, HostCpu, BenchExtension>(
                ram, new SerialGuestConsole(), new HostCpu(), new BenchExtension(), HypercallInstruction.Vmcall);
            XenServicesSetup.Configure(ref dispatcher.Xen, ram, name);   // kernel branch: Xen services (event channels, XenStore, console ring)
            var host = new KernelVcpuHost { StartTicks = Traps.Ticks, LimitTicks = (image.Flags & 1) != 0 ? Results.BenchWatchdogTicks : 500 };
            var state = new VcpuState { PendingVector = -1 };
            state.Rip = image.Mode == 2 ? (ushort)image.Entry : image.Entry;
            state.Rflags = 2;
            state.Gprs.Rsp = image.Mode == 2 ? (ushort)image.Stack : image.Stack;
            state.Cr0 = vmcsImage.Read(VmcsFields.GuestCr0);

            Serial.Write("XENSDK RUN guest=");
            Serial.Write(name);
            Serial.Write(" vendor=vmx nrip=1 unwritable_fields=");
            Serial.WriteDec((ulong)unwritable);
            Serial.Write(" vpid="); Serial.WriteDec(vpid.Value);
            Serial.Write(" invvpid="); Serial.WriteDec((ulong)invvpid);
            Serial.Write(" invept="); Serial.WriteDec((ulong)(InveptType == 1 ? 1 : 2));
            Serial.Write(" invept_status="); Serial.WriteDec(inveptStatus);
            Serial.WriteLine();
            MmioTestDevice.Emulated = 0;
            MmioTestDevice.Scratch = 0;
            Tsc.ReportFirstGuestEntry(name);
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
            if ((image.Flags & 1) != 0) Results.Bench(name, ram, vcpu.BareExits);
            if ((image.Flags & 4) != 0) Results.XenBus(name, ram);      // kernel branch: xenbus guest figures
            Results.Line(name, "vmx", dispatcher, state, exits, Tsc.Milliseconds(t1 - t0), allocsDuringRun);
            summary.Count(dispatcher.Outcome, dispatcher.Fault);
            if (VpidEnabled) VpidAllocator.Free(new Span<ulong>(s_vpidInUse, VpidAllocator.BitmapWords), vpid);
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
            v.Write(VmcsFields.GuestTrAccessRights, 0x8Bu);        // busy 32-bit TSS (Intel SDM Vol. 3C §27.3.1.2)
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

        /// <summary>Real mode at segment:offset, 64 KiB segments (Intel SDM Vol. 3C §27.3.1.2, unrestricted guest).</summary>
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
