using System;
using System.Runtime.CompilerServices;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.MemoryTypes;
using Xen.Sdk.Paging.Walking;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary>The frames the page-table builders may use, in the order they hand them out (shared by every copy of
/// the frame-source struct the builder makes).</summary>
internal sealed class FramePool
{
    public ulong[] Frames = Array.Empty<ulong>();
    public int Next;
}

/// <summary>Guest-physical frames for Xen.Sdk.Paging's builders: frames below <see cref="RamSize"/> are guest RAM
/// (the pinned array the reference walker reads through <see cref="ArrayMemory"/>); frames from
/// <see cref="OutsideBase"/> live in a second pinned buffer that is NOT guest RAM, so tables placed there are
/// invisible to the reference walker (and to the oracle, which is told RAM ends at <see cref="RamSize"/>).</summary>
internal unsafe struct SplitGuestFrames : IGuestFrameSource
{
    public byte* Ram;
    public ulong RamSize;
    public byte* Outside;
    public ulong OutsideBase;
    public FramePool Pool;

    public bool TryAllocateFrame(out GuestPhysicalAddress frame)
    {
        if (Pool.Next >= Pool.Frames.Length) { frame = default; return false; }
        frame = new GuestPhysicalAddress(Pool.Frames[Pool.Next++]);
        return true;
    }

    public void FreeFrame(GuestPhysicalAddress frame) { }
    public byte* MapFrame(GuestPhysicalAddress frame) => Map(frame.Value);
    public byte* Map(ulong address) => address < RamSize ? Ram + address : Outside + (address - OutsideBase);
}

/// <summary>The same storage as host frames, for the oracle's <see cref="IdentityGuestMemory{TFrames}"/>.</summary>
internal unsafe struct OracleFrames : IPageFrameSource
{
    public SplitGuestFrames Split;
    public bool TryAllocateFrame(out HostPhysicalAddress frame) { frame = default; return false; }
    public void FreeFrame(HostPhysicalAddress frame) { }
    public byte* MapFrame(HostPhysicalAddress frame) => Split.Map(frame.Value);
}

/// <summary>A guest for the hot-path tests: RAM (pinned, read by the code under test through <see cref="ArrayMemory"/>)
/// whose upper half plus an outside-RAM buffer feed the page-table builders in a shuffled order, and the lower half
/// holds code/data pages the tests write. The oracle is Xen.Sdk.Paging's architectural walker over the same bytes,
/// with RAM bounded at <see cref="RamSize"/> (paging structures beyond it give OutsideMemory).</summary>
internal sealed unsafe class HotPathGuest
{
    public const ulong OutsideBase = 0x0800_0000;
    public readonly ulong RamSize;
    public ArrayMemory Memory;
    public SplitGuestFrames Frames;
    public IdentityGuestMemory<OracleFrames> Oracle;
    private readonly byte[] _outside;

    /// <summary>A PAT with write-back at index 6 and write-combining/write-protect at 4/5, so large leaves carry
    /// the PAT bit (bit 12), which is not an address bit.</summary>
    public static readonly PatValue HighPat = new(0x0006_0501_0007_0400UL);
    public static readonly MemoryType[] Types =
        { MemoryType.WriteBack, MemoryType.WriteCombining, MemoryType.WriteProtected, MemoryType.Uncacheable, MemoryType.WriteThrough };

    /// <param name="ramSize">Guest RAM bytes (multiple of 4 KiB).</param>
    /// <param name="seed">Shuffles the table-frame pool.</param>
    /// <param name="outsidePercent">Roughly this share of table frames lies outside guest RAM.</param>
    public HotPathGuest(int ramSize, int seed, int outsidePercent)
    {
        RamSize = (ulong)ramSize;
        Memory = ArrayMemory.Pinned(ramSize);
        _outside = GC.AllocateArray<byte>(256 * 4096, pinned: true);
        var rng = new Random(seed);
        int inRam = ramSize / 2 / 4096;
        var frames = new ulong[inRam + 256];
        int n = 0, outsideNext = 0, ramNext = 0;
        ulong[] ramFrames = new ulong[inRam];
        for (int i = 0; i < inRam; i++) ramFrames[i] = (ulong)ramSize / 2 + (ulong)i * 4096;
        rng.Shuffle(ramFrames);
        while (n < frames.Length)
        {
            bool outside = ramNext >= inRam || (outsideNext < 256 && rng.Next(100) < outsidePercent);
            if (outside && outsideNext >= 256) break;
            frames[n++] = outside ? OutsideBase + (ulong)outsideNext++ * 4096 : ramFrames[ramNext++];
        }
        Frames = new SplitGuestFrames
        {
            // SAFETY (test): both arrays are on the pinned object heap and live as long as this object.
            Ram = (byte*)Unsafe.AsPointer(ref Memory.Ram[0]),
            RamSize = RamSize,
            Outside = (byte*)Unsafe.AsPointer(ref _outside[0]),
            OutsideBase = OutsideBase,
            Pool = new FramePool { Frames = frames[..n] },
        };
        Oracle = new IdentityGuestMemory<OracleFrames>(new OracleFrames { Split = Frames }, 0, RamSize);
    }

    /// <summary>Page-aligned start of the code/data half of RAM.</summary>
    public ulong DataFrame(int index) => (ulong)index * 4096 % (RamSize / 2);

    public GuestPageTables<TFormat, SplitGuestFrames> NewTables<TFormat>(TFormat format) where TFormat : struct, IPagingFormat
    {
        GuestPageTables<TFormat, SplitGuestFrames>.Create(format, Frames, out var tables);
        return tables;
    }

    /// <summary>The oracle's translation for a supervisor read (the reference walker ignores access rights).</summary>
    public GuestWalkResult OracleWalk(in GuestPagingState state, ulong linear)
        => GuestWalker.Walk(ref Oracle, state, new GuestVirtualAddress(linear), new GuestAccess { Kind = AccessKind.Read });

    public ulong ReadEntry(ulong address, int size) =>
        size == 8 ? *(ulong*)Frames.Map(address) : *(uint*)Frames.Map(address);

    public void WriteEntry(ulong address, ulong value, int size)
    {
        if (size == 8) *(ulong*)Frames.Map(address) = value; else *(uint*)Frames.Map(address) = (uint)value;
    }

    public static PagingCapabilities Caps => CpuModels.BochsCoreI7SkylakeX; // MAXPHYADDR 40, 1 GiB pages

    /// <summary>CR0.PE | ET | WP | PG.</summary>
    public const ulong Cr0Paging = 0x8001_0011UL;

    public static (VcpuState Vcpu, GuestPagingState Paging) LongMode(ulong cr3) => (
        new VcpuState { Cr0 = Cr0Paging, Cr3 = cr3, Cr4 = 0x20, Efer = 0xD00, Mode = GuestMode.Long64 },
        new GuestPagingState { Cr0 = Cr0Paging, Cr3 = cr3, Cr4 = 0x20, Efer = 0xD00, MaxPhysicalAddressBits = 40, Pages1GiB = true });

    public static (VcpuState Vcpu, GuestPagingState Paging) Pae(ulong cr3) => (
        new VcpuState { Cr0 = Cr0Paging, Cr3 = cr3, Cr4 = 0x20, Efer = 0x800, Mode = GuestMode.Protected32 },
        new GuestPagingState { Cr0 = Cr0Paging, Cr3 = cr3, Cr4 = 0x20, Efer = 0x800, MaxPhysicalAddressBits = 40, Pages1GiB = true });

    public static (VcpuState Vcpu, GuestPagingState Paging) Legacy32(ulong cr3, bool pse) => (
        new VcpuState { Cr0 = Cr0Paging, Cr3 = cr3, Cr4 = pse ? 0x10UL : 0, Efer = 0, Mode = GuestMode.Protected32 },
        new GuestPagingState { Cr0 = Cr0Paging, Cr3 = cr3, Cr4 = pse ? 0x10UL : 0, Efer = 0, MaxPhysicalAddressBits = 40, Pages1GiB = true });

    /// <summary>FsCheck sizes its integers (small values first): the tests slice bit fields out of generated words,
    /// so each word is scrambled first (the SplitMix64 finaliser, a bijection) to spread its bits.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Sign-extends a 48-bit linear address (canonical form, Intel SDM Vol. 3A §3.3.7.1).</summary>
    public static ulong Canonical(ulong va) => (ulong)((long)(va << 16) >> 16);
}
