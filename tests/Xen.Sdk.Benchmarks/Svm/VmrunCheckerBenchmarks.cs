using System;
using BenchmarkDotNet.Attributes;
using Xen.Sdk.Svm;

namespace Xen.Sdk.Benchmarks.Svm;

/// <summary>
/// Checking a complete VMCB against every VMRUN consistency check (target: at most 1 µs, zero allocations).
/// Run: <c>./build.sh bench --filter '*VmrunChecker*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class VmrunCheckerBenchmarks
{
    private Vmcb _good;
    private Vmcb _bad;
    private readonly SvmCheckFailure[] _failures = new SvmCheckFailure[32];
    private SvmCheckContext _apm;
    private SvmCheckContext _qemu;
    private SvmCheckContext _bochs;

    [GlobalSetup]
    public void Setup()
    {
        VmcbSetup.Reset(ref _good, 1);
        VmcbSetup.LongMode(ref _good, 0x20_0000, 0x40_0000, 0x80_0000);
        VmcbSetup.PermissionMaps(ref _good, 0x10_0000, 0x10_4000);
        VmcbSetup.NestedPaging(ref _good, 0x30_0000, VmcbSetup.DefaultPat);
        _good.EventInjection = SvmEvent.Exception(14, 2);
        _bad = _good;
        _bad.Efer &= ~VmcbSetup.EferSvme;                  // EFER.SVME clear
        _bad.Cr0 |= 1ul << 29;                             // NW without CD
        _bad.GuestAsid = 0;                                // ASID 0
        _bad.EventInjection = SvmEvent.Create(SvmEventType.Exception, 2); // NMI vector as exception
        _apm = new SvmCheckContext(SvmCapabilities.Bochs27Ryzen, SvmCheckProfile.Apm);
        _qemu = SvmCheckContext.Qemu72;
        _bochs = SvmCheckContext.Bochs27Ryzen;
    }

    [Benchmark(Baseline = true)]
    public ulong CheckValidVmcbApm() => VmrunChecker.Check(in _good, in _apm).FailedMask;

    [Benchmark]
    public ulong CheckValidVmcbQemu() => VmrunChecker.Check(in _good, in _qemu).FailedMask;

    [Benchmark]
    public ulong CheckValidVmcbBochs() => VmrunChecker.Check(in _good, in _bochs).FailedMask;

    [Benchmark]
    public int CheckInvalidVmcbWithDetails() => VmrunChecker.Check(in _bad, in _apm, _failures.AsSpan());
}
