using System;
using System.Buffers.Binary;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.ArchX86;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.Sched;
using Xen.Sdk.Abi.Version;

namespace Xen.Sdk.Reference;

public partial struct ExitDispatcher<TMemory, TConsole, THost, TExtension>
{
    /// <summary>Largest console_io write accepted in one call (Xen itself loops in chunks; larger counts from a
    /// guest are an argument error here).</summary>
    public const uint MaxConsoleWrite = 1 << 20;

    private ExitAction HandleHypercall(ref VcpuState state)
    {
        // Register conventions (xen/include/public/arch-x86/xen-x86_64.h, xen-x86_32.h): 64-bit: rax = number,
        // rdi, rsi, rdx, r10, r8 = arguments; 32-bit: eax = number, ebx, ecx, edx, esi, edi. Result in rax.
        bool wide = state.Mode == GuestMode.Long64;
        ref GuestRegisters r = ref state.Gprs;
        ulong number = wide ? r.Rax : (uint)r.Rax;
        ulong a0 = wide ? r.Rdi : (uint)r.Rbx;
        ulong a1 = wide ? r.Rsi : (uint)r.Rcx;
        ulong a2 = wide ? r.Rdx : (uint)r.Rdx;
        ulong rip = state.Rip;
        if (!state.Advance()) return Stop(GuestFault.UndecodableInstruction);

        long result;
        ExitAction action = ExitAction.Resume;
        if (state.Cpl != 0)
        {
            result = -(long)XenErrno.EPERM;     // HVM hypercalls are for the guest kernel only
        }
        else
        {
            switch ((Hypercall)(int)Math.Min(number, int.MaxValue))
            {
                case Hypercall.ConsoleIo: Counters.ConsoleIo++; result = HandleConsoleIo(ref state, a0, a1, a2); break;
                case Hypercall.XenVersion: Counters.XenVersion++; result = HandleXenVersion(ref state, a0, a1); break;
                case Hypercall.SchedOp: Counters.SchedOp++; result = HandleSchedOp(ref state, a0, a1, out action); break;
                case Hypercall.EventChannelOp: Counters.EventChannelOp++; result = HandleEventChannelOp(ref state, a0, a1); break;
                case Hypercall.HvmOp: Counters.HvmOp++; result = HandleHvmOp(ref state, a0, a1); break;
                case Hypercall.MemoryOp: Counters.MemoryOp++; result = HandleMemoryOp(ref state, a0, a1); break;
                case Hypercall.GrantTableOp: Counters.GrantTableOp++; result = HandleGrantTableOp(ref state, a0, a1, a2); break;
                case Hypercall.VcpuOp: Counters.VcpuOp++; result = HandleVcpuOp(ref state, a0, a1, a2); break;
                case Hypercall.SetTimerOp: Counters.SetTimerOp++; result = HandleSetTimerOp(ref state, wide ? a0 : (a0 | (a1 << 32))); break;
                default: Counters.UnknownHypercall++; result = -(long)XenErrno.ENOSYS; break;
            }
        }
        if (Xen.RestartHypercall)
        {
            // A hypercall continuation (Xen's hypercall_create_continuation): RIP back on the hypercall instruction, RAX
            // and the arguments unchanged, so the guest executes the same hypercall again at its next entry (after any
            // pending interrupt), and the host's timer interrupts and the watchdog get their turn in between.
            Xen.RestartHypercall = false;
            state.Rip = rip;
            // The continuation is the same hypercall: its exit and sub-op are counted once, when it completes
            // (XenDomain.BlockRestarts counts the restarts), so the vendor-neutral counters do not depend on timing.
            Counters.Hypercall--;
            Counters.SchedOp--;
            LastHypercallResult = result;
            return action;
        }
        if (result == -(long)XenErrno.EFAULT || result == -(long)XenErrno.EINVAL) Counters.RejectedHypercall++;
        LastHypercallResult = result;
        r.Rax = wide ? (ulong)result : (uint)(int)result;
        return action;
    }

    private long HandleConsoleIo(ref VcpuState state, ulong command, ulong count, ulong buffer)
    {
        if (command == (ulong)ConsoleIoCommand.Read) return 0;               // no console input
        if (command != (ulong)ConsoleIoCommand.Write) return -(long)XenErrno.ENOSYS;
        if (count > MaxConsoleWrite) return -(long)XenErrno.EINVAL;
        Span<byte> chunk = stackalloc byte[128];
        ulong done = 0;
        while (done < count)
        {
            int n = (int)Math.Min(count - done, (ulong)chunk.Length);
            if (!GuestPageWalker.TryReadVirtual(ref Memory, state, buffer + done, chunk.Slice(0, n))) return -(long)XenErrno.EFAULT;
            Console.Write(chunk.Slice(0, n));
            done += (ulong)n;
        }
        return (long)count;
    }

