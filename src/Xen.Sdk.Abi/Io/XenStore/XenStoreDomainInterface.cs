using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// <c>struct xenstore_domain_interface</c>: the XenStore page shared between a domain and the XenStore
/// daemon (xen/io/xs_wire.h). Two byte rings of <see cref="XenStore.RingSize"/> bytes: <see cref="Req"/>
/// (guest produces requests, daemon consumes) and <see cref="Rsp"/> (daemon produces replies and watch
/// events, guest consumes). Identical for 64-bit and 32-bit guests.
/// </summary>
/// <remarks>
/// Indices (<c>XENSTORE_RING_IDX</c>, a <c>uint32_t</c>) run freely and wrap at 2^32; a byte lives at
/// <c>MASK_XENSTORE_IDX(idx)</c> = <c>idx &amp; (XENSTORE_RING_SIZE - 1)</c> (<see cref="XenStore.MaskIndex"/>).
/// Layout: <c>req</c> at 0, <c>rsp</c> at 1024, then <c>req_cons</c>, <c>req_prod</c>, <c>rsp_cons</c>,
/// <c>rsp_prod</c>, <c>server_features</c>, <c>connection</c>, <c>error</c> at 2048..2075; 2076 bytes.
/// </remarks>
[CType("struct xenstore_domain_interface", "xen/io/xs_wire.h")]
[StructLayout(LayoutKind.Explicit, Size = Size)]
public unsafe struct XenStoreDomainInterface
{
    /// <summary><c>sizeof(struct xenstore_domain_interface)</c>.</summary>
    public const int Size = 2076;

    /// <summary><c>_Alignof</c> of the C type (the same for x86_64 and x86_32).</summary>
    public const int Alignment = 4;

    /// <summary>Offset of <c>req</c>.</summary>
    public const int ReqOffset = 0;

    /// <summary>Offset of <c>rsp</c>.</summary>
    public const int RspOffset = 1024;

    /// <summary>Offset of <c>req_cons</c>.</summary>
    public const int ReqConsOffset = 2048;

    /// <summary>Offset of <c>req_prod</c>.</summary>
    public const int ReqProdOffset = 2052;

    /// <summary>Offset of <c>rsp_cons</c>.</summary>
    public const int RspConsOffset = 2056;

    /// <summary>Offset of <c>rsp_prod</c>.</summary>
    public const int RspProdOffset = 2060;

    /// <summary>Offset of <c>server_features</c>.</summary>
    public const int ServerFeaturesOffset = 2064;

    /// <summary>Offset of <c>connection</c>.</summary>
    public const int ConnectionOffset = 2068;

    /// <summary>Offset of <c>error</c>.</summary>
    public const int ErrorOffset = 2072;

    /// <summary><c>req</c>: requests to the XenStore daemon.</summary>
    [CField("req")]
    [FieldOffset(ReqOffset)]
    public fixed byte Req[XenStore.RingSize];

    /// <summary><c>rsp</c>: replies and asynchronous watch events from the daemon.</summary>
    [CField("rsp")]
    [FieldOffset(RspOffset)]
    public fixed byte Rsp[XenStore.RingSize];

    /// <summary><c>req_cons</c>: request bytes the daemon has consumed (free-running).</summary>
    [CField("req_cons")]
    [FieldOffset(ReqConsOffset)]
    public uint ReqCons;

    /// <summary><c>req_prod</c>: request bytes the guest has produced (free-running).</summary>
    [CField("req_prod")]
    [FieldOffset(ReqProdOffset)]
    public uint ReqProd;

    /// <summary><c>rsp_cons</c>: reply bytes the guest has consumed (free-running).</summary>
    [CField("rsp_cons")]
    [FieldOffset(RspConsOffset)]
    public uint RspCons;

    /// <summary><c>rsp_prod</c>: reply bytes the daemon has produced (free-running).</summary>
    [CField("rsp_prod")]
    [FieldOffset(RspProdOffset)]
    public uint RspProd;

    /// <summary><c>server_features</c>: features the server supports.</summary>
    [CField("server_features")]
    [FieldOffset(ServerFeaturesOffset)]
    public uint ServerFeatures;

    /// <summary><c>connection</c>: connection state (written by the guest to request a reconnect).</summary>
    [CField("connection")]
    [FieldOffset(ConnectionOffset)]
    public uint Connection;

    /// <summary><c>error</c>: why the server considers the ring broken (valid with <see cref="XenStoreServerFeatures.Error"/>); see <see cref="RingError"/>.</summary>
    [CField("error")]
    [FieldOffset(ErrorOffset)]
    public uint Error;

    /// <summary><see cref="ServerFeatures"/> as flags.</summary>
    public XenStoreServerFeatures Features
    {
        readonly get => (XenStoreServerFeatures)ServerFeatures;
        set => ServerFeatures = (uint)value;
    }

    /// <summary><see cref="Connection"/> as a <see cref="XenStoreConnection"/>.</summary>
    public XenStoreConnection ConnectionState
    {
        readonly get => (XenStoreConnection)Connection;
        set => Connection = (uint)value;
    }

    /// <summary><see cref="Error"/> as a <see cref="XenStoreRingError"/>.</summary>
    public XenStoreRingError RingError
    {
        readonly get => (XenStoreRingError)Error;
        set => Error = (uint)value;
    }

    /// <summary>
    /// Copies a <c>XenStoreDomainInterface</c> out of <paramref name="source"/> (for example guest memory) into a private value.
    /// Read shared memory once this way, then validate and use only the copy (XSA-155).
    /// </summary>
    /// <param name="source">At least <see cref="Size"/> bytes; only the first <see cref="Size"/> are read.</param>
    /// <param name="value">The copy, or <see langword="default"/> when <paramref name="source"/> is too short.</param>
    /// <returns><see langword="false"/> when <paramref name="source"/> is shorter than <see cref="Size"/>.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out XenStoreDomainInterface value)
    {
        if (source.Length < Size)
        {
            value = default;
            return false;
        }

        // SAFETY: the struct is unmanaged with Size bytes and source holds at least Size bytes; the read is
        // unaligned-tolerant and the target is little-endian x86 like the guest.
        value = Unsafe.ReadUnaligned<XenStoreDomainInterface>(ref MemoryMarshal.GetReference(source));
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
