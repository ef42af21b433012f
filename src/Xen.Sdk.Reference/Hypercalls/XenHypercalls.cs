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
            case SchedOp.Block:
                return 0;
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
}
