using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Reference.Tests.Emulators;
using Xen.Sdk.Reference.Vmx;
using Xen.Sdk.Vmx;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Vmx;

/// <summary><see cref="VmxExitFields"/> is shared by three parties that must agree: its own encoding table, Xen.Sdk.Vmx's
/// field table (Intel SDM Vol. 3D Appendix B, checked there), and the kernel's boot stub, which VMREADs the fields into
/// it by byte offset after every VM exit and VMWRITEs guest RIP/RSP/RFLAGS from it before every entry.</summary>
public sealed class VmxExitFieldsTests
{
    private static readonly (string Field, VmcsFieldId Id)[] Expected =
    [
        (nameof(VmxExitFields.ExitReason), VmcsFields.ExitReason.Id),
        (nameof(VmxExitFields.ExitQualification), VmcsFields.ExitQualification.Id),
        (nameof(VmxExitFields.IdtVectoringInformation), VmcsFields.IdtVectoringInfo.Id),
        (nameof(VmxExitFields.ExitInstructionLength), VmcsFields.ExitInstructionLength.Id),
        (nameof(VmxExitFields.GuestRip), VmcsFields.GuestRip.Id),
        (nameof(VmxExitFields.GuestRsp), VmcsFields.GuestRsp.Id),
        (nameof(VmxExitFields.GuestRflags), VmcsFields.GuestRflags.Id),
        (nameof(VmxExitFields.GuestCr0), VmcsFields.GuestCr0.Id),
        (nameof(VmxExitFields.GuestCr3), VmcsFields.GuestCr3.Id),
        (nameof(VmxExitFields.GuestCr4), VmcsFields.GuestCr4.Id),
        (nameof(VmxExitFields.GuestCsBase), VmcsFields.GuestCsBase.Id),
        (nameof(VmxExitFields.GuestCsAccessRights), VmcsFields.GuestCsAccessRights.Id),
        (nameof(VmxExitFields.GuestSsAccessRights), VmcsFields.GuestSsAccessRights.Id),
    ];

    [Fact]
    public void EncodingsFollowTheDeclarationOrderAndTheFieldTable()
    {
        Assert.Equal(VmxExitFields.Count, VmxExitFields.Encodings.Length);
        Assert.Equal(VmxExitFields.Count * 8, Marshal.SizeOf<VmxExitFields>());
        for (int i = 0; i < Expected.Length; i++)
        {
            Assert.Equal(i * 8, (int)Marshal.OffsetOf<VmxExitFields>(Expected[i].Field));
            Assert.Equal(Expected[i].Id.Encoding, VmxExitFields.Encodings[i]);
        }
    }

    /// <summary>The boot stub's moves, read from its source: each <c>mov eax, encoding</c> followed by a VMREAD into (or a
    /// VMWRITE from) <c>[reg + offset]</c> must pair the encoding with the field at that offset.</summary>
    [Fact]
    public void TheBootStubMovesEachFieldAtItsOffset()
    {
        string asm = File.ReadAllText(Path.Combine(KernelImage.RepoRoot, "src", "Xen.Sdk.Reference", "Kernel", "Boot", "boot.asm"));
        int start = asm.IndexOf("xensdk_vmx_run:", StringComparison.Ordinal);
        int end = asm.IndexOf(".no_exit_fields:", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the VMX world switch was not found in boot.asm");
        string body = asm[start..end];
        var pair = new Regex(@"mov eax, 0x([0-9A-Fa-f]+)[^\n]*\n\s*(vmread \[rdi(?: \+ (\d+))?\], rax|vmwrite rax, \[rdx \+ (\d+)\])");
        var reads = new Dictionary<int, uint>();
        var writes = new Dictionary<int, uint>();
        foreach (Match m in pair.Matches(body))
        {
            uint encoding = Convert.ToUInt32(m.Groups[1].Value, 16);
            if (m.Groups[2].Value.StartsWith("vmread", StringComparison.Ordinal))
                reads[m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0] = encoding;
            else
                writes[int.Parse(m.Groups[4].Value)] = encoding;
        }
        Assert.Equal(VmxExitFields.Count, reads.Count);
        for (int i = 0; i < VmxExitFields.Count; i++) Assert.Equal(VmxExitFields.Encodings[i], reads[i * 8]);
        Assert.Equal(3, writes.Count);
        Assert.Equal(VmcsFields.GuestRip.Id.Encoding, writes[(int)Marshal.OffsetOf<VmxExitFields>(nameof(VmxExitFields.GuestRip))]);
        Assert.Equal(VmcsFields.GuestRsp.Id.Encoding, writes[(int)Marshal.OffsetOf<VmxExitFields>(nameof(VmxExitFields.GuestRsp))]);
        Assert.Equal(VmcsFields.GuestRflags.Id.Encoding, writes[(int)Marshal.OffsetOf<VmxExitFields>(nameof(VmxExitFields.GuestRflags))]);
    }

    /// <summary>Reading the state from the fields gives what reading it through VMREADs gives.</summary>
    [Property]
    public bool ReadStateFromFieldsAgreesWithReadStateThroughTheVmcs(ulong rip, ulong rsp, ulong rflags, ulong cr0, ulong cr3, ulong cr4,
        ulong csBase, ushort csAr, ushort ssAr, bool ia32e)
    {
        var image = new VmcsImage();
        image.Write(VmcsFields.GuestRip, rip);
        image.Write(VmcsFields.GuestRsp, rsp);
        image.Write(VmcsFields.GuestRflags, rflags);
        image.Write(VmcsFields.GuestCr0, cr0);
        image.Write(VmcsFields.GuestCr3, cr3);
        image.Write(VmcsFields.GuestCr4, cr4);
        image.Write(VmcsFields.GuestCsBase, csBase);
        image.Write(VmcsFields.GuestCsAccessRights, (uint)csAr);
        image.Write(VmcsFields.GuestSsAccessRights, (uint)ssAr);
        var viaVmcs = new VcpuState { PendingVector = -1 };
        VmxBackend.ReadState(image, ia32e, ref viaVmcs);
        var fields = new VmxExitFields
        {
            GuestRip = rip, GuestRsp = rsp, GuestRflags = rflags, GuestCr0 = cr0, GuestCr3 = cr3, GuestCr4 = cr4,
            GuestCsBase = csBase, GuestCsAccessRights = csAr, GuestSsAccessRights = ssAr,
        };
        var viaFields = new VcpuState { PendingVector = -1 };
        VmxBackend.ReadState(fields, ia32e, ref viaFields);
        return viaVmcs.Rip == viaFields.Rip && viaVmcs.Gprs.Rsp == viaFields.Gprs.Rsp && viaVmcs.Rflags == viaFields.Rflags &&
               viaVmcs.Cr0 == viaFields.Cr0 && viaVmcs.Cr3 == viaFields.Cr3 && viaVmcs.Cr4 == viaFields.Cr4 &&
               viaVmcs.CsBase == viaFields.CsBase && viaVmcs.Cpl == viaFields.Cpl && viaVmcs.Mode == viaFields.Mode &&
               viaVmcs.Efer == viaFields.Efer && viaVmcs.InterruptShadow == viaFields.InterruptShadow;
    }
}
