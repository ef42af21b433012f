namespace Xen.Sdk.Reference;

/// <summary>Exits handled, by reason, and hypercalls by service. Plain counters (no allocation, no locking: one
/// vCPU per dispatcher).</summary>
public struct ExitCounters
{
    /// <summary>All exits.</summary>
    public ulong Total;
    /// <summary>CPUID.</summary>
    public ulong Cpuid;
    /// <summary>I/O ports.</summary>
    public ulong Io;
    /// <summary>HLT.</summary>
    public ulong Hlt;
    /// <summary>RDMSR.</summary>
    public ulong MsrRead;
    /// <summary>WRMSR.</summary>
    public ulong MsrWrite;
    /// <summary>Hypercalls.</summary>
    public ulong Hypercall;
    /// <summary>Nested page faults.</summary>
    public ulong NestedPageFault;
    /// <summary>Exceptions.</summary>
    public ulong Exception;
    /// <summary>Shutdown (triple fault).</summary>
    public ulong Shutdown;
    /// <summary>Interrupt window.</summary>
    public ulong InterruptWindow;
    /// <summary>External interrupts.</summary>
    public ulong ExternalInterrupt;
    /// <summary>Entry failures.</summary>
    public ulong EntryFailure;
    /// <summary>Other exits.</summary>
    public ulong Unknown;
    /// <summary>console_io hypercalls.</summary>
    public ulong ConsoleIo;
    /// <summary>xen_version hypercalls.</summary>
    public ulong XenVersion;
    /// <summary>sched_op hypercalls.</summary>
    public ulong SchedOp;
    /// <summary>event_channel_op hypercalls.</summary>
    public ulong EventChannelOp;
    /// <summary>hvm_op hypercalls.</summary>
    public ulong HvmOp;
    /// <summary>memory_op hypercalls.</summary>
    public ulong MemoryOp;
    /// <summary>grant_table_op hypercalls.</summary>
    public ulong GrantTableOp;
    /// <summary>vcpu_op hypercalls.</summary>
    public ulong VcpuOp;
    /// <summary>set_timer_op hypercalls.</summary>
    public ulong SetTimerOp;
    /// <summary>Hypercalls answered -ENOSYS.</summary>
    public ulong UnknownHypercall;
    /// <summary>Hypercalls answered -EFAULT or -EINVAL.</summary>
    public ulong RejectedHypercall;
    /// <summary>Emulated MMIO accesses.</summary>
    public ulong Mmio;

    /// <summary>Counts one exit.</summary>
    public void Count(ExitReason reason)
    {
        Total++;
        switch (reason)
        {
            case ExitReason.Cpuid: Cpuid++; break;
            case ExitReason.IoPort: Io++; break;
            case ExitReason.Hlt: Hlt++; break;
            case ExitReason.MsrRead: MsrRead++; break;
            case ExitReason.MsrWrite: MsrWrite++; break;
            case ExitReason.Hypercall: Hypercall++; break;
            case ExitReason.NestedPageFault: NestedPageFault++; break;
            case ExitReason.Exception: Exception++; break;
            case ExitReason.Shutdown: Shutdown++; break;
            case ExitReason.InterruptWindow: InterruptWindow++; break;
            case ExitReason.ExternalInterrupt: ExternalInterrupt++; break;
            case ExitReason.EntryFailure: EntryFailure++; break;
            default: Unknown++; break;
        }
    }
}
