namespace Xen.Sdk.Vmx.Checking;

/// <summary>
/// Physical memory the checker may read for the checks that depend on memory (virtual-APIC page TPR,
/// VMCS link pointer target, PAE PDPTEs without EPT, VM-entry MSR-load area). Implement it on a struct
/// (kernel: over the direct map; tests: over a byte array).
/// </summary>
public interface IPhysicalMemoryReader
{
    /// <summary>Reads bytes at a physical address.</summary>
    /// <param name="physicalAddress">Physical address.</param>
    /// <param name="destination">Bytes to fill.</param>
    /// <returns>False when the range is not readable; the check is then counted as skipped.</returns>
    bool TryRead(ulong physicalAddress, System.Span<byte> destination);
}

/// <summary>No memory: every memory-dependent check is skipped (and counted).</summary>
public struct NoPhysicalMemory : IPhysicalMemoryReader
{
    /// <inheritdoc/>
    public readonly bool TryRead(ulong physicalAddress, System.Span<byte> destination) => false;
}

/// <summary>Options for one check run.</summary>
public struct EntryCheckOptions
{
    /// <summary>True to check for VMRESUME (the VMCS must be launched) instead of VMLAUNCH (it must be clear).</summary>
    public bool Resume;

    /// <summary>True when the VMM runs outside IA-32e mode (IA32_EFER.LMA = 0), Intel SDM Vol. 3C §27.2.4.</summary>
    public bool HostOutsideIa32eMode;

    /// <summary>True when the entry is executed in SMM (dual-monitor treatment).</summary>
    public bool InSmm;

    /// <summary>True to stop at the first failure (the CPU's report); false to collect every failure.</summary>
    public bool StopAtFirstFailure;

    /// <summary>Skip the launch-state check of §27.1 (for images whose launch state is not tracked).</summary>
    public bool IgnoreLaunchState;
}
