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

/// <summary>The event-channel ports of one domain: <see cref="Capacity"/> ports over <see cref="MemorySize"/> bytes of
/// private memory given once (<see cref="Initialize"/>; no allocation afterwards), port 0 reserved as in Xen. Ports become
/// valid 64 at a time, as Xen allocates its buckets (<c>EVTCHNS_PER_BUCKET</c> on 64-bit): the first bucket at
/// <see cref="Reset"/>, the next one when <see cref="TryFindFree"/> finds every valid port in use; a port at or above
/// <see cref="ValidPorts"/> is invalid (Xen's <c>port_is_valid</c>: <c>-EINVAL</c>). Only the bookkeeping lives here;
/// pending and mask bits live in the guest's shared_info (Xen.Sdk.Rings' <c>TwoLevelEventChannels</c>) or FIFO event
/// array.</summary>
public unsafe struct EventChannelTable
{
    /// <summary>Ports per domain: 4096, the 2-level ABI's maximum on x86_64 (64 × 64) and four FIFO event-array pages of
    /// 1024 event words. Allocation beyond it, or beyond the ABI's own limit (<see cref="AbiPortLimit"/>), fails with
    /// <c>-ENOSPC</c>.</summary>
    public const int Capacity = 4096;
    /// <summary>Ports made valid at a time (Xen's <c>EVTCHNS_PER_BUCKET</c> = 64 on a 64-bit hypervisor).</summary>
    public const int BucketSize = 64;
    /// <summary>Private memory the table needs: per port its state, FIFO priority (1 byte each), remote domain and remote
    /// port (2 bytes each).</summary>
    public const int MemorySize = Capacity * 6;

    // SAFETY: set by Initialize to MemorySize bytes of private memory (never shared with a guest): _state and _priority
    // Capacity bytes each, _remoteDomain and _remotePort Capacity ushorts each. Every access below is guarded by
    // port < _valid <= Capacity, and _valid is 0 until Initialize, so a default table touches no memory.
    private byte* _state;
    private byte* _priority;
    private ushort* _remoteDomain;
    private ushort* _remotePort;
    private uint _valid;

    /// <summary><c>EVTCHN_FIFO_PRIORITY_DEFAULT</c>.</summary>
    public const uint DefaultPriority = 7;
    /// <summary><c>EVTCHN_FIFO_PRIORITY_MIN</c> (the largest number, the lowest priority).</summary>
    public const uint LowestPriority = 15;

    /// <summary>The most ports a domain's event-channel ABI allows (Xen's <c>max_evtchns</c>), capped by
    /// <see cref="Capacity"/>: FIFO 2^17 (<c>EVTCHN_FIFO_NR_CHANNELS</c>); 2-level the square of the bits in an
    /// <c>xen_ulong_t</c> of shared_info: 64 × 64 = 4096 for the x86_64 layout, 32 × 32 = 1024 for the x86_32 (compat)
    /// layout.</summary>
    public static uint AbiPortLimit(bool fifo, bool sharedInfo32)
    {
        uint abi = fifo ? (uint)Xen.Sdk.Abi.EventChannel.EventChannelFifo.NrChannels
            : sharedInfo32 ? Xen.Sdk.Rings.EventChannel.TwoLevelEventChannels.PortCount32
            : Xen.Sdk.Rings.EventChannel.TwoLevelEventChannels.PortCount;
        return abi < Capacity ? abi : Capacity;
    }

    /// <summary>Uses <paramref name="memory"/> (<see cref="MemorySize"/> bytes, private) and empties the table
    /// (<see cref="Reset"/>); false for a null pointer.</summary>
    public bool Initialize(byte* memory)
    {
        this = default;
        if (memory == null) return false;
        _state = memory;
        _priority = memory + Capacity;
        _remoteDomain = (ushort*)(memory + 2 * Capacity);
        _remotePort = (ushort*)(memory + 4 * Capacity);
        Reset();
        return true;
    }

    /// <summary>Every port back to <see cref="DefaultPriority"/>.</summary>
    public void ResetPriorities()
    {
        if (_priority == null) return;
        for (int i = 0; i < Capacity; i++) _priority[i] = (byte)DefaultPriority;
    }

    /// <summary>A valid port's FIFO priority (0 highest).</summary>
    public readonly uint Priority(uint port) => IsValid(port) ? _priority[port] : DefaultPriority;

    /// <summary>Sets a valid port's FIFO priority (at most <see cref="LowestPriority"/>).</summary>
    public void SetPriority(uint port, uint priority)
    {
        if (IsValid(port) && priority <= LowestPriority) _priority[port] = (byte)priority;
    }

    /// <summary>Empties the table, reserves port 0 and makes the first bucket (ports 0-63) valid (Xen's
    /// <c>evtchn_init</c>).</summary>
    public void Reset()
    {
        _valid = 0;
        if (_state == null) return;
        for (int i = 0; i < Capacity; i++)
        {
            _state[i] = (byte)PortState.Free;
            _remoteDomain[i] = 0;
            _remotePort[i] = 0;
        }
        _state[0] = (byte)PortState.Reserved;
        ResetPriorities();
        _valid = BucketSize;
    }

    /// <summary>Ports valid now: a multiple of <see cref="BucketSize"/>, at most <see cref="Capacity"/> (Xen's
    /// <c>valid_evtchns</c>; it never shrinks before <see cref="Reset"/>).</summary>
    public readonly uint ValidPorts => _valid;

    /// <summary>Whether <paramref name="port"/> is a valid port number (Xen's <c>port_is_valid</c>: below
    /// <see cref="ValidPorts"/>). A guest's port argument is checked with this before any other use.</summary>
    public readonly bool IsValid(uint port) => port < _valid;

    /// <summary>State of a valid port.</summary>
    public readonly PortState State(uint port) => IsValid(port) ? (PortState)_state[port] : PortState.Free;

    /// <summary>The remote domain (unbound: the domain allowed to bind; interdomain/service: the peer).</summary>
    public readonly ushort RemoteDomain(uint port) => IsValid(port) ? _remoteDomain[port] : (ushort)0;

    /// <summary>The peer port (interdomain / service).</summary>
    public readonly uint RemotePort(uint port) => IsValid(port) ? _remotePort[port] : 0u;

    /// <summary>The lowest free port below <paramref name="limit"/> (the ABI's, <see cref="AbiPortLimit"/>), as Xen's
    /// <c>get_free_port</c>: the lowest free valid port; when every valid port is in use, the first port of the next
    /// bucket, which becomes valid. False (<c>-ENOSPC</c>) when that port is at or above <paramref name="limit"/> or
    /// <see cref="Capacity"/>.</summary>
    public bool TryFindFree(uint limit, out uint port)
    {
        for (uint p = 1; p < _valid; p++)
        {
            if (_state[p] != (byte)PortState.Free) continue;
            port = p < limit ? p : 0;
            return p < limit;
        }
        port = 0;
        uint next = _valid;
        if (_state == null || next >= limit || next >= Capacity) return false;
        _valid = next + BucketSize;
        port = next;
        return true;
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
