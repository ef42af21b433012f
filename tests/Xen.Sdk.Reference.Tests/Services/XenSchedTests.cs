using System;
using System.Buffers.Binary;
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

/// <summary>SCHEDOP_block, SCHEDOP_poll, the periodic timer and the wall clock, through the dispatcher with the fake TSC
/// (10^9 ticks per second: a tick is a nanosecond; every read advances it by <see cref="FixedCpu.Step"/>). Expected
/// behaviour and errnos are Xen's: common/sched (do_poll: more than 128 ports or a port beyond the domain's -EINVAL,
/// a bad handle -EFAULT; SCHEDOP_block = vcpu_block_enable_events), common/domain.c (VCPUOP_set_periodic_timer: a period
/// below MILLISECS(1) or above STIME_DELTA_MAX -EINVAL; vcpu_periodic_timer_work: an event at once when the last one is
/// a period or more in the past), xen.h (wc_version odd while updating).</summary>
public sealed unsafe class XenSchedTests : ServiceFixture
{
    private const ulong Ports = 0x3000;
    private const ulong TicksPerSecond = 1_000_000_000, OneMs = 1_000_000;
    private const int SchedOp = 29, VcpuOp = 24, EventChannelOp = 32;
    private static readonly long EINVAL = -(long)XenErrno.EINVAL, ENOENT = -(long)XenErrno.ENOENT, EFAULT = -(long)XenErrno.EFAULT;
    public XenSchedTests() : base("sched", 2 | (1 << 9)) => Reset();

    private void Reset()
    {
        Start("sched", 2 | (1 << 9));
        _d.Xen.Clock.Configure(TicksPerSecond, FixedCpu.Tsc);
        MapSharedInfo();
    }

