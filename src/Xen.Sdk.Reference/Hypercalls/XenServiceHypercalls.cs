using System;
using System.Buffers.Binary;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Abi.Hvm;
using Xen.Sdk.Abi.Memory;
using Xen.Sdk.Reference.Services;

namespace Xen.Sdk.Reference;

public partial struct ExitDispatcher<TMemory, TConsole, THost, TExtension>
{
    private static long Err(XenErrno e) => -(long)e;

    private bool ReadArg(ref VcpuState state, ulong pointer, Span<byte> destination) =>
        GuestPageWalker.TryReadVirtual(ref Memory, state, pointer, destination);

    private bool WriteArg(ref VcpuState state, ulong pointer, ReadOnlySpan<byte> source) =>
        GuestPageWalker.TryWriteVirtual(ref Memory, state, pointer, source);

    /// <summary><c>HYPERVISOR_event_channel_op(cmd, arg)</c> (xen/include/public/event_channel.h): alloc_unbound,
    /// bind_interdomain (to this domain), send, close, status, unmask. Errors as Xen returns them: an invalid port or a
    /// port in the wrong state is <c>-EINVAL</c>, another domain is <c>-ESRCH</c>, a full table <c>-ENOSPC</c>, a bad
    /// pointer <c>-EFAULT</c>, other commands <c>-ENOSYS</c>.</summary>
    private long HandleEventChannelOp(ref VcpuState state, ulong command, ulong arg)
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
                if (!Xen.Ports.TryFindFree(out uint port)) return Err(XenErrno.ENOSPC);
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
                if (!EventChannelTable.IsValid(remotePort)) return Err(XenErrno.EINVAL);
                if (Xen.Ports.State(remotePort) != PortState.Unbound || Xen.Ports.RemoteDomain(remotePort) != Xen.Id) return Err(XenErrno.EINVAL);
                if (!Xen.Ports.TryFindFree(out uint local)) return Err(XenErrno.ENOSPC);
                BinaryPrimitives.WriteUInt32LittleEndian(buf.Slice(8), local);
                if (!WriteArg(ref state, arg + 8, buf.Slice(8, 4))) return Err(XenErrno.EFAULT);
                Xen.Ports.Set(local, PortState.Interdomain, Xen.Id, remotePort);
                Xen.Ports.Set(remotePort, PortState.Interdomain, Xen.Id, local);
                return 0;
            }
            case EventChannelOp.Send:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnSend.Size))) return Err(XenErrno.EFAULT);
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(buf);
                if (!EventChannelTable.IsValid(port)) return Err(XenErrno.EINVAL);
                switch (Xen.Ports.State(port))
                {
                    case PortState.Interdomain: Xen.RaiseEvent(Xen.Ports.RemotePort(port), ref state); return 0;
                    case PortState.Unbound: return 0;                      // Xen drops a send on an unbound port silently
                    case PortState.Service: Xen.ServiceKick(port, ref state, ref Console); return 0;
                    default: return Err(XenErrno.EINVAL);
                }
            }
            case EventChannelOp.Close:
            {
                if (!ReadArg(ref state, arg, buf.Slice(0, EvtchnClose.Size))) return Err(XenErrno.EFAULT);
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(buf);
                if (!EventChannelTable.IsValid(port)) return Err(XenErrno.EINVAL);
                PortState s = Xen.Ports.State(port);
                if (s == PortState.Free || s == PortState.Reserved) return Err(XenErrno.EINVAL);
                if (s == PortState.Interdomain)
                {
                    // The peer goes back to unbound, waiting for this domain again (Xen's __evtchn_close).
                    uint peer = Xen.Ports.RemotePort(port);
                    if (peer != port) Xen.Ports.Set(peer, PortState.Unbound, Xen.Id, 0);
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
                if (!EventChannelTable.IsValid(port)) return Err(XenErrno.EINVAL);
                uint status;
                uint union0 = 0, union1 = 0;
                switch (Xen.Ports.State(port))
                {
                    case PortState.Unbound: status = EventChannelStatus.Unbound; union0 = Xen.Ports.RemoteDomain(port); break;
                    case PortState.Interdomain: status = EventChannelStatus.Interdomain; union0 = Xen.Id; union1 = Xen.Ports.RemotePort(port); break;
                    case PortState.Service: status = EventChannelStatus.Interdomain; union0 = 0; union1 = Xen.Ports.RemotePort(port); break;
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
                if (!EventChannelTable.IsValid(port)) return Err(XenErrno.EINVAL);
                Xen.Unmask(port, ref state);
                return 0;
            }
            default:
                return Err(XenErrno.ENOSYS);
        }
    }

    /// <summary><c>HYPERVISOR_hvm_op(HVMOP_set_param / HVMOP_get_param, struct xen_hvm_param *)</c>
    /// (xen/include/public/hvm/hvm_op.h, hvm/params.h). Set: only <c>HVM_PARAM_CALLBACK_IRQ</c>, and only the vector
    /// type (this kernel emulates no interrupt controller for the GSI / PCI INTx types: <c>-EINVAL</c>) with a vector of
    /// 32 or more (0-31 are exceptions); other parameters are the toolstack's (<c>-EPERM</c>). Get: the callback, the
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
            Xen.CallbackVia = value;
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
        if (space != MapSpace.SharedInfo || idx != 0) return Err(XenErrno.EINVAL);
        if (gpfn >= 1UL << 40) return Err(XenErrno.EINVAL);
        byte* page = Memory.TryMapPage(gpfn << 12);
        if (page == null) return Err(XenErrno.EINVAL);
        Xen.MapSharedInfo(page, gpfn << 12);
        return 0;
    }
}
