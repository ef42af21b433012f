using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Rings.EventChannel;
using Xen.Sdk.Rings.GrantTable;
using Xen.Sdk.Rings.Tests.Native;
using Xunit;

namespace Xen.Sdk.Rings.Tests.Differential;

/// <summary>
/// TwoLevelEventChannels and GrantTableV1 against Native/shared_script.c: the same scripted guest/hypervisor
/// operations on gcc's <c>struct shared_info</c> and <c>grant_entry_v1_t</c> (Xen 4.17 headers, GTF_* and
/// GNTST_* macros); traces and the byte images of shared_info and of the grant table must be identical.
/// </summary>
public sealed unsafe class SharedStructDifferentialTests
{
    public static class Arbs
    {
        public static Arbitrary<string[]> Scripts()
        {
            Gen<int> port = Gen.Frequency((6, Gen.Choose(0, 200)), (2, Gen.Choose(0, 4095)), (1, Gen.Choose(4090, 4200)));
            Gen<string> op = Gen.OneOf(
                port.Select(p => $"S {p}"), port.Select(p => $"S {p}"), port.Select(p => $"M {p}"),
                port.Select(p => $"U {p}"), port.Select(p => $"L {p}"), Gen.Choose(0, 40).Select(n => $"C {n}"),
                from r in Gen.Choose(0, 9) from d in Gen.Choose(0, 2) from f in Gen.Choose(0, 1 << 20) from ro in Gen.Choose(0, 1) select $"g {r} {d} {f} {ro}",
                from r in Gen.Choose(0, 9) from d in Gen.Choose(0, 2) from ro in Gen.Choose(0, 1) select $"m {r} {d} {ro}",
                Gen.Choose(0, 9).Select(r => $"e {r}"),
                from r in Gen.Choose(0, 9) from w in Gen.Choose(0, 1) from l in Gen.Choose(0, 1) select $"r {r} {w} {l}");
            return Gen.ArrayOf(Gen.ListOf(op).Select(l => string.Join(' ', l) + " E"), 20).ToArbitrary();
        }
    }

    [Property(MaxTest = 30, Arbitrary = new[] { typeof(Arbs) })]
    public void EventBitmapsAndGrantEntriesMatchGcc(string[] scripts)
    {
        var (code, stdout, err) = NativeOracle.Run(NativeOracle.Build("shared_script.c", "-Wno-unused-result"), "", string.Join('\n', scripts) + "\n");
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
        var si = new SharedInfo64();
        var gt = new GrantEntryV1[8];
        var t = new StringBuilder();
        Span<EventChannelPort> ports = stackalloc EventChannelPort[64];
        string[] tok = script.Split(' ');
        fixed (GrantEntryV1* g = gt)
        {
            var ev = new TwoLevelEventChannels(&si);
            var v = (VcpuInfo64*)&si;
            var table = new GrantTableV1(g, 8);
            for (int i = 0; i < tok.Length;)
            {
                string op = tok[i++];
                uint A() => uint.Parse(tok[i++]);
                switch (op)
                {
                    case "S": { uint p = A(); t.Append(ev.TrySetPending(new EventChannelPort(p), v, out bool k) ? (k ? "S1 " : "S0 ") : "S- "); break; }
                    case "M": ev.TryMask(new EventChannelPort(A())); t.Append("M "); break;
                    case "U": { ev.TryUnmask(new EventChannelPort(A()), v, out bool k); t.Append(k ? "U1 " : "U0 "); break; }
                    case "L": { ev.TryUnmaskLocal(new EventChannelPort(A()), v, out bool k); t.Append(k ? "L1 " : "L0 "); break; }
                    case "C":
                    {
                        int n = ev.ConsumePending(v, ports.Slice(0, (int)A()));
                        t.Append("C[");
                        for (int k = 0; k < n; k++) t.Append(ports[k].Value).Append(',');
                        t.Append("] ");
                        break;
                    }
                    case "g": { uint r = A(), d = A(), f = A(), ro = A(); t.Append(table.TryGrantAccess(new GrantRef(r), new DomainId((ushort)d), f, ro != 0) ? "g " : "g- "); break; }
                    case "m":
                    {
                        uint r = A(), d = A(), ro = A();
                        GrantStatus s = table.TryMap(new GrantRef(r), new DomainId((ushort)d), ro != 0, out uint frame);
                        t.Append(s == GrantStatus.Okay ? $"m0:{frame} " : $"m{(short)s} ");
                        break;
                    }
                    case "e": t.Append(table.TryEndAccess(new GrantRef(A())) ? "e1 " : "e0 "); break;
                    case "r": { uint r = A(), w = A(), l = A(); table.Release(new GrantRef(r), w != 0, l != 0); t.Append("r "); break; }
                    case "E": break;
                }
            }
            string image = Convert.ToHexString(new ReadOnlySpan<byte>(&si, sizeof(SharedInfo64))).ToLowerInvariant()
                         + Convert.ToHexString(new ReadOnlySpan<byte>(g, 64)).ToLowerInvariant();
            return (t.ToString(), image);
        }
    }
}