    private ulong Now => _d.Xen.Clock.SystemTime(FixedCpu.Tsc);
    private int Shared(string field) => (int)(SharedGfn << 12) + (int)Marshal.OffsetOf<SharedInfo64>(field);
    private ulong PendingWord0 => BinaryPrimitives.ReadUInt64LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.EvtchnPending))));
    private ref byte UpcallPending => ref Ram[(int)(SharedGfn << 12) + (int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnUpcallPending))];
    private ref byte UpcallMask => ref Ram[(int)(SharedGfn << 12) + (int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnUpcallMask))];

    private long Periodic(uint vcpu, ulong period, int cmd = 6)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), period);
        return Call(VcpuOp, (ulong)cmd, vcpu, Arg);
    }

    private long Singleshot(ulong deadline)
    {
        Ram.Slice((int)Arg, 16).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), deadline);
        return Call(VcpuOp, 8, 0, Arg);
    }

    private void Exit()
    {
        _s.Exit = default;
        _s.Exit.Reason = ExitReason.ExternalInterrupt;
        Assert.Equal(ExitAction.Resume, _d.Dispatch(ref _s));
    }

    private void ConsumeTimerEvent()
    {
        // As the guest's handler does: the selector word, the port's pending bit, the upcall flag.
        Ram.Slice((int)(SharedGfn << 12) + (int)Marshal.OffsetOf<VcpuInfo64>(nameof(VcpuInfo64.EvtchnPendingSel)), 8).Clear();
        Ram.Slice(Shared(nameof(SharedInfo64.EvtchnPending)), 8).Clear();
        UpcallPending = 0;
        _s.InterruptPending = false;
    }

    [Fact]
    public void PeriodicTimerErrorsAreXens()
    {
        Assert.Equal(EINVAL, Periodic(0, OneMs - 1));                  // below MILLISECS(1)
        Assert.Equal(EINVAL, Periodic(0, (ulong.MaxValue >> 2) + 1));  // above STIME_DELTA_MAX
        Assert.Equal(ENOENT, Periodic(1, OneMs));                      // no vCPU 1
        Assert.Equal(EFAULT, Call(VcpuOp, 6, 0, 0xFFFF_FFF0));           // bad pointer
        Assert.False(_d.Xen.TimerArmed);
        Assert.Equal(0, Periodic(0, OneMs));
        Assert.True(_d.Xen.TimerArmed);
        Assert.Equal(0, Periodic(0, 0, cmd: 7));                       // VCPUOP_stop_periodic_timer
        Assert.False(_d.Xen.TimerArmed);
        Assert.Equal(0UL, _d.Xen.PeriodicPeriod);
    }

    [Fact]
    public void PeriodicTimerFiresEveryPeriodAndCoexistsWithTheSingleShot()
    {
        Assert.Equal(0, Evtchn(1, 0, 0));                  // VIRQ_TIMER -> port 3
        ulong start = Now;
        Assert.True(start < OneMs);
        Assert.Equal(0, Periodic(0, OneMs));               // last event at 0: the first is due at 1 ms
        Assert.Equal(0UL, PendingWord0);
        Assert.Equal(OneMs, _d.Xen.PeriodicDeadline);
        FixedCpu.Tsc += OneMs;
        Exit();
        Assert.Equal(1UL, _d.Xen.PeriodicFired);
        Assert.Equal(1UL << 3, PendingWord0);
        Assert.True(_s.InterruptPending);
        ConsumeTimerEvent();
        ulong next = _d.Xen.PeriodicDeadline;
        Assert.True(next >= 2 * OneMs);
        FixedCpu.Tsc += OneMs / 2;
        Exit();
        Assert.Equal(1UL, _d.Xen.PeriodicFired);           // half a period: nothing
        // A single-shot timer between two periodic events fires on its own; stopping it leaves the periodic one.
        Assert.Equal(0, Singleshot(Now + OneMs / 4));
        FixedCpu.Tsc += OneMs / 3;
        Exit();
        Assert.Equal(1UL, _d.Xen.TimersFired);
        Assert.Equal(1UL, _d.Xen.PeriodicFired);
        Assert.True(_d.Xen.TimerArmed);                    // the periodic timer is still armed
        ConsumeTimerEvent();
        Assert.Equal(0, Call(VcpuOp, 9, 0, 0));           // stop_singleshot: the periodic timer goes on
        Assert.True(_d.Xen.TimerArmed);
        FixedCpu.Tsc = FixedCpu.Tsc + (next - Now) + 1;
        Exit();
        Assert.Equal(2UL, _d.Xen.PeriodicFired);
        Assert.Equal(1UL << 3, PendingWord0);
        // Stopping the periodic timer: no more events.
        ConsumeTimerEvent();
        Assert.Equal(0, Periodic(0, 0, cmd: 7));
        FixedCpu.Tsc += 10 * OneMs;
        Exit();
        Assert.Equal(2UL, _d.Xen.PeriodicFired);
        Assert.Equal(0UL, PendingWord0);
    }

    [Fact]
    public void PeriodicTimerSetLongAfterTheLastEventFiresAtOnce()
    {
        // Xen's vcpu_periodic_timer_work: now >= periodic_last_event (0) + period sends an event at once.
        Assert.Equal(0, Evtchn(1, 0, 0));
        FixedCpu.Tsc += 5 * OneMs;
        Assert.Equal(0, Periodic(0, 2 * OneMs));
        Assert.Equal(1UL, _d.Xen.PeriodicFired);
        Assert.Equal(1UL << 3, PendingWord0);
        Assert.True(_d.Xen.PeriodicDeadline >= 7 * OneMs);
    }

    /// <summary>For any period and any sequence of exits at random times: two periodic events are at least a period
    /// apart, and an exit a period or more after the last event (or after the timer was set) always fires one — so the
    /// guest gets one VIRQ_TIMER per period, none early and none lost while exits keep coming.</summary>
    [Property(MaxTest = 60)]
    public void PeriodicEventsAreAPeriodApartAndNeverSkipped(PositiveInt periodUs, NonEmptyArray<PositiveInt> gapsUs)
    {
        Reset();
        ulong period = OneMs + (ulong)(periodUs.Get % 5000) * 1000;
        Assert.Equal(0, Periodic(0, period));
        ulong last = _d.Xen.PeriodicFired != 0 ? _d.Xen.PeriodicLastEvent : 0;
        ulong fired = _d.Xen.PeriodicFired;
        foreach (PositiveInt gap in gapsUs.Get)
        {
            FixedCpu.Tsc += (ulong)(gap.Get % 3000) * 1000;
            ulong before = Now;
            Exit();
            if (_d.Xen.PeriodicFired != fired)
            {
                Assert.Equal(fired + 1, _d.Xen.PeriodicFired);
                Assert.True(_d.Xen.PeriodicLastEvent - last >= period, "two events closer than a period");
                last = _d.Xen.PeriodicLastEvent;
                fired = _d.Xen.PeriodicFired;
            }
            else
            {
                Assert.True(before < last + period, "an exit a period after the last event fired nothing");
            }
        }
    }

    [Fact]
    public void BlockWaitsForTheTimersVirqAndClearsTheUpcallMask()
    {
        Assert.Equal(0, Evtchn(1, 0, 0));
        UpcallMask = 1;
        Assert.Equal(0, Singleshot(Now + OneMs));
        ulong before = FixedCpu.Tsc, rip = _s.Rip;
        Assert.Equal(0, Call(SchedOp, 1, 0));
        Assert.Equal(0, UpcallMask);                          // vcpu_block_enable_events
        Assert.True(FixedCpu.Tsc - before >= OneMs);          // waited for the deadline
        Assert.Equal(rip + 3, _s.Rip);                        // returned, not restarted
        Assert.Equal(1UL << 3, PendingWord0);
        Assert.True(_s.InterruptPending);
        Assert.Equal(0xF3, _s.InterruptVector);
        Assert.Equal(1UL, _d.Xen.BlockWaits);
        Assert.Equal(0UL, _d.Xen.BlockRestarts);
    }

    [Fact]
    public void BlockReturnsAtOnceWhenAnEventIsPendingAndDeliverable()
    {
        UpcallPending = 1;
        ulong before = FixedCpu.Tsc;
        Assert.Equal(0, Call(SchedOp, 1, 0));
        Assert.True(FixedCpu.Tsc - before < 100 * FixedCpu.Step);
        Assert.Equal(0UL, _d.Xen.BlockWaits);
        Assert.True(_s.InterruptPending);                     // the level check asserts the callback after the exit
    }

    [Fact]
    public void BlockWithNothingToWakeItRestartsAfterTheBoundAsAContinuation()
    {
        ulong rip = _s.Rip, before = FixedCpu.Tsc;
        Assert.Equal(SchedOp, Call(SchedOp, 1, 0));            // RAX still holds the hypercall number
        Assert.Equal(rip, _s.Rip);                            // back on the hypercall instruction
        Assert.True(FixedCpu.Tsc - before >= TicksPerSecond / ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension>.HaltWaitDivisor);
        Assert.Equal(1UL, _d.Xen.BlockRestarts);
        Assert.Equal(SchedOp, (int)_d.LastHypercallResult + SchedOp);
    }

    [Fact]
    public void BlockIsNotWokenByATimerWithoutABoundVirqOrByAPendingFlagWithInterruptsOff()
    {
        // No VIRQ_TIMER binding: the timer fires (Xen's send_timer_event finds no port) but no event wakes the vCPU.
        Assert.Equal(0, Singleshot(Now + OneMs));
        ulong rip = _s.Rip;
        Call(SchedOp, 1, 0);
        Assert.Equal(1UL, _d.Xen.TimersFired);
        Assert.Equal(rip, _s.Rip);
        Assert.Equal(1UL, _d.Xen.BlockRestarts);
        // RFLAGS.IF = 0 and evtchn_upcall_pending already set: not deliverable, and no 0 -> 1 edge can come.
        Assert.Equal(0, Evtchn(1, 0, 0));
        UpcallPending = 1;
        _s.Rflags = 2;
        Assert.Equal(0, Singleshot(Now + OneMs));
        Call(SchedOp, 1, 0);
        Assert.Equal(2UL, _d.Xen.BlockRestarts);
        // IF = 0 with the flag clear: the timer's event sets it (the edge that kicks a blocked vCPU): returns 0.
        ConsumeTimerEvent();
        Assert.Equal(0, Singleshot(Now + OneMs));
        rip = _s.Rip;
        Assert.Equal(0, Call(SchedOp, 1, 0));
        Assert.Equal(rip + 3, _s.Rip);
        Assert.Equal(1, UpcallPending);
    }

    private long Poll(uint[] ports, ulong timeout, uint? count = null, ulong list = Ports)
    {
        for (int i = 0; i < ports.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Ports + i * 4), ports[i]);
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), list);
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 8), count ?? (uint)ports.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 16), timeout);
        return Call(SchedOp, 3, Arg);
    }

    [Fact]
    public void PollErrorsAreXens()
    {
        Assert.Equal(EINVAL, Poll(new uint[0], 0, count: 129));                  // more than 128 ports
        Assert.Equal(EFAULT, Poll(new uint[] { 3 }, 0, list: 0xFFFF_F000));       // unreadable port list
        Assert.Equal(EFAULT, Call(SchedOp, 3, 0xFFFF_FFF0));                       // unreadable struct sched_poll
        Assert.Equal(EINVAL, Poll(new uint[] { 3, 64 }, 0));                      // port beyond the domain's
        Assert.Equal(0, Evtchn(1, 0, 0));                                         // port 3 = VIRQ_TIMER
        _d.Xen.RaiseEvent(3, ref _s);
        Assert.Equal(0, Poll(new uint[] { 3, 64 }, 0));                           // pending before the bad port: 0
        Assert.Equal(0UL, _d.Xen.BlockWaits);
    }

    /// <summary>The x86_32 layout of struct sched_poll (gcc-checked in Xen.Sdk.Abi: ports 0, nr_ports 4, timeout 8; 16
    /// bytes), arguments in ebx/ecx.</summary>
    [Fact]
    public void PollUsesThe32BitLayoutForA32BitGuest()
    {
        Assert.Equal(16, Xen.Sdk.Abi.Sched.SchedPoll32.Size);
        Assert.Equal(0, Evtchn(1, 0, 0));                                          // VIRQ_TIMER -> 3 (64-bit setup)
        _s.Mode = GuestMode.Protected32;
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Ports), 3);
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg), (uint)Ports);
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 4), 1);
        ulong deadline = Now + 2 * OneMs;
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), deadline);
        ulong rip = _s.Rip;
        Assert.Equal(0, Call(SchedOp, 3, Arg));                                    // returns at the timeout: port 3 never pending
        Assert.Equal(rip + 3, _s.Rip);
        Assert.True(Now >= deadline);
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 4), 129);
        Assert.Equal(EINVAL, (long)(int)(uint)Call(SchedOp, 3, Arg));              // -EINVAL in eax
    }

    [Fact]
    public void PollReturnsWhenAListedPortBecomesPendingOrAtTheTimeout()
    {
        Assert.Equal(0, Evtchn(1, 0, 0));                                         // VIRQ_TIMER -> 3
        Assert.Equal(0, Singleshot(Now + OneMs));
        ulong before = FixedCpu.Tsc;
        Assert.Equal(0, Poll(new uint[] { 5, 3 }, 0));
        Assert.True(FixedCpu.Tsc - before >= OneMs);
        Assert.Equal(1UL << 3, PendingWord0);
        // Timeout: port 5 never becomes pending; the poll ends at the absolute timeout with 0.
        ulong deadline = Now + 2 * OneMs;
        ulong rip = _s.Rip;
        Assert.Equal(0, Poll(new uint[] { 5 }, deadline));
        Assert.True(Now >= deadline);
        Assert.Equal(rip + 3, _s.Rip);
        // Several ports: any event of the domain ends the poll (the VIRQ port 3 is not in the list).
        Ram.Slice(Shared(nameof(SharedInfo64.EvtchnPending)), 8).Clear();
        Assert.Equal(0, Singleshot(Now + OneMs));
        before = FixedCpu.Tsc;
        rip = _s.Rip;
        Assert.Equal(0, Poll(new uint[] { 5, 6 }, 0));
        Assert.Equal(rip + 3, _s.Rip);
        Assert.True(FixedCpu.Tsc - before >= OneMs);
        // No timeout, nothing pending: restarted after the bound.
        rip = _s.Rip;
        Assert.Equal(SchedOp, Poll(new uint[] { 5 }, 0));
        Assert.Equal(rip, _s.Rip);
        Assert.Equal(1UL, _d.Xen.BlockRestarts);
    }

    /// <summary>Hostile arguments to SCHEDOP_poll, SCHEDOP_block and the periodic timer (random pointers, counts,
    /// periods, port lists, modes): the dispatcher always resumes the guest, and the answer is 0, one of Xen's errnos for
    /// these calls, or a restart (RIP back on the hypercall, RAX unchanged) — never anything else.</summary>
    [Property(MaxTest = 150)]
    public void HostileSchedAndTimerArgumentsGetErrnosNeverAFault(ulong pointer, uint count, ulong timeout, ulong period, byte[] ports, byte which, bool wide)
    {
        Reset();
        _s.Mode = wide ? GuestMode.Long64 : GuestMode.Protected32;
        {
            ports ??= Array.Empty<byte>();
            for (int i = 0; i < Math.Min(ports.Length, 512); i++) Ram[(int)Ports + i] = ports[i];
            BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), (pointer & 1) == 0 ? Ports : pointer);
            BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + 8), count % 300);
            BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 16), timeout);
            ulong rip = _s.Rip;
            long r;
            switch (which % 4)
            {
                case 0: r = Call(SchedOp, 3, (pointer & 2) == 0 ? Arg : pointer); break;          // SCHEDOP_poll
                case 1: r = Call(SchedOp, 1, pointer); break;                                      // SCHEDOP_block
                case 2:
                    BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg), period);
                    r = Call(VcpuOp, 6, count % 3, (pointer & 2) == 0 ? Arg : pointer); break;   // set_periodic_timer
                default: r = Call(VcpuOp, (ulong)(count % 16), 0, Arg); break;                   // any vcpu_op
            }
            bool restarted = _s.Rip == rip;                                   // a block or poll that reached its bound
            long[] allowed = { 0, EINVAL, EFAULT, ENOENT, -(long)XenErrno.ENOSYS, -(long)XenErrno.ETIME };
            Assert.True(restarted ? which % 4 < 2 && r == SchedOp : Array.IndexOf(allowed, wide ? r : (long)(int)r) >= 0,
                $"answer {r} (restarted {restarted})");
        }
    }

    [Fact]
    public void WallClockIsPublishedWithAnEvenVersionAndCopiedWhenSharedInfoMoves()
    {
        Reset();
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcVersion))));
        _d.Xen.SetWallClock(0x1_2345_6789UL, 1_500_000_000);
        Assert.Equal(version + 2, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcVersion)))));
        Assert.Equal(0x2345_6789u, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcSec)))));
        Assert.Equal(500_000_000u, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcNsec)))));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcSecHi)))));
        // A guest that left the version odd never sees it odd after an update.
        BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcVersion))), 7);
        _d.Xen.SetWallClock(1_800_000_000, 0);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcVersion)))) & 1);
        // Set before the guest maps shared_info: the mapping copies it.
        new Span<byte>(_serviceMemory, XenDomain.MemorySize).Clear();
        Assert.True(_d.Xen.Initialize(_serviceMemory, _d.Memory.TryMapPage(StorePfn << 12), StorePfn, _d.Memory.TryMapPage(ConsolePfn << 12), ConsolePfn, "sched"u8));
        _d.Xen.SetWallClock(1_764_000_000, 0);
        Ram.Slice((int)(SharedGfn << 12), 4096).Clear();
        MapSharedInfo();
        Assert.Equal(1_764_000_000u, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcSec)))));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice(Shared(nameof(SharedInfo64.WcVersion)))));
    }
}

