using Xen.Sdk.Abi.Io;

namespace Xen.Sdk.Rings.XenStore;

/// <summary>
/// The XenStore page (<c>struct xenstore_domain_interface</c>, xen/include/public/io/xs_wire.h) as two
/// 1024-byte rings: <c>req</c> (client to server) and <c>rsp</c> (server to client: replies and watch events).
/// </summary>
public static unsafe class XenStoreRing
{
    /// <summary>Client (guest) side: a writer for <c>req</c> from <c>req_prod</c>, a reader for <c>rsp</c> from <c>rsp_cons</c>.</summary>
    public static bool TryAttachClient(XenStoreDomainInterface* page, out ByteRingWriter requests, out ByteRingReader responses)
    {
        requests = default;
        responses = default;
        if (page == null) return false;
        byte* p = (byte*)page;
        return ByteRingWriter.TryCreate(p + XenStoreDomainInterface.ReqOffset, Abi.Io.XenStore.RingSize,
                   (uint*)(p + XenStoreDomainInterface.ReqConsOffset), (uint*)(p + XenStoreDomainInterface.ReqProdOffset), page->ReqProd, out requests)
            && ByteRingReader.TryCreate(p + XenStoreDomainInterface.RspOffset, Abi.Io.XenStore.RingSize,
                   (uint*)(p + XenStoreDomainInterface.RspConsOffset), (uint*)(p + XenStoreDomainInterface.RspProdOffset), page->RspCons, out responses);
    }

    /// <summary>Server (daemon) side: a reader for <c>req</c> from <c>req_cons</c>, a writer for <c>rsp</c> from <c>rsp_prod</c>.</summary>
    public static bool TryAttachServer(XenStoreDomainInterface* page, out ByteRingReader requests, out ByteRingWriter responses)
    {
        requests = default;
        responses = default;
        if (page == null) return false;
        byte* p = (byte*)page;
        return ByteRingReader.TryCreate(p + XenStoreDomainInterface.ReqOffset, Abi.Io.XenStore.RingSize,
                   (uint*)(p + XenStoreDomainInterface.ReqConsOffset), (uint*)(p + XenStoreDomainInterface.ReqProdOffset), page->ReqCons, out requests)
            && ByteRingWriter.TryCreate(p + XenStoreDomainInterface.RspOffset, Abi.Io.XenStore.RingSize,
                   (uint*)(p + XenStoreDomainInterface.RspConsOffset), (uint*)(p + XenStoreDomainInterface.RspProdOffset), page->RspProd, out responses);
    }
}
