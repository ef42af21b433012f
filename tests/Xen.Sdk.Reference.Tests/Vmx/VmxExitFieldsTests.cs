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

    /// <summary>The state read from the fields, and through VMREADs of an image holding them (which fills the fields
    /// with <see cref="VmxExitFields.ReadGuestState{TVmcs}"/>), against the manuals: RIP/RSP/RFLAGS/CR0/CR3/CR4 and the CS
    /// base copied, CPL = SS.DPL (Intel SDM Vol. 3C §25.4.1), EFER.LMA/LME from "IA-32e mode guest", the mode from CR0.PE,
    /// IA-32e mode and CS.L/CS.D (Intel SDM Vol. 3A §5.2.1), and an interrupt shadow assumed until the interruptibility
    /// state is read.</summary>
    [Property]
    public bool ReadStateFollowsTheManuals(ulong seed, bool ia32e)
    {
        // Every field scrambled from the seed (SplitMix64), so that all bits of the access rights and CR0.PE vary (FsCheck's
        // own small integers would leave the high bits of a ushort at zero).
        ulong n = seed;
        ulong Next() => Dispatch.HotPathGuest.Mix(++n);
        ulong rip = Next(), rsp = Next(), rflags = Next(), cr0 = Next(), cr3 = Next(), cr4 = Next(), csBase = Next();
        ushort csAr = (ushort)Next(), ssAr = (ushort)Next();
        var fields = new VmxExitFields
        {
            GuestRip = rip, GuestRsp = rsp, GuestRflags = rflags, GuestCr0 = cr0, GuestCr3 = cr3, GuestCr4 = cr4,
            GuestCsBase = csBase, GuestCsAccessRights = csAr, GuestSsAccessRights = ssAr,
        };
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
        GuestMode mode = (cr0 & 1) == 0 ? GuestMode.Real16
            : ia32e && (csAr & 0x2000) != 0 ? GuestMode.Long64
            : (csAr & 0x4000) != 0 ? GuestMode.Protected32 : GuestMode.Protected16;
        bool Expected(in VcpuState s) =>
            s.Rip == rip && s.Gprs.Rsp == rsp && s.Rflags == rflags && s.Cr0 == cr0 && s.Cr3 == cr3 && s.Cr4 == cr4 &&
            s.CsBase == csBase && s.Cpl == ((ssAr >> 5) & 3) && s.Efer == (ia32e ? 0x500UL : 0) && s.Mode == mode && s.InterruptShadow;
        var viaFields = new VcpuState { PendingVector = -1 };
        VmxBackend.ReadState(fields, ia32e, ref viaFields);
        var viaVmcs = new VcpuState { PendingVector = -1 };
        VmxBackend.ReadState(image, ia32e, ref viaVmcs);
        return Expected(viaFields) && Expected(viaVmcs);
    }
}
