using System.Runtime.CompilerServices;

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

    /// <summary>Counts one exit: <see cref="Total"/> and the counter of <paramref name="reason"/> (<see cref="Unknown"/>
    /// for <see cref="ExitReason.None"/> and anything past <see cref="ExitReason.Unknown"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(ExitReason reason)
    {
        Total++;
        // The per-reason counters are declared in ExitReason order from Cpuid (1) to Unknown (13): index, no branch.
        uint index = (uint)reason - 1;
        if (index > ExitReason.Unknown - ExitReason.Cpuid) index = ExitReason.Unknown - ExitReason.Cpuid;
        Unsafe.Add(ref Cpuid, (int)index)++;
    }
}