    private long HandleXenVersion(ref VcpuState state, ulong command, ulong argument)
    {
        switch ((XenVersionOp)(int)Math.Min(command, int.MaxValue))
        {
            case XenVersionOp.Version:
                return XenVersionValue;
            case XenVersionOp.Extraversion:
            {
                Span<byte> extra = stackalloc byte[16];
                extra.Clear();
                ReadOnlySpan<byte> text = ".0-xensdk"u8;
                text.CopyTo(extra);
                return GuestPageWalker.TryWriteVirtual(ref Memory, state, argument, extra) ? 0 : -(long)XenErrno.EFAULT;
            }
            case XenVersionOp.GetFeatures:
            {
                Span<byte> info = stackalloc byte[8];
                if (!GuestPageWalker.TryReadVirtual(ref Memory, state, argument, info)) return -(long)XenErrno.EFAULT;
                uint index = BinaryPrimitives.ReadUInt32LittleEndian(info);
                if (index != 0) return -(long)XenErrno.EINVAL;
                BinaryPrimitives.WriteUInt32LittleEndian(info.Slice(4), 0);   // no optional features offered
                return GuestPageWalker.TryWriteVirtual(ref Memory, state, argument, info) ? 0 : -(long)XenErrno.EFAULT;
            }
            case XenVersionOp.Pagesize:
                return 4096;
            default:
                return -(long)XenErrno.ENOSYS;
        }
    }

    private long HandleSchedOp(ref VcpuState state, ulong command, ulong argument, out ExitAction action)
    {
        action = ExitAction.Resume;
        switch ((SchedOp)(int)Math.Min(command, int.MaxValue))
        {
            case SchedOp.Yield:
                return 0;
            case SchedOp.Block:
                return HandleBlock(ref state);
            case SchedOp.Poll:
                return HandlePoll(ref state, argument);
            case SchedOp.Shutdown:
            {
                Span<byte> arg = stackalloc byte[4];
                if (!GuestPageWalker.TryReadVirtual(ref Memory, state, argument, arg)) return -(long)XenErrno.EFAULT;
                uint reason = BinaryPrimitives.ReadUInt32LittleEndian(arg);
                if (reason > (uint)ShutdownReason.Max) return -(long)XenErrno.EINVAL;
                ShutdownReason = (ShutdownReason)reason;
                Outcome = GuestOutcome.Shutdown;
                action = ExitAction.Stop;
                return 0;
            }
            default:
                return -(long)XenErrno.ENOSYS;
        }
    }

    /// <summary><c>SCHEDOP_block</c> (xen/include/public/sched.h): clears <c>evtchn_upcall_mask</c> (Xen's
    /// <c>vcpu_block_enable_events</c>) and blocks the vCPU until an event is pending for it. It returns 0 at once when
    /// <c>evtchn_upcall_pending</c> is set and the guest can take the callback (RFLAGS.IF = 1: for an HVM vCPU Xen's
    /// <c>local_events_need_delivery</c> asks whether the interrupt is deliverable). Otherwise the hypervisor waits on the
    /// TSC, firing due timers (single-shot and periodic, whose <c>VIRQ_TIMER</c> raises an event), until
    /// <c>evtchn_upcall_pending</c> is set (with IF = 0: until it goes from 0 to 1, the edge on which Xen kicks a blocked
    /// vCPU); a timer whose VIRQ is not bound or whose port is masked does not wake it, as in Xen. The wait is bounded
    /// like the HLT wait (1/<see cref="HaltWaitDivisor"/> s); when the bound passes the hypercall is restarted (a
    /// continuation: the guest executes it again), so the host's timer interrupts and the watchdog still run. Before
    /// the services are configured it returns 0 at once (nothing could wake the vCPU).</summary>
    private long HandleBlock(ref VcpuState state)
    {
        if (!Xen.Enabled || !Xen.Clock.Configured) return 0;
        Xen.EnableEvents();
        bool interruptible = (state.Rflags & VirtualInterrupts.InterruptFlag) != 0;
        bool pendingAtEntry = Xen.UpcallPending;
        if (pendingAtEntry && interruptible) return 0;
        Xen.BlockWaits++;
        ulong start = Host.ReadTsc(), now = start;
        ulong limit = Xen.Clock.TicksPerSecond / HaltWaitDivisor;
        while (true)
        {
            if (Xen.TimerArmed) Xen.CheckTimer(now, ref state);
            if (Xen.UpcallPending && (interruptible || !pendingAtEntry)) return 0;
            if (now - start >= limit) break;
            now = Host.ReadTsc();
        }
        Xen.BlockRestarts++;
        Xen.RestartHypercall = true;
        return 0;
    }

