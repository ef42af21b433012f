using System;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Abi.Metadata;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Io;

/// <summary>
/// blkif slots against ring.h itself: gcc fills requests through RING_GET_REQUEST and responses through
/// RING_GET_RESPONSE on a real page (-m64 and -m32); the SDK reads and writes the same page.
/// </summary>
public sealed class BlkifTests
{
    private readonly record struct Case(uint Index, byte Op, byte Nr, ushort Handle, ulong Id, ulong Sector, uint[] Grefs, byte[] First, byte[] Last, short Status);

    private static ulong Mix(ref ulong s)
    {
        // splitmix64: spreads each FsCheck-generated seed over all fields.
        ulong z = s += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static Case Derive(ulong seed)
    {
        var grefs = new uint[Blkif.MaxSegmentsPerRequest];
        var first = new byte[grefs.Length];
        var last = new byte[grefs.Length];
        for (int i = 0; i < grefs.Length; i++)
        {
            grefs[i] = (uint)Mix(ref seed);
            first[i] = (byte)Mix(ref seed);
            last[i] = (byte)Mix(ref seed);
        }

        return new Case((uint)Mix(ref seed), (byte)Mix(ref seed), (byte)Mix(ref seed), (ushort)Mix(ref seed), Mix(ref seed), Mix(ref seed), grefs, first, last, (short)Mix(ref seed));
    }

    private static string CProgram(Case[] cases)
    {
        var sb = new StringBuilder("""
            static unsigned char page[4096];
            #define DUMP(tag) do { printf(tag); for (int k = 0; k < 4096; k++) printf("%02x", page[k]); printf("\n"); } while (0)

            """);
        foreach (Case c in cases)
        {
            sb.Append(CultureInfo.InvariantCulture, $$"""
                {
                    struct blkif_sring *s = (struct blkif_sring *)page;
                    struct blkif_front_ring f;
                    struct blkif_back_ring b;
                    memset(page, 0, sizeof page);
                    SHARED_RING_INIT(s);
                    FRONT_RING_INIT(&f, s, 4096);
                    blkif_request_t *r = RING_GET_REQUEST(&f, {{c.Index}}u);
                    r->operation = {{c.Op}}; r->nr_segments = {{c.Nr}}; r->handle = {{c.Handle}};
                    r->id = {{c.Id}}ull; r->sector_number = {{c.Sector}}ull;

                """);
            for (int i = 0; i < c.Grefs.Length; i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"        r->seg[{i}].gref = {c.Grefs[i]}u; r->seg[{i}].first_sect = {c.First[i]}; r->seg[{i}].last_sect = {c.Last[i]};\n");
            }

            sb.Append(CultureInfo.InvariantCulture, $$"""
                    DUMP("Q ");
                    memset(page, 0, sizeof page);
                    SHARED_RING_INIT(s);
                    BACK_RING_INIT(&b, s, 4096);
                    blkif_response_t *p = RING_GET_RESPONSE(&b, {{c.Index}}u);
                    p->id = {{c.Id}}ull; p->operation = {{c.Op}}; p->status = {{c.Status}};
                    DUMP("P ");
                }

                """);
        }

        return sb.ToString();
    }

    private static void Check(NonEmptyArray<ulong> seeds, int bits)
    {
        XenArchitectures abi = bits == 64 ? XenArchitectures.X86_64 : XenArchitectures.X86_32;
        Case[] cases = Array.ConvertAll(seeds.Get.Length > 6 ? seeds.Get[..6] : seeds.Get, Derive);
        string[] lines = IoGcc.Run("#include <xen/io/blkif.h>", CProgram(cases), bits).TrimEnd('\n').Split('\n');
        Assert.Equal(cases.Length * 2, lines.Length);
        for (int n = 0; n < cases.Length; n++)
        {
            Case c = cases[n];
            byte[] requestPage = Convert.FromHexString(lines[2 * n].Substring(2));
            Assert.True(Blkif.TryReadRequest(requestPage, c.Index, abi, out BlkifRequest64 r));
            Assert.Equal((c.Op, c.Nr, c.Handle, c.Id, c.Sector), (r.Operation, r.NrSegments, r.Handle, r.Id, r.SectorNumber));
            for (int i = 0; i < c.Grefs.Length; i++)
            {
                Assert.Equal((c.Grefs[i], c.First[i], c.Last[i]), (r.Seg[i].Gref.Value, r.Seg[i].FirstSect, r.Seg[i].LastSect));
            }

            byte[] expectedResponsePage = Convert.FromHexString(lines[(2 * n) + 1].Substring(2));
            byte[] page = new byte[4096];
            page[SharedRing.ReqEventOffset] = (byte)SharedRing.InitialEvent; // SHARED_RING_INIT
            page[SharedRing.RspEventOffset] = (byte)SharedRing.InitialEvent;
            Assert.True(Blkif.TryWriteResponse(page, c.Index, abi, c.Id, c.Op, c.Status));
            Assert.Equal(Convert.ToHexString(expectedResponsePage), Convert.ToHexString(page));
        }
    }

    [Property(MaxTest = 3)]
    public void X86_64RequestsAndResponsesMatchRingH(NonEmptyArray<ulong> seeds) => Check(seeds, 64);

    [Property(MaxTest = 3)]
    public void X86_32RequestsAndResponsesMatchRingH(NonEmptyArray<ulong> seeds) => Check(seeds, 32);

    [Fact]
    public void SlotsAreRejectedForAnUnknownBitnessOrAShortPage()
    {
        byte[] page = new byte[4096];
        Assert.False(Blkif.TryReadRequest(page, 0, XenArchitectures.All, out _));
        Assert.False(Blkif.TryReadRequest(page, 0, XenArchitectures.None, out _));
        Assert.False(Blkif.TryReadRequest(page.AsSpan(0, 3600), 31, XenArchitectures.X86_64, out _));
        Assert.True(Blkif.TryReadRequest(page.AsSpan(0, 3600), 31, XenArchitectures.X86_32, out _)); // 64 + 32 * 108 = 3520 <= 3600 < 64 + 32 * 112
        Assert.False(Blkif.TryWriteResponse(page.AsSpan(0, 100), 1, XenArchitectures.X86_64, 1, 0, 0));
    }
}
