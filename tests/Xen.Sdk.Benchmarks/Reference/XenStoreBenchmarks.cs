using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Reference.Services;

namespace Xen.Sdk.Benchmarks.Reference;

/// <summary>
/// The in-kernel xenstored's request handling (<see cref="XenStoreServer.Handle(XenStoreMessageType, uint, ReadOnlySpan{byte}, Span{byte}, out int)"/>,
/// without the ring): a read, a write, and whole transactions (start, one request, commit). A transaction copies the
/// tree twice at its start and twice at its commit (2 × 13,824 bytes each time): this shows what that costs next to a
/// plain request. No target; zero allocations expected. Run:
/// <c>./build.sh bench --filter '*XenStoreBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public unsafe class XenStoreBenchmarks
{
    private byte* _memory;
    private XenDomain _xen;
    private readonly byte[] _reply = new byte[512];
    private static readonly byte[] ReadName = "name\0"u8.ToArray();
    private static readonly byte[] WriteA = "data/a\0value"u8.ToArray();
    private static readonly byte[] Empty = "\0"u8.ToArray();
    private static readonly byte[] Commit = "T\0"u8.ToArray();

    [GlobalSetup]
    public void Setup()
    {
        _memory = (byte*)NativeMemory.AllocZeroed((nuint)XenDomain.MemorySize + 2 * 4096);
        if (!_xen.Initialize(_memory, _memory + XenDomain.MemorySize, 0xFE, _memory + XenDomain.MemorySize + 4096, 0xFF, "bench"u8))
            throw new InvalidOperationException("XenDomain.Initialize failed");
        _xen.Store.Handle(XenStoreMessageType.Write, 0, WriteA, _reply, out _);
    }

    [GlobalCleanup]
    public void Cleanup() => NativeMemory.Free(_memory);

    [Benchmark(Baseline = true)]
    public int Read() => (int)_xen.Store.Handle(XenStoreMessageType.Read, 0, ReadName, _reply, out _);

    [Benchmark]
    public int Write() => (int)_xen.Store.Handle(XenStoreMessageType.Write, 0, WriteA, _reply, out _);

    [Benchmark]
    public int TransactionWithOneWrite()
    {
        _xen.Store.Handle(XenStoreMessageType.TransactionStart, 0, Empty, _reply, out _);
        uint id = Id();
        _xen.Store.Handle(XenStoreMessageType.Write, id, WriteA, _reply, out _);
        return (int)_xen.Store.Handle(XenStoreMessageType.TransactionEnd, id, Commit, _reply, out _);
    }

    [Benchmark]
    public int TransactionWithOneRead()
    {
        _xen.Store.Handle(XenStoreMessageType.TransactionStart, 0, Empty, _reply, out _);
        uint id = Id();
        _xen.Store.Handle(XenStoreMessageType.Read, id, ReadName, _reply, out _);
        return (int)_xen.Store.Handle(XenStoreMessageType.TransactionEnd, id, Commit, _reply, out _);
    }

    // The decimal id the start just wrote into the reply.
    private uint Id()
    {
        uint id = 0;
        for (int i = 0; i < _reply.Length && _reply[i] != 0; i++) id = id * 10 + (uint)(_reply[i] - '0');
        return id;
    }
}
