using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Rings.EventChannel;
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
}
