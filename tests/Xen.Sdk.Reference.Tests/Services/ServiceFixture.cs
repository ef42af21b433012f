using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Xen.Sdk.Abi;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Reference.Services;
using Xen.Sdk.Reference.Tests.Dispatch;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Services;

/// <summary>What the Xen-services test classes share: the dispatcher over 1 MiB of fake guest RAM with the domain's Xen
/// services initialised over private memory, a 64-bit vCPU state, and a hypercall made the way the kernel's exit path
/// makes it (a VMMCALL exit of length 3 through <see cref="ExitDispatcher{TMemory,TConsole,THost,TExtension}.Dispatch"/>).</summary>
public abstract unsafe class ServiceFixture : IDisposable
{
    protected const int RamSize = 0x100000;
    /// <summary>Where hypercall argument structures are placed, the shared_info frame, the XenStore and console frames.</summary>
    protected const ulong Arg = 0x2000, SharedGfn = 0x40, StorePfn = 0xFE, ConsolePfn = 0xFF;

    protected readonly byte* _serviceMemory = (byte*)NativeMemory.AllocZeroed((nuint)XenDomain.MemorySize);
    protected ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension> _d;
    protected VcpuState _s;
    /// <summary>What the guest wrote to its console.</summary>
    protected readonly StringBuilder _console = new();

    protected ServiceFixture(string domainName, ulong rflags = 2) => Start(domainName, rflags);

    /// <summary>A fresh guest: new RAM, zeroed service memory, the services initialised, RIP 1000h, RFLAGS as given.</summary>
    protected void Start(string domainName, ulong rflags)
    {
        _s = new() { PendingVector = -1, Mode = GuestMode.Long64, Rip = 0x1000, Rflags = rflags };
        _d = new ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension>(
            ArrayMemory.Pinned(RamSize), new TextConsole { Text = _console }, new FixedCpu(), new NoExtension(), HypercallInstruction.Vmmcall);
        new Span<byte>(_serviceMemory, XenDomain.MemorySize).Clear();
        Assert.True(_d.Xen.Initialize(_serviceMemory, _d.Memory.TryMapPage(StorePfn << 12), StorePfn,
            _d.Memory.TryMapPage(ConsolePfn << 12), ConsolePfn, Encoding.ASCII.GetBytes(domainName)));
    }

    public void Dispose()
    {
        NativeMemory.Free(_serviceMemory);
        GC.SuppressFinalize(this);
    }

    protected Span<byte> Ram => _d.Memory.Ram;

    /// <summary>A hypercall that must resume the guest; returns RAX. The arguments go in both conventions: RDI, RSI, RDX
    /// (64-bit) and EBX, ECX, EDX (32-bit).</summary>
    protected long Call(int hypercall, ulong a0, ulong a1, ulong a2 = 0)
    {
        _s.Exit = default;
        _s.Exit.Reason = ExitReason.Hypercall;
        _s.Exit.InstructionLength = 3;
        _s.Gprs.Rax = (ulong)hypercall; _s.Gprs.Rdi = a0; _s.Gprs.Rsi = a1; _s.Gprs.Rdx = a2;
        _s.Gprs.Rbx = a0; _s.Gprs.Rcx = a1;
        Assert.Equal(ExitAction.Resume, _d.Dispatch(ref _s));
        return (long)_s.Gprs.Rax;
    }

    /// <summary>EVTCHNOP <paramref name="cmd"/> with its argument structure given as dwords at <see cref="Arg"/>.</summary>
    protected long Evtchn(int cmd, params uint[] dwords)
    {
        Ram.Slice((int)Arg, 24).Clear();
        for (int i = 0; i < dwords.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(Ram.Slice((int)Arg + i * 4), dwords[i]);
        return Call(32, (ulong)cmd, Arg);
    }

    /// <summary>Dword <paramref name="index"/> of the argument structure (what a hypercall wrote back).</summary>
    protected uint ArgDword(int index) => BinaryPrimitives.ReadUInt32LittleEndian(Ram.Slice((int)Arg + index * 4));

    /// <summary>HVM_PARAM_CALLBACK_IRQ = vector F3h (type 2 in bits 63:56), then XENMEM_add_to_physmap of shared_info
    /// (space 0, index 0) at <see cref="SharedGfn"/>.</summary>
    protected void MapSharedInfo()
    {
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg), DomainIds.Self);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 8), (2UL << 56) | 0xF3);
        Assert.Equal(0, Call(34, 0, Arg));
        Ram.Slice((int)Arg, 24).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(Ram.Slice((int)Arg), DomainIds.Self);
        BinaryPrimitives.WriteUInt64LittleEndian(Ram.Slice((int)Arg + 16), SharedGfn);
        Assert.Equal(0, Call(12, 7, Arg));
    }
}
