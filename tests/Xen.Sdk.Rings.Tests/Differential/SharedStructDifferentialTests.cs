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
/// TwoLevelEventChannels, GrantTableV1 and the page transfers of GrantTableV1/V2 against
/// Native/shared_script.c: the same scripted guest/hypervisor operations on gcc's <c>struct shared_info</c>,
/// <c>grant_entry_v1_t</c> and <c>grant_entry_v2_t</c> (Xen 4.17 headers, GTF_* and GNTST_* macros); traces
/// and the byte images of shared_info and of both grant tables must be identical.
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
                from r in Gen.Choose(0, 9) from w in Gen.Choose(0, 1) from l in Gen.Choose(0, 1) select $"r {r} {w} {l}",
                // page transfers, on the v1 and the v2 table
                from v in Gen.Choose(1, 2) from r in Gen.Choose(0, 9) from d in Gen.Choose(0, 2) select $"T {v} {r} {d}",
                from v in Gen.Choose(1, 2) from r in Gen.Choose(0, 9) from d in Gen.Choose(0, 2) select $"c {v} {r} {d}",
                from v in Gen.Choose(1, 2) from r in Gen.Choose(0, 9) from f in Gen.Choose(0, int.MaxValue) select $"f {v} {r} {f}",
                from v in Gen.Choose(1, 2) from r in Gen.Choose(0, 9) select $"x {v} {r}",
                // a whole transfer on one entry (offer, commit, complete, end), some steps skipped or repeated
                from v in Gen.Choose(1, 2) from r in Gen.Choose(0, 8) from d in Gen.Choose(0, 2) from f in Gen.Choose(0, int.MaxValue)
                from skip in Gen.Choose(0, 9) from d2 in Gen.Frequency((4, Gen.Constant(d)), (1, Gen.Choose(0, 2)))
                select string.Join(' ', new[] { $"T {v} {r} {d}", $"c {v} {r} {d2}", $"f {v} {r} {f}", $"x {v} {r}", $"x {v} {r}" }
                    .Where((_, k) => k != skip % 6)));
            return Gen.ArrayOf(Gen.ListOf(op).Select(l => string.Join(' ', l) + " E"), 20).ToArbitrary();
        }
    }

    [Property(MaxTest = 30, Arbitrary = new[] { typeof(Arbs) })]
    public void EventBitmapsAndGrantEntriesMatchGcc(string[] scripts) => Compare(scripts, m32: false);

    /// <summary>
    /// The same scripts on the x86_32 ABI: shared_script.c built with <c>gcc -m32</c> (xen_ulong_t is 32 bits:
    /// 32 x 32 = 1024 ports, a 32-bit selector word, a 2344-byte shared_info) against the view over
    /// <see cref="SharedInfo32"/>/<see cref="VcpuInfo32"/>. Ports 1024..4200 must be refused by both.
    /// </summary>
    [Property(MaxTest = 20, Arbitrary = new[] { typeof(Arbs) })]
    public void EventBitmaps32BitGuestMatchGccM32(string[] scripts) => Compare(scripts, m32: true);

    private static void Compare(string[] scripts, bool m32)
    {
        var (code, stdout, err) = NativeOracle.Run(NativeOracle.Build("shared_script.c", m32 ? "-m32 -Wno-unused-result" : "-Wno-unused-result"), "", string.Join('\n', scripts) + "\n");
        Assert.True(code == 0, err);
        string[] lines = stdout.Split('\n');
        for (int i = 0; i < scripts.Length; i++)
        {
            var (trace, image) = Run(scripts[i], m32);
            Assert.Equal(lines[2 * i].TrimEnd(), trace.TrimEnd());
            Assert.True(lines[2 * i + 1] == "M " + image, "image differs for: " + scripts[i]);
        }
    }

    private static (string, string) Run(string script, bool m32)
    {
        var si = new SharedInfo64();
        var si32 = new SharedInfo32();
        var gt = new GrantEntryV1[8];
        var gt2 = new GrantEntryV2[8];
        var status2 = new ushort[8];
        var t = new StringBuilder();
        Span<EventChannelPort> ports = stackalloc EventChannelPort[64];
        string[] tok = script.Split(' ');
        fixed (GrantEntryV1* g = gt)
        fixed (GrantEntryV2* g2 = gt2)
        fixed (ushort* st2 = status2)
        {
            var table2 = new GrantTableV2(g2, st2, 8);
            var ev = m32 ? new TwoLevelEventChannels(&si32) : new TwoLevelEventChannels(&si);
            var v = (VcpuInfo64*)&si;
            var v32 = (VcpuInfo32*)&si32;
            bool Set(uint p, out bool k) => m32 ? ev.TrySetPending(new EventChannelPort(p), v32, out k) : ev.TrySetPending(new EventChannelPort(p), v, out k);
            bool Unmask(uint p, out bool k) => m32 ? ev.TryUnmask(new EventChannelPort(p), v32, out k) : ev.TryUnmask(new EventChannelPort(p), v, out k);
            bool UnmaskLocal(uint p, out bool k) => m32 ? ev.TryUnmaskLocal(new EventChannelPort(p), v32, out k) : ev.TryUnmaskLocal(new EventChannelPort(p), v, out k);
            var table = new GrantTableV1(g, 8);
            for (int i = 0; i < tok.Length;)
            {
                string op = tok[i++];
                uint A() => uint.Parse(tok[i++]);
                switch (op)
                {
                    case "S": { uint p = A(); t.Append(Set(p, out bool k) ? (k ? "S1 " : "S0 ") : "S- "); break; }
                    case "M": ev.TryMask(new EventChannelPort(A())); t.Append("M "); break;
                    case "U": { Unmask(A(), out bool k); t.Append(k ? "U1 " : "U0 "); break; }
                    case "L": { UnmaskLocal(A(), out bool k); t.Append(k ? "L1 " : "L0 "); break; }
                    case "C":
                    {
                        Span<EventChannelPort> dest = ports.Slice(0, (int)A());
                        int n = m32 ? ev.ConsumePending(v32, dest) : ev.ConsumePending(v, dest);
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
                    case "T":
                    {
                        uint v1 = A(), r = A(), d = A();
                        var dom = new DomainId((ushort)d);
                        t.Append((v1 == 1 ? table.TryGrantTransfer(new GrantRef(r), dom) : table2.TryGrantTransfer(new GrantRef(r), dom)) ? "T " : "T- ");
                        break;
                    }
                    case "c":
                    {
                        uint v1 = A(), r = A(), d = A();
                        var dom = new DomainId((ushort)d);
                        GrantStatus s = v1 == 1 ? table.TryCommitTransfer(new GrantRef(r), dom) : table2.TryCommitTransfer(new GrantRef(r), dom);
                        t.Append('c').Append((short)s).Append(' ');
                        break;
                    }
                    case "f":
                    {
                        uint v1 = A(), r = A(), f = A();
                        t.Append((v1 == 1 ? table.CompleteTransfer(new GrantRef(r), f) : table2.CompleteTransfer(new GrantRef(r), f)) ? "f " : "f- ");
                        break;
                    }
                    case "x":
                    {
                        uint v1 = A(), r = A();
                        ulong frame;
                        GrantTransferState s;
                        if (v1 == 1)
                        {
                            s = table.TryEndTransfer(new GrantRef(r), out uint f32);
                            frame = f32;
                        }
                        else s = table2.TryEndTransfer(new GrantRef(r), out frame);
                        t.Append(s == GrantTransferState.Completed ? $"x2:{frame} " : $"x{(int)s} ");
                        break;
                    }
                    case "E": break;
                }
            }
            string image = (m32 ? Convert.ToHexString(new ReadOnlySpan<byte>(&si32, sizeof(SharedInfo32))) : Convert.ToHexString(new ReadOnlySpan<byte>(&si, sizeof(SharedInfo64)))).ToLowerInvariant()
                         + Convert.ToHexString(new ReadOnlySpan<byte>(g, 64)).ToLowerInvariant()
                         + Convert.ToHexString(new ReadOnlySpan<byte>(g2, 128)).ToLowerInvariant();
            return (t.ToString(), image);
        }
    }
}