/// <summary>The RTC-to-epoch conversion behind <c>wc_sec</c>, against .NET's calendar (<see cref="DateTimeOffset"/>:
/// proleptic Gregorian, UTC) as the oracle, and the MC146818 encodings (BCD, binary, 12-hour with the PM bit).</summary>
public sealed class XenWallClockTests
{
    [Property(MaxTest = 500)]
    public void UnixSecondsMatchDotNetsCalendar(PositiveInt dayNumber, NonNegativeInt secondOfDay)
    {
        var date = DateTimeOffset.UnixEpoch.AddDays(dayNumber.Get % 2_932_896).AddSeconds(secondOfDay.Get % 86_400);   // 1970..9999
        Assert.True(XenWallClock.TryToUnixSeconds(date.Year, date.Month, date.Day, date.Hour, date.Minute, date.Second, out ulong s));
        Assert.Equal((ulong)date.ToUnixTimeSeconds(), s);
        Assert.Equal(DateTime.DaysInMonth(date.Year, date.Month), XenWallClock.DaysInMonth(date.Year, date.Month));
    }

    private static byte Bcd(int v) => (byte)((v / 10 << 4) | (v % 10));

    [Property(MaxTest = 300)]
    public void RtcRegistersInBcdAndBinaryGiveTheSameSeconds(PositiveInt dayNumber, NonNegativeInt secondOfDay)
    {
        var d = DateTimeOffset.FromUnixTimeSeconds(946_684_800).AddDays(dayNumber.Get % 36_500).AddSeconds(secondOfDay.Get % 86_400); // 2000..2099
        ulong expected = (ulong)d.ToUnixTimeSeconds();
        int y = d.Year % 100, c = d.Year / 100;
        Assert.True(XenWallClock.TryFromRtc(Bcd(d.Second), Bcd(d.Minute), Bcd(d.Hour), Bcd(d.Day), Bcd(d.Month), Bcd(y), Bcd(c), XenWallClock.Mode24Hour, out ulong bcd));
        Assert.Equal(expected, bcd);
        Assert.True(XenWallClock.TryFromRtc((byte)d.Second, (byte)d.Minute, (byte)d.Hour, (byte)d.Day, (byte)d.Month, (byte)y, (byte)c,
            XenWallClock.Mode24Hour | XenWallClock.ModeBinary, out ulong binary));
        Assert.Equal(expected, binary);
        // 12-hour mode: hours 1-12, bit 7 = PM; 12 AM is midnight.
        int h12 = d.Hour % 12 == 0 ? 12 : d.Hour % 12;
        byte hour = (byte)(Bcd(h12) | (d.Hour >= 12 ? 0x80 : 0));
        Assert.True(XenWallClock.TryFromRtc(Bcd(d.Second), Bcd(d.Minute), hour, Bcd(d.Day), Bcd(d.Month), Bcd(y), Bcd(c), 0, out ulong twelve));
        Assert.Equal(expected, twelve);
        // Without a usable century register, years 00-69 are 20xx.
        Assert.True(XenWallClock.TryFromRtc(Bcd(d.Second), Bcd(d.Minute), Bcd(d.Hour), Bcd(d.Day), Bcd(d.Month), Bcd(y), 0xFF, XenWallClock.Mode24Hour, out ulong windowed));
        Assert.Equal(y < 70 ? expected : (ulong)new DateTimeOffset(1900 + y, d.Month, Math.Min(d.Day, DateTime.DaysInMonth(1900 + y, d.Month)), d.Hour, d.Minute, d.Second, TimeSpan.Zero).ToUnixTimeSeconds(), windowed);
    }

