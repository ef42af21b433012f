using System;
using System.Buffers.Binary;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Abi.Hvm;
using Xen.Sdk.Abi.Memory;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Reference.Services;
using VcpuAbi = Xen.Sdk.Abi.Vcpu;

namespace Xen.Sdk.Reference;

public partial struct ExitDispatcher<TMemory, TConsole, THost, TExtension>
{
    private static long Err(XenErrno e) => -(long)e;

    private bool ReadArg(ref VcpuState state, ulong pointer, Span<byte> destination) =>
        GuestPageWalker.TryReadVirtual(ref Memory, state, pointer, destination);

    private bool WriteArg(ref VcpuState state, ulong pointer, ReadOnlySpan<byte> source) =>
        GuestPageWalker.TryWriteVirtual(ref Memory, state, pointer, source);

    /// <summary><c>HYPERVISOR_event_channel_op(cmd, arg)</c> (xen/include/public/event_channel.h): alloc_unbound,
    /// bind_interdomain (to this domain), bind_ipi (vCPU 0; another vCPU is <c>-ENOENT</c>), send, close, status, unmask. Errors as Xen returns them: an invalid port or a
    /// port in the wrong state is <c>-EINVAL</c>, another domain is <c>-ESRCH</c>, a full table <c>-ENOSPC</c>, a bad
    /// pointer <c>-EFAULT</c>, other commands <c>-ENOSYS</c>.</summary>
    private unsafe long HandleEventChannelOp(ref VcpuState state, ulong command, ulong arg)
    {
        if (!Xen.Enabled) return Err(XenErrno.ENOSYS);
        Span<byte> buf = stackalloc byte[EvtchnStatus.Size];
        buf.Clear();
        switch ((EventChannelOp)(int)Math.Min(command, int.MaxValue))
        {
            case EventChannelOp.AllocUnbound:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnAllocUnbound.Size))) return Err(XenErrno.EFAULT);
                ushort dom = BinaryPrimitives.ReadUInt16LittleEndian(buf);
                ushort remote = BinaryPrimitives.ReadUInt16LittleEndian(buf.Slice(2));
                if (!Xen.IsSelf(dom)) return Err(XenErrno.ESRCH);
                if (remote == DomainIds.Self) remote = Xen.Id;
                if (!Xen.Ports.TryFindFree(Xen.PortLimit, out uint port)) return Err(XenErrno.ENOSPC);
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(4), port);
                if (!WriteArg(ref state, arg + 4, buf.Slice(4, 4))) return Err(XenErrno.EFAULT);
                Xen.Ports.Set(port, PortState.Unbound, remote, 0);
                return 0;
            }
            case EventChannelOp.BindInterdomain:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnBindInterdomain.Size))) return Err(XenErrno.EFAULT);
                ushort remoteDom = BinaryPrimitives.ReadUInt16LittleEndian(buf);
                uint remotePort = BinaryPrimitives.ReadUInt32LittleEndian(buf.Slice(4));
                if (!Xen.IsSelf(remoteDom)) return Err(XenErrno.ESRCH);   // the only domain this kernel runs
                if (!Xen.Ports.IsValid(remotePort)) return Err(XenErrno.EINVAL);
                if (Xen.Ports.State(remotePort) != PortState.Unbound || Xen.Ports.RemoteDomain(remotePort) != Xen.Id) return Err(XenErrno.EINVAL);
                if (!Xen.Ports.TryFindFree(Xen.PortLimit, out uint local)) return Err(XenErrno.ENOSPC);
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(8), local);
                if (!WriteArg(ref state, arg + 8, buf.Slice(8, 4))) return Err(XenErrno.EFAULT);
                Xen.Ports.Set(local, PortState.Interdomain, Xen.Id, remotePort);
                Xen.Ports.Set(remotePort, PortState.Interdomain, Xen.Id, local);
                return 0;
            }
            case EventChannelOp.BindVirq:
            {
                // Xen's evtchn_bind_virq: VIRQ number, then a global VIRQ on a vCPU other than 0, then the vCPU, then
                // an existing binding.
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnBindVirq.Size))) return Err(XenErrno.EFAULT);
                uint virq = BinaryPrimitives.ReadUInt32LittleEndian(buf);
                uint vcpu = BinaryPrimitives.ReadUInt32LittleEndian(buf.Slice(4));
                if (virq >= VirqTable.Count) return Err(XenErrno.EINVAL);
                if (VirqTable.IsGlobal(virq) && vcpu != 0) return Err(XenErrno.EINVAL);
                if (vcpu != 0) return Err(XenErrno.ENOENT);            // one vCPU
                if (Xen.Virqs.Port(virq) != 0) return Err(XenErrno.EEXIST);
                if (!Xen.Ports.TryFindFree(Xen.PortLimit, out uint port)) return Err(XenErrno.ENOSPC);
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(8), port);
                if (!WriteArg(ref state, arg + 8, buf.Slice(8, 4))) return Err(XenErrno.EFAULT);
                Xen.Ports.Set(port, PortState.Virq, Xen.Id, virq);
                Xen.Virqs.Set(virq, port);
                return 0;
            }
            case EventChannelOp.BindIpi:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnBindIpi.Size))) return Err(XenErrno.EFAULT);
                if (BinaryPrimitives.ReadUInt32LittleEndian(buf) != 0) return Err(XenErrno.ENOENT);   // one vCPU: 0
                if (!Xen.Ports.TryFindFree(Xen.PortLimit, out uint port)) return Err(XenErrno.ENOSPC);
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(4), port);
                if (!WriteArg(ref state, arg + 4, buf.Slice(4, 4))) return Err(XenErrno.EFAULT);
                Xen.Ports.Set(port, PortState.Ipi, Xen.Id, 0);
                return 0;
            }
            case EventChannelOp.Send:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnSend.Size))) return Err(XenErrno.EFAULT);
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(buf);
                if (!Xen.Ports.IsValid(port)) return Err(XenErrno.EINVAL);
                switch (Xen.Ports.State(port))
                {
                    case PortState.Interdomain: Xen.RaiseEvent(Xen.Ports.RemotePort(port), ref state); return 0;
                    case PortState.Ipi: Xen.RaiseEvent(port, ref state); return 0;
                    case PortState.Unbound: return 0;                      // Xen drops a send on an unbound port silently
                    case PortState.Service: Xen.ServiceKick(port, ref state, ref Console); return 0;
                    default: return Err(XenErrno.EINVAL);
                }
            }
            case EventChannelOp.Close:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnClose.Size))) return Err(XenErrno.EFAULT);
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(buf);
                if (!Xen.Ports.IsValid(port)) return Err(XenErrno.EINVAL);
                PortState s = Xen.Ports.State(port);
                if (s == PortState.Free || s == PortState.Reserved) return Err(XenErrno.EINVAL);
                if (s == PortState.Interdomain)
                {
                    // The peer goes back to unbound, waiting for this domain again (Xen's __evtchn_close).
                    uint peer = Xen.Ports.RemotePort(port);
                    if (peer != port) Xen.Ports.Set(peer, PortState.Unbound, Xen.Id, 0);
                }
                else if (s == PortState.Virq)
                {
                    Xen.Virqs.Set(Xen.Ports.RemotePort(port), 0);
                }
                Xen.Ports.Set(port, PortState.Free, 0, 0);
                Xen.ClearPending(port);
                return 0;
            }
            case EventChannelOp.Status:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnStatus.Size))) return Err(XenErrno.EFAULT);
                ushort dom = BinaryPrimitives.ReadUInt16LittleEndian(buf);
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(buf.Slice(4));
                if (!Xen.IsSelf(dom)) return Err(XenErrno.ESRCH);
                if (!Xen.Ports.IsValid(port)) return Err(XenErrno.EINVAL);
                uint status;
                uint union0 = 0, union1 = 0;
                switch (Xen.Ports.State(port))
                {
                    case PortState.Unbound: status = EventChannelStatus.Unbound; union0 = Xen.Ports.RemoteDomain(port); break;
                    case PortState.Interdomain: status = EventChannelStatus.Interdomain; union0 = Xen.Id; union1 = Xen.Ports.RemotePort(port); break;
                    case PortState.Service: status = EventChannelStatus.Interdomain; union0 = 0; union1 = Xen.Ports.RemotePort(port); break;
                    case PortState.Ipi: status = EventChannelStatus.Ipi; break;
                    case PortState.Virq: status = EventChannelStatus.Virq; union0 = Xen.Ports.RemotePort(port); break;
                    default: status = EventChannelStatus.Closed; break;
                }
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(8), status);
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(12), 0);        // vcpu 0
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(16), union0);
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(20), union1);
                return WriteArg(ref state, arg + 8, buf.Slice(8, 16)) ? 0 : Err(XenErrno.EFAULT);
            }
            case EventChannelOp.Unmask:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnUnmask.Size))) return Err(XenErrno.EFAULT);
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(buf);
                if (!Xen.Ports.IsValid(port)) return Err(XenErrno.EINVAL);
                Xen.Unmask(port, ref state);
                return 0;
            }
            case EventChannelOp.InitControl:
            {
                // struct evtchn_init_control: control_gfn 0, offset 8, vcpu 12, link_bits 16 (out). Xen's order: the
                // offset (8-byte aligned, the 72-byte block inside the page), the vCPU, the frame, a second init.
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnInitControl.Size))) return Err(XenErrno.EFAULT);
                ulong gfn = BinaryPrimitives.ReadUInt64LittleEndian(buf);
                uint offset = BinaryPrimitives.ReadUInt32LittleEndian(buf.Slice(8));
                uint vcpu = BinaryPrimitives.ReadUInt32LittleEndian(buf.Slice(12));
                if ((offset & 7) != 0 || offset > 4096 - EvtchnFifoControlBlock.Size) return Err(XenErrno.EINVAL);
                if (vcpu != 0) return Err(XenErrno.ENOENT);
                byte* page = gfn < 1UL << 40 ? Memory.TryMapPage(gfn << 12) : null;
                if (page == null) return Err(XenErrno.EINVAL);
                if (Xen.Fifo) return Err(XenErrno.EINVAL);                // vCPU 0 already has a control block
                buf[16] = (byte)EventChannelFifo.LinkBits;
                if (!WriteArg(ref state, arg + 16, buf.Slice(16, 1))) return Err(XenErrno.EFAULT);
                Xen.InitFifo(page + offset, (gfn << 12) + offset);
                return 0;
            }
            case EventChannelOp.ExpandArray:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnExpandArray.Size))) return Err(XenErrno.EFAULT);
                ulong gfn = BinaryPrimitives.ReadUInt64LittleEndian(buf);
                if (!Xen.Fifo) return Err(XenErrno.EOPNOTSUPP);
                if (Xen.EventArrayPages >= XenDomain.MaxEventArrayPages) return Err(XenErrno.ENOSPC);
                byte* page = gfn < 1UL << 40 ? Memory.TryMapPage(gfn << 12) : null;
                // Xen's map_guest_page answers -EINVAL for a frame that is not writable guest RAM. A frame already in the
                // array is refused too (Xen would map it again, aliasing two ranges of ports onto one page).
                if (page == null || Xen.IsEventArrayPage(page)) return Err(XenErrno.EINVAL);
                if (!Xen.AddEventArrayPage(page, ref state)) return Err(XenErrno.ENOSPC);
                return 0;
            }
            case EventChannelOp.SetPriority:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnSetPriority.Size))) return Err(XenErrno.EFAULT);
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(buf);
                uint priority = BinaryPrimitives.ReadUInt32LittleEndian(buf.Slice(4));
                if (!Xen.Ports.IsValid(port)) return Err(XenErrno.EINVAL);
                if (!Xen.Fifo) return Err(XenErrno.ENOSYS);              // the 2-level ABI has no priorities
                if (priority > EventChannelTable.LowestPriority) return Err(XenErrno.EINVAL);
                Xen.Ports.SetPriority(port, priority);
                return 0;
            }
            default:
                return Err(XenErrno.ENOSYS);
        }
    }

    /// <summary><c>HYPERVISOR_vcpu_op(cmd, vcpuid, arg)</c> (xen/include/public/vcpu.h) as an HVM guest has it:
    /// <c>VCPUOP_set_singleshot_timer</c> (<c>struct vcpu_set_singleshot_timer</c>, 16 bytes on x86_64 and 12 on x86_32:
    /// <c>timeout_abs_ns</c>, <c>flags</c>; with <c>VCPU_SSHOTTMR_future</c> a deadline already passed is <c>-ETIME</c>,
    /// without it the timer fires at once), <c>VCPUOP_stop_singleshot_timer</c>, and <c>VCPUOP_set_periodic_timer</c> /
    /// <c>VCPUOP_stop_periodic_timer</c> (<see cref="HandlePeriodicTimer"/>). A vCPU other than 0 is
    /// <c>-ENOENT</c> (Xen's <c>domain_vcpu</c> check), a bad pointer <c>-EFAULT</c>, other commands <c>-ENOSYS</c>
    /// (not offered here), and before the clock is configured every command is <c>-ENOSYS</c>.</summary>
    private long HandleVcpuOp(ref VcpuState state, ulong command, ulong vcpu, ulong arg)
    {
        if (!Xen.Enabled || !Xen.Clock.Configured) return Err(XenErrno.ENOSYS);
        bool set = command == (ulong)VcpuAbi.VcpuOp.SetSingleshotTimer;
        bool periodic = command == (ulong)VcpuAbi.VcpuOp.SetPeriodicTimer || command == (ulong)VcpuAbi.VcpuOp.StopPeriodicTimer;
        if (!set && !periodic && command != (ulong)VcpuAbi.VcpuOp.StopSingleshotTimer) return Err(XenErrno.ENOSYS);
        if ((uint)vcpu != 0) return Err(XenErrno.ENOENT);              // vcpuid is an int; one vCPU
        if (periodic) return HandlePeriodicTimer(ref state, command == (ulong)VcpuAbi.VcpuOp.SetPeriodicTimer, arg);
        if (!set)
        {
            Xen.StopSingleShotTimer();
            return 0;
        }
        Span<byte> t = stackalloc byte[VcpuAbi.VcpuSetSingleshotTimer64.Size];
        int size = state.Mode == GuestMode.Long64 ? VcpuAbi.VcpuSetSingleshotTimer64.Size : VcpuAbi.VcpuSetSingleshotTimer32.Size;
        if (!ReadArg(ref state, arg, t.Slice(0, size))) return Err(XenErrno.EFAULT);
        ulong deadline = BinaryPrimitives.ReadUInt64LittleEndian(t);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(t.Slice(8));
        ulong tsc = Host.ReadTsc();
        if ((flags & (uint)VcpuAbi.VcpuConstants.SingleShotFuture) != 0 && deadline < Xen.Clock.SystemTime(tsc))
            return Err(XenErrno.ETIME);
        Xen.PublishTime(tsc);
        Xen.ArmTimer(deadline, tsc, ref state);
        return 0;
    }

    /// <summary><c>VCPUOP_set_periodic_timer</c> (<c>struct vcpu_set_periodic_timer { uint64_t period_ns; }</c>, 8 bytes
    /// in both layouts) and <c>VCPUOP_stop_periodic_timer</c>, as Xen's <c>do_vcpu_op</c>: a period below 1 ms
    /// (<c>MILLISECS(1)</c>) or above <c>STIME_DELTA_MAX</c> is <c>-EINVAL</c>, a bad pointer <c>-EFAULT</c>; the timer
    /// sends <c>VIRQ_TIMER</c> every period (<see cref="Services.XenDomain.SetPeriodicTimer"/>), independently of the
    /// single-shot timer.</summary>
    private long HandlePeriodicTimer(ref VcpuState state, bool set, ulong arg)
    {
        ulong tsc = Host.ReadTsc();
        if (!set)
        {
            Xen.SetPeriodicTimer(0, tsc, ref state);
            return 0;
        }
        Span<byte> p = stackalloc byte[VcpuAbi.VcpuSetPeriodicTimer.Size];
        if (!ReadArg(ref state, arg, p)) return Err(XenErrno.EFAULT);
        ulong period = BinaryPrimitives.ReadUInt64LittleEndian(p);
        if (period < XenDomain.MinPeriodicPeriod || period > XenDomain.MaxPeriodicPeriod) return Err(XenErrno.EINVAL);
        Xen.PublishTime(tsc);
        Xen.SetPeriodicTimer(period, tsc, ref state);
        return 0;
    }

    /// <summary>The legacy <c>HYPERVISOR_set_timer_op(timeout)</c> (64-bit: rdi; 32-bit: ebx = low, ecx = high half):
    /// 0 stops the single-shot timer; a timeout more than 2^50 ns (about 13 days) ahead is taken as a wrapped value and
    /// fires at once, as Xen does; otherwise the timer is armed (a past deadline fires at once). Always 0.</summary>
    private long HandleSetTimerOp(ref VcpuState state, ulong timeout)
    {
        if (!Xen.Enabled || !Xen.Clock.Configured) return Err(XenErrno.ENOSYS);
        if (timeout == 0)
        {
            Xen.StopSingleShotTimer();
            return 0;
        }
        ulong tsc = Host.ReadTsc();
        ulong now = Xen.Clock.SystemTime(tsc);
        long offset = (long)(timeout - now);
        Xen.PublishTime(tsc);
        Xen.ArmTimer(offset > 0 && (offset >> 50) != 0 ? now : timeout, tsc, ref state);
        return 0;
    }

    /// <summary><c>HYPERVISOR_hvm_op(HVMOP_set_param / HVMOP_get_param, struct xen_hvm_param *)</c>
    /// (xen/include/public/hvm/hvm_op.h, hvm/params.h). Set: only <c>HVM_PARAM_CALLBACK_IRQ</c>, and only the vector
    /// type with a vector of 32 or more; stricter than Xen, which accepts any vector and the GSI / PCI INTx types (this
    /// kernel emulates no interrupt controller for those, and vectors 0-31 are exceptions): <c>-EINVAL</c>. As in Xen,
    /// a pending upcall is raised at once. Other parameters are the toolstack's (<c>-EPERM</c>). Get: the callback, the
    /// XenStore and console frames and ports, 0 for the rest. An index beyond <c>HVM_NR_PARAMS</c> is <c>-EINVAL</c>.</summary>
    private long HandleHvmOp(ref VcpuState state, ulong command, ulong arg)
    {
        if (!Xen.Enabled) return Err(XenErrno.ENOSYS);
        bool set = command == (ulong)HvmOp.SetParam;
        if (!set && command != (ulong)HvmOp.GetParam) return Err(XenErrno.ENOSYS);
        Span<byte> p = stackalloc byte[XenHvmParam.Size];
        if (!ReadArg(ref state, arg, p)) return Err(XenErrno.EFAULT);
        ushort dom = BinaryPrimitives.ReadUInt16LittleEndian(p);
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(p.Slice(4));
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(p.Slice(8));
        if (!Xen.IsSelf(dom)) return Err(XenErrno.ESRCH);
        if (index >= (uint)HvmParam.Count) return Err(XenErrno.EINVAL);
        if (set)
        {
            if (index != (uint)HvmParam.CallbackIrq) return Err(XenErrno.EPERM);
            var via = new HvmCallbackVia(value);
            if (!via.IsDisabled && (via.Type != HvmCallbackType.Vector || (value & 0x00FF_FFFF_FFFF_FFFFUL) < 32 || (value & 0x00FF_FFFF_FFFF_FFFFUL) > 255))
                return Err(XenErrno.EINVAL);
            Xen.SetCallbackVia(value);
            Xen.AssertUpcallIfPending(ref state);
            return 0;
        }
        switch ((HvmParam)index)
        {
            case HvmParam.CallbackIrq: value = Xen.CallbackVia; break;
            case HvmParam.StorePfn: value = Xen.StorePfn; break;
            case HvmParam.StoreEvtchn: value = XenDomain.StorePortNumber; break;
            case HvmParam.ConsolePfn: value = Xen.ConsolePfn; break;
            case HvmParam.ConsoleEvtchn: value = XenDomain.ConsolePortNumber; break;
            default: value = 0; break;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(p.Slice(8), value);
        return WriteArg(ref state, arg + 8, p.Slice(8, 8)) ? 0 : Err(XenErrno.EFAULT);
    }

    /// <summary><c>HYPERVISOR_memory_op(XENMEM_add_to_physmap, struct xen_add_to_physmap *)</c>
    /// (xen/include/public/memory.h), 64-bit and 32-bit layouts: <c>XENMAPSPACE_shared_info</c> with idx 0 puts
    /// shared_info at the guest frame <c>gpfn</c>. A frame outside guest RAM, a non-zero idx or another map space is
    /// <c>-EINVAL</c>, another domain <c>-ESRCH</c>, a bad pointer <c>-EFAULT</c>, other sub-commands <c>-ENOSYS</c>.</summary>
    private unsafe long HandleMemoryOp(ref VcpuState state, ulong command, ulong arg)
    {
        if (!Xen.Enabled) return Err(XenErrno.ENOSYS);
        if (command != (ulong)MemoryOp.AddToPhysmap) return Err(XenErrno.ENOSYS);
        bool wide = state.Mode == GuestMode.Long64;
        Span<byte> a = stackalloc byte[XenAddToPhysmap64.Size];
        if (!ReadArg(ref state, arg, a.Slice(0, wide ? XenAddToPhysmap64.Size : XenAddToPhysmap32.Size))) return Err(XenErrno.EFAULT);
        ushort dom = BinaryPrimitives.ReadUInt16LittleEndian(a);
        uint space = BinaryPrimitives.ReadUInt32LittleEndian(a.Slice(4));
        ulong idx = wide ? BinaryPrimitives.ReadUInt64LittleEndian(a.Slice(8)) : BinaryPrimitives.ReadUInt32LittleEndian(a.Slice(8));
        ulong gpfn = wide ? BinaryPrimitives.ReadUInt64LittleEndian(a.Slice(16)) : BinaryPrimitives.ReadUInt32LittleEndian(a.Slice(12));
        if (!Xen.IsSelf(dom)) return Err(XenErrno.ESRCH);
        bool grant = space == MapSpace.GrantTable;
        if ((space != MapSpace.SharedInfo && !grant) || idx >= (grant ? XenDomain.GrantFrames : 1)) return Err(XenErrno.EINVAL);
        if (gpfn >= 1UL << 40) return Err(XenErrno.EINVAL);
        byte* page = Memory.TryMapPage(gpfn << 12);
        if (page == null) return Err(XenErrno.EINVAL);
        if (grant) Xen.MapGrantTable(page, gpfn << 12);
        else Xen.MapSharedInfo(page, gpfn << 12, Host.ReadTsc());
        return 0;
    }

    /// <summary><c>HYPERVISOR_grant_table_op(cmd, uop, count)</c> (xen/include/public/grant_table.h), v1:
    /// <c>GNTTABOP_query_size</c> and <c>GNTTABOP_setup_table</c> (count must be 1, as in Xen; one frame, which an HVM
    /// guest maps with <c>XENMAPSPACE_grant_table</c>; setup_table reports the frame's GFN, or ~0 before it is mapped),
    /// and <c>GNTTABOP_copy</c> (count operations of 40 bytes): a source or destination given by grant reference is
    /// validated and pinned with Xen.Sdk.Rings' <c>GrantTableV1.TryMap</c> (type permit_access, domid = this domain,
    /// read-only grants only as a source), copied, and released. Per-operation failures are <c>GNTST_*</c> values in
    /// the operation's <c>status</c>; the hypercall itself fails only for bad pointers (<c>-EFAULT</c>), a bad count
    /// (<c>-EINVAL</c>) or an unknown command (<c>-ENOSYS</c>).</summary>
    private unsafe long HandleGrantTableOp(ref VcpuState state, ulong command, ulong uop, ulong count)
    {
        if (!Xen.Enabled) return Err(XenErrno.ENOSYS);
        Span<byte> op = stackalloc byte[40];
        op.Clear();
        switch ((GrantTableOp)(int)Math.Min(command, int.MaxValue))
        {
            case GrantTableOp.QuerySize:
            {
                if (count != 1) return Err(XenErrno.EINVAL);
                if (!ReadArg(ref state, uop, op.Slice(0, GnttabQuerySize.Size))) return Err(XenErrno.EFAULT);
                ushort dom = BinaryPrimitives.ReadUInt16LittleEndian(op);
                bool self = Xen.IsSelf(dom);
                BinaryPrimitives.WriteUInt32LittleEndian(op.Slice(4), self ? XenDomain.GrantFrames : 0);
                BinaryPrimitives.WriteUInt32LittleEndian(op.Slice(8), self ? XenDomain.GrantFrames : 0);
                BinaryPrimitives.WriteInt16LittleEndian(op.Slice(12), (short)(self ? GrantStatus.Okay : GrantStatus.BadDomain));
                return WriteArg(ref state, uop + 4, op.Slice(4, 12)) ? 0 : Err(XenErrno.EFAULT);
            }
            case GrantTableOp.SetupTable:
            {
                if (count != 1) return Err(XenErrno.EINVAL);
                if (state.Mode != GuestMode.Long64) return Err(XenErrno.ENOSYS);     // 64-bit layout only here
                if (!ReadArg(ref state, uop, op.Slice(0, GnttabSetupTable64.Size))) return Err(XenErrno.EFAULT);
                ushort dom = BinaryPrimitives.ReadUInt16LittleEndian(op);
                uint frames = BinaryPrimitives.ReadUInt32LittleEndian(op.Slice(4));
                ulong list = BinaryPrimitives.ReadUInt64LittleEndian(op.Slice(16));
                GrantStatus st = !Xen.IsSelf(dom) ? GrantStatus.BadDomain : frames > XenDomain.GrantFrames ? GrantStatus.GeneralError : GrantStatus.Okay;
                if (st == GrantStatus.Okay && frames == 1)
                {
                    Span<byte> gfn = stackalloc byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(gfn, Xen.GrantTableAddress == ulong.MaxValue ? ulong.MaxValue : Xen.GrantTableAddress >> 12);
                    if (!WriteArg(ref state, list, gfn)) return Err(XenErrno.EFAULT);
                }
                BinaryPrimitives.WriteInt16LittleEndian(op.Slice(8), (short)st);
                return WriteArg(ref state, uop + 8, op.Slice(8, 2)) ? 0 : Err(XenErrno.EFAULT);
            }
            case GrantTableOp.Copy:
            {
                if (count > 512) return Err(XenErrno.EINVAL);
                if (state.Mode != GuestMode.Long64) return Err(XenErrno.ENOSYS);
                for (ulong i = 0; i < count; i++)
                {
                    ulong at = uop + i * GnttabCopy64.Size;
                    if (!ReadArg(ref state, at, op.Slice(0, GnttabCopy64.Size))) return Err(XenErrno.EFAULT);
                    GrantStatus st = GrantCopy(op);
                    BinaryPrimitives.WriteInt16LittleEndian(op.Slice(36), (short)st);
                    if (!WriteArg(ref state, at + 36, op.Slice(36, 2))) return Err(XenErrno.EFAULT);
                }
                return 0;
            }
            default:
                return Err(XenErrno.ENOSYS);
        }
    }

    /// <summary>One <c>struct gnttab_copy</c> (x86_64: source {ref|gmfn 0, domid 8, offset 10}, dest at 16, len 32,
    /// flags 34, status 36).</summary>
    private unsafe GrantStatus GrantCopy(ReadOnlySpan<byte> op)
    {
        ushort len = BinaryPrimitives.ReadUInt16LittleEndian(op.Slice(32));
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(op.Slice(34));
        if ((flags & ~(uint)(GrantCopyFlags.SourceGref | GrantCopyFlags.DestGref)) != 0) return GrantStatus.BadCopyArg;
        ushort srcOffset = BinaryPrimitives.ReadUInt16LittleEndian(op.Slice(10)), dstOffset = BinaryPrimitives.ReadUInt16LittleEndian(op.Slice(26));
        if (srcOffset + len > 4096 || dstOffset + len > 4096) return GrantStatus.BadCopyArg;
        if (!Xen.IsSelf(BinaryPrimitives.ReadUInt16LittleEndian(op.Slice(8))) || !Xen.IsSelf(BinaryPrimitives.ReadUInt16LittleEndian(op.Slice(24))))
            return GrantStatus.BadDomain;
        bool srcGref = (flags & (uint)GrantCopyFlags.SourceGref) != 0, dstGref = (flags & (uint)GrantCopyFlags.DestGref) != 0;
        var grants = Xen.Grants;
        var me = new DomainId(Xen.Id);
        ulong srcFrame, dstFrame;
        uint frame;
        if (srcGref)
        {
            GrantStatus s = grants.TryMap(new GrantRef(BinaryPrimitives.ReadUInt32LittleEndian(op)), me, true, out frame);
            if (s != GrantStatus.Okay) return s;
            srcFrame = frame;
        }
        else srcFrame = BinaryPrimitives.ReadUInt64LittleEndian(op);
        if (dstGref)
        {
            GrantStatus s = grants.TryMap(new GrantRef(BinaryPrimitives.ReadUInt32LittleEndian(op.Slice(16))), me, false, out frame);
            if (s != GrantStatus.Okay)
            {
                if (srcGref) grants.Release(new GrantRef(BinaryPrimitives.ReadUInt32LittleEndian(op)), false, true);
                return s;
            }
            dstFrame = frame;
        }
        else dstFrame = BinaryPrimitives.ReadUInt64LittleEndian(op.Slice(16));
        byte* src = srcFrame < 1UL << 40 ? Memory.TryMapPage(srcFrame << 12) : null;
        byte* dst = dstFrame < 1UL << 40 ? Memory.TryMapPage(dstFrame << 12) : null;
        GrantStatus result = GrantStatus.Okay;
        if (src == null || dst == null) result = GrantStatus.BadPage;
        else
        {
            // SAFETY: both pages are guest RAM (TryMapPage), offsets + len <= 4096 were checked; overlap is allowed.
            new ReadOnlySpan<byte>(src + srcOffset, len).CopyTo(new Span<byte>(dst + dstOffset, len));
            Xen.GrantCopyBytes += len;
        }
        // Drop the pins (GTF_reading / GTF_writing) taken above: one mapping at a time, so each is the last.
        if (srcGref) grants.Release(new GrantRef(BinaryPrimitives.ReadUInt32LittleEndian(op)), false, true);
        if (dstGref) grants.Release(new GrantRef(BinaryPrimitives.ReadUInt32LittleEndian(op.Slice(16))), true, true);
        return result;
    }
}
