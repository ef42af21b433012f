using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

internal unsafe struct ArrayGuestFrames : IGuestFrameSource
{
    public byte* Base;
    public ulong Next;
    public bool TryAllocateFrame(out GuestPhysicalAddress frame) { frame = new GuestPhysicalAddress(Next); Next += 0x1000; return true; }
    public void FreeFrame(GuestPhysicalAddress frame) { }
    public byte* MapFrame(GuestPhysicalAddress frame) => Base + frame.Value;
}

/// <summary>The hypervisor's guest page walker (used for hypercall pointers and instruction fetch) against tables
/// built by Xen.Sdk.Paging's long-mode builder: random 4 KiB and 2 MiB mappings must translate identically, and
/// unmapped addresses must fail.</summary>
public sealed unsafe class GuestPageWalkerTests
{
    [Property(MaxTest = 100)]
    public Property WalkAgreesWithTheBuilder(ushort page, ushort target, bool large, ushort offset)
    {
        var ram = new byte[4 << 20];
        fixed (byte* p = ram)
        {
            var frames = new ArrayGuestFrames { Base = p, Next = 0x100000 };
            GuestPageTables<LongModeFormat, ArrayGuestFrames>.Create(new LongModeFormat(CpuModels.QemuQemu64Svm), frames, out var tables);
            ulong size = large ? 0x200000UL : 0x1000UL;
            ulong va = 0x4000_0000UL + page * size;
            ulong pa = (ulong)(target % 2) * size;
            var status = tables.Map(new GuestVirtualAddress(va), new GuestPhysicalAddress(pa), size, PageAttributes.ReadWriteExecute, large ? PageSize.Size2MiB : PageSize.Size4KiB);
            Assert.Equal(PagingStatus.Ok, status);
            var mem = new ArrayMemory { Ram = ram };
            var state = new VcpuState { Cr0 = 0x80000011, Cr4 = 0x20, Efer = 0x500, Cr3 = tables.Root.Value, Mode = GuestMode.Long64 };
            ulong probe = va + (ulong)offset % size;
            bool ok = GuestPageWalker.TryTranslate(ref mem, state, probe, out ulong gpa);
            bool missing = GuestPageWalker.TryTranslate(ref mem, state, 0x7000_0000_0000UL + va, out _);
            return (ok && gpa == pa + (ulong)offset % size && !missing).ToProperty();
        }
    }
}
