using System;
using System.Runtime;
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>Kernel entry (called by the boot stub in long mode) and machine exit.</summary>
    internal static unsafe class Entry
    {
        /// <summary>isa-debug-exit value for success: QEMU exits with (0x10 &lt;&lt; 1) | 1 = 33.</summary>
        public const uint ExitSuccess = 0x10;
        /// <summary>isa-debug-exit value for failure: QEMU exits with 35.</summary>
        public const uint ExitFailure = 0x11;
        private static ulong s_bootTsc;

        [RuntimeExport("xensdk_main")]
        private static void Main(uint magic, uint info)
        {
            s_bootTsc = Native.Rdtsc();
            Serial.Initialize();
            Serial.WriteLine("XENSDK BOOT Xen.Sdk reference hypervisor");
            if (magic != Multiboot.Magic) Fail("not loaded by a multiboot loader");
            if (!PhysicalMemory.Initialize(info)) Fail("no usable memory in the multiboot memory map");
            if (!PhysicalMemory.TryAllocateContiguous(8UL << 20, out ulong heap)) Fail("no memory for the kernel heap");
            KernelHeap.Initialize((void*)heap, (nuint)(8UL << 20));
            int gcBases = StartupCodeHelpers.InitializeModules(Native.ModulesStart(), Native.ModulesEnd());
            Multiboot.Parse(info);
            Traps.Initialize();
            Tsc.Calibrate();
            SerialGuestConsole.Initialize();

            Serial.Write("XENSDK PLATFORM memory_mib=");
            Serial.WriteDec(PhysicalMemory.TotalAvailable >> 20);
            Serial.Write(" pool=0x"); Serial.WriteHex(PhysicalMemory.Base, 1);
            Serial.Write("-0x"); Serial.WriteHex(PhysicalMemory.End, 1);
            Serial.Write(" tsc_per_ms="); Serial.WriteDec(Tsc.TicksPerMs);
            Serial.Write(" modules="); Serial.WriteDec((ulong)Multiboot.ModuleCount);
            Serial.Write(" gc_static_bases="); Serial.WriteDec((ulong)gcBases);
            Serial.Write(" image=0x"); Serial.WriteHex(Native.ImageStart(), 1);
            Serial.Write("-0x"); Serial.WriteHex(Native.ImageEnd(), 1);
            Serial.WriteLine();
            Serial.Write("XENSDK CMDLINE ");
            Serial.Write(Multiboot.CString(Multiboot.CommandLine));
            Serial.WriteLine();

            ReadOnlySpan<byte> run = Multiboot.Option("run"u8);
            if (run.SequenceEqual("selftest-statics"u8)) Results.SelfTest();
            if (run.SequenceEqual("selftest-trap"u8))
            {
                // Deliberate #UD to show the trap diagnosis path.
                Serial.WriteLine("XENSDK SELFTEST trap");
                ulong* bad = (ulong*)0x7FFF_FFFF_F000UL;
                *bad = 1;
            }

            Results.Warm();          // run the result formatter's class constructor now: no allocation after boot
            Traps.StartTimer();
            SelfTests.InterfaceDispatchSelfTest.Run();    // the runtime's interface dispatch, once per boot, before any guest
            bool vmx = VmxHost.Detect();
            string problem;
            if (vmx ? !VmxHost.Initialize(out problem) : !SvmHost.Initialize(out problem))
            {
                Serial.Write("XENSDK RESULT guest=none vendor=none outcome=error fault=");
                Serial.Write(problem);
                Serial.WriteLine();
                Exit(ExitFailure);
            }

            if (run.SequenceEqual("svm-mutants"u8))
            {
                // One boot runs Xen.Sdk.Svm's whole mutant module (docs/svm.md "Differential testing").
                if (vmx) { Serial.WriteLine("XENSDK RESULT guest=svm-mutants vendor=vmx outcome=error fault=not-svm"); Exit(ExitFailure); }
                if (!SvmMutantRunner.TryFindModule(out ReadOnlySpan<byte> module))
                { Serial.WriteLine("XENSDK RESULT guest=svm-mutants vendor=svm outcome=error fault=no-mutant-module"); Exit(ExitFailure); }
                bool ok = SvmHost.RunMutants(module, Multiboot.Option("skip-flagged"u8).SequenceEqual("1"u8));
                Serial.Write("XENSDK DONE mode=svm-mutants ok="); Serial.Write(ok ? "1" : "0");
                Serial.Write(" ms="); Serial.WriteDec(Tsc.Milliseconds(Native.Rdtsc() - s_bootTsc));
                Serial.WriteLine();
                Exit(ok ? ExitSuccess : ExitFailure);
            }

            if (run.SequenceEqual("vmx-mutants"u8))
            {
                // One boot runs Xen.Sdk.Vmx's whole mutant module (docs/reference.md "VMX mutants through the reference kernel").
                if (!vmx) { Serial.WriteLine("XENSDK RESULT guest=vmx-mutants vendor=svm outcome=error fault=not-vmx"); Exit(ExitFailure); }
                if (!VmxMutantRunner.TryFindModule(out ReadOnlySpan<byte> module))
                { Serial.WriteLine("XENSDK RESULT guest=vmx-mutants vendor=vmx outcome=error fault=no-mutant-module"); Exit(ExitFailure); }
                bool ok = VmxHost.RunMutants(module);
                Serial.Write("XENSDK DONE mode=vmx-mutants ok="); Serial.Write(ok ? "1" : "0");
                Serial.Write(" ms="); Serial.WriteDec(Tsc.Milliseconds(Native.Rdtsc() - s_bootTsc));
                Serial.WriteLine();
                Exit(ok ? ExitSuccess : ExitFailure);
            }

            var summary = default(RunSummary);
            ulong allocsBefore = KernelHeap.AllocationCount;
            for (int i = 0; i < Multiboot.ModuleCount; i++)
            {
                BootModule m = Multiboot.Modules[i];
                if (!GuestImage.TryParse(m.Start, m.End, out GuestImage image)) continue;
                ReadOnlySpan<byte> name = Multiboot.CString(image.Name);
                if (!run.SequenceEqual("all"u8) && !run.SequenceEqual(name)) continue;
                if (Multiboot.Option("skip"u8).SequenceEqual(name)) continue;
                if (summary.Guests == 0)
                {
                    Serial.Write("XENSDK TIMING boot_to_first_guest_ms=");
                    Serial.WriteDec(Tsc.Milliseconds(Native.Rdtsc() - s_bootTsc));
                    Serial.WriteLine();
                }
                if (vmx) VmxHost.RunGuest(image, ref summary);
                else SvmHost.RunGuest(image, ref summary);
            }
            Serial.Write("XENSDK DONE guests="); Serial.WriteDec((ulong)summary.Guests);
            Serial.Write(" shutdown="); Serial.WriteDec((ulong)summary.Shutdown);
            Serial.Write(" halted="); Serial.WriteDec((ulong)summary.Halted);
            Serial.Write(" faulted="); Serial.WriteDec((ulong)summary.Faulted);
            Serial.Write(" timeout="); Serial.WriteDec((ulong)summary.Timeout);
            Serial.Write(" heap_allocs="); Serial.WriteDec(KernelHeap.AllocationCount);
            Serial.Write(" heap_allocs_during_guests="); Serial.WriteDec(KernelHeap.AllocationCount - allocsBefore);
            Serial.Write(" ms="); Serial.WriteDec(Tsc.Milliseconds(Native.Rdtsc() - s_bootTsc));
            Serial.WriteLine();
            Exit(summary.Guests > 0 ? ExitSuccess : ExitFailure);
        }

        /// <summary>Panic: prints the reason and machine state, exits with the failure status.</summary>
        public static void Fail(string message)
        {
            Serial.Write("XENSDK PANIC ");
            Serial.Write(message);
            Serial.Write(" rsp=0x"); Serial.WriteHex(Native.ReadRsp());
            Serial.Write(" cr0=0x"); Serial.WriteHex(Native.ReadCr0());
            Serial.Write(" cr3=0x"); Serial.WriteHex(Native.ReadCr3());
            Serial.Write(" cr4=0x"); Serial.WriteHex(Native.ReadCr4());
            Serial.Write(" efer=0x"); Serial.WriteHex(Native.RdMsr(0xC0000080));
            Serial.WriteLine();
            if (VmxHost.Active) VmxHost.PrintPanicState();
            if (SvmHost.ActiveVmcb != null)
            {
                var v = SvmHost.ActiveVmcb;
                Serial.Write("XENSDK PANIC vmcb exitcode=0x"); Serial.WriteHex(v->Control.ExitCode);
                Serial.Write(" exitinfo1=0x"); Serial.WriteHex(v->Control.ExitInfo1);
                Serial.Write(" exitinfo2=0x"); Serial.WriteHex(v->Control.ExitInfo2);
                Serial.Write(" guest_rip=0x"); Serial.WriteHex(v->Rip);
                Serial.Write(" guest_rsp=0x"); Serial.WriteHex(v->Rsp);
                Serial.Write(" guest_cr0=0x"); Serial.WriteHex(v->Cr0);
                Serial.Write(" guest_efer=0x"); Serial.WriteHex(v->Efer);
                Serial.WriteLine();
            }
            Exit(ExitFailure);
        }

        [RuntimeExport("XenSdkFailFast")]
        private static void FailFast(char* message, int length)
        {
            Serial.Write("XENSDK PANIC runtime: ");
            Serial.Write(message, length);
            Serial.WriteLine();
            Fail("runtime failure");
        }

        public static void Exit(uint status)
        {
            Serial.Drain();
            Native.OutB(0xF4, status);                                        // QEMU isa-debug-exit
            for (int i = 0; i < 8; i++) Native.OutB(0x8900, "Shutdown"[i]);   // Bochs
            while (true) { Native.Cli(); Native.Hlt(); }
        }
    }
}
