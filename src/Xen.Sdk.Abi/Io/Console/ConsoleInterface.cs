using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// <c>struct xencons_interface</c>: the PV console page shared between a guest and its console backend
/// (xen/io/console.h). Two byte rings: <see cref="In"/> carries input to the guest (backend produces,
/// guest consumes) and <see cref="Out"/> carries the guest's output (guest produces, backend consumes).
/// Identical for 64-bit and 32-bit guests.
/// </summary>
/// <remarks>
/// Indices (<c>XENCONS_RING_IDX</c>, a <c>uint32_t</c>) run freely and wrap at 2^32; a byte lives at
/// <c>MASK_XENCONS_IDX(idx, ring)</c> = <c>idx &amp; (sizeof(ring) - 1)</c>, see <see cref="MaskIn"/> and
/// <see cref="MaskOut"/>. The number of unread bytes is <c>prod - cons</c> in unsigned 32-bit arithmetic.
/// Layout: <c>in</c> at 0 (1024 bytes), <c>out</c> at 1024 (2048 bytes), then <c>in_cons</c>, <c>in_prod</c>,
/// <c>out_cons</c>, <c>out_prod</c> at 3072..3087; 3088 bytes in all.
/// </remarks>
[CType("struct xencons_interface", "xen/io/console.h")]
[StructLayout(LayoutKind.Explicit, Size = Size)]
public unsafe struct ConsoleInterface
{
    /// <summary><c>sizeof(struct xencons_interface)</c>.</summary>
    public const int Size = 3088;

    /// <summary><c>_Alignof</c> of the C type (the same for x86_64 and x86_32).</summary>
    public const int Alignment = 4;

    /// <summary>Size in bytes of the input ring <c>in</c> (a power of two).</summary>
    [CConstant("sizeof(((struct xencons_interface *)0)->in)", "xen/io/console.h")]
    public const int InRingSize = 1024;

    /// <summary>Size in bytes of the output ring <c>out</c> (a power of two).</summary>
    [CConstant("sizeof(((struct xencons_interface *)0)->out)", "xen/io/console.h")]
    public const int OutRingSize = 2048;

    /// <summary>The mask <c>MASK_XENCONS_IDX</c> applies to an index into <c>in</c>.</summary>
    [CConstant("MASK_XENCONS_IDX(0xffffffffu, ((struct xencons_interface *)0)->in)", "xen/io/console.h")]
    public const uint InIndexMask = InRingSize - 1;

    /// <summary>The mask <c>MASK_XENCONS_IDX</c> applies to an index into <c>out</c>.</summary>
    [CConstant("MASK_XENCONS_IDX(0xffffffffu, ((struct xencons_interface *)0)->out)", "xen/io/console.h")]
    public const uint OutIndexMask = OutRingSize - 1;

    /// <summary>Offset of <c>in</c>.</summary>
    public const int InOffset = 0;

    /// <summary>Offset of <c>out</c>.</summary>
    public const int OutOffset = 1024;

    /// <summary>Offset of <c>in_cons</c>.</summary>
    public const int InConsOffset = 3072;

    /// <summary>Offset of <c>in_prod</c>.</summary>
    public const int InProdOffset = 3076;

    /// <summary>Offset of <c>out_cons</c>.</summary>
    public const int OutConsOffset = 3080;

    /// <summary>Offset of <c>out_prod</c>.</summary>
    public const int OutProdOffset = 3084;

    /// <summary><c>in</c>: bytes travelling to the guest (backend produces, guest consumes).</summary>
    [CField("in")]
    [FieldOffset(InOffset)]
    public fixed byte In[InRingSize];

    /// <summary><c>out</c>: bytes travelling from the guest (guest produces, backend consumes).</summary>
    [CField("out")]
    [FieldOffset(OutOffset)]
    public fixed byte Out[OutRingSize];

    /// <summary><c>in_cons</c>: how many input bytes the guest has consumed (free-running).</summary>
    [CField("in_cons")]
    [FieldOffset(InConsOffset)]
    public uint InCons;

    /// <summary><c>in_prod</c>: how many input bytes the backend has produced (free-running).</summary>
    [CField("in_prod")]
    [FieldOffset(InProdOffset)]
    public uint InProd;

    /// <summary><c>out_cons</c>: how many output bytes the backend has consumed (free-running).</summary>
    [CField("out_cons")]
    [FieldOffset(OutConsOffset)]
    public uint OutCons;

    /// <summary><c>out_prod</c>: how many output bytes the guest has produced (free-running).</summary>
    [CField("out_prod")]
    [FieldOffset(OutProdOffset)]
    public uint OutProd;

    /// <summary><c>MASK_XENCONS_IDX(idx, in)</c>: the position in <c>in</c> of free-running index <paramref name="index"/>.</summary>
    /// <param name="index">A free-running <c>XENCONS_RING_IDX</c>.</param>
    /// <returns><paramref name="index"/> modulo <see cref="InRingSize"/>.</returns>
    public static int MaskIn(uint index) => (int)(index & InIndexMask);

    /// <summary><c>MASK_XENCONS_IDX(idx, out)</c>: the position in <c>out</c> of free-running index <paramref name="index"/>.</summary>
    /// <param name="index">A free-running <c>XENCONS_RING_IDX</c>.</param>
    /// <returns><paramref name="index"/> modulo <see cref="OutRingSize"/>.</returns>
    public static int MaskOut(uint index) => (int)(index & OutIndexMask);

    /// <summary>
    /// Copies a <c>ConsoleInterface</c> out of <paramref name="source"/> (for example guest memory) into a private value.
    /// Read shared memory once this way, then validate and use only the copy (XSA-155).
    /// </summary>
    /// <param name="source">At least <see cref="Size"/> bytes; only the first <see cref="Size"/> are read.</param>
    /// <param name="value">The copy, or <see langword="default"/> when <paramref name="source"/> is too short.</param>
    /// <returns><see langword="false"/> when <paramref name="source"/> is shorter than <see cref="Size"/>.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out ConsoleInterface value)
    {
        if (source.Length < Size)
        {
            value = default;
            return false;
        }

        // SAFETY: the struct is unmanaged with Size bytes and source holds at least Size bytes; the read is
        // unaligned-tolerant and the target is little-endian x86 like the guest.
        value = Unsafe.ReadUnaligned<ConsoleInterface>(ref MemoryMarshal.GetReference(source));
        return true;
    }

    /// <summary>Writes this value's <see cref="Size"/> bytes to the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    /// <returns><see langword="false"/> (and nothing written) when <paramref name="destination"/> is shorter than <see cref="Size"/>.</returns>
    public readonly bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        // SAFETY: destination holds at least Size bytes; the write is unaligned-tolerant.
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(destination), this);
        return true;
    }
}
