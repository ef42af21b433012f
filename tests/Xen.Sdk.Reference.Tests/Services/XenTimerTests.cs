using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Reference.Services;
using Xen.Sdk.Reference.Tests.Dispatch;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Services;

/// <summary>Xen system time, the single-shot timer with VIRQ_TIMER, and the level semantics of the vector callback,
/// driven through the dispatcher with a fake TSC (<see cref="FixedCpu.Tsc"/>, 10^9 ticks per second so a tick is a
/// nanosecond). Expected errnos are those of Xen's event_channel.c (evtchn_bind_virq) and common/domain.c (vcpu_op);
/// vcpu_time_info offsets come from Xen.Sdk.Abi (gcc-verified against xen.h).</summary>
public sealed unsafe class XenTimerTests : ServiceFixture
{
    private const ulong TicksPerSecond = 1_000_000_000;
    private static readonly long EINVAL = -(long)XenErrno.EINVAL, ENOENT = -(long)XenErrno.ENOENT, EEXIST = -(long)XenErrno.EEXIST,
        ETIME = -(long)XenErrno.ETIME, ENOSYS = -(long)XenErrno.ENOSYS;
    public XenTimerTests() : base("timer", 2 | (1 << 9)) => _d.Xen.Clock.Configure(TicksPerSecond, FixedCpu.Tsc);


