using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Abi.Metadata;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Io;

/// <summary>The example of docs/abi-io.md, kept compiling and true.</summary>
public sealed class DocExampleTests
{
    [Fact]
    public void BackendServesA32BitFrontend()
    {
        // --- docs/abi-io.md example begins ---
        byte[] ringPage = new byte[4096];                 // the granted blkif_sring page, mapped by the backend
        XenArchitectures abi = XenArchitectures.X86_32;   // from the frontend's "protocol" node: IoProtocols.TryParse

        // (what a 32-bit frontend would have put in slot 0)
        var sent = new BlkifRequest32 { Operation = Blkif.OpRead, NrSegments = 1, Handle = 0x300, Id = 7, SectorNumber = 2048 };
        sent.Seg[0] = new BlkifRequestSegment { Gref = new GrantRef(12), FirstSect = 0, LastSect = 7 };
        Blkif.TryGetSlot(ringPage, 0, abi, out System.Span<byte> slot);
        sent.TryWrite(slot);

        // Backend: read the request ONCE into a private copy, then validate and use only the copy (XSA-155).
        if (Blkif.TryReadRequest(ringPage, 0, abi, out BlkifRequest64 request)
            && request.NrSegments is > 0 and <= Blkif.MaxSegmentsPerRequest)
        {
            for (int i = 0; i < request.NrSegments; i++)
            {
                BlkifRequestSegment segment = request.Seg[i];
                // ... map segment.Gref, transfer sectors FirstSect..LastSect ...
                Assert.Equal(12u, segment.Gref.Value);
            }

            Blkif.TryWriteResponse(ringPage, 0, abi, request.Id, request.Operation, Blkif.RspOkay);
        }

        // --- docs/abi-io.md example ends ---
        Assert.True(BlkifResponse32.TryRead(slot, out BlkifResponse32 response));
        Assert.Equal((7ul, (byte)Blkif.OpRead, (short)Blkif.RspOkay), (response.Id, response.Operation, response.Status));
    }
}
