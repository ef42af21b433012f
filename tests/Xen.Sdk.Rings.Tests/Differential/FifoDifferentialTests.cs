using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Rings.EventChannel;
using Xen.Sdk.Rings.Tests.Hostile;
using Xen.Sdk.Rings.Tests.Native;
using Xunit;

namespace Xen.Sdk.Rings.Tests.Differential;

/// <summary>
/// The FIFO event-channel classes against Native/fifo_script.c (event_word_t, struct
/// evtchn_fifo_control_block and EVTCHN_FIFO_* from gcc and the Xen 4.17 headers): the same raise / mask /
/// unmask / upcall scripts give identical traces (kicks, hypercall decisions, delivered ports in order) and
/// identical event-array and control-block bytes.
/// </summary>
public sealed unsafe class FifoDifferentialTests
{
    private const int Ports = 64;

    public static class Arbs
    {
        public static Arbitrary<string[]> Scripts()
        {
            // A port keeps one priority within a script (its priority is part of the binding).
            Gen<string> op = Gen.Frequency(
                (5, Gen.Choose(1, Ports - 1).Select(p => $"P {p} {p % 4}")),
                (2, Gen.Choose(1, Ports - 1).Select(p => $"M {p}")),
                (2, Gen.Choose(1, Ports - 1).Select(p => $"U {p} {p % 4}")),
                (2, Gen.Constant("D")));
            return Gen.ArrayOf(Gen.ListOf(op).Select(l => string.Join(' ', l) + " E"), 20).ToArbitrary();
        }
    }

    [Property(MaxTest = 30, Arbitrary = new[] { typeof(Arbs) })]
    public void FifoQueuesMatchGcc(string[] scripts)
    {
        var (code, stdout, err) = NativeOracle.Run(NativeOracle.Build("fifo_script.c"), "", string.Join('\n', scripts) + "\n");
        Assert.True(code == 0, err);
        string[] lines = stdout.Split('\n');
        for (int i = 0; i < scripts.Length; i++)
        {
            var (trace, image) = Run(scripts[i]);
            Assert.Equal(lines[2 * i].TrimEnd(), trace.TrimEnd());
            Assert.True(lines[2 * i + 1] == "M " + image, "image differs for: " + scripts[i]);
        }
    }

    private static (string, string) Run(string script)
    {
        uint* words = stackalloc uint[Ports];
        new Span<uint>(words, Ports).Clear();
        var cb = new EvtchnFifoControlBlock();
        var events = new FifoEventArray(words, Ports);
        var hv = new FifoHypervisorQueues(&cb);
        var guest = new FifoGuestQueues(&cb);
        Span<EventChannelPort> got = stackalloc EventChannelPort[Ports * 2];
        var t = new StringBuilder();
        string[] tok = script.Split(' ');
        for (int i = 0; i < tok.Length;)
        {
            string op = tok[i++];
            switch (op)
            {
                case "P":
                {
                    var p = new EventChannelPort(uint.Parse(tok[i++]));
                    uint prio = uint.Parse(tok[i++]);
                    Assert.Equal(RingError.None, hv.SetPending(events, p, prio, out bool kick));
                    t.Append(kick ? "P1 " : "P0 ");
                    break;
                }
                case "M":
                    events.TrySet(new EventChannelPort(uint.Parse(tok[i++])), FifoEventArray.MaskedBit, out _);
                    t.Append("M ");
                    break;
                case "U":
                {
                    var p = new EventChannelPort(uint.Parse(tok[i++]));
                    uint prio = uint.Parse(tok[i++]);
                    Assert.Equal(RingError.None, events.GuestUnmask(p, out bool hyper));
                    bool kick = false;
                    if (hyper) Assert.Equal(RingError.None, hv.Unmask(events, p, prio, out kick));
                    t.Append('U').Append(hyper ? 1 : 0).Append(kick ? 1 : 0).Append(' ');
                    break;
                }
                case "D":
                {
                    Assert.Equal(RingError.None, guest.Drain(events, got, out int n));
                    t.Append("D[");
                    for (int k = 0; k < n; k++) t.Append(got[k].Value).Append(',');
                    t.Append("] ");
                    break;
                }
            }
        }
        string image = Convert.ToHexString(new ReadOnlySpan<byte>(words, Ports * 4)).ToLowerInvariant()
                     + Convert.ToHexString(new ReadOnlySpan<byte>(&cb, sizeof(EvtchnFifoControlBlock))).ToLowerInvariant();
        return (t.ToString(), image);
    }

    public static class PagedArbs
    {
        // Ports on three event-array pages (page 0 holds 1..1023, page 1 1024..2047, page 2 2048..3071), and
        // "X": EVTCHNOP_expand_array, one more page mapped (from 1 page up to 3).
        private static readonly int[] PortSet = { 1, 2, 5, 1000, 1023, 1024, 1025, 1500, 2047, 2048, 2049, 3000, 3071 };