    [Fact]
    public void KnownInstantsAndBadRegisters()
    {
        // 2026-11-24 08:22:52 UTC, BCD, 24-hour, century 20.
        Assert.True(XenWallClock.TryFromRtc(0x52, 0x22, 0x08, 0x24, 0x11, 0x26, 0x20, XenWallClock.Mode24Hour, out ulong s));
        Assert.Equal((ulong)new DateTimeOffset(2026, 11, 24, 8, 22, 52, TimeSpan.Zero).ToUnixTimeSeconds(), s);
        Assert.True(XenWallClock.TryToUnixSeconds(1970, 1, 1, 0, 0, 0, out s));
        Assert.Equal(0UL, s);
        Assert.True(XenWallClock.TryToUnixSeconds(2000, 2, 29, 23, 59, 59, out s));
        Assert.Equal(951_868_799UL, s);
        Assert.False(XenWallClock.TryToUnixSeconds(1900, 2, 29, 0, 0, 0, out _));    // not a leap year (and before 1970)
        Assert.False(XenWallClock.TryToUnixSeconds(2100, 2, 29, 0, 0, 0, out _));
        Assert.False(XenWallClock.TryFromRtc(0x5A, 0, 0, 1, 1, 0x26, 0x20, XenWallClock.Mode24Hour, out _)); // bad BCD digit
        Assert.False(XenWallClock.TryFromRtc(0, 0, 0x24, 1, 1, 0x26, 0x20, XenWallClock.Mode24Hour, out _)); // hour 24
        Assert.False(XenWallClock.TryFromRtc(0, 0, 0x00, 1, 1, 0x26, 0x20, 0, out _));                      // 12-hour mode, hour 0
        Assert.False(XenWallClock.TryFromRtc(0, 0, 0, 0x31, 0x04, 0x26, 0x20, XenWallClock.Mode24Hour, out _)); // April 31
        Assert.Equal(-1, XenWallClock.FromBcd(0xA0));
    }
}
