using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.Walking;

namespace Xen.Sdk.Benchmarks.Paging;

/// <summary>Building 16 GiB of EPT with 4 KiB pages, against a C loop (gcc -O2, compiled at setup from
/// native/paging_baseline.c and called through a function pointer) writing the same entries from the same kind of
/// arena. Per-operation figures are per leaf entry (OperationsPerInvoke = 4 Mi).</summary>
[MemoryDiagnoser]
public unsafe class PagingMap4KiBBenchmarks
{
    private const ulong Size = 16UL << 30;
    private const int Leaves = (int)(Size >> 12);
    private const ulong ArenaBytes = 40UL << 20;
    private const ulong HpaBase = 0x80_0000_0000UL;
    private byte* _mem;
    private delegate* unmanaged<byte*, ulong, ulong, ulong, ulong> _baseline;
    private EptFormat _format;

    [GlobalSetup]
    public void Setup()
    {
        _mem = (byte*)NativeMemory.AlignedAlloc((nuint)ArenaBytes, 4096);
        _format = new EptFormat(CpuModels.BochsCoreI7SkylakeX);
        _baseline = (delegate* unmanaged<byte*, ulong, ulong, ulong, ulong>)NativeBaseline.Load("baseline_map_4k");
    }

    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(_mem);

    [Benchmark(Baseline = true, OperationsPerInvoke = Leaves, Description = "C gcc -O2: map 16 GiB, 4 KiB pages")]
    public ulong CLoop()
    {
        ulong root = _baseline(_mem, HpaBase, ArenaBytes, 16);
        if (root == 0) throw new InvalidOperationException("baseline out of frames");
        return root;
    }

    [Benchmark(OperationsPerInvoke = Leaves, Description = "SecondLevelTables.Map 16 GiB, 4 KiB pages")]
    public ulong Map()
    {
        var frames = new ArenaFrameSource(_mem, HpaBase, ArenaBytes);
        SecondLevelTables<EptFormat, ArenaFrameSource>.Create(_format, frames, out var t, autoMerge: false);
        if (t.MapIdentity(new GuestPhysicalAddress(0), Size, PageAttributes.ReadWriteExecute, PageSize.Size4KiB) != PagingStatus.Ok)
            throw new InvalidOperationException("out of frames");
        return t.Root.Value;
    }
}

/// <summary>Largest pages, translation and walks, unmap.</summary>
[MemoryDiagnoser]
public unsafe class PagingOperationBenchmarks
{
    private const ulong ArenaBytes = 40UL << 20;
    private const ulong HpaBase = 0x80_0000_0000UL;
    private byte* _mem, _mem2;
    private EptFormat _format;
    private ArenaFrameSource _frames;
    private SecondLevelTables<EptFormat, ArenaFrameSource> _tables;
    private readonly ulong[] _probes = new ulong[64];

    [GlobalSetup]
    public void Setup()
    {
        _mem = (byte*)NativeMemory.AlignedAlloc((nuint)ArenaBytes, 4096);
        _mem2 = (byte*)NativeMemory.AlignedAlloc(1 << 20, 4096);
        _format = new EptFormat(CpuModels.BochsCoreI7SkylakeX);
        _frames = new ArenaFrameSource(_mem, HpaBase, ArenaBytes);
        SecondLevelTables<EptFormat, ArenaFrameSource>.Create(_format, _frames, out _tables, autoMerge: false);
        _tables.MapIdentity(new GuestPhysicalAddress(0), 16UL << 30, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
        var rng = new Random(42);
        for (int i = 0; i < _probes.Length; i++) _probes[i] = (ulong)rng.NextInt64(0, 16L << 30);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_mem);
        NativeMemory.AlignedFree(_mem2);
    }

    [Benchmark(Description = "Map 16 GiB, largest pages (1 GiB), fresh tables")]
    public ulong MapLargest()
    {
        var frames = new ArenaFrameSource(_mem2, 0x40_0000_0000UL, 1 << 20);
        SecondLevelTables<EptFormat, ArenaFrameSource>.Create(_format, frames, out var t);
        t.MapIdentity(new GuestPhysicalAddress(0), 16UL << 30, PageAttributes.ReadWriteExecute);
        return t.Root.Value;
    }

    [Benchmark(OperationsPerInvoke = 64, Description = "TryTranslate, warm, 4 KiB leaves")]
    public ulong TranslateWarm()
    {
        ulong sum = 0;
        ulong[] p = _probes;
        for (int i = 0; i < p.Length; i++)
        {
            _tables.TryTranslate(new GuestPhysicalAddress(p[i] & 0x1F_FFFF), out HostPhysicalAddress h);
            sum += h.Value;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 64, Description = "EptWalker.Walk (permission checks, fault bits), warm")]
    public ulong EptWalkWarm()
    {
        ulong sum = 0;
        ulong[] p = _probes;
        var frames = _frames;
        var access = NestedAccess.Physical(AccessKind.Write);
        for (int i = 0; i < p.Length; i++)
            sum += EptWalker.Walk(ref frames, _format, _tables.Root, new GuestPhysicalAddress(p[i] & 0x1F_FFFF), access).HostAddress.Value;
        return sum;
    }

    [Benchmark(Description = "Unmap + remap 2 MiB of 4 KiB pages (frees and reallocates one table)")]
    public PagingStatus UnmapRemap2MiB()
    {
        _tables.Unmap(new GuestPhysicalAddress(0x4000_0000), 0x20_0000);
        return _tables.MapIdentity(new GuestPhysicalAddress(0x4000_0000), 0x20_0000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
    }
}

/// <summary>Compiles native/paging_baseline.c with gcc -O2 into a shared object and returns an export.</summary>
internal static class NativeBaseline
{
    public static IntPtr Load(string export, [CallerFilePath] string thisFile = "")
    {
        string source = Path.Combine(Path.GetDirectoryName(thisFile)!, "native", "paging_baseline.c");
        if (!File.Exists(source)) throw new FileNotFoundException("C baseline source not found", source);
        string so = Path.Combine(Path.GetTempPath(), $"xen-sdk-paging-baseline-{Environment.ProcessId}.so");
        var psi = new ProcessStartInfo("gcc", $"-O2 -shared -fPIC -o \"{so}\" \"{source}\"") { RedirectStandardError = true };
        using (Process gcc = Process.Start(psi)!)
        {
            string err = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            if (gcc.ExitCode != 0) throw new InvalidOperationException("gcc failed: " + err);
        }
        IntPtr lib = NativeLibrary.Load(so);
        return NativeLibrary.GetExport(lib, export);
    }
}
