using System;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.EventChannel;
using Xen.Sdk.Abi.GrantTable;
using Xen.Sdk.Abi.Hypercalls;
using Xunit;

namespace Xen.Sdk.Abi.Tests;

/// <summary>The example of docs/abi.md, verbatim, so the documented code compiles and runs.</summary>
public sealed class DocExampleTests
{
    [Fact]
    public void TheDocumentedExampleRuns()
    {
        var output = new System.IO.StringWriter();
        var saved = Console.Out;
        Console.SetOut(output);
        try
        {

            // Guest side: marshal HYPERVISOR_event_channel_op(EVTCHNOP_send, &send) for a 64-bit guest.
            var send = new EvtchnSend { Port = new EventChannelPort(3) };
            Span<byte> argPage = stackalloc byte[EvtchnSend.Size];
            send.TryWrite(argPage);                                    // at guest-virtual address argVa
            ulong argVa = 0xffff8000_0010_2000;
            var regs = HypercallRegisters64.From(new HypercallArguments(
                Hypercall.EventChannelOp, (ulong)EventChannelOp.Send, argVa));
            // regs.Rax == 32, regs.Rdi == 4, regs.Rsi == argVa: load them and call hypercall_page + 32 * 32.

            // Hypervisor side: decode, look the call up, copy the argument ONCE, then validate the copy.
            var call = regs.ToArguments();
            if (HypercallSignatures.TryGetX86_64(call.Number, out var sig)
                && sig.GetArgumentKind(2) == HypercallArgumentKind.GuestHandle
                && EvtchnSend.TryRead(argPage, out var copy))           // argPage = the guest bytes at call.Arg2
            {
                Console.Out.WriteLine($"send on port {copy.Port.Value}");
            }

            // A grant-table entry written by a guest, read with the double-fetch rule.
            ReadOnlySpan<byte> shared = new byte[] { 0x05, 0x00, 0x01, 0x00, 0x78, 0x56, 0x34, 0x12 };
            if (GrantEntryV1.TryRead(shared, out var entry)
                && (entry.Flags & (ushort)GrantEntryFlags.TypeMask) == (ushort)GrantEntryFlags.PermitAccess)
            {
                Console.Out.WriteLine($"dom{entry.Domid.Value} may map frame {entry.Frame:x}");
            }
        }
        finally
        {
            Console.SetOut(saved);
        }

        Assert.Contains("send on port 3", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("dom1 may map frame 12345678", output.ToString(), StringComparison.Ordinal);
    }
}
