using System;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Abi.Hvm;

namespace Xen.Sdk.Abi.Tests.Hvm;

/// <summary>
/// The generated bitfield accessors put each value where the [CBitField] attributes say, and the oracle has
/// checked those attributes against gcc's all-ones images of <c>struct buf_ioreq</c> and <c>struct ioreq</c>.
/// </summary>
public sealed class BitFieldAccessorTests
{
    [Property]
    public bool BufIoreqAccessorsMatchTheCheckedBitPositions(byte type, byte pad, byte dir, byte size, uint addr, uint data)
    {
        var r = new BufIoreq { Type = type, Data = data };
        r.Pad = pad;
        r.Dir = dir;
        r.SizeField = size;
        r.Addr = addr;
        var bytes = new byte[BufIoreq.Size];
        r.TryWrite(bytes);

        // buf_ioreq: type = byte 0; pad:1, dir:1, size:2 = bits 0, 1, 2..3 of byte 1; addr:20 = bits 12..31 of
        // the 32-bit unit at offset 0; data = bytes 4..7 (positions as checked by the gcc oracle).
        uint unit0 = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        return bytes[0] == type
            && (bytes[1] & 1) == (pad & 1) && ((bytes[1] >> 1) & 1) == (dir & 1) && ((bytes[1] >> 2) & 3) == (size & 3)
            && (bytes[1] >> 4) == (byte)((addr & 0xf) & 0xf)
            && unit0 >> 12 == (addr & 0xfffff)
            && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) == data
            && r.Type == type && r.Pad == (pad & 1) && r.Dir == (dir & 1) && r.SizeField == (size & 3) && r.Addr == (addr & 0xfffff);
    }

    [Property]
    public bool IoreqFlagBitsAreIndependent(byte state, byte isPtr, byte dir, byte df)
    {
        var r = default(Ioreq);
        r.State = state;
        r.DataIsPtr = isPtr;
        r.Dir = dir;
        r.Df = df;
        var bytes = new byte[Ioreq.Size];
        r.TryWrite(bytes);

        // ioreq: state:4, data_is_ptr:1, dir:1, df:1, _pad1:1 in the byte at offset 30 (checked by gcc).
        byte b = bytes[30];
        return (b & 0xf) == (state & 0xf) && ((b >> 4) & 1) == (isPtr & 1) && ((b >> 5) & 1) == (dir & 1) && ((b >> 6) & 1) == (df & 1)
            && (b >> 7) == 0;
    }
}
