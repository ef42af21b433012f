using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Abi.Hvm;
using Xunit;

namespace Xen.Sdk.Abi.Tests;

/// <summary>TryRead/TryWrite/TryView: bounds, unaligned access, round trips, no allocation.</summary>
public sealed class XenAbiTests
{
    [Property]
    public bool WriteThenReadRoundTripsAtAnyOffset(ushort flags, ushort domid, uint frame, byte offset)
    {
        var entry = new GrantEntryV1 { Flags = flags, Domid = new DomainId(domid), Frame = frame };
        var buffer = new byte[GrantEntryV1.Size + 255];
        var at = buffer.AsSpan(offset);
        return entry.TryWrite(at) && GrantEntryV1.TryRead(at, out var back)
            && back.Flags == flags && back.Domid.Value == domid && back.Frame == frame;
    }

    [Property]
    public bool ShortSpansFailWithoutWriting(byte length)
    {
        int n = length % GrantEntryV1.Size;
        var buffer = new byte[n];
        var e = new GrantEntryV1 { Flags = 0xffff, Frame = 0xffffffff };
        return !e.TryWrite(buffer) && Array.TrueForAll(buffer, b => b == 0)
            && !GrantEntryV1.TryRead(buffer, out var r) && r.Frame == 0;
    }

    [Fact]
    public void ReadIsLittleEndianAndFieldExact()
    {
        // struct grant_entry_v1: flags@0 (u16), domid@2 (u16), frame@4 (u32) (xen/include/public/grant_table.h).
        byte[] bytes = { 0x05, 0x00, 0x01, 0x00, 0x78, 0x56, 0x34, 0x12 };
        Assert.True(GrantEntryV1.TryRead(bytes, out var e));
        Assert.Equal((ushort)(GrantEntryFlags.PermitAccess | GrantEntryFlags.Readonly), e.Flags);
        Assert.Equal(new DomainId(1), e.Domid);
        Assert.Equal(0x12345678u, e.Frame);
    }

    [Fact]
    public void ViewsAliasTheMemory()
    {
        var page = new byte[EvtchnFifoControlBlock.Size + 8];
        Assert.True(XenAbi.TryView<EvtchnFifoControlBlock>(page, out var view));
        view[0].Ready = 0x80000001;
        view[0].Head[15] = new EventChannelPort(0x1ffff);
        Assert.Equal(0x01, page[0]);
        Assert.Equal(0x80, page[3]);
        Assert.Equal(0xff, page[8 + (15 * 4)]);
        Assert.False(XenAbi.TryView<EvtchnFifoControlBlock>(page.AsSpan(9), out _));
    }

    [Fact]
    public void ReadingDoesNotAllocate()
    {
        var bytes = new byte[Ioreq.Size];
        Ioreq.TryRead(bytes, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            if (Ioreq.TryRead(bytes, out var r))
            {
                sum += r.Addr;
            }
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(0UL, sum);
    }

    [Property]
    public bool BitfieldAccessorsRoundTripAndStayInTheirBits(byte state, bool dir, byte type)
    {
        // struct ioreq: state:4, data_is_ptr:1, dir:1, df:1, _pad1:1 share one byte (placement checked by gcc).
        var r = new Ioreq { Type = type };
        r.State = state;
        r.Dir = (byte)(dir ? 1 : 0);
        return r.State == (state & 0xf) && r.Dir == (dir ? 1 : 0) && r.DataIsPtr == 0 && r.Df == 0 && r.Type == type;
    }

    [Fact]
    public void ArrayBuffersIndexContiguousElements()
    {
        var info = default(Xen.Sdk.Abi.SharedInfo64);
        info.VcpuInfo[31].EvtchnUpcallPending = 1;
        var bytes = new byte[Xen.Sdk.Abi.SharedInfo64.Size];
        Assert.True(info.TryWrite(bytes));
        Assert.Equal(1, bytes[31 * Xen.Sdk.Abi.VcpuInfo64.Size]);
        Assert.Throws<IndexOutOfRangeException>(() => info.VcpuInfo[32].EvtchnUpcallPending = 1);
    }
}
