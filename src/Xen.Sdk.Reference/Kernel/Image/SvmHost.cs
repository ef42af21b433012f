using System;
using Internal.Runtime;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Reference.Svm;
using Xen.Sdk.Svm;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>VMRUN through the boot stub (VMSAVE/VMLOAD around it, GIF cleared). The vCPU's ASID comes from Xen.Sdk.Svm's
    /// <see cref="SvmAsidAllocator"/> when the vCPU is loaded on this CPU (<see cref="SvmHost.PrepareAsid"/> before its
    /// first VMRUN, which also writes that VMRUN's TLB_CONTROL; docs/svm.md "ASIDs"), not on every VMRUN: the kernel runs
    /// one vCPU at a time on its one CPU and starts no new ASID generation while a vCPU runs, so the assignment stays
    /// current (a scheduler of several vCPUs per CPU would call PrepareAsid at every switch-in, as KVM checks the
    /// generation at every entry). After each VMRUN, TLB_CONTROL goes back to "do nothing": the flush, if one was asked
    /// for, is done (AMD APM Vol. 2 §15.16).</summary>
    internal unsafe struct NativeSvmSwitch : ISvmWorldSwitch
    {
        public ulong HostSave;
        /// <summary>This vCPU's ASID and the allocator generation it belongs to.</summary>
        public SvmAsidAssignment Asid;
        /// <summary>TLB_CONTROL of the first VMRUN, decided when the vCPU was loaded.</summary>
        public SvmTlbControl PendingTlb;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Run(ulong vmcbPhysical, ref GuestRegisters gprs)
        {
            // SAFETY: the VMCB is the identity-mapped 4 KiB page the host allocated for this vCPU (physical = virtual).
            Vmcb* vmcb = (Vmcb*)vmcbPhysical;
            // SAFETY: gprs lives in the kernel's VcpuState on the boot stack (the kernel has no moving GC, so no pinning
            // is needed, and a pinned local would keep this method from being inlined); the stub reads and writes
            // its 16 slots only.
            GuestRegisters* g = (GuestRegisters*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref gprs);
            Native.SvmRun(vmcbPhysical, g, HostSave);
            vmcb->Control.TlbControl = SvmTlbControl.DoNothing;
            // The bench guest's bare round trip (rax = BareHypercall): VMMCALL #VMEXIT -> advance RIP -> VMRUN,
            // nothing else (no state copy, no decode, no dispatcher). RIP from NRIP save when the CPU has it, else
            // + 3 (the bench guest's VMMCALL, 0F 01 D9; AMD APM Vol. 3 VMMCALL). The previous VMRUN did this ASID's
            // flush, if any, and TLB_CONTROL is already back to "do nothing".
            if (Bare)
            {
                while (vmcb->Control.ExitCode == (ulong)SvmExitCode.Vmmcall && vmcb->Save.Rax == BenchExtension.BareHypercall)
                {
                    vmcb->Save.Rip = NripSave ? vmcb->Control.NextRip : vmcb->Save.Rip + 3;
                    BareExits++;
                    Native.SvmRun(vmcbPhysical, g, HostSave);
                }
            }
        }

        /// <summary>Resume the bench guest's bare hypercalls in the world switch (guest flag bit 0 only).</summary>
        public bool Bare;
        /// <summary>NRIP save is available (the next RIP of VMMCALL is in the VMCB).</summary>
        public bool NripSave;
        /// <summary>Bare round trips handled in the world switch.</summary>
        public ulong BareExits;
    }

    /// <summary>Host services during a run: the PIT watchdog.</summary>
    internal struct KernelVcpuHost : IVcpuHost
    {
        public ulong StartTicks;
        public ulong LimitTicks;

        public void ServiceInterrupt() => Native.IrqWindow();

        public bool WatchdogExpired() => Traps.Ticks - StartTicks > LimitTicks;
    }

    /// <summary>The kernel's SVM host: enables SVM, builds each guest (RAM, NPT via Xen.Sdk.Paging, VMCB via
    /// Xen.Sdk.Svm), runs it through the vendor-neutral loop and prints its result line.</summary>
    internal static unsafe class SvmHost
    {
        public static bool NripSave, NestedPaging;
        private static ulong s_hostSave, s_iopm, s_msrpm;
        private static SvmCheckContext s_checkContext;
        public static Vmcb* ActiveVmcb;
        /// <summary>The ASID allocator of this (only) physical CPU (Xen.Sdk.Svm; AMD APM Vol. 2 §15.16).</summary>
        private static SvmAsidAllocator s_asids;
        /// <summary>ASIDs the allocator hands out: CPUID Fn8000_000A EBX, or fewer with <c>asids=N</c> on the command line
        /// (so that ASID recycling and its TLB flush happen within a few guests).</summary>
        public static uint AsidCount;

        /// <summary>Gives the vCPU a valid ASID of the current generation and writes ASID and TLB_CONTROL into its VMCB.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public static SvmTlbControl PrepareAsid(ref SvmAsidAssignment assignment, ref Vmcb vmcb)
        {
            // A new ASID also clears every VMCB clean bit (the allocator does it, AMD APM Vol. 2 §15.15).
            return s_asids.Prepare(ref assignment, ref vmcb);
        }

        public static bool Initialize(out string problem)
        {
            // Problems are single tokens (the fault= value of the RESULT line): CPUID 8000_0001h ECX bit 2 = SVM (the kernel
            // only gets here when CPUID.1:ECX.VMX is clear too), 8000_000Ah EDX bit 0 = nested paging (AMD APM Vol. 3 E.4).
            uint* r = stackalloc uint[4];
            Native.CpuId(0x80000001, 0, r);
            if ((r[2] & (1 << 2)) == 0) { problem = "CPU-without-VMX-or-SVM"; return false; }
            Native.CpuId(0x8000000A, 0, r);
            NestedPaging = (r[3] & 1) != 0;
            NripSave = (r[3] & (1 << 3)) != 0;
            if (!NestedPaging) { problem = "SVM-without-nested-paging"; return false; }
            ulong vmcr = Native.RdMsr(0xC0010114);
            if ((vmcr & (1 << 4)) != 0) { problem = "SVM-disabled-by-VM_CR.SVMDIS"; return false; }
            Native.WrMsr(0xC0000080, Native.RdMsr(0xC0000080) | (1UL << 12));         // EFER.SVME
            if (!PhysicalMemory.TryAllocate(out ulong hsave) || !PhysicalMemory.TryAllocate(out s_hostSave))
            { problem = "out-of-memory"; return false; }
            Native.WrMsr(0xC0010117, hsave);                                            // VM_HSAVE_PA
            // Permission maps: intercept every port and every MSR (AMD APM Vol. 2 §15.10, §15.11).
            if (!PhysicalMemory.TryAllocateContiguous(IoPermissionMap.Size, out s_iopm) ||
                !PhysicalMemory.TryAllocateContiguous(MsrPermissionMap.Size, out s_msrpm))
            { problem = "out-of-memory"; return false; }
            IoPermissionMap.TryInitialize(new Span<byte>((void*)s_iopm, IoPermissionMap.Size), true);
            MsrPermissionMap.TryInitialize(new Span<byte>((void*)s_msrpm, MsrPermissionMap.Size), true);
            IcedLengthDecoder.Instance = new SvmInstructionDecoder();
            uint* a = stackalloc uint[4];
            uint* e1 = stackalloc uint[4];
            uint* e8 = stackalloc uint[4];
            uint* l7 = stackalloc uint[4];
            uint* l1 = stackalloc uint[4];
            Native.CpuId(0x8000000A, 0, a);
            Native.CpuId(0x80000001, 0, e1);
            Native.CpuId(0x80000008, 0, e8);
            Native.CpuId(7, 0, l7);
            Native.CpuId(1, 0, l1);
            var svmCaps = SvmCapabilities.FromCpuid(a[0], a[1], a[3], e1[3], e8[0], l7[1], l7[2], l1[2]);
            s_checkContext = new SvmCheckContext(svmCaps, SvmCheckProfile.Apm);
            AsidCount = svmCaps.AsidCount;
            uint limit = Multiboot.OptionNumber("asids"u8, 0);
            if (limit >= 2 && limit < AsidCount) AsidCount = limit;
            s_asids = new SvmAsidAllocator(new SvmCapabilities(svmCaps.Revision, AsidCount, svmCaps.Features, svmCaps.PhysicalAddressBits,
                svmCaps.LinearAddressBits, svmCaps.LongMode, svmCaps.Cr4Supported, svmCaps.EferSupported));
            problem = null;
            return true;
        }

        /// <summary><c>run=svm-mutants</c>: the mutant module through real VMRUNs (see <see cref="SvmMutantRunner"/>).</summary>
        public static bool RunMutants(ReadOnlySpan<byte> module, bool skipFlagged) =>
            SvmMutantRunner.Run(module, skipFlagged, s_iopm, s_msrpm, s_hostSave, HostPagingCapabilities());

        private static PagingCapabilities HostPagingCapabilities()
        {
            uint* r = stackalloc uint[4];
            Native.CpuId(0x80000008, 0, r);
            byte phys = (byte)(r[0] & 0xFF);
            Native.CpuId(0x80000001, 0, r);
            return new PagingCapabilities
            {
                Vendor = CpuVendor.Amd,
                MaxPhysicalAddressBits = phys,
                LinearAddressBits = 48,
                Pages1GiB = (r[3] & (1u << 26)) != 0,
                NoExecute = (r[3] & (1u << 20)) != 0,
                Npt = true,
            };
        }

        public static void RunGuest(in GuestImage image, ref RunSummary summary)
        {
            var name = Multiboot.CString(image.Name);
            SerialGuestConsole.Begin(name);
            ulong ramSize = image.RamSize == 0 ? 8UL << 20 : image.RamSize;
            ulong allocsBefore = KernelHeap.AllocationCount;
            if (!PhysicalMemory.TryAllocateContiguous(ramSize, out ulong ramHost) ||
                !PhysicalMemory.TryAllocate(out ulong vmcbPa))
            {
                Results.Line(name, "svm", "error", "out-of-memory", default, 0, 0, 0);
                return;
            }
            var ram = new GuestRam { Host = (byte*)ramHost, Size = ramSize };
            if (image.Load + image.CodeLength > ramSize)
            {
                Results.Line(name, "svm", "error", "image-too-large", default, 0, 0, 0);
                return;
            }
            new ReadOnlySpan<byte>(image.Code, (int)image.CodeLength).CopyTo(new Span<byte>(ram.Host + image.Load, (int)image.CodeLength));

            // Second-level tables (NPT) from Xen.Sdk.Paging: guest-physical [0, ram) -> the host region.
            PagingCapabilities caps = HostPagingCapabilities();
            var npt = default(SecondLevelTables<NptFormat, KernelFrames>);
            PagingStatus st = SecondLevelTables<NptFormat, KernelFrames>.Create(new NptFormat(caps), new KernelFrames(), out npt);
            if (st == PagingStatus.Ok)
                st = npt.Map(new GuestPhysicalAddress(0), new HostPhysicalAddress(ramHost), ramSize, PageAttributes.ReadWriteExecute, PageSize.Size2MiB);
            if (st != PagingStatus.Ok)
            {
                Results.Line(name, "svm", "error", "npt-build-failed", default, 0, 0, 0);
                return;
            }

            Vmcb* vmcb = (Vmcb*)vmcbPa;
            ActiveVmcb = vmcb;
            SvmBackend.ConfigureControls(ref *vmcb, s_iopm, s_msrpm, NptFormat.MakeNestedCr3(npt.Root));
            vmcb->Intercepts3 |= SvmIntercept3.Intr;
            var vintr = vmcb->VirtualInterrupt;
            vintr.VIntrMasking = true;
            vmcb->VirtualInterrupt = vintr;
            if (image.Mode == 0)
            {
                // The guest's own page tables (Xen.Sdk.Paging, long-mode format): identity map of the low 4 GiB with
                // 2 MiB pages, in guest RAM at 0x10000-0x20000, as a PVH-style builder would provide.
                var frames = new GuestTableFrames { RamHost = ram.Host, Next = 0x10000, Limit = 0x20000 };
                st = GuestPageTables<LongModeFormat, GuestTableFrames>.Create(new LongModeFormat(caps), frames, out var gpt);
                if (st == PagingStatus.Ok)
                    st = gpt.Map(new GuestVirtualAddress(0), new GuestPhysicalAddress(0), 0x1_0000_0000UL, PageAttributes.ReadWriteExecute, PageSize.Size2MiB);
                if (st != PagingStatus.Ok)
                {
                    Results.Line(name, "svm", "error", "guest-page-tables-failed", default, 0, 0, 0);
                    return;
                }
                SvmBackend.SetupLongMode(ref *vmcb, image.Entry, image.Stack, gpt.Root.Value);
            }
            else if (image.Mode == 1) SvmBackend.SetupProtected32(ref *vmcb, image.Entry, image.Stack);
            else SvmBackend.SetupReal(ref *vmcb, (ushort)(image.Entry >> 16), (ushort)image.Entry, (ushort)image.Stack);

            // Guest flag bit 1: a deliberately invalid VMCB (EFER.SVME clear), to show the checker and the processor agree.
            if ((image.Flags & 2) != 0) vmcb->Efer &= ~(1UL << 12);

            // Loading the vCPU on this CPU: its ASID from Xen.Sdk.Svm's allocator (a fresh vCPU: no ASID yet), written into the
            // VMCB with the TLB_CONTROL of the first VMRUN (the world switch resets it to "do nothing" after each VMRUN).
            var svmSwitch = new NativeSvmSwitch { HostSave = s_hostSave, Bare = (image.Flags & 1) != 0, NripSave = NripSave };
            if ((image.Flags & 1) != 0) Results.PrepareBench(ram);
            svmSwitch.PendingTlb = PrepareAsid(ref svmSwitch.Asid, ref *vmcb);

            // The SDK's VMRUN checker (Xen.Sdk.Svm) before the first entry: the processor's consistency checks
            // (AMD APM Vol. 2 §15.5.1) evaluated on the prepared VMCB.
            VmrunCheckReport report = VmrunChecker.Check(in *vmcb, s_checkContext);
            PrintCheck(name, "before-first-vmrun", report);

            var vcpu = new SvmVcpu<NativeSvmSwitch, GuestRam, IcedLengthDecoder>(vmcb, vmcbPa, svmSwitch, ram, new IcedLengthDecoder(), NripSave);
            var dispatcher = new ExitDispatcher<GuestRam, SerialGuestConsole, HostCpu, BenchExtension>(
                ram, new SerialGuestConsole(), new HostCpu(), new BenchExtension(), HypercallInstruction.Vmmcall);
            XenServicesSetup.Configure(ref dispatcher.Xen, ram, name);   // kernel branch: Xen services (event channels, XenStore, console ring)
            var host = new KernelVcpuHost { StartTicks = Traps.Ticks, LimitTicks = (image.Flags & 1) != 0 ? Results.BenchWatchdogTicks : 500 };
            var state = new VcpuState { PendingVector = -1 };
            SvmBackend.ReadState(ref *vmcb, ref state);

            Serial.Write("XENSDK RUN guest=");
            Serial.Write(name);
            Serial.Write(" vendor=svm nrip=");
            Serial.Write(NripSave ? "1" : "0");
            Serial.Write(" asid="); Serial.WriteDec(svmSwitch.Asid.Asid);
            Serial.Write(" asid_generation="); Serial.WriteDec(svmSwitch.Asid.Generation);
            Serial.Write(" tlb_control="); Serial.WriteDec((ulong)svmSwitch.PendingTlb);
            Serial.WriteLine();
            MmioTestDevice.Emulated = 0;
            MmioTestDevice.Scratch = 0;
            Tsc.ReportFirstGuestEntry(name);
            ulong allocsAtEntry = KernelHeap.AllocationCount;
            ulong t0 = Native.Rdtsc();
            ulong exits = VcpuLoop.Run(ref vcpu, ref host, ref dispatcher, ref state, 1_000_000);
            ulong t1 = Native.Rdtsc();
            ulong allocsDuringRun = KernelHeap.AllocationCount - allocsAtEntry;
            SerialGuestConsole.Flush();
            ActiveVmcb = null;

            if (dispatcher.Fault == GuestFault.EntryFailure)
            {
                ReportEntryFailure(vmcb);
                PrintCheck(name, "vmexit-invalid", VmrunChecker.Check(in *vmcb, s_checkContext));
            }
            if ((image.Flags & 1) != 0) Results.Bench(name, ram, vcpu.Switch.BareExits);
            if ((image.Flags & 4) != 0) Results.XenBus(name, ram);      // kernel branch: xenbus guest figures
            Results.Line(name, "svm", dispatcher, state, exits, Tsc.Milliseconds(t1 - t0) , allocsDuringRun);
            summary.Count(dispatcher.Outcome, dispatcher.Fault);
            npt.Release();
            _ = allocsBefore;
        }

        private static void PrintCheck(ReadOnlySpan<byte> name, string when, VmrunCheckReport report)
        {
            Serial.Write("XENSDK VMRUN-CHECK guest=");
            Serial.Write(name);
            Serial.Write(" when=");
            Serial.Write(when);
            Serial.Write(" failures=");
            Serial.WriteDec((ulong)report.Count);
            Serial.Write(" checks=");
            bool first = true;
            foreach (SvmCheck check in report)
            {
                if (!first) Serial.Write((byte)',');
                Serial.WriteDec((ulong)check);
                first = false;
            }
            if (first) Serial.Write("none");
            Serial.WriteLine();
        }

        private static void ReportEntryFailure(Vmcb* vmcb)
        {
            // The fields the consistency checks look at (AMD APM Vol. 2 §15.5.1), next to the checker's report.
            Serial.Write("XENSDK VMEXIT_INVALID efer=0x"); Serial.WriteHex(vmcb->Efer);
            Serial.Write(" cr0=0x"); Serial.WriteHex(vmcb->Cr0);
            Serial.Write(" cr3=0x"); Serial.WriteHex(vmcb->Cr3);
            Serial.Write(" cr4=0x"); Serial.WriteHex(vmcb->Cr4);
            Serial.Write(" dr6=0x"); Serial.WriteHex(vmcb->Dr6);
            Serial.Write(" dr7=0x"); Serial.WriteHex(vmcb->Dr7);
            Serial.Write(" asid="); Serial.WriteDec((ulong)vmcb->GuestAsid);
            Serial.Write(" intercepts4=0x"); Serial.WriteHex((ulong)vmcb->Intercepts4, 8);
            Serial.Write(" iopm=0x"); Serial.WriteHex(vmcb->IopmBasePa);
            Serial.Write(" msrpm=0x"); Serial.WriteHex(vmcb->MsrpmBasePa);
            Serial.Write(" ncr3=0x"); Serial.WriteHex(vmcb->NestedCr3);
            Serial.Write(" cs.attr=0x"); Serial.WriteHex(vmcb->Cs.Attributes.Value, 4);
            Serial.WriteLine();
        }
    }

    /// <summary>Instruction lengths from Xen.Sdk.Svm's Iced-based decoder, compiled into the kernel (one decoder set
    /// allocated at boot; decoding allocates nothing).</summary>
    internal struct IcedLengthDecoder : IInstructionLengthDecoder
    {
        public static SvmInstructionDecoder Instance;

        public bool TryGetLength(ReadOnlySpan<byte> code, GuestMode mode, out int length)
        {
            // The unprefixed hot instructions never get here: InstructionLength.Measure sizes them first (FixedLength).
            return Instance.TryGetLength(code, mode == GuestMode.Long64 ? 64 : mode == GuestMode.Protected32 ? 32 : 16, out length);
        }
    }

    /// <summary>The benchmark's null hypercall (rax = 0xFFFF0000): handled before the built-in handlers with an empty
    /// body, so the guest measures the bare VMRUN -> #VMEXIT -> VMRUN round trip plus the dispatcher's entry.</summary>
    internal struct BenchExtension : IExitExtension
    {
        public const ulong NullHypercall = 0xFFFF0000;
        /// <summary>The bench guest's bare round trip: resumed by the world switch itself (<see cref="NativeSvmSwitch"/>,
        /// <see cref="VmxVcpu"/>), never seen by the dispatcher.</summary>
        public const ulong BareHypercall = 0xFFFF0001;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public bool TryHandle(ref VcpuState state, out ExitAction action)
        {
            action = ExitAction.Resume;
            if (state.Exit.Reason == ExitReason.NestedPageFault) return MmioTestDevice.TryEmulate(ref state);
            if (state.Exit.Reason != ExitReason.Hypercall || state.Gprs.Rax != NullHypercall) return false;
            state.Advance();
            return true;
        }
    }

    /// <summary>An emulated MMIO device in the page at guest-physical 0xFEB00000 (not RAM, so every access is a nested
    /// page fault): offset 0 = ID "XSDK" (read-only), offset 8 = 64-bit scratch register (byte-addressable). The
    /// faulting instruction is decoded with Iced (Xen.Sdk.Svm's decoder in the kernel): MOV loads and stores of 1, 2,
    /// 4 and 8 bytes, register or immediate source (Intel SDM Vol. 2B MOV).</summary>
    internal static class MmioTestDevice
    {
        public const ulong Base = 0xFEB00000;
        public const uint Id = 0x4B445358;   // "XSDK"
        public static ulong Scratch;
        public static ulong Emulated;

        /// <summary>GPR number of any general register, with the byte shift for AH/CH/DH/BH (8 for those, else 0).</summary>
        private static int Gpr(Iced.Intel.Register r, out int shift)
        {
            shift = 0;
            int n = SvmInstructionDecoder.Gpr(r);
            if (n >= 0) return n;
            if (r >= Iced.Intel.Register.AL && r <= Iced.Intel.Register.BL) return r - Iced.Intel.Register.AL;
            if (r >= Iced.Intel.Register.AH && r <= Iced.Intel.Register.BH) { shift = 8; return r - Iced.Intel.Register.AH; }
            if (r >= Iced.Intel.Register.SPL && r <= Iced.Intel.Register.DIL) return 4 + (r - Iced.Intel.Register.SPL);
            if (r >= Iced.Intel.Register.R8L && r <= Iced.Intel.Register.R15L) return 8 + (r - Iced.Intel.Register.R8L);
            return -1;
        }

        public static bool TryEmulate(ref VcpuState state)
        {
            ulong gpa = state.Exit.GuestPhysical;
            if (gpa < Base || gpa >= Base + 0x1000) return false;
            System.Span<byte> buf = stackalloc byte[16];
            var code = state.Exit.Code.CopyTo(buf);
            int bitness = state.Mode == GuestMode.Long64 ? 64 : state.Mode == GuestMode.Protected32 ? 32 : 16;
            if (!IcedLengthDecoder.Instance.TryDecode(code, bitness, state.Rip, out Iced.Intel.Instruction insn)) return false;
            if (insn.Mnemonic != Iced.Intel.Mnemonic.Mov) return false;
            int size = insn.MemorySize switch
            {
                Iced.Intel.MemorySize.UInt8 => 1, Iced.Intel.MemorySize.UInt16 => 2,
                Iced.Intel.MemorySize.UInt32 => 4, Iced.Intel.MemorySize.UInt64 => 8, _ => 0,
            };
            if (size == 0) return false;
            int offset = (int)(gpa - Base);
            ulong mask = size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
            if (insn.Op0Kind == Iced.Intel.OpKind.Memory)
            {
                ulong value;
                if (insn.Op1Kind == Iced.Intel.OpKind.Register)
                {
                    int reg = Gpr(insn.Op1Register, out int byteShift);
                    if (reg < 0) return false;
                    value = state.Gprs.Get(reg) >> byteShift;
                }
                else
                {
                    // Immediate operand by kind (Iced's GetImmediate formats an error message: not freestanding).
                    switch (insn.Op1Kind)
                    {
                        case Iced.Intel.OpKind.Immediate8: value = insn.Immediate8; break;
                        case Iced.Intel.OpKind.Immediate16: value = insn.Immediate16; break;
                        case Iced.Intel.OpKind.Immediate32: value = insn.Immediate32; break;
                        case Iced.Intel.OpKind.Immediate32to64: value = (ulong)insn.Immediate32to64; break;
                        default: return false;
                    }
                }
                if (offset >= 8 && offset + size <= 16)
                {
                    int shift = (offset - 8) * 8;
                    Scratch = (Scratch & ~(mask << shift)) | ((value & mask) << shift);
                }
            }
            else if (insn.Op1Kind == Iced.Intel.OpKind.Memory && insn.Op0Kind == Iced.Intel.OpKind.Register)
            {
                int reg = Gpr(insn.Op0Register, out int byteShift);
                if (reg < 0) return false;
                ulong value = offset >= 8 && offset + size <= 16 ? (Scratch >> ((offset - 8) * 8)) & mask
                            : offset + size <= 4 ? ((ulong)Id >> (offset * 8)) & mask : 0;
                ulong old = state.Gprs.Get(reg);
                // 32-bit destinations zero-extend in 64-bit mode; 8/16-bit ones keep the other bits (Intel SDM Vol. 1 §3.4.1.1).
                state.Gprs.Set(reg, size >= 4 ? value : (old & ~(mask << byteShift)) | (value << byteShift));
            }
            else return false;
            state.Rip += (ulong)insn.Length;
            Emulated++;
            return true;
        }
    }
}
