using System;
using System.Runtime.InteropServices;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Diagnostics;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.MemoryTypes;
using Xen.Sdk.Paging.Validation;
using Xen.Sdk.Paging.Walking;
using Xunit;

namespace Xen.Sdk.Paging.Tests;

/// <summary>The example of docs/paging.md, kept compiling and passing.</summary>
public unsafe class DocsExample
{
    internal static string Run()
    {
        // 1. Page frames: 4 MiB of host memory pretending to live at host-physical 0x1_0000_0000.
        byte* block = (byte*)NativeMemory.AlignedAlloc(4 << 20, 4096);
        var frames = new ArenaFrameSource(block, 0x1_0000_0000, 4 << 20);

        // 2. EPT for the Bochs corei7_skylake_x model: 4 GiB of guest RAM, memory types from the MTRRs.
        PagingCapabilities cpu = CpuModels.BochsCoreI7SkylakeX;
        SecondLevelTables<EptFormat, ArenaFrameSource>.Create(new EptFormat(cpu, accessedDirty: true), frames, out var ept);
        MtrrSnapshot mtrr = MtrrSnapshot.Uniform(MemoryType.WriteBack, cpu.MaxPhysicalAddressBits);
        mtrr.SetVariableRange(0, 0xC000_0000, 0x4000_0000, MemoryType.Uncacheable);   // 3-4 GiB: MMIO hole
        Span<MemoryTypeRange> types = stackalloc MemoryTypeRange[8];
        MemoryTypeMap.Derive(mtrr, [new PhysicalRange(0, 0x1_0000_0000)], types, out int n, out _);
        MemoryTypeMap.MapIdentity(ref ept, types[..n], PageAccess.ReadWriteExecute);

        // 3. Make one page read-only (splits a 1 GiB page down to 4 KiB), and learn what to invalidate.
        ept.Protect(new GuestPhysicalAddress(0x7000), 0x1000, new PageAttributes(PageAccess.Read));
        InveptType invept = ept.TakeFlushHint().ForEpt(cpu);                          // SingleContext
        ulong eptp = ept.Format.MakeEptPointer(ept.Root);                              // for the VMCS

        // 4. What would the CPU do on a guest write to that page? An EPT violation, qualification 0x0A.
        var walk = EptWalker.Walk(ref frames, ept.Format, ept.Root, new GuestPhysicalAddress(0x7008),
                                  NestedAccess.Physical(AccessKind.Write));

        // 5. Check the tables against the CPU's rules and RAM coverage, then print them.
        Span<ValidationIssue> issues = stackalloc ValidationIssue[16];
        int problems = PageTableValidator.Validate(ept, issues);
        problems = PageTableValidator.CheckCoverage(ept, [new PhysicalRange(0, 0xC000_0000)], requireIdentity: true, issues, problems);
        string text = $"EPTP {eptp:x}, INVEPT {invept}, {walk.Outcome} qualification {walk.Qualification.Value:x}\n"
                    + PageTableDump.Report(issues[..Math.Min(problems, issues.Length)], problems)
                    + PageTableDump.Dump(ept);
        ept.Release();
        NativeMemory.AlignedFree(block);
        return text;
    }

    [Fact]
    public void ExampleOutput()
    {
        string text = Run();
        Assert.StartsWith("EPTP 10000105e, INVEPT SingleContext, EptViolation qualification a\nno problems found\n", text);
        Assert.Contains("0000000000007000-0000000000007fff -> 0000000000007000-0000000000007fff R--- WB 4K x1", text);
        Assert.Contains("00000000c0000000-00000000ffffffff -> 00000000c0000000-00000000ffffffff RWX- UC 1G x1", text);
    }
}