    private long Singleshot(uint vcpu, ulong deadline, uint flags, int cmd = 8)
    {
        Ram.Slice((int)Arg, 16).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), deadline);
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 8), flags);
        return Call(24, (ulong)cmd, vcpu, Arg);
    }

    private ulong Now => _d.Xen.Clock.SystemTime(FixedCpu.Tsc);

    private VcpuTimeInfo Time
    {
        get
        {
            int at = (int)(SharedGfn << 12) + (int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.Time));
            Assert.True(VcpuTimeInfo.TryRead(Ram.Slice(at), out var t));
            return t;
        }
    }

    private ulong PendingWord0 => BinaryPrimitives.ReadUInt64LittleEndian(Ram.Slice((int)(SharedGfn << 12) + (int)Marshal.OffsetOf<SharedInfo64>(nameof(SharedInfo64.EvtchnPending))));
    private ref byte UpcallPending => ref Ram[(int)(SharedGfn << 12) + (int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnUpcallPending))];

    [Fact]
    public void BindVirqFollowsXenErrnoOrder()
    {
        MapSharedInfo();
        Assert.Equal(0, Evtchn(1, 0, 0));                  // VIRQ_TIMER on vCPU 0
        Assert.Equal(3u, ArgDword(2));
        Assert.Equal(EEXIST, Evtchn(1, 0, 0));
        Assert.Equal(EINVAL, Evtchn(1, 24, 0));            // NR_VIRQS
        Assert.Equal(EINVAL, Evtchn(1, 2, 1));             // global VIRQ_CONSOLE on vCPU 1
        Assert.Equal(ENOENT, Evtchn(1, 1, 1));             // per-vCPU VIRQ_DEBUG on a vCPU that does not exist
        Assert.Equal(0, Evtchn(5, DomainIds.Self, 3));     // status
        Assert.Equal(EventChannelStatusVirq, ArgDword(2));
        Assert.Equal(0u, ArgDword(4));
        Assert.Equal(EINVAL, Evtchn(4, 3));                // send on a VIRQ port: -EINVAL (Xen's evtchn_send)
        Assert.Equal(0, Evtchn(3, 3));                     // close unbinds
        Assert.Equal(0, Evtchn(1, 0, 0));
        Assert.Equal(3u, ArgDword(2));
    }

    private const uint EventChannelStatusVirq = Xen.Sdk.Abi.EventChannel.EventChannelStatus.Virq;

    [Fact]
    public void TimeInfoIsPublishedWithAnEvenVersionAndTheScale()
    {
        MapSharedInfo();
        var t = Time;
        Assert.Equal(0u, t.Version & 1);
        Assert.NotEqual(0u, t.Version);
        XenClock.ComputeScale(TicksPerSecond, out uint mul, out sbyte shift);
        Assert.Equal(mul, t.TscToSystemMul);
        Assert.Equal(shift, t.TscShift);
        // The guest's formula at the published timestamp gives the published system time.
        Assert.Equal(t.SystemTime, _d.Xen.Clock.SystemTime(t.TscTimestamp));
    }

    [Fact]
    public void SingleshotTimerFiresItsVirqAtTheDeadlineAndNotBefore()
    {
        MapSharedInfo();
        Assert.Equal(0, Evtchn(1, 0, 0));
        ulong deadline = Now + 1_000_000_000;              // 1 s ahead
        Assert.Equal(0, Singleshot(0, deadline, 1));
        Assert.True(_d.Xen.TimerArmed);
        Assert.Equal(0UL, PendingWord0);
        FixedCpu.Tsc += 2_000_000_000;                     // 2 s later: the next exit fires it
        _s.Exit = default; _s.Exit.Reason = ExitReason.ExternalInterrupt;
        Assert.Equal(ExitAction.Resume, _d.Dispatch(ref _s));
        Assert.False(_d.Xen.TimerArmed);
        Assert.Equal(1UL << 3, PendingWord0);
        Assert.True(_s.InterruptPending);
        Assert.Equal(0xF3, _s.InterruptVector);
    }

    [Fact]
    public void SingleshotErrorsAreXens()
    {
        MapSharedInfo();
        Assert.Equal(ETIME, Singleshot(0, 1, 1));           // past deadline with VCPU_SSHOTTMR_future
        Assert.False(_d.Xen.TimerArmed);
        Assert.Equal(ENOENT, Singleshot(1, Now + 1000, 0)); // no vCPU 1
        Assert.Equal(ENOSYS, Singleshot(0, 0, 0, cmd: 99));
        Assert.Equal(0, Evtchn(1, 0, 0));
        Assert.Equal(0, Singleshot(0, 1, 0));               // past deadline without the flag: fires at once
        Assert.Equal(1UL << 3, PendingWord0);
        Assert.Equal(0, Singleshot(0, Now + 1_000_000_000, 0));
        Assert.Equal(0, Singleshot(0, 0, 0, cmd: 9));       // stop
        Assert.False(_d.Xen.TimerArmed);
    }

    [Fact]
    public void SetTimerOpArmsStopsAndTreatsFarDeadlinesAsWrapped()
    {
        MapSharedInfo();
        Assert.Equal(0, Call(15, Now + 1_000_000_000, 0));
        Assert.True(_d.Xen.TimerArmed);
        Assert.Equal(0, Call(15, 0, 0));
        Assert.False(_d.Xen.TimerArmed);
        Assert.Equal(0, Call(15, Now + (1UL << 51), 0));    // > 2^50 ns ahead: fires at once, as Xen does
        Assert.False(_d.Xen.TimerArmed);
        Assert.Equal(1UL, _d.Xen.TimersFired);
    }

    [Fact]
    public void HltWithAnArmedTimerWaitsForTheDeadlineInsteadOfHalting()
    {
        MapSharedInfo();
        Assert.Equal(0, Evtchn(1, 0, 0));
        Assert.Equal(0, Singleshot(0, Now + 1_000_000, 1));  // 1 ms
        ulong before = FixedCpu.Tsc;
        _s.Exit = default; _s.Exit.Reason = ExitReason.Hlt; _s.Exit.InstructionLength = 1;
        ulong rip = _s.Rip;
        Assert.Equal(ExitAction.Resume, _d.Dispatch(ref _s));
        Assert.Equal(GuestOutcome.Running, _d.Outcome);
        Assert.Equal(rip + 1, _s.Rip);
        Assert.True(FixedCpu.Tsc - before >= 1_000_000);    // waited until the deadline
        Assert.True(_s.InterruptPending);
        Assert.Equal(1UL << 3, PendingWord0);
    }

    [Fact]
    public void HltWithIfClearIsStillHalted()
    {
        MapSharedInfo();
        Assert.Equal(0, Singleshot(0, Now + 1_000_000, 1));
        _s.Rflags = 2;
        _s.Exit = default; _s.Exit.Reason = ExitReason.Hlt; _s.Exit.InstructionLength = 1;
        Assert.Equal(ExitAction.Stop, _d.Dispatch(ref _s));
        Assert.Equal(GuestOutcome.Halted, _d.Outcome);
    }

    [Fact]
    public void CallbackVectorIsLevelTriggeredOnEvtchnUpcallPending()
    {
        MapSharedInfo();
        Assert.False(_s.InterruptPending);
        UpcallPending = 1;                                   // still set: every exit asserts the vector again
        Call(17, 0, 0);                     // xen_version
        Assert.True(_s.InterruptPending);
        Assert.Equal(0xF3, _s.InterruptVector);
        _s.InterruptPending = false;                         // "delivered"; the handler does not clear the flag
        Call(17, 0, 0);
        Assert.True(_s.InterruptPending);
        UpcallPending = 0;                                   // cleared before delivery: withdrawn
        Call(17, 0, 0);
        Assert.False(_s.InterruptPending);
    }

    /// <summary>The pvclock scale against exact rational arithmetic: for any TSC rate from 1 MHz to 100 GHz and any
    /// delta up to an hour, mul is a 32-bit fraction, the shifted rate is in (10^9, 2·10^9], and the scaled delta is
    /// within 2^-31 relative (plus the truncations) of delta · 10^9 / rate.</summary>
    [Property(MaxTest = 300)]
    public Property ScaleMatchesExactNanoseconds(PositiveInt rateKHz, NonNegativeInt seconds, NonNegativeInt fraction)
    {
        ulong rate = 1_000_000UL + (ulong)rateKHz.Get % 100_000_000UL * 1000UL;
        XenClock.ComputeScale(rate, out uint mul, out sbyte shift);
        BigInteger shifted = shift >= 0 ? new BigInteger(rate) << shift : new BigInteger(rate) >> -shift;
        bool scaleOk = mul >= 1UL << 31 && shifted > 1_000_000_000 && shifted <= 2_000_000_000;
        ulong delta = (ulong)(seconds.Get % 3600) * rate + (ulong)fraction.Get % rate;
        ulong ns = XenClock.Scale(delta, mul, shift);
        var exact = new BigInteger(delta) * 1_000_000_000 / rate;
        var error = BigInteger.Abs(exact - ns);
        var bound = exact / (1L << 30) + (shift < 0 ? new BigInteger(1) << -shift : BigInteger.One) * 2 + 2;
        return (scaleOk && error <= bound).Label($"rate={rate} shift={shift} mul={mul} delta={delta} ns={ns} exact={exact}");
    }
}

