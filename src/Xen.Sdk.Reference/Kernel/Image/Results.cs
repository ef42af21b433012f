using System;
using Internal.Runtime;

namespace Xen.Sdk.Reference.Kernel
{
    internal struct RunSummary
    {
        public int Guests, Shutdown, Halted, Faulted, Timeout;

        public void Count(GuestOutcome outcome, GuestFault fault)
        {
            Guests++;
            switch (outcome)
            {
                case GuestOutcome.Shutdown: Shutdown++; break;
                case GuestOutcome.Halted: Halted++; break;
                case GuestOutcome.Faulted: Faulted++; break;
                default: Timeout++; break;
            }
        }
    }

    /// <summary>The fixed serial result format (docs/reference.md, "Serial result format"): one line per guest,
    /// <c>XENSDK RESULT key=value ...</c>, keys in a fixed order, values without spaces.</summary>
    internal static unsafe class Results
    {
        private static readonly string[] s_outcomes = { "running", "shutdown", "halted", "faulted", "timeout" };
        private static readonly string[] s_faults = { "none", "triple-fault", "unhandled-exception", "unmapped-mmio", "undecodable-instruction", "entry-failure", "unhandled-exit" };
        private static readonly string[] s_reasons = { "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" };

        public static void Warm() { _ = s_outcomes.Length + s_faults.Length + s_reasons.Length; }

        public static void SelfTest()
        {
            Serial.Write("XENSDK SELFTEST statics outcomes=0x");
            object o = s_outcomes;
            Serial.WriteHex((ulong)*(nint*)&o);
            Serial.Write(" faults=0x");
            o = s_faults;
            Serial.WriteHex((ulong)*(nint*)&o);
            Serial.Write(" len=");
            Serial.WriteDec((ulong)s_outcomes.Length);
            Serial.Write(" first=");
            Serial.Write(s_outcomes[0]);
            Serial.Write(" f0=");
            Serial.Write(s_faults[0]);
            Serial.Write(" r4=");
            Serial.Write(s_reasons[4]);
            Serial.WriteLine();
        }

        private static void Key(string key) { Serial.Write((byte)' '); Serial.Write(key); Serial.Write((byte)'='); }
        private static void Kv(string key, ulong value) { Key(key); Serial.WriteDec(value); }

        public static void Line(ReadOnlySpan<byte> name, string vendor, string outcome, string fault, VcpuState state, ulong exits, ulong ms, ulong allocs)
        {
            Serial.Write("XENSDK RESULT guest=");
            Serial.Write(name);
            Key("vendor"); Serial.Write(vendor);
            Key("outcome"); Serial.Write(outcome);
            Key("fault"); Serial.Write(fault);
            Serial.WriteLine();
        }

        public static void Line<TMemory, TConsole, THost, TExtension>(ReadOnlySpan<byte> name, string vendor,
            in ExitDispatcher<TMemory, TConsole, THost, TExtension> d, in VcpuState state, ulong exits, ulong ms, ulong allocs)
            where TMemory : struct, IGuestMemory where TConsole : struct, IGuestConsole
            where THost : struct, IHostCpu where TExtension : struct, IExitExtension
        {
            ExitCounters c = d.Counters;
            Serial.Write("XENSDK RESULT guest=");
            Serial.Write(name);
            Key("vendor"); Serial.Write(vendor);
            Key("outcome"); Serial.Write(s_outcomes[(int)d.Outcome]);
            Key("reason"); Serial.Write(d.Outcome == GuestOutcome.Shutdown ? s_reasons[(int)d.ShutdownReason] : "none");
            Key("fault"); Serial.Write(s_faults[(int)d.Fault]);
            Kv("exits", exits);
            Kv("cpuid", c.Cpuid);
            Kv("io", c.Io);
            Kv("hlt", c.Hlt);
            Kv("msr_read", c.MsrRead);
            Kv("msr_write", c.MsrWrite);
            Kv("hypercall", c.Hypercall);
            Kv("npf", c.NestedPageFault);
            Kv("exception", c.Exception);
            Kv("mmio", MmioTestDevice.Emulated);
            Kv("shutdown", c.Shutdown);
            Kv("intr", c.ExternalInterrupt);
            Kv("console_io", c.ConsoleIo);
            Kv("xen_version", c.XenVersion);
            Kv("sched_op", c.SchedOp);
            Kv("enosys", c.UnknownHypercall);
            Kv("rejected", c.RejectedHypercall);
            Kv("console_bytes", SerialGuestConsole.BytesWritten);
            Key("hypercall_page"); Serial.Write("0x"); Serial.WriteHex(d.HypercallPageAddress, 1);
            Key("rip"); Serial.Write("0x"); Serial.WriteHex(state.Rip, 1);
            Kv("ms", ms);
            Kv("allocs", allocs);
            // Interrupt delivery and the Xen services (appended keys; docs/reference.md "Serial result format").
            Kv("irq_window", state.InterruptWindowsRequested);
            Kv("irq_window_exits", c.InterruptWindow);
            Kv("irq_injected", state.InterruptsInjected);
            Kv("evtchn_op", c.EventChannelOp);
            Kv("hvm_op", c.HvmOp);
            Kv("memory_op", c.MemoryOp);
            Kv("grant_table_op", c.GrantTableOp);
            Kv("grant_copy_bytes", d.Xen.GrantCopyBytes);
            Kv("upcalls", d.Xen.Upcalls);
            Kv("events", d.Xen.EventsRaised);
            Kv("xenstore", d.Xen.Store.Requests);
            Kv("xenstore_errors", d.Xen.Store.ErrorReplies);
            Kv("ring_errors", d.Xen.Store.RingErrors + d.Xen.ConsoleRingErrors);
            Kv("xs_reconnects", d.Xen.Store.Reconnects);
            Kv("xs_watch_events", d.Xen.Store.WatchEvents);
            Kv("console_ring_bytes", d.Xen.ConsoleBytes);
            Serial.WriteLine();
        }

