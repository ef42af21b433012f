using System;
using System.Globalization;
using System.Linq;
using Xen.Sdk.Reference.Tests.Emulators;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Services;

/// <summary>The PV-on-HVM guests on QEMU 7.2 TCG (SVM). The emulated CPU is the oracle for interrupt delivery (it takes
/// the injected vector through the guest's own IDT), and the guests check every answer themselves: upcall counts and
/// vectors, the pending/selector bits they clear, XenStore reply bytes, errnos; a failed check prints FAIL and shuts down
/// with reason crash. Bochs ryzen and corei7_skylake_x run the same guests from the ISO (BochsSvmTests, BochsVmxTests
/// compare their RESULT values with these).</summary>
public sealed class XenGuestTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static SerialLog Boot(string guest)
    {
        Assert.True(KernelImage.Has("qemu-system-x86_64"), "qemu-system-x86_64 is required (Debian package qemu-system-x86)");
        var log = KernelImage.RunQemu(guest, new[] { guest }, Timeout);
        Assert.True(log.ExitCode == 33, $"QEMU exit status {log.ExitCode}\n{log.Text}");
        Assert.DoesNotContain(log.Console, l => l.Contains("FAIL", StringComparison.Ordinal));
        return log;
    }

    [Fact]
    public void XenbusGuestGetsUpcallsTalksToXenStoreAndWritesTheConsoleRing()
    {
        var log = Boot("xenbus");
        var r = log.Result("xenbus");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);          // the guest's own checks all passed
        // Upcalls: 5 on the loopback port (interrupt window, HLT wake-up, direct, unmask, the level check) + 13 XenStore
        // notifications + the console input; 20 injections: the level check's handler left evtchn_upcall_pending set
        // once, so the vector was asserted again at the next entry (not counted as a new upcall).
        Assert.Equal("20", r["irq_injected"]);
        Assert.Equal("19", r["upcalls"]);
        Assert.Equal("19", r["events"]);
        Assert.Equal("2", r["irq_window"]);             // two sends while RFLAGS.IF = 0
        Assert.Equal("1", r["irq_window_exits"]);       // QEMU's #VMEXIT(VINTR) after STI; NOP
        Assert.Equal("13", r["xenstore"]);
        Assert.Equal("2", r["xenstore_errors"]);        // ENOENT after XS_RM, ENOSYS for XS_TRANSACTION_START
        Assert.Equal("2", r["xs_watch_events"]);        // the new watch's first event, the write below it
        Assert.Equal("0", r["ring_errors"]);
        Assert.Equal("39", r["console_ring_bytes"]);
        Assert.Equal("2", r["memory_op"]);            // shared_info and the grant-table frame
        Assert.Equal("6", r["grant_table_op"]);        // query_size, setup_table, 4 copies (1 granted, 3 refused)
        Assert.Equal("32", r["grant_copy_bytes"]);
        Assert.Equal("0", r["rejected"]);
        Assert.Equal("0", r["allocs"]);
        Assert.Contains(log.Console, l => l == "xenbus: xenbus: xenstore name=xenbus");
        Assert.Contains(log.Console, l => l == "xenbus: xenbus: hello through the console ring");
        Assert.Contains(log.Console, l => l == "xenbus: xenbus: console input read from in[]");
        Assert.Contains(log.Console, l => l == "xenbus: xenbus: all checks passed");
        var figures = log.Text.Split('\n').Single(l => l.StartsWith("XENSDK XENBUS ", StringComparison.Ordinal));
        Assert.Contains("send_to_upcall_ticks=", figures, StringComparison.Ordinal);
    }

    [Fact]
    public void TimerGuestIsWokenFromHltByVirqTimerAfterItsDeadline()
    {
        var log = Boot("timer");
        var r = log.Result("timer");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);          // its checks: pvclock, bind_virq errnos, deadlines, stop, -ETIME
        Assert.Equal("2", r["hlt"]);                    // one HLT per armed timer: the HLT exit waited for the deadline
        Assert.Equal("3", r["upcalls"]);                // singleshot, set_timer_op, expired-at-once
        Assert.Equal("3", r["events"]);
        Assert.Equal("3", r["irq_injected"]);
        Assert.Equal("1", r["irq_window"]);             // the expired-at-once timer fired with RFLAGS.IF = 0
        Assert.Equal("2", r["rejected"]);               // VIRQ 24, global VIRQ on vCPU 1 (-EINVAL)
        Assert.Equal("0", r["allocs"]);
        Assert.Contains(log.Console, l => l == "timer: timer: woken from HLT by VIRQ_TIMER after >= 1 ms of system time");
        Assert.Contains(log.Console, l => l == "timer: timer: all checks passed");
    }

    [Fact]
    public void SchedGuestBlocksPollsAndGetsPeriodicTimerEventsAndTheWallClock()
    {
        var log = Boot("sched");
        var r = log.Result("sched");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);          // its checks: wall clock, block wake-ups and times, periodic events
        // 7 SCHEDOP_block (single-shot, 3 periodic, 2 periodic + 1 single-shot) and 5 SCHEDOP_poll (3 refused, the port,
        // the timeout) + the shutdown (a block restarted at its bound would still count once).
        Assert.Equal("13", r["sched_op"]);
        Assert.Equal("1", r["upcalls"]);                // the first block's; then the callback is off and the guest consumes events
        Assert.Equal("1", r["irq_injected"]);
        Assert.Equal("0", r["irq_window"]);             // the block's hypercall sits in the STI shadow: no window needed
        // 1 + 4 periodic + 3 periodic and the single-shot + the polled port = 10 when nothing delays the guest. It is
        // the one figure that depends on wall time: a periodic timer that falls due while a loaded host holds the guest
        // back fires more often, and timers due at the same exit raise VIRQ_TIMER once (9 seen under an 8-fold load).
        Assert.True(int.Parse(r["events"], CultureInfo.InvariantCulture) >= 9, "events=" + r["events"]);
        Assert.Equal("2", r["hvm_op"]);                 // callback on, callback off
        Assert.Equal("5", r["rejected"]);               // periodic < 1 ms and > STIME_DELTA_MAX, poll 129 ports, port 64, EFAULT
        Assert.Equal("0", r["hlt"]);
        Assert.Equal("0", r["allocs"]);
        Assert.Contains(log.Console, l => l == "sched: sched: SCHEDOP_block woken by VIRQ_TIMER after >= 1 ms");
        Assert.Contains(log.Console, l => l == "sched: sched: periodic timer: one VIRQ_TIMER per period, stopped");
        Assert.Contains(log.Console, l => l == "sched: sched: all checks passed");
    }

    [Fact]
    public void XstxGuestUsesXenStoreTransactionsAndPermissions()
    {
        var log = Boot("xstx");
        var r = log.Result("xstx");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);          // every reply compared byte for byte by the guest
        Assert.Equal("49", r["xenstore"]);
        // EACCES x6 (get_perms /local, write name, write under home, rm domid, set_perms name, write name in a
        // transaction), EPERM, EINVAL x2, ENOSPC, ENOENT x5 (uncommitted read, failed commit's node, ended transaction,
        // aborted node, unknown transaction), EAGAIN, EBUSY.
        Assert.Equal("17", r["xenstore_errors"]);
        Assert.Equal("2", r["xs_watch_events"]);        // the new watch's first event, the commit's
        Assert.Equal("49", r["upcalls"]);               // one per request
        Assert.Equal("0", r["allocs"]);
        Assert.Contains(log.Console, l => l == "xstx: xstx: all checks passed");
    }

    [Fact]
    public void FifoGuestConsumesLoopbackEventsFromItsQueues()
    {
        var log = Boot("fifo");
        var r = log.Result("fifo");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);          // words, READY, HEAD, LINK, priority order, mask checked by the guest
        // One event, two queues, a linked pair, unmask; then port 1024 (the second event-array page) and the pair 3 -> 1025.
        Assert.Equal("6", r["upcalls"]);
        Assert.Equal("9", r["events"]);                 // 1 + 2 + 2 + the masked send + 1 + 2
        Assert.Equal("5", r["irq_window"]);             // five rounds raised with RFLAGS.IF = 0
        Assert.Equal("10", r["rejected"]);              // the -EINVAL answers, 2 of them a repeated and a third, bad expand_array frame (ENOENT, ENOSYS, EOPNOTSUPP not counted)
        Assert.Equal("0", r["allocs"]);
        Assert.Contains(log.Console, l => l == "fifo: fifo: all checks passed");
    }

    [Fact]
    public void HostileGuestGetsXenErrnosAndTheKernelSurvivesGarbageRings()
    {
        var log = Boot("hostile");
        var r = log.Result("hostile");
        Assert.Equal("shutdown", r["outcome"]);
        Assert.Equal("poweroff", r["reason"]);
        // -EINVAL / -EFAULT answers the guest checked one by one (ESRCH, EPERM, ENOSYS are not counted as rejected).
        Assert.Equal("24", r["rejected"]);               // 20 + init_control offset / crossing / frame, bind_virq 99
        Assert.Equal("3", r["ring_errors"]);            // XenStore RINGIDX, XenStore PROTO, console ring
        Assert.Equal("2", r["xs_reconnects"]);
        Assert.Equal("0", r["console_ring_bytes"]);
        Assert.Contains(log.Console, l => l == "hostile: hostile: xenstore ring errors reported in the page, recovered after reconnect");
        Assert.Contains(log.Console, l => l == "hostile: hostile: all checks passed");
        Assert.Equal("0", r["allocs"]);
        Assert.Equal(0, int.Parse(log.Done!["faulted"], CultureInfo.InvariantCulture));
    }
}
