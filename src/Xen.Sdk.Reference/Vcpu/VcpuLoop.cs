namespace Xen.Sdk.Reference;

/// <summary>A vendor backend of the vCPU: enters the guest with <see cref="VcpuState"/> and returns at the next exit
/// with the state and <see cref="VcpuState.Exit"/> filled in (SVM: <see cref="Svm.SvmVcpu{TSwitch, TMemory}"/>).</summary>
public interface IVcpuBackend
{
    /// <summary>Runs the guest until it exits.</summary>
    void Run(ref VcpuState state);
}

/// <summary>The host's side of a run: physical interrupts that stopped the guest, and a time limit.</summary>
public interface IVcpuHost
{
    /// <summary>Lets the pending physical interrupt reach the host (after an external-interrupt exit).</summary>
    void ServiceInterrupt();

    /// <summary>True when the guest has run out of time.</summary>
    bool WatchdogExpired();
}

/// <summary>The vendor-neutral run loop: enter, dispatch, repeat, until a handler stops the guest, the exit budget
/// is spent or the watchdog fires.</summary>
public static class VcpuLoop
{
    /// <summary>Runs a guest to its end. Returns the number of exits handled.</summary>
    public static ulong Run<TBackend, THost, TMemory, TConsole, THostCpu, TExtension>(
        ref TBackend backend, ref THost host,
        ref ExitDispatcher<TMemory, TConsole, THostCpu, TExtension> dispatcher,
        ref VcpuState state, ulong exitBudget)
        where TBackend : struct, IVcpuBackend
        where THost : struct, IVcpuHost
        where TMemory : struct, IGuestMemory
        where TConsole : struct, IGuestConsole
        where THostCpu : struct, IHostCpu
        where TExtension : struct, IExitExtension
    {
        ulong exits = 0;
        dispatcher.Outcome = GuestOutcome.Running;
        while (exits < exitBudget)
        {
            backend.Run(ref state);
            exits++;
            if (state.Exit.Reason == ExitReason.ExternalInterrupt)
            {
                host.ServiceInterrupt();
                if (host.WatchdogExpired())
                {
                    dispatcher.Outcome = GuestOutcome.Timeout;
                    return exits;
                }
            }
            if (dispatcher.Dispatch(ref state) == ExitAction.Stop) return exits;
        }
        dispatcher.Outcome = GuestOutcome.Timeout;
        return exits;
    }
}
