using System;
using Xen.Sdk.Svm.Diagnostics;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Vectors;

/// <summary>The bring-up example of docs/svm.md, compiled and run (host side: the VMRUN is simulated by
/// writing the exit fields the processor would write).</summary>
public sealed class DocsExampleTests
{
    [Fact]
    public void Bring_up_example_runs()
    {
        // --- docs/svm.md: bring-up (begin) ---
        SvmCapabilities caps = SvmCapabilities.Qemu72Tcg;          // or SvmCapabilities.FromCpuid(...) on hardware
        byte[] vmcbPage = new byte[4096], iopm = new byte[IoPermissionMap.Size], msrpm = new byte[MsrPermissionMap.Size];
        ref Vmcb vmcb = ref Vmcb.FromPage(vmcbPage);                 // in place over the (physical) page

        VmcbSetup.Reset(ref vmcb, asid: 1);                          // VMRUN intercept, ASID, DR6/DR7, RFLAGS, G_PAT
        VmcbSetup.LongMode(ref vmcb, cr3: 0x1000, rip: 0x10_0000, rsp: 0x20_0000);
        IoPermissionMap.TryInitialize(iopm, interceptAll: true);     // intercept every port ...
        IoPermissionMap.TrySetIntercept(iopm, 0x80, false);          // ... except the POST port
        MsrPermissionMap.TryInitialize(msrpm, interceptAll: false);
        MsrPermissionMap.TrySetIntercept(msrpm, 0xC000_0080, interceptRead: false, interceptWrite: true); // EFER writes
        VmcbSetup.PermissionMaps(ref vmcb, iopmHostPhysical: 0x0050_0000, msrpmHostPhysical: 0x0050_4000);
        VmcbSetup.NestedPaging(ref vmcb, nestedCr3: 0x0060_0000, VmcbSetup.DefaultPat);
        vmcb.Intercepts3 |= SvmIntercept3.Cpuid | SvmIntercept3.Hlt | SvmIntercept3.Shutdown;
        vmcb.Intercepts4 |= SvmIntercept4.Vmmcall;

        VmrunCheckReport report = VmrunChecker.Check(in vmcb, new SvmCheckContext(caps, SvmCheckProfile.Qemu72));
        if (!report.IsValid) Console.WriteLine(SvmExplain.Explain(in vmcb, report)); // host-only text

        // ... VMRUN here (the kernel's native helper). Suppose the guest ran VMMCALL at RIP 10_0000h:
        vmcb.Control.ExitCode = (ulong)SvmExitCode.Vmmcall;
        vmcb.Save.Rip = 0x10_0000;
        ReadOnlySpan<byte> guestBytes = stackalloc byte[] { 0x0F, 0x01, 0xD9 };  // read from guest memory at CS:RIP

        var decoder = new SvmInstructionDecoder();                  // once per physical CPU
        SvmExit exit = SvmExit.Read(in vmcb);
        if (exit.Code == SvmExitCode.Vmmcall && SvmGuestMode.TryGetNextRip(in vmcb, in caps, decoder, guestBytes, out ulong next))
            vmcb.Rip = next;                                          // QEMU has no NRIP save: length from Iced
        vmcb.MarkClean(in caps);                                      // no-op without VMCB clean-bit support
        // --- docs/svm.md: bring-up (end) ---

        Assert.True(report.IsValid);
        Assert.Equal(0x10_0003ul, vmcb.Rip);
        Assert.False(IoPermissionMap.IsIntercepted(iopm, 0x80, 1));
        Assert.True(IoPermissionMap.IsIntercepted(iopm, 0x3F8, 1));
        Assert.True(MsrPermissionMap.IsIntercepted(msrpm, 0xC000_0080, write: true));
        Assert.False(MsrPermissionMap.IsIntercepted(msrpm, 0xC000_0080, write: false));
        Assert.Equal(0x0060_0000ul, vmcb.Control.NestedCr3);
        Assert.Equal(0x60_0000ul, BitConverter.ToUInt64(vmcbPage, 0xB0));
    }
}
