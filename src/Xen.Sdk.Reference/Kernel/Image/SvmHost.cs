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
    /// <summary>VMRUN through the boot stub (VMSAVE/VMLOAD around it, GIF cleared).</summary>
    internal unsafe struct NativeSvmSwitch : ISvmWorldSwitch
    {
        public ulong HostSave;

        public void Run(ulong vmcbPhysical, ref GuestRegisters gprs)
        {
            fixed (GuestRegisters* g = &gprs) Native.SvmRun(vmcbPhysical, g, HostSave);
        }
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
        public static Vmcb* ActiveVmcb;

        public static bool Initialize(out string problem)
        {
            uint* r = stackalloc uint[4];
            Native.CpuId(0x80000001, 0, r);
            if ((r[2] & (1 << 2)) == 0) { problem = "CPU has no SVM (CPUID 8000_0001h ECX bit 2)"; return false; }
            Native.CpuId(0x8000000A, 0, r);
            NestedPaging = (r[3] & 1) != 0;
            NripSave = (r[3] & (1 << 3)) != 0;
            if (!NestedPaging) { problem = "CPU has no nested paging (CPUID 8000_000Ah EDX bit 0)"; return false; }
            ulong vmcr = Native.RdMsr(0xC0010114);
            if ((vmcr & (1 << 4)) != 0) { problem = "SVM disabled by firmware (VM_CR.SVMDIS)"; return false; }
            Native.WrMsr(0xC0000080, Native.RdMsr(0xC0000080) | (1UL << 12));         // EFER.SVME
            if (!PhysicalMemory.TryAllocate(out ulong hsave) || !PhysicalMemory.TryAllocate(out s_hostSave))
            { problem = "out of memory"; return false; }
            Native.WrMsr(0xC0010117, hsave);                                            // VM_HSAVE_PA
            // Permission maps: intercept every port and every MSR (AMD APM Vol. 2 §15.10, §15.11).
            if (!PhysicalMemory.TryAllocateContiguous(IoPermissionMap.Size, out s_iopm) ||
                !PhysicalMemory.TryAllocateContiguous(MsrPermissionMap.Size, out s_msrpm))
            { problem = "out of memory"; return false; }
            IoPermissionMap.TryInitialize(new Span<byte>((void*)s_iopm, IoPermissionMap.Size), true);
            MsrPermissionMap.TryInitialize(new Span<byte>((void*)s_msrpm, MsrPermissionMap.Size), true);
            problem = null;
            return true;
        }

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

            var vcpu = new SvmVcpu<NativeSvmSwitch, GuestRam>(vmcb, vmcbPa, new NativeSvmSwitch { HostSave = s_hostSave }, ram, NripSave);
            var dispatcher = new ExitDispatcher<GuestRam, SerialGuestConsole, HostCpu, BenchExtension>(
                ram, new SerialGuestConsole(), new HostCpu(), new BenchExtension(), HypercallInstruction.Vmmcall);
            var host = new KernelVcpuHost { StartTicks = Traps.Ticks, LimitTicks = 500 };
            var state = new VcpuState { PendingVector = -1 };
            SvmBackend.ReadState(ref *vmcb, ref state);

            Serial.Write("XENSDK RUN guest=");
            Serial.Write(name);
            Serial.Write(" vendor=svm nrip=");
            Serial.Write(NripSave ? "1" : "0");
            Serial.WriteLine();
            ulong allocsAtEntry = KernelHeap.AllocationCount;
            ulong t0 = Native.Rdtsc();
            ulong exits = VcpuLoop.Run(ref vcpu, ref host, ref dispatcher, ref state, 1_000_000);
            ulong t1 = Native.Rdtsc();
            ulong allocsDuringRun = KernelHeap.AllocationCount - allocsAtEntry;
            SerialGuestConsole.Flush();
            ActiveVmcb = null;

            if (dispatcher.Fault == GuestFault.EntryFailure) ReportEntryFailure(vmcb);
            if ((image.Flags & 1) != 0) Results.Bench(name, ram);
            Results.Line(name, "svm", dispatcher, state, exits, Tsc.Milliseconds(t1 - t0) , allocsDuringRun);
            summary.Count(dispatcher.Outcome, dispatcher.Fault);
            npt.Release();
            _ = allocsBefore;
        }

        private static void ReportEntryFailure(Vmcb* vmcb)
        {
            // Xen.Sdk.Svm does not provide its VMRUN checker yet (requested in the kernel report); print the fields
            // the consistency checks look at (AMD APM Vol. 2 §15.5.1).
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

    /// <summary>The benchmark's null hypercall (rax = 0xFFFF0000): handled before the built-in handlers with an empty
    /// body, so the guest measures the bare VMRUN -> #VMEXIT -> VMRUN round trip plus the dispatcher's entry.</summary>
    internal struct BenchExtension : IExitExtension
    {
        public const ulong NullHypercall = 0xFFFF0000;

        public bool TryHandle(ref VcpuState state, out ExitAction action)
        {
            action = ExitAction.Resume;
            if (state.Exit.Reason != ExitReason.Hypercall || state.Gprs.Rax != NullHypercall) return false;
            state.Advance();
            return true;
        }
    }
}
