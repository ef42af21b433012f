namespace Xen.Sdk.Reference.Services;

/// <summary>State of one event-channel port (Xen's <c>ECS_*</c>, reported to guests as <c>EVTCHNSTAT_*</c>).</summary>
public enum PortState : byte
{
    /// <summary>Not allocated (<c>ECS_FREE</c>; status <c>EVTCHNSTAT_closed</c>).</summary>
    Free = 0,
    /// <summary>Port 0: never allocated (<c>ECS_RESERVED</c>; status <c>EVTCHNSTAT_closed</c>).</summary>
    Reserved,
    /// <summary>Allocated by <c>EVTCHNOP_alloc_unbound</c>, waiting for the remote domain to bind
    /// (<c>EVTCHNSTAT_unbound</c>); a send on it is dropped silently, as in Xen.</summary>
    Unbound,
    /// <summary>Connected to another port of this domain (a loopback made with <c>EVTCHNOP_bind_interdomain</c> to
    /// <c>DOMID_SELF</c>; <c>EVTCHNSTAT_interdomain</c>).</summary>
    Interdomain,
    /// <summary>Connected to a service of the hypervisor acting as domain 0 (XenStore, console); status
    /// <c>EVTCHNSTAT_interdomain</c> with remote domain 0.</summary>
    Service,
    /// <summary>An inter-processor interrupt port bound with <c>EVTCHNOP_bind_ipi</c> (<c>EVTCHNSTAT_ipi</c>): a send
    /// raises the port itself on its vCPU.</summary>
    Ipi,
    /// <summary>Bound to a virtual IRQ of vCPU 0 with <c>EVTCHNOP_bind_virq</c> (<c>EVTCHNSTAT_virq</c>; the VIRQ number is
    /// kept as the remote port).</summary>
    Virq,
}

/// <summary>VIRQ → port bindings of vCPU 0 (Xen's <c>virq_to_evtchn</c>, <c>NR_VIRQS</c> = 24 entries).</summary>
public unsafe struct VirqTable
{
    /// <summary><c>NR_VIRQS</c> (xen/include/public/xen.h).</summary>
    public const uint Count = 24;
    private fixed ushort _port[(int)Count];

    /// <summary>Removes every binding.</summary>
    public void Reset()
    {
        for (int i = 0; i < Count; i++) _port[i] = 0;
    }

    /// <summary>The port bound to <paramref name="virq"/> (0: none or out of range).</summary>
    public readonly uint Port(uint virq) => virq < Count ? _port[virq] : 0u;

    /// <summary>Binds (or with port 0 unbinds) a VIRQ below <see cref="Count"/>.</summary>
    public void Set(uint virq, uint port)
    {
        if (virq < Count) _port[virq] = (ushort)port;
    }

    /// <summary>Whether a VIRQ is global (bindable on vCPU 0 only): every VIRQ except the per-vCPU ones
    /// (<c>VIRQ_TIMER</c> 0, <c>VIRQ_DEBUG</c> 1, <c>VIRQ_XENOPROF</c> 7, <c>VIRQ_XENPMU</c> 13); the x86 architecture
    /// VIRQs (16-23) count as global.</summary>
    public static bool IsGlobal(uint virq) => !(virq == 0 || virq == 1 || virq == 7 || virq == 13);
}

/// <summary>The event-channel ports of one domain: a fixed table (no allocation), <see cref="Capacity"/> ports, port 0
/// reserved as in Xen. Only the bookkeeping lives here; pending and mask bits live in the guest's shared_info
/// (Xen.Sdk.Rings' <c>TwoLevelEventChannels</c>).</summary>
public unsafe struct EventChannelTable
{
    /// <summary>Ports per domain: one 64-port bucket (Xen's <c>EVTCHNS_PER_BUCKET</c> on 64-bit); a port at or above
    /// it is invalid (<c>-EINVAL</c>) and allocation beyond it fails with <c>-ENOSPC</c>.</summary>
    public const int Capacity = 64;

    private fixed byte _state[Capacity];
    private fixed ushort _remoteDomain[Capacity];
    private fixed ushort _remotePort[Capacity];
    private fixed byte _priority[Capacity];

    /// <summary><c>EVTCHN_FIFO_PRIORITY_DEFAULT</c>.</summary>
    public const uint DefaultPriority = 7;
    /// <summary><c>EVTCHN_FIFO_PRIORITY_MIN</c> (the largest number, the lowest priority).</summary>
    public const uint LowestPriority = 15;

    /// <summary>Every port back to <see cref="DefaultPriority"/>.</summary>
    public void ResetPriorities()
    {
        for (int i = 0; i < Capacity; i++) _priority[i] = (byte)DefaultPriority;
    }

    /// <summary>A valid port's FIFO priority (0 highest).</summary>
    public readonly uint Priority(uint port) => IsValid(port) ? _priority[port] : DefaultPriority;

    /// <summary>Sets a valid port's FIFO priority (at most <see cref="LowestPriority"/>).</summary>
    public void SetPriority(uint port, uint priority)
    {
        if (IsValid(port) && priority <= LowestPriority) _priority[port] = (byte)priority;
    }

    /// <summary>Empties the table and reserves port 0.</summary>
    public void Reset()
    {
        for (int i = 0; i < Capacity; i++)
        {
            _state[i] = (byte)PortState.Free;
            _remoteDomain[i] = 0;
            _remotePort[i] = 0;
        }
        _state[0] = (byte)PortState.Reserved;
        ResetPriorities();
    }

    /// <summary>Whether <paramref name="port"/> is a valid port number (Xen's <c>port_is_valid</c>).</summary>
    public static bool IsValid(uint port) => port < Capacity;

    /// <summary>State of a valid port.</summary>
    public readonly PortState State(uint port) => IsValid(port) ? (PortState)_state[port] : PortState.Free;

    /// <summary>The remote domain (unbound: the domain allowed to bind; interdomain/service: the peer).</summary>
    public readonly ushort RemoteDomain(uint port) => IsValid(port) ? _remoteDomain[port] : (ushort)0;

    /// <summary>The peer port (interdomain / service).</summary>
    public readonly uint RemotePort(uint port) => IsValid(port) ? _remotePort[port] : 0u;

    /// <summary>The lowest free port, or false when all are in use.</summary>
    public readonly bool TryFindFree(out uint port)
    {
        for (uint p = 1; p < Capacity; p++)
        {
            if (_state[p] == (byte)PortState.Free)
            {
                port = p;
                return true;
            }
        }
        port = 0;
        return false;
    }

    /// <summary>Sets a valid port's state.</summary>
    public void Set(uint port, PortState state, ushort remoteDomain, uint remotePort)
    {
        if (!IsValid(port)) return;
        _state[port] = (byte)state;
        _remoteDomain[port] = remoteDomain;
        _remotePort[port] = (ushort)remotePort;
    }
}