        /// <summary>The xenbus guest's own measurements at guest-physical 0x6100 (qwords: valid, TSC ticks from just before
        /// EVTCHNOP_send to the upcall handler's first instruction, TSC ticks of one XS_READ round trip through the ring
        /// including its reply upcall).</summary>
        public static void XenBus(ReadOnlySpan<byte> name, in GuestRam ram)
        {
            Span<byte> buf = stackalloc byte[24];
            if (!ram.TryRead(0x6100, buf) || System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf) != 1) return;
            Serial.Write("XENSDK XENBUS guest=");
            Serial.Write(name);
            Kv("send_to_upcall_ticks", System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf.Slice(8)));
            Kv("xenstore_read_ticks", System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf.Slice(16)));
            Kv("tsc_per_ms", Tsc.TicksPerMs);
            Serial.WriteLine();
        }

        /// <summary>PIT ticks (100 Hz) the bench guest may run: larger configurations take seconds under QEMU TCG.</summary>
        public const ulong BenchWatchdogTicks = 6000;
        private const ulong BenchBatchArray = 0x40000;
        private const int BenchMaxBatches = 64, BenchKinds = 4;

        /// <summary>Writes the bench guest's configuration (<c>bench-iterations=N bench-batches=B</c> on the command line;
        /// 0 = the guest's defaults) to guest-physical 0x6030/0x6038 before it runs.</summary>
        public static void PrepareBench(in GuestRam ram)
        {
            Span<byte> cfg = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(cfg, Multiboot.OptionNumber("bench-iterations"u8, 0));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(cfg.Slice(8), Multiboot.OptionNumber("bench-batches"u8, 0));
            ram.TryWrite(0x6030, cfg);
        }

        /// <summary>Benchmark results the bench guest stored at guest-physical 0x6000 (qwords: iterations per batch N,
        /// total ticks of the null hypercall, xen_version and CPUID loops, batches B, total ticks of the bare loop) and
        /// per batch at 0x40000 + (kind * 64 + batch) * 8 (kinds: bare, null hypercall, xen_version, CPUID, measured in
        /// interleaved rounds). Per kind: mean, median and minimum ticks per iteration; ratios of the medians (per batch)
        /// to the bare round trip's, in thousandths printed as decimals.</summary>
        public static void Bench(ReadOnlySpan<byte> name, in GuestRam ram, ulong bareExits)
        {
            Span<byte> buf = stackalloc byte[48];
            if (!ram.TryRead(0x6000, buf)) return;
            ulong n = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf);
            ulong batches = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf.Slice(32));
            if (n == 0 || batches == 0 || batches > BenchMaxBatches) return;
            ulong total = n * batches;
            Span<ulong> medians = stackalloc ulong[BenchKinds];
            Span<ulong> minima = stackalloc ulong[BenchKinds];
            Span<ulong> sorted = stackalloc ulong[BenchMaxBatches];
            Span<byte> raw = stackalloc byte[BenchMaxBatches * 8];
            for (int k = 0; k < BenchKinds; k++)
            {
                if (!ram.TryRead(BenchBatchArray + (ulong)(k * BenchMaxBatches * 8), raw)) return;
                int count = (int)batches;
                for (int i = 0; i < count; i++)
                {
                    // Insertion sort: at most 64 values.
                    ulong v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(i * 8));
                    int j = i;
                    while (j > 0 && sorted[j - 1] > v) { sorted[j] = sorted[j - 1]; j--; }
                    sorted[j] = v;
                }
                minima[k] = sorted[0];
                medians[k] = (count & 1) != 0 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
            }
            Serial.Write("XENSDK BENCH guest=");
            Serial.Write(name);
            Kv("iterations", total);
            Kv("null_hypercall_ticks", System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf.Slice(8)) / total);
            Kv("xen_version_ticks", System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf.Slice(16)) / total);
            Kv("cpuid_ticks", System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf.Slice(24)) / total);
            Kv("tsc_per_ms", Tsc.TicksPerMs);
            Kv("batches", batches);
            Kv("batch_iterations", n);
            Kv("bare_exits", bareExits);
            Kv("bare_ticks", System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buf.Slice(40)) / total);
            Kv("bare_median", medians[0] / n); Kv("bare_min", minima[0] / n);
            Kv("null_hypercall_median", medians[1] / n); Kv("null_hypercall_min", minima[1] / n);
            Kv("xen_version_median", medians[2] / n); Kv("xen_version_min", minima[2] / n);
            Kv("cpuid_median", medians[3] / n); Kv("cpuid_min", minima[3] / n);
            Ratio("ratio_null_hypercall", medians[1], medians[0]);
            Ratio("ratio_xen_version", medians[2], medians[0]);
            Ratio("ratio_cpuid", medians[3], medians[0]);
            Ratio("ratio_xen_version_null", medians[2], medians[1]);
            Serial.WriteLine();
        }

        /// <summary><c> key=a/b</c> with three decimals (rounded), or <c>key=nan</c> when b is 0.</summary>
        private static void Ratio(string key, ulong a, ulong b)
        {
            Key(key);
            if (b == 0) { Serial.Write("nan"); return; }
            ulong thousandths = (a * 1000 + b / 2) / b;
            Serial.WriteDec(thousandths / 1000);
            Serial.Write((byte)'.');
            ulong frac = thousandths % 1000;
            if (frac < 100) Serial.Write((byte)'0');
            if (frac < 10) Serial.Write((byte)'0');
            Serial.WriteDec(frac);
        }
    }
}
