namespace Xen.Sdk.Reference;

/// <summary>What the vCPU loop does after an exit.</summary>
public enum ExitAction : byte
{
    /// <summary>Enter the guest again.</summary>
    Resume,
    /// <summary>The guest is finished (see <see cref="GuestOutcome"/>).</summary>
    Stop,
}

/// <summary>How a guest ended.</summary>
public enum GuestOutcome : byte
{
    /// <summary>Still running.</summary>
    Running,
    /// <summary>The guest called <c>sched_op(SCHEDOP_shutdown)</c>; the reason is recorded.</summary>
    Shutdown,
    /// <summary>The guest executed HLT with nothing left to wake it.</summary>
    Halted,
    /// <summary>The guest did something the hypervisor stops it for (see <see cref="GuestFault"/>); the hypervisor
    /// itself is unaffected.</summary>
    Faulted,
    /// <summary>The run budget (exit count) was exhausted.</summary>
    Timeout,
}

/// <summary>Why a guest was stopped.</summary>
public enum GuestFault : byte
{
    /// <summary>No fault.</summary>
    None,
    /// <summary>Triple fault (shutdown intercept / triple-fault exit).</summary>
    TripleFault,
    /// <summary>An intercepted exception the hypervisor does not reflect.</summary>
    UnhandledException,
    /// <summary>An access to guest-physical memory that is neither RAM nor an emulated device.</summary>
    UnmappedMmio,
    /// <summary>The exiting instruction could not be decoded (length unknown).</summary>
    UndecodableInstruction,
    /// <summary>The processor refused the guest state.</summary>
    EntryFailure,
    /// <summary>An exit the dispatcher has no handler for.</summary>
    UnhandledExit,
}