/// <summary>The FIFO event-channel ABI through the dispatcher: Xen's errnos for init_control / expand_array /
/// set_priority, and a loopback send read back with Xen.Sdk.Rings' guest-side consumer (its FIFO code is itself checked
/// against gcc-compiled EVTCHN_FIFO_* macros in the Rings differential tests).</summary>
public sealed unsafe class XenFifoTests : ServiceFixture
{
    private const ulong ControlGfn = 0x49, ArrayGfn = 0x4A;
    public XenFifoTests() : base("fifo") { }

    // Quadword arguments (the fixture's Evtchn takes dwords; C# picks this class's overload first).
    private long Evtchn(int cmd, ulong q0, ulong q1 = 0, ulong q2 = 0)
    {
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), q0);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), q1);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 16), q2);
        return Call(32, (ulong)cmd, Arg);
    }

    private static long E(XenErrno e) => -(long)e;

    [Fact]
    public void InitControlExpandArrayAndSetPriorityAnswerXensErrnos()
    {
        Assert.Equal(E(XenErrno.ENOSYS), Evtchn(13, 3 | (5UL << 32)));                 // set_priority on 2-level
        Assert.Equal(E(XenErrno.EOPNOTSUPP), Evtchn(12, ArrayGfn));                     // expand before init
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(11, ControlGfn, 4));                    // offset not 8-aligned
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(11, ControlGfn, 4096 - 64));            // block crosses the page
        Assert.Equal(E(XenErrno.ENOENT), Evtchn(11, ControlGfn, 1UL << 32));            // vcpu 1
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(11, 0xC0000, 0));                       // outside RAM
        Assert.Equal(0, Evtchn(11, ControlGfn, 4096 - 72));                             // last legal offset
        Assert.Equal((byte)17, Ram[(int)Arg + 16]);                                     // EVTCHN_FIFO_LINK_BITS
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(11, ControlGfn, 0));                    // second init
        Assert.Equal(0, Evtchn(12, ArrayGfn));
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(12, ArrayGfn));                        // frame already in the array
        Assert.Equal(0, Evtchn(12, ArrayGfn + 1));                                     // second page: ports 1024..2047
        Assert.Equal(2u, _d.Xen.EventArrayPages);
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(13, 64 | (1UL << 32)));                // port 64
        Assert.Equal(E(XenErrno.EINVAL), Evtchn(13, 3 | (16UL << 32)));                // priority 16
        Assert.Equal(0, Evtchn(13, 3 | (15UL << 32)));
        Assert.Equal(15u, _d.Xen.Ports.Priority(3));
    }

    private void Reset() => Start("fifo", 2);

    /// <summary>EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES pages are accepted; the next expand_array fails with -ENOSPC before
    /// its frame is looked at (Xen checks the slot first), so even a frame outside RAM answers -ENOSPC.</summary>
    [Fact]
    public void ExpandArrayStopsAtXensPageLimit()
    {
        Assert.Equal(0, Evtchn(11, ControlGfn, 0));
        for (ulong i = 0; i < 128; i++) Assert.Equal(0, Evtchn(12, 0x60 + i));            // frames 0x60..0xDF
        Assert.Equal(E(XenErrno.ENOSPC), Evtchn(12, 0xE0));
        Assert.Equal(E(XenErrno.ENOSPC), Evtchn(12, 0xC0000));
        Assert.Equal(128u * 1024, _d.Xen.FifoEvents.Count);
        Assert.True(_d.Xen.FifoEvents.WordOf(127 * 1024 + 5) == (uint*)_d.Memory.TryMapPage(0xDFUL << 12) + 5);
    }

    /// <summary>A random sequence of expand_array frames (in RAM, repeated, outside RAM) against a model of Xen's rules:
    /// -EINVAL for a frame outside RAM (map_guest_page) or already in the array, else the frame becomes the next page.
    /// The kernel's view of the array must then agree, word for word, with a guest-side Xen.Sdk.Rings view built from
    /// the frames the model accepted.</summary>
    [Property(MaxTest = 40)]
    public void ExpandArrayPagesFollowTheModel(byte[] picks)
    {
        Reset();
        Assert.Equal(0, Evtchn(11, ControlGfn, 0));
        ulong[] accepted = new ulong[picks.Length];
        int n = 0;
        foreach (byte b in picks)
        {
            ulong gfn = b % 9 == 8 ? 0xC0000UL + b : 0x60UL + (ulong)(b % 9);
            bool inRam = gfn < RamSize >> 12, used = Array.IndexOf(accepted, gfn, 0, n) >= 0;
            long expected = !inRam || used ? E(XenErrno.EINVAL) : 0;
            Assert.Equal(expected, Evtchn(12, gfn));
            if (expected == 0) accepted[n++] = gfn;
        }
        Assert.Equal((uint)n, _d.Xen.EventArrayPages);
        uint** guestList = stackalloc uint*[Math.Max(n, 1)];
        for (int i = 0; i < n; i++) guestList[i] = (uint*)_d.Memory.TryMapPage(accepted[i] << 12);
        var guest = new Xen.Sdk.Rings.EventChannel.FifoEventArray(guestList, (uint)n);
        var kernel = _d.Xen.FifoEvents;
        Assert.Equal(guest.Count, kernel.Count);
        for (uint port = 0; port < guest.Count + 2048; port += 173) Assert.True(guest.WordOf(port) == kernel.WordOf(port));
    }

    /// <summary>Events raised on ports whose event-array page does not exist yet are not lost: Xen keeps them
    /// (evtchn->pending) and add_page_to_event_array sets them pending when the page arrives. A port closed meanwhile
    /// is forgotten. Xen.Sdk.Rings' guest-side consumer must then drain exactly the surviving ports, each once, and
    /// events raised after the expansion go straight through.</summary>
    [Property(MaxTest = 40)]
    public void EventsRaisedBeforeTheirPageAreDeliveredWhenItArrives(ulong before, ulong closed, ulong after)
    {
        Reset();
        Assert.Equal(0, Evtchn(11, ControlGfn, 0));
        _d.Xen.SetCallbackVia((2UL << 56) | 0xF3);
        before &= ~1UL; closed &= before; after &= ~1UL;                                  // port 0 is reserved
        for (uint p = 0; p < 64; p++) if ((before >> (int)p & 1) != 0) _d.Xen.RaiseEvent(p, ref _s);
        for (uint p = 0; p < 64; p++) if ((closed >> (int)p & 1) != 0) _d.Xen.ClearPending(p);
        Assert.False(_s.InterruptPending);
        Assert.Equal(0, Evtchn(12, ArrayGfn));
        Assert.Equal((before & ~closed) != 0, _s.InterruptPending);
        for (uint p = 0; p < 64; p++) if ((after >> (int)p & 1) != 0) _d.Xen.RaiseEvent(p, ref _s);
        uint** list = stackalloc uint*[1];
        list[0] = (uint*)_d.Memory.TryMapPage(ArrayGfn << 12);
        var events = new Xen.Sdk.Rings.EventChannel.FifoEventArray(list, 1);
        var guest = new Xen.Sdk.Rings.EventChannel.FifoGuestQueues((Xen.Sdk.Abi.EventChannel.EvtchnFifoControlBlock*)_d.Memory.TryMapPage(ControlGfn << 12));
        Span<Xen.Sdk.Abi.EventChannelPort> ports = stackalloc Xen.Sdk.Abi.EventChannelPort[128];
        Assert.Equal(Xen.Sdk.Rings.RingError.None, guest.Drain(events, ports, out int count));
        ulong seen = 0;
        for (int i = 0; i < count; i++)
        {
            Assert.True(ports[i].Value < 64);
            Assert.Equal(0UL, seen & (1UL << (int)ports[i].Value));                       // each port once
            seen |= 1UL << (int)ports[i].Value;
        }
        Assert.Equal((before & ~closed) | after, seen);
    }

    [Fact]
    public void LoopbackSendIsQueuedAndConsumedThroughTheFifo()
    {
        Assert.Equal(0, Evtchn(11, ControlGfn, 0));
        Assert.Equal(0, Evtchn(12, ArrayGfn));
        // Callback vector and shared_info, then a loopback pair 3 <-> 4 (alloc_unbound + bind_interdomain to self).
        _s.Exit = default; _s.Exit.Reason = ExitReason.Hypercall; _s.Exit.InstructionLength = 3;
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg), DomainIds.Self);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), (2UL << 56) | 0xF3);
        _s.Gprs.Rax = 34; _s.Gprs.Rdi = 0; _s.Gprs.Rsi = Arg;
        _d.Dispatch(ref _s);
        Assert.Equal(0UL, _s.Gprs.Rax);
        Assert.Equal(0, Evtchn(6, DomainIds.Self | ((ulong)DomainIds.Self << 16)));
        Assert.Equal(0, Evtchn(0, DomainIds.Self | (3UL << 32)));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice((int)Arg + 8)));
        Assert.Equal(0, Evtchn(13, 3 | (2UL << 32)));
        Assert.Equal(0, Evtchn(4, 4));                                                   // send on 4 raises 3
        Assert.True(_s.InterruptPending);
        Assert.Equal(1UL, _d.Xen.Upcalls);
        var events = new Xen.Sdk.Rings.EventChannel.FifoEventArray((uint*)_d.Memory.TryMapPage(ArrayGfn << 12), 1024);
        var guest = new Xen.Sdk.Rings.EventChannel.FifoGuestQueues((Xen.Sdk.Abi.EventChannel.EvtchnFifoControlBlock*)_d.Memory.TryMapPage(ControlGfn << 12));
        Span<Xen.Sdk.Abi.EventChannelPort> ports = stackalloc Xen.Sdk.Abi.EventChannelPort[8];
        Assert.Equal(Xen.Sdk.Rings.RingError.None, guest.Drain(events, ports, out int count));
        Assert.Equal(1, count);
        Assert.Equal(3u, ports[0].Value);
    }
}