    /// <summary>Most ports one <c>SCHEDOP_poll</c> may name (Xen's limit in <c>do_poll</c>; more is <c>-EINVAL</c>).</summary>
    public const uint MaxPollPorts = 128;

    /// <summary><c>SCHEDOP_poll</c> (xen/include/public/sched.h, <c>struct sched_poll</c>: ports, nr_ports, timeout; 24
    /// bytes on x86_64, 16 on x86_32): returns 0 when one of the listed ports is pending, or once system time reaches
    /// <c>timeout</c> (absolute ns; 0 = none). Errors as Xen's <c>do_poll</c>: a bad argument pointer or port list
    /// <c>-EFAULT</c>, more than <see cref="MaxPollPorts"/> ports <c>-EINVAL</c>, a port that is not valid
    /// (<see cref="Services.EventChannelTable.IsValid"/>: below the ports made valid so far, 64 per bucket) <c>-EINVAL</c> (checked in order, after a pending port earlier in the list
    /// has already answered 0). The wait runs the timers and is bounded like <see cref="HandleBlock"/> (then the
    /// hypercall restarts). As in Xen, a poll of one port ends only when that port is pending, a poll of several ports
    /// on any event raised on the domain (Xen's <c>evtchn_check_pollers</c> with <c>poll_evtchn</c> = 0).</summary>
    private long HandlePoll(ref VcpuState state, ulong argument)
    {
        if (!Xen.Enabled || !Xen.Clock.Configured) return Err(XenErrno.ENOSYS);
        bool wide = state.Mode == GuestMode.Long64;
        Span<byte> arg = stackalloc byte[SchedPoll64.Size];
        if (!GuestPageWalker.TryReadVirtual(ref Memory, state, argument, arg.Slice(0, wide ? SchedPoll64.Size : SchedPoll32.Size)))
            return Err(XenErrno.EFAULT);
        ulong list = wide ? BinaryPrimitives.ReadUInt64LittleEndian(arg) : BinaryPrimitives.ReadUInt32LittleEndian(arg);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(arg.Slice(wide ? 8 : 4));
        ulong timeout = BinaryPrimitives.ReadUInt64LittleEndian(arg.Slice(wide ? 16 : 8));
        if (count > MaxPollPorts) return Err(XenErrno.EINVAL);
        Span<byte> ports = stackalloc byte[(int)MaxPollPorts * 4];
        if (count != 0 && !GuestPageWalker.TryReadVirtual(ref Memory, state, list, ports.Slice(0, (int)count * 4))) return Err(XenErrno.EFAULT);
        for (int i = 0; i < (int)count; i++)
        {
            uint port = BinaryPrimitives.ReadUInt32LittleEndian(ports.Slice(i * 4));
            if (!Xen.Ports.IsValid(port)) return Err(XenErrno.EINVAL);
            if (Xen.IsPortPending(port)) return 0;
        }
        ulong start = Host.ReadTsc(), now = start;
        ulong limit = Xen.Clock.TicksPerSecond / HaltWaitDivisor;
        ulong raised = Xen.EventsRaised;
        Xen.BlockWaits++;
        while (true)
        {
            if (Xen.TimerArmed) Xen.CheckTimer(now, ref state);
            // One port: only that port wakes the poller; several: any event raised on the domain does (Xen's
            // poll_evtchn = 0 case of evtchn_check_pollers).
            if (count > 1 && Xen.EventsRaised != raised) return 0;
            for (int i = 0; i < (int)count; i++)
                if (Xen.IsPortPending(BinaryPrimitives.ReadUInt32LittleEndian(ports.Slice(i * 4)))) return 0;
            if (timeout != 0 && Xen.Clock.SystemTime(now) >= timeout) return 0;
            if (now - start >= limit) break;
            now = Host.ReadTsc();
        }
        Xen.BlockRestarts++;
        Xen.RestartHypercall = true;
        return 0;
    }
}
