using System;
using System.Buffers.Binary;

namespace Xen.Sdk.Reference.Hypercalls;

/// <summary>Which instruction the guest uses to call the hypervisor.</summary>
public enum HypercallInstruction : byte
{
    /// <summary>AMD <c>VMMCALL</c> (0F 01 D9).</summary>
    Vmmcall,
    /// <summary>Intel <c>VMCALL</c> (0F 01 C1).</summary>
    Vmcall,
}

/// <summary>The hypercall page Xen writes into an HVM guest when it writes the hypercall MSR: 128 stubs of 32 bytes,
/// stub <c>i</c> = <c>mov eax, i; vmmcall|vmcall; ret</c>, so a guest calls hypercall <c>i</c> at page + 32*i
/// without knowing the vendor (xen/include/public/arch-x86/cpuid.h, leaf 0x40000002).</summary>
public static class HypercallPage
{
    /// <summary>Bytes per stub.</summary>
    public const int StubSize = 32;

    /// <summary>Fills a 4 KiB page. Returns false when <paramref name="page"/> is shorter than 4096 bytes.</summary>
    public static bool TryWrite(Span<byte> page, HypercallInstruction instruction)
    {
        if (page.Length < 4096) return false;
        page.Slice(0, 4096).Fill(0xCC);
        for (int i = 0; i < 4096 / StubSize; i++)
        {
            Span<byte> stub = page.Slice(i * StubSize, StubSize);
            stub[0] = 0xB8;                                     // mov eax, imm32
            BinaryPrimitives.WriteInt32LittleEndian(stub.Slice(1), i);
            stub[5] = 0x0F;
            stub[6] = 0x01;
            stub[7] = instruction == HypercallInstruction.Vmmcall ? (byte)0xD9 : (byte)0xC1;
            stub[8] = 0xC3;                                     // ret
        }
        return true;
    }
}
