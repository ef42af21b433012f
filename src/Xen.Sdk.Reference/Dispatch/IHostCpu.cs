namespace Xen.Sdk.Reference;

/// <summary>What the dispatcher needs from the physical CPU (implemented by the kernel with native CPUID; by tests
/// with fixed values).</summary>
public interface IHostCpu
{
    /// <summary>Executes CPUID on the host.</summary>
    void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx);

    /// <summary>Reads the host's time-stamp counter (RDTSC; the guest sees the same counter: no TSC offset). Xen system
    /// time and the single-shot timers are derived from it.</summary>
    ulong ReadTsc();
}

/// <summary>An extension point: handlers that run before the built-in ones. <see cref="TryHandle"/> returns true
/// when the exit was fully handled (its action is then used); false to fall through to the defaults.</summary>
public interface IExitExtension
{
    /// <summary>Handles an exit, or declines it.</summary>
    bool TryHandle(ref VcpuState state, out ExitAction action);
}

/// <summary>The extension that handles nothing.</summary>
public struct NoExtension : IExitExtension
{
    /// <summary>Declines every exit.</summary>
    public bool TryHandle(ref VcpuState state, out ExitAction action)
    {
        action = ExitAction.Resume;
        return false;
    }
}
