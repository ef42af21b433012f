using System;
using System.Runtime.InteropServices;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Vectors;

/// <summary>Nested paging from a Xen.Sdk.Paging NPT root, ASID management and flush hints.</summary>
public sealed unsafe class NestedPagingSetupTests
{
    [Fact]
    public void Npt_root_from_Xen_Sdk_Paging_becomes_N_CR3()
    {
        const ulong arenaBase = 0x0100_0000, arenaSize = 64 * 4096;
        byte* mem = (byte*)NativeMemory.AlignedAlloc((nuint)arenaSize, 4096);
        try
        {
            var frames = new ArenaFrameSource(mem, arenaBase, arenaSize);
            var fmt = new NptFormat(CpuModels.QemuQemu64Svm);
            Assert.Equal(PagingStatus.Ok, SecondLevelTables<NptFormat, ArenaFrameSource>.Create(fmt, frames, out var npt));
            Assert.Equal(PagingStatus.Ok, npt.Map(new GuestPhysicalAddress(0), new HostPhysicalAddress(0x4000_0000), 0x20_0000, PageAttributes.ReadWriteExecute));

            var v = GoodVmcb.Create();
            v.Control.CleanBits = VmcbCleanBits.All;
            VmcbSetup.NestedPaging(ref v, npt.Root, VmcbSetup.DefaultPat);
            Assert.Equal(npt.Root.Value, v.Control.NestedCr3);
            Assert.True(npt.Root.Value >= arenaBase && npt.Root.Value < arenaBase + arenaSize);
            Assert.Equal(SvmNestedControl.NestedPaging, v.Control.NestedControl & SvmNestedControl.NestedPaging);
            Assert.Equal(VmcbCleanBits.All & ~VmcbCleanBits.NestedPaging, v.Control.CleanBits);
            Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Qemu72).IsValid);
            Assert.True(VmrunChecker.Check(in v, SvmCheckContext.Bochs27Ryzen).IsValid);

            // Changing a present translation asks for a flush; QEMU has no flush-by-ASID: flush everything.
            npt.TakeFlushHint();
            Assert.Equal(PagingStatus.Ok, npt.Unmap(new GuestPhysicalAddress(0), 0x1000));
            var hint = npt.TakeFlushHint();
            Assert.Equal(SvmTlbControl.FlushAll, VmcbSetup.ApplyFlush(ref v, in hint, SvmCapabilities.Qemu72Tcg));
            v.TlbControl = SvmTlbControl.DoNothing;
            Assert.Equal(SvmTlbControl.FlushGuest, VmcbSetup.ApplyFlush(ref v, in hint, SvmCapabilities.Bochs27Ryzen));
        }
        finally
        {
            NativeMemory.AlignedFree(mem);
        }
    }

    [Fact]
    public void Asids_are_handed_out_per_generation_and_recycling_flushes()
    {
        var caps = SvmCapabilities.Qemu72Tcg; // 16 ASIDs: 1..15 usable
        var alloc = new SvmAsidAllocator(caps);
        var vmcbs = new Vmcb[20];
        var vcpus = new SvmAsidAssignment[20];
        Assert.Equal(SvmTlbControl.FlushAll, alloc.Prepare(ref vcpus[0], ref vmcbs[0])); // first VMRUN: unknown TLB
        Assert.Equal(1u, vmcbs[0].GuestAsid);
        for (int i = 1; i < 15; i++)
        {
            Assert.Equal(SvmTlbControl.DoNothing, alloc.Prepare(ref vcpus[i], ref vmcbs[i]));
            Assert.Equal((uint)i + 1, vmcbs[i].GuestAsid);
        }
        Assert.Equal(SvmTlbControl.DoNothing, alloc.Prepare(ref vcpus[3], ref vmcbs[3])); // same vCPU again: keeps ASID 4
        Assert.Equal(4u, vmcbs[3].GuestAsid);
        Assert.Equal(SvmTlbControl.FlushAll, alloc.Prepare(ref vcpus[15], ref vmcbs[15])); // out of ASIDs: new generation
        Assert.Equal(1u, vmcbs[15].GuestAsid);
        Assert.Equal(2ul, alloc.Generation);
        Assert.Equal(SvmTlbControl.DoNothing, alloc.Prepare(ref vcpus[0], ref vmcbs[0])); // old generation: new ASID, already flushed
        Assert.Equal(2u, vmcbs[0].GuestAsid);
    }
}
