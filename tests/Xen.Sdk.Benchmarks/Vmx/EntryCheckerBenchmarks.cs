using BenchmarkDotNet.Attributes;
using Xen.Sdk.Vmx;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Exits;

namespace Xen.Sdk.Benchmarks.Vmx;

/// <summary>
/// The VM-entry checker on a complete VMCS image (all 181 fields present, every check of §27.1-§27.4 (Intel SDM Vol. 3C, 2023-2024 numbering) run),
/// target: &lt;= 2 us and zero allocations per check; plus exit decoding.
/// </summary>
[MemoryDiagnoser]
public class EntryCheckerBenchmarks
{
    private readonly VmcsImage _valid = new();
    private readonly VmcsImage _invalid = new();
    private readonly EntryCheckFailure[] _failures = new EntryCheckFailure[32];
    private VmxCapabilities _caps;

    [GlobalSetup]
    public void Setup()
    {
        _caps = VmxCapabilityModels.BochsCoreI7SkylakeX;
        VmcsTemplate.LongModeGuest(_valid, _caps, VmcsTemplateLayout.Default);
        // A valid VMCS with EPT, VPID, MSR and I/O bitmaps enabled, so the optional checks run too.
        _valid.Write(VmcsFields.SecondaryProcessorBasedControls, (uint)(SecondaryProcessorControls.EnableEpt | SecondaryProcessorControls.EnableVpid));
        _valid.Write(VmcsFields.EptPointer, 0xB01EUL);
        _valid.Write(VmcsFields.VirtualProcessorId, (ushort)1);
        _valid.Write(VmcsFields.PrimaryProcessorBasedControls, _valid.Read(VmcsFields.PrimaryProcessorBasedControls)
            | (uint)(PrimaryProcessorControls.UseMsrBitmaps | PrimaryProcessorControls.UseIoBitmaps));
        _valid.Write(VmcsFields.MsrBitmapAddress, 0x7000UL);
        _valid.Write(VmcsFields.IoBitmapAAddress, 0x5000UL);
        _valid.Write(VmcsFields.IoBitmapBAddress, 0x6000UL);
        _invalid.CopyFrom(_valid);
        _invalid.Write(VmcsFields.GuestTrAccessRights, 0x83u);
        _invalid.Write(VmcsFields.HostCr4, 0x20UL);
        if (!VmEntryChecker.Check(_valid, _caps, default, _failures).Passed)
        {
            throw new System.InvalidOperationException("benchmark VMCS must be valid");
        }
    }

    /// <summary>All checks on a valid VMCS (the common case: nothing to report).</summary>
    [Benchmark(Baseline = true)]
    public int CheckValidVmcs() => VmEntryChecker.Check(_valid, _caps, default, _failures).FailureCount;

    /// <summary>All checks on a VMCS with two errors, collecting every failure.</summary>
    [Benchmark]
    public int CheckInvalidVmcsCollectAll() => VmEntryChecker.Check(_invalid, _caps, default, _failures).FailureCount;

    /// <summary>Stop at the first failure (the processor's report).</summary>
    [Benchmark]
    public int CheckInvalidVmcsFirstFailure() => VmEntryChecker.Check(_invalid, _caps, new EntryCheckOptions { StopAtFirstFailure = true }, _failures).FailureCount;

    /// <summary>Reading and decoding the exit-information fields.</summary>
    [Benchmark]
    public ushort ReadExitInfo()
    {
        VmExitInfo info = VmExitInfo.Read(_valid);
        return (ushort)(info.Io.Port + (int)info.Reason.Basic);
    }
}
