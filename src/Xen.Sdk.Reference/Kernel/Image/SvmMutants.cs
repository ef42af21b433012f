using System;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Reference.Svm;
using Xen.Sdk.Svm;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>Guest page-table frames for the mutant runner: host frames, handed to the guest at the same address
    /// (the runner's nested page tables are an identity map, so guest-physical = host-physical).</summary>
    internal unsafe struct IdentityGuestFrames : IGuestFrameSource
    {
        public bool TryAllocateFrame(out GuestPhysicalAddress frame)
        {
            bool ok = PhysicalMemory.TryAllocate(out ulong f);
            if (ok) new Span<byte>((void*)f, 4096).Clear();
            frame = new GuestPhysicalAddress(f);
            return ok;
        }

        public void FreeFrame(GuestPhysicalAddress frame) => PhysicalMemory.Free(frame.Value);

        // SAFETY: frames come from the kernel allocator (below 4 GiB), which the boot stub identity-maps.
        public byte* MapFrame(GuestPhysicalAddress frame) => (byte*)frame.Value;
    }

    /// <summary>
    /// <c>run=svm-mutants</c>: runs Xen.Sdk.Svm's mutant module (docs/svm.md "Mutant module") from this 64-bit host
    /// with paging on. A known-good VMCB (64-bit guest, guest paging, nested paging over an identity map of 0-4 GiB, so
    /// the guest sees the same memory whether a mutant clears NP_ENABLE or not) is printed once as <c>SVMMUT-BASE</c>;
    /// for each record the base is copied into the working VMCB, the patches applied, VMRUN executed once and one
    /// <c>SVMMUT</c> line printed. The guest's code page is all UD2 with every exception intercepted, so an accepted
    /// VMRUN exits at its first instruction (HLT, shutdown and physical interrupts are intercepted as well); the
    /// world switch restores the host state (VMSAVE/VMLOAD, AMD APM Vol. 2 §15.5.2), and the next mutant starts again
    /// from the base. <c>skip-flagged=1</c> (Bochs) prints records with flag bit 0, and mutants Bochs 2.7 would PANIC on (see
    /// <see cref="PagedRealMode"/>), as skipped.
    /// </summary>
    internal static unsafe class SvmMutantRunner
    {
        public static bool TryFindModule(out ReadOnlySpan<byte> module)
        {
            for (int i = 0; i < Multiboot.ModuleCount; i++)
            {
                BootModule m = Multiboot.Modules[i];
                var span = new ReadOnlySpan<byte>((void*)m.Start, (int)(m.End - m.Start));
                if (SvmMutantFile.TryGetCount(span, out _)) { module = span; return true; }
            }
            module = default;
            return false;
        }

        public static bool Run(ReadOnlySpan<byte> module, bool skipFlagged, ulong iopm, ulong msrpm, ulong hostSave, PagingCapabilities caps)
        {
            if (!SvmMutantFile.TryGetCount(module, out int count)) return false;
            if (!PhysicalMemory.TryAllocate(out ulong basePa) || !PhysicalMemory.TryAllocate(out ulong vmcbPa) ||
                !PhysicalMemory.TryAllocate(out ulong codePa) || !PhysicalMemory.TryAllocate(out ulong stackPa) ||
                !PhysicalMemory.TryAllocateContiguous(3 * 4096, out ulong linePa))
                return false;
            // The guest's code page: UD2 (0F 0B) throughout, so any entry exits at once with #UD.
            byte* code = (byte*)codePa;
            for (int i = 0; i < 4096; i += 2) { code[i] = 0x0F; code[i + 1] = 0x0B; }
            new Span<byte>((void*)stackPa, 4096).Clear();

            // Nested page tables (Xen.Sdk.Paging): identity map of guest-physical 0-4 GiB, 2 MiB pages.
            var npt = default(SecondLevelTables<NptFormat, KernelFrames>);
            PagingStatus st = SecondLevelTables<NptFormat, KernelFrames>.Create(new NptFormat(caps), new KernelFrames(), out npt);
            if (st == PagingStatus.Ok)
                st = npt.Map(new GuestPhysicalAddress(0), new HostPhysicalAddress(0), 0x1_0000_0000UL, PageAttributes.ReadWriteExecute, PageSize.Size2MiB);
            // The guest's own long-mode page tables: identity map of 0-4 GiB as well.
            var gpt = default(GuestPageTables<LongModeFormat, IdentityGuestFrames>);
            if (st == PagingStatus.Ok)
                st = GuestPageTables<LongModeFormat, IdentityGuestFrames>.Create(new LongModeFormat(caps), new IdentityGuestFrames(), out gpt);
            if (st == PagingStatus.Ok)
                st = gpt.Map(new GuestVirtualAddress(0), new GuestPhysicalAddress(0), 0x1_0000_0000UL, PageAttributes.ReadWriteExecute, PageSize.Size2MiB);
            if (st != PagingStatus.Ok) return false;

            ref Vmcb good = ref *(Vmcb*)basePa;
            Vmcb.AsBytes(ref good).Clear();
            SvmBackend.ConfigureControls(ref good, iopm, msrpm, NptFormat.MakeNestedCr3(npt.Root));
            good.Intercepts3 |= SvmIntercept3.Intr;
            good.ExceptionIntercepts = 0xFFFFFFFF;
            var vintr = good.VirtualInterrupt;
            vintr.VIntrMasking = true;
            good.VirtualInterrupt = vintr;
            SvmBackend.SetupLongMode(ref good, codePa, stackPa + 4096, gpt.Root.Value);
            good.MarkAllDirty();

            Span<byte> line = new Span<byte>((void*)linePa, 3 * 4096);
            Serial.WriteLine("SVMMUT-BEGIN");
            int n = SvmMutantResultLine.FormatBase(line, ref good);
            Serial.Write(line.Slice(0, n));

            ref Vmcb work = ref *(Vmcb*)vmcbPa;
            var gprs = default(GuestRegisters);
            int ran = 0, invalid = 0, skipped = 0;
            for (int i = 0; i < count; i++)
            {
                if (!SvmMutantFile.TryReadRecord(module, i, out uint id, out _)) return false;
                Vmcb.AsBytes(ref good).CopyTo(Vmcb.AsBytes(ref work));
                if (!SvmMutantFile.TryApply(module, i, ref work)) return false;
                if (skipFlagged && ((SvmMutantFile.ReadFlags(module, i) & 1) != 0 || PagedRealMode(in work)))
                {
                    // Same id format as SvmMutantResultLine (8 upper-case hex digits): "SVMMUT id=000003EA skipped".
                    Serial.Write("SVMMUT id=");
                    for (int d = 7; d >= 0; d--) { uint x = (id >> (d * 4)) & 0xF; Serial.Write((byte)(x < 10 ? '0' + x : 'A' + x - 10)); }
                    Serial.WriteLine(" skipped");
                    skipped++;
                    continue;
                }
                gprs = default;
                gprs.Rax = work.Rax;
                ActiveVmcb(vmcbPa);
                Native.SvmRun(vmcbPa, &gprs, hostSave);
                SvmHost.ActiveVmcb = null;
                n = SvmMutantResultLine.Format(line, id, in work);
                Serial.Write(line.Slice(0, n));
                ran++;
                if ((uint)work.Control.ExitCode == 0xFFFFFFFFu) invalid++;
            }
            Serial.WriteLine("SVMMUT-END");
            Serial.Write("XENSDK SVMMUT count="); Serial.WriteDec((ulong)count);
            Serial.Write(" ran="); Serial.WriteDec((ulong)ran);
            Serial.Write(" invalid="); Serial.WriteDec((ulong)invalid);
            Serial.Write(" skipped="); Serial.WriteDec((ulong)skipped);
            Serial.WriteLine();
            return true;
        }

        /// <summary>Bochs 2.7 accepts a guest with long mode active (EFER.LMA, or EFER.LME with CR0.PG) but CR0.PE clear
        /// and then stops the whole emulator (<c>PANIC: change_cpu_mode: EFER.LMA is set when CR0.PE=0</c>); the APM
        /// rejects that VMCB (AMD APM Vol. 2 §15.5.1). With skip-flagged=1 such mutants are reported as skipped.</summary>
        public static bool PagedRealMode(in Vmcb v) =>
            (v.Save.Cr0 & 1) == 0 && ((v.Save.Efer & 0x400) != 0 || ((v.Save.Efer & 0x100) != 0 && (v.Save.Cr0 & 0x8000_0000UL) != 0));

        private static void ActiveVmcb(ulong pa) => SvmHost.ActiveVmcb = (Vmcb*)pa;
    }
}
