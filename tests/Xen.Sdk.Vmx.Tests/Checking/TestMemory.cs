using System;
using System.Collections.Generic;
using Xen.Sdk.Vmx.Checking;

namespace Xen.Sdk.Vmx.Tests.Checking;

/// <summary>Sparse physical memory for tests (a struct over a shared dictionary of bytes).</summary>
public readonly struct TestMemory : IPhysicalMemoryReader
{
    private readonly Dictionary<ulong, byte> _bytes;

    public TestMemory(Dictionary<ulong, byte> bytes) => _bytes = bytes;

    public bool TryRead(ulong physicalAddress, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            if (!_bytes.TryGetValue(physicalAddress + (ulong)i, out byte b))
            {
                return false;
            }

            destination[i] = b;
        }

        return true;
    }

    public void Write(ulong address, ulong value, int size)
    {
        for (int i = 0; i < size; i++)
        {
            _bytes[address + (ulong)i] = (byte)(value >> (8 * i));
        }
    }
}
