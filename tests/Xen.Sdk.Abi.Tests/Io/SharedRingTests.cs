using System;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Io;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Io;

/// <summary>
/// The ring facts DEFINE_RING_TYPES produces, decided by gcc running ring.h's own macros: a front ring
/// initialised with FRONT_RING_INIT over a real page reports RING_SIZE, and the entry union's sizeof.
/// </summary>
public sealed class SharedRingTests
{
    private sealed record Protocol(string Header, string Name, int Entries, int EntrySize64, int EntrySize32);

    // Entry counts are the C# constants; entry sizes are the C# entry unions' sizes.
    private static readonly Protocol[] Protocols =
    {
        new("blkif", "blkif", Blkif.RingEntries, Unsafe.SizeOf<BlkifSringEntry64>(), Unsafe.SizeOf<BlkifSringEntry32>()),
        new("netif", "netif_tx", Netif.TxRingEntries, Unsafe.SizeOf<NetifTxSringEntry>(), Unsafe.SizeOf<NetifTxSringEntry>()),
        new("netif", "netif_rx", Netif.RxRingEntries, Unsafe.SizeOf<NetifRxSringEntry>(), Unsafe.SizeOf<NetifRxSringEntry>()),
        new("netif", "xen_netif_ctrl", Netif.CtrlRingEntries, Unsafe.SizeOf<XenNetifCtrlSringEntry>(), Unsafe.SizeOf<XenNetifCtrlSringEntry>()),
        new("vscsiif", "vscsiif", Vscsiif.RingEntries, Unsafe.SizeOf<VscsiifSringEntry>(), Unsafe.SizeOf<VscsiifSringEntry>()),
        new("usbif", "usbif_urb", Usbif.UrbRingEntries, Unsafe.SizeOf<UsbifUrbSringEntry>(), Unsafe.SizeOf<UsbifUrbSringEntry>()),
        new("usbif", "usbif_conn", Usbif.ConnRingEntries, Unsafe.SizeOf<UsbifConnSringEntry>(), Unsafe.SizeOf<UsbifConnSringEntry>()),
        new("pvcalls", "xen_pvcalls", Pvcalls.RingEntries, Unsafe.SizeOf<XenPvcallsSringEntry>(), Unsafe.SizeOf<XenPvcallsSringEntry>()),
        new("sndif", "xen_sndif", Sndif.RingEntries, Unsafe.SizeOf<XenSndifSringEntry>(), Unsafe.SizeOf<XenSndifSringEntry>()),
        new("displif", "xen_displif", Displif.RingEntries, Unsafe.SizeOf<XenDisplifSringEntry64>(), Unsafe.SizeOf<XenDisplifSringEntry32>()),
        new("cameraif", "xen_cameraif", Cameraif.RingEntries, Unsafe.SizeOf<XenCameraifSringEntry>(), Unsafe.SizeOf<XenCameraifSringEntry>()),
    };

    private static string Includes => string.Concat(Protocols.Select(p => p.Header).Distinct().Select(h => $"#include <xen/io/{h}.h>\n"));

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void FrontRingInitOverAPageGivesTheEntryCountsAndEntrySizes(int bits)
    {
        var body = new StringBuilder("static unsigned char page[4096] __attribute__((aligned(4096)));\n");
        foreach (Protocol p in Protocols)
        {
            body.Append(CultureInfo.InvariantCulture, $$"""
                {
                    struct {{p.Name}}_sring *s = (struct {{p.Name}}_sring *)page;
                    struct {{p.Name}}_front_ring f;
                    memset(page, 0xa5, sizeof(page));
                    SHARED_RING_INIT(s);
                    FRONT_RING_INIT(&f, s, 4096);
                    printf("{{p.Name}} %u %zu %zu\n", (unsigned)RING_SIZE(&f), sizeof(union {{p.Name}}_sring_entry), offsetof(struct {{p.Name}}_sring, ring));
                }

                """);
        }

        string[] lines = IoGcc.Run(Includes, body.ToString(), bits).TrimEnd('\n').Split('\n');
        Assert.Equal(Protocols.Length, lines.Length);
        for (int i = 0; i < Protocols.Length; i++)
        {
            Protocol p = Protocols[i];
            int entry = bits == 64 ? p.EntrySize64 : p.EntrySize32;
            Assert.Equal($"{p.Name} {p.Entries} {entry} {SharedRing.RingOffset}", lines[i]);
            Assert.Equal((uint)p.Entries, SharedRing.EntryCount(4096, entry));
        }
    }

    [Property(MaxTest = 4)]
    public void EntryCountIsRingSizeForAnyRingAndEntrySize(NonEmptyArray<PositiveInt> entrySizes, NonEmptyArray<PositiveInt> pageCounts)
    {
        // __RING_SIZE evaluated by gcc on a pointer to a real sring of the given size.
        int n = Math.Min(entrySizes.Get.Length, pageCounts.Get.Length);
        var body = new StringBuilder("struct blkif_sring *s = (struct blkif_sring *)0x10000;\n");
        var expected = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            int entry = (entrySizes.Get[i].Get % 4000) + 1;
            int bytes = 4096 * ((pageCounts.Get[i].Get % 16) + 1);
            body.Append(CultureInfo.InvariantCulture, $"printf(\"%u\\n\", (unsigned)__RD32(((long)({bytes}) - (long)s->ring + (long)s) / {entry}));\n");
            expected.Append(SharedRing.EntryCount(bytes, entry).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Assert.Equal(expected.ToString(), IoGcc.Run("#include <xen/io/blkif.h>", body.ToString(), 64));
    }

    [Property]
    public void RoundDownIsTheHighestSetBit(uint value)
    {
        uint r = SharedRing.RoundDownToPowerOfTwo(value);
        if (value == 0)
        {
            Assert.Equal(0u, r);
            return;
        }

        Assert.Equal(0u, r & (r - 1));
        Assert.True(r <= value);
        Assert.True(r > value >> 1);
    }

    [Fact]
    public void BlkifRequestLayoutsDifferByBitness()
    {
        // The reason both layouts exist: i386 aligns uint64_t to 4 inside structs (xen/io/blkif.h).
        Assert.Equal(112, BlkifRequest64.Size);
        Assert.Equal(108, BlkifRequest32.Size);
        Assert.Equal(16, BlkifResponse64.Size);
        Assert.Equal(12, BlkifResponse32.Size);
        Assert.Equal(64, BlkifRequestIndirect64.Size);
        Assert.Equal(64, BlkifRequestIndirect32.Size);
        Assert.Equal(Blkif.MaxSegmentsPerRequest, BlkifRequest64.SegBuffer.Length);
        Assert.Equal(Blkif.MaxSegmentsPerRequest, BlkifRequest32.SegBuffer.Length);
    }
}
