using System;
using Xen.Sdk.Vmx;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Differential;
using Xen.Sdk.Reference.Vmx;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>
    /// <c>run=vmx-mutants</c>: runs Xen.Sdk.Vmx's mutant module (docs/vmx.md "Formats (for the reference kernel)")
    /// through this kernel's VMX backend. The module's base image is ignored: the kernel builds its own
    /// (<see cref="VmcsTemplate.LongModeGuest"/> with its own host CR3/GDTR/IDTR/TR, guest RIP on a page of HLT with HLT
    /// exiting and every exception intercepted, guest CR3 = the host's identity map, no EPT) and prints it once as
    /// <c>VMXBASE &lt;hex of VmcsImage.TryWriteTo&gt;</c> so the host re-predicts with the same base. Per mutant:
    /// VMCLEAR + VMPTRLD, write the base, <see cref="Mutant.ApplyTo{TVmcs}"/>, VMLAUNCH once (an entered guest exits on
    /// its first HLT or exception), one <see cref="DifferentialResult"/> line.
    /// Skip rule (code 3, documented in docs/reference.md): a mutant that edits host RIP or host RSP (the world switch
    /// overwrites both), or any other host-state field unless Xen.Sdk.Vmx's checker on this kernel predicts VMfail
    /// (a failed control or host-state check, Intel SDM Vol. 3C §27.2, before the processor touches guest state): a
    /// mutant that enters, or that Bochs lets in despite a guest-state failure (its documented deviations), would load
    /// the foreign host state on VM exit and the kernel would not come back.
    /// </summary>
    internal static unsafe class VmxMutantRunner
    {
        public const uint SkipForeignHost = 3;

        public static bool TryFindModule(out ReadOnlySpan<byte> module)
        {
            for (int i = 0; i < Multiboot.ModuleCount; i++)
            {
                BootModule m = Multiboot.Modules[i];
                var span = new ReadOnlySpan<byte>((void*)m.Start, (int)(m.End - m.Start));
                if (MutantList.TryOpen(span, out _)) { module = span; return true; }
            }
            module = default;
            return false;
        }

        public static bool Run(ReadOnlySpan<byte> module, in VmxCapabilities caps, ulong hostTss, EntryCheckFailure* failures, int maxFailures)
        {
            if (!MutantList.TryOpen(module, out MutantList list)) return false;
            if (!PhysicalMemory.TryAllocate(out ulong vmcsPa) || !PhysicalMemory.TryAllocate(out ulong codePa) ||
                !PhysicalMemory.TryAllocate(out ulong stackPa) || !PhysicalMemory.TryAllocateContiguous(4 * 4096, out ulong linePa))
                return false;
            byte* code = (byte*)codePa;
            for (int i = 0; i < 4096; i++) code[i] = 0xF4;          // HLT throughout
            new Span<byte>((void*)stackPa, 4096).Clear();

            var layout = new VmcsTemplateLayout
            {
                HostRip = VmcsTemplateLayout.Default.HostRip,        // both overwritten by the world switch (boot.asm)
                HostRsp = VmcsTemplateLayout.Default.HostRsp,
                HostCr3 = Native.ReadCr3(),
                HostGdtrBase = Native.ReadGdtrBase(),
                HostIdtrBase = Native.ReadIdtrBase(),
                HostTrBase = hostTss,
                GuestRip = codePa,
                GuestRsp = stackPa + 4096,
                GuestCr3 = Native.ReadCr3(),
            };
            var good = new VmcsImage();
            VmcsTemplate.LongModeGuest(good, caps, layout);
            good.Write(VmcsFields.HostCr0, Native.ReadCr0());
            good.Write(VmcsFields.HostCr4, Native.ReadCr4());
            good.Write(VmcsFields.HostFsSelector, (ushort)0);
            good.Write(VmcsFields.HostGsSelector, (ushort)0);
            good.Write(VmcsFields.ExceptionBitmap, 0xFFFF_FFFFu);

            Span<byte> buf = new Span<byte>((void*)linePa, 4 * 4096);
            Span<byte> image = buf.Slice(0, 3 * 4096);
            Span<byte> line = buf.Slice(3 * 4096);
            if (!good.TryWriteTo(image, out int len)) return false;
            Serial.WriteLine("VMXM-BEGIN");
            Serial.Write("VMXBASE ");
            for (int i = 0; i < len; i++) Serial.WriteHex(image[i], 2);
            Serial.WriteLine();

            var work = new VmcsImage();
            var vmcs = new HardwareVmcs<KernelVmx>(default);
            var gprs = default(GuestRegisters);
            int ran = 0, skipped = 0, entered = 0;
            foreach (Mutant m in list)
            {
                bool host = false, hostRipRsp = false;
                for (int e = 0; e < m.EditCount; e++)
                {
                    uint enc = m.Edit(e).Encoding;
                    if (((enc >> 10) & 3) == 3) host = true;
                    if (enc == 0x6C14 || enc == 0x6C16) hostRipRsp = true;
                }
                bool skip = hostRipRsp;
                if (host && !skip)
                {
                    work.CopyFrom(good);
                    m.ApplyTo(work);   // shared generic code over the VmcsImage class: interface dispatch
                    EntryCheckReport report = VmEntryChecker.Check(work, caps, default, new Span<EntryCheckFailure>(failures, maxFailures));
                    skip = report.Outcome.Kind != EntryOutcomeKind.VmFailValid && report.Outcome.Kind != EntryOutcomeKind.VmFailInvalid;
                }
                DifferentialResult result;
                if (skip)
                {
                    result = new DifferentialResult(m.Id, default, 0, SkipForeignHost);
                    skipped++;
                }
                else
                {
                    new Span<byte>((void*)vmcsPa, 4096).Clear();
                    *(uint*)vmcsPa = caps.RevisionId;
                    if (!vmcs.Clear(vmcsPa).Succeeded || !vmcs.Load(vmcsPa).Succeeded) return false;
                    vmcs.WriteImage(good);
                    if (!m.ApplyTo(vmcs).Succeeded)
                        result = new DifferentialResult(m.Id, default, 0, 1);
                    else
                    {
                        gprs = default;
                        VmxInstructionResult r;
                        // SAFETY: gprs lives on this frame for the call; the stub reads and writes its 16 slots only.
                        var run = new HardwareVmcs<KernelVmx>(new KernelVmx { Gprs = &gprs });
                        r = run.Launch();
                        if (!r.Succeeded)
                            result = new DifferentialResult(m.Id, r.Status == VmxInstructionStatus.FailInvalid
                                ? new EntryOutcome(EntryOutcomeKind.VmFailInvalid, VmInstructionError.None, 0, 0)
                                : new EntryOutcome(EntryOutcomeKind.VmFailValid, r.Error, 0, 0), 0);
                        else
                        {
                            ulong reason = vmcs.Read(VmcsFields.ExitReason);
                            if ((reason & 0x8000_0000UL) != 0)
                                result = new DifferentialResult(m.Id, new EntryOutcome(EntryOutcomeKind.EntryFailure, VmInstructionError.None, (ushort)reason, vmcs.Read(VmcsFields.ExitQualification)), 0);
                            else
                            {
                                result = new DifferentialResult(m.Id, EntryOutcome.Success, (ushort)reason);
                                entered++;
                            }
                        }
                        ran++;
                    }
                    vmcs.Clear(vmcsPa);
                }
                if (!result.TryFormat(line, out int n)) return false;
                Serial.Write(line.Slice(0, n));
                Serial.WriteLine();
            }
            Serial.WriteLine("VMXM-END");
            Serial.Write("XENSDK VMXMUT count="); Serial.WriteDec((ulong)list.Count);
            Serial.Write(" ran="); Serial.WriteDec((ulong)ran);
            Serial.Write(" entered="); Serial.WriteDec((ulong)entered);
            Serial.Write(" skipped="); Serial.WriteDec((ulong)skipped);
            Serial.WriteLine();
            return true;
        }
    }
}