        public static Arbitrary<string[]> Scripts()
        {
            Gen<int> port = Gen.Elements(PortSet);
            Gen<string> op = Gen.Frequency(
                (5, port.Select(p => $"P {p} {p % 4}")),
                (2, port.Select(p => $"M {p}")),
                (2, port.Select(p => $"U {p} {p % 4}")),
                (2, Gen.Constant("D")),
                (1, Gen.Constant("X")));
            return Gen.ArrayOf(Gen.ListOf(op).Select(l => string.Join(' ', l)), 10).ToArbitrary();
        }
    }

    /// <summary>
    /// An event array made of separately mapped pages (each between PROT_NONE guard pages, added one at a
    /// time by "X" like EVTCHNOP_expand_array) behaves exactly like the contiguous array that
    /// <see cref="FifoQueuesMatchGcc"/> checks against gcc: same traces (including the refusals of ports on
    /// pages not mapped yet, and queues whose LINK crosses pages) and the same words, page by page.
    /// </summary>
    [Property(MaxTest = 40, Arbitrary = new[] { typeof(PagedArbs) })]
    public void PagedEventArrayMatchesContiguous(string[] scripts)
    {
        const int MaxPages = 3;
        using var contiguous = new GuardedPages(MaxPages);
        using var p0 = new GuardedPages(1);
        using var p1 = new GuardedPages(1);
        using var p2 = new GuardedPages(1);
        uint** list = stackalloc uint*[MaxPages];
        list[0] = (uint*)p2.Start; // the pages land anywhere, in any order
        list[1] = (uint*)p0.Start;
        list[2] = (uint*)p1.Start;
        foreach (string script in scripts)
        {
            contiguous.Span.Clear();
            p0.Span.Clear();
            p1.Span.Clear();
            p2.Span.Clear();
            string a = RunPaged(script, pages => new FifoEventArray((uint*)contiguous.Start, pages * FifoEventArray.WordsPerPage));
            string b = RunPaged(script, pages => new FifoEventArray(list, pages));
            Assert.Equal(a, b);
            for (int page = 0; page < MaxPages; page++)
                Assert.True(new ReadOnlySpan<byte>(contiguous.Start + page * 4096, 4096).SequenceEqual(new ReadOnlySpan<byte>(list[page], 4096)), $"page {page} differs for: {script}");
        }
        var one = new FifoEventArray(list, 1);
        Assert.True(one.WordOf(1023) == list[0] + 1023);
        Assert.True(one.WordOf(1024) == null);
        Assert.True(new FifoEventArray(list, 3).WordOf(2048) == list[2]);
        Assert.Equal(FifoEventArray.MaxPages * FifoEventArray.WordsPerPage, (uint)EventChannelFifo.NrChannels);
    }

    private static string RunPaged(string script, Func<uint, FifoEventArray> view)
    {
        var cb = new EvtchnFifoControlBlock();
        uint pages = 1;
        FifoEventArray events = view(pages);
        var hv = new FifoHypervisorQueues(&cb);
        var guest = new FifoGuestQueues(&cb);
        Span<EventChannelPort> got = stackalloc EventChannelPort[64];
        var t = new StringBuilder();
        string[] tok = script.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < tok.Length;)
        {
            switch (tok[i++])
            {
                case "P":
                {
                    var p = new EventChannelPort(uint.Parse(tok[i++]));
                    uint prio = uint.Parse(tok[i++]);
                    RingError e = hv.SetPending(events, p, prio, out bool kick);
                    t.Append('P').Append((int)e).Append(kick ? 1 : 0).Append(' ');
                    break;
                }
                case "M":
                    t.Append(events.TrySet(new EventChannelPort(uint.Parse(tok[i++])), FifoEventArray.MaskedBit, out _) ? "M " : "M- ");
                    break;
                case "U":
                {
                    var p = new EventChannelPort(uint.Parse(tok[i++]));
                    uint prio = uint.Parse(tok[i++]);
                    RingError e = events.GuestUnmask(p, out bool hyper);
                    bool kick = false;
                    if (e == RingError.None && hyper) e = hv.Unmask(events, p, prio, out kick);
                    t.Append('U').Append((int)e).Append(hyper ? 1 : 0).Append(kick ? 1 : 0).Append(' ');
                    break;
                }
                case "D":
                {
                    RingError e = guest.Drain(events, got, out int n);
                    t.Append("D").Append((int)e).Append('[');
                    for (int k = 0; k < n; k++) t.Append(got[k].Value).Append(',');
                    t.Append("] ");
                    break;
                }
                case "X":
                    if (pages < 3) events = view(++pages);
                    t.Append("X ");
                    break;
            }
        }
        return t.ToString();
    }
}
