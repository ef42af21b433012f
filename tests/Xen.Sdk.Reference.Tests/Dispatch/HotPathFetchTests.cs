using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Walking;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary>Scenarios shared by the fetch tests: random code bytes at CS:RIP in every paging mode, with the code near
/// the end of its page (or large page) and the next page mapped elsewhere, unmapped, or mapped outside guest RAM.
/// The expected bytes are read, byte by byte, at the guest-physical addresses Xen.Sdk.Paging's architectural walker
/// gives for linear, linear+1, ... (up to 15, stopping at the first byte that does not translate to guest RAM).</summary>
internal static class FetchScenario
{
    public const ulong K4 = 0x1000, M2 = 0x20_0000, M4 = 0x40_0000, G1 = 0x4000_0000;
    public const int RamSize = 8 << 20;   // data half [0, 4 MiB), table frames above

    public enum Mode { Long64, Compatibility, Pae, Legacy32, Real16, Protected32NoPaging }

    /// <summary>A built scenario: the guest, its vCPU state and the oracle's paging state.</summary>
    public sealed class Built
    {
        public HotPathGuest Guest = null!;
        public VcpuState Vcpu;
        public GuestPagingState Paging;
        public ulong Linear;
        public bool Long64;
        /// <summary>Random code bytes go below this guest-physical address (above it: table frames).</summary>
        public ulong WritableLimit;
        /// <summary>The table root and the code page's linear base (paging modes), for mutations.</summary>
        public ulong Root, CodePageBase;
    }

    public static Built Build(Mode mode, ulong s1, ulong s2, int seed, int outsidePercent = 0)
    {
        var rng = new Random(seed);
        s1 = HotPathGuest.Mix(s1 ^ HotPathGuest.Mix((ulong)(uint)seed));
        s2 = HotPathGuest.Mix(s2 ^ HotPathGuest.Mix((ulong)(uint)seed + 0x5555));
        var b = new Built { Guest = new HotPathGuest(mode >= Mode.Real16 ? 1 << 20 : RamSize, seed, outsidePercent), Long64 = mode == Mode.Long64 };
        var g = b.Guest;
        int k = 1 + (int)(s2 % 16);                 // bytes left on the page: 1..16
        bool nearEnd = (s2 & 0x10) == 0;
        if (mode == Mode.Real16)
        {
            ulong sel = (s1 & 3) == 0 ? 0xFF00 + ((s1 >> 2) & 0xFF) : (s1 >> 2) & 0xFFFF;
            ulong ip = (s1 >> 20) & 0xFFF0;
            if (nearEnd)
            {
                ip = ((0x1000UL - (ulong)k - sel * 16) & 0xFFF) | (ip & 0xF000);   // k bytes left on the linear page
                if (ip > 0xFFF0) ip -= 0x1000;
            }
            b.Vcpu = new VcpuState { Cr0 = 0x10, CsBase = sel * 16, Rip = ip, Mode = GuestMode.Real16 };
            b.Paging = new GuestPagingState { Cr0 = 0x10, MaxPhysicalAddressBits = 40 };
            b.Linear = sel * 16 + ip;
        }
        else if (mode == Mode.Protected32NoPaging)
        {
            // Near the end of RAM, of a page in RAM, or of the 4 GiB linear space (the next byte wraps to linear 0).
            ulong target = !nearEnd ? (s1 >> 1) & 0xFFFF_FFFF
                : ((s1 & 3) == 0 ? 0x1_0000_0000UL : (s1 & 3) == 1 ? g.RamSize : ((s1 >> 2) % g.RamSize & ~0xFFFUL) + K4) - (ulong)k;
            ulong csBase = (s1 >> 32) & 0xFFFF_FFFF;
            ulong eip = (target - csBase) & 0xFFFF_FFFF;
            b.Vcpu = new VcpuState { Cr0 = 0x11, CsBase = csBase, Rip = eip, Mode = GuestMode.Protected32 };
            b.Paging = new GuestPagingState { Cr0 = 0x11, MaxPhysicalAddressBits = 40 };
            b.Linear = target & 0xFFFF_FFFF;
        }
        else
        {
            ulong[] sizes = mode switch
            {
                Mode.Long64 => new[] { K4, K4, M2, G1 },
                Mode.Compatibility => new[] { K4, K4, M2, G1 },
                Mode.Pae => new[] { K4, K4, M2 },
                _ => new[] { K4, K4, M4 },
            };
            ulong size = sizes[(int)(s1 % (ulong)sizes.Length)];
            ulong va0 = mode switch
            {
                Mode.Long64 => new ulong[] { 0, 1, 256, 300 }[(s1 >> 2) & 3] << 39 | ((s1 >> 4) & 511) << 30 | ((s1 >> 13) & 511) << 21 | ((s1 >> 22) & 511) << 12,
                _ => ((s1 >> 4) & 3) << 30 | ((s1 >> 13) & 511) << 21 | ((s1 >> 22) & 511) << 12,
            };
            va0 = HotPathGuest.Canonical(va0 & ~(size - 1));
            if (mode != Mode.Long64 && va0 + size > 0xFFFF_F000) va0 -= size;   // keep the next page below 4 GiB
            ulong pa0 = size == K4 ? (ulong)rng.Next(1, 1024) * K4 : size == M2 ? (s1 & 0x1_0000_0000) != 0 ? M2 : 0 : 0;
            ulong offset = nearEnd && size <= M4 ? size - (ulong)k : (s1 >> 40) % Math.Min(size, (4UL << 20) - 16);
            if (size == M4 && !nearEnd) offset &= 0x3F_FFFF;
            int nextKind = new[] { 0, 0, 1, 2 }[(s2 >> 5) & 3];   // 0: another RAM frame, 1: unmapped, 2: mapped outside guest RAM
            bool mapFirst = (s2 & 0x300) != 0;       // a quarter of the cases: the code page itself is not mapped
            ulong nextFrame = nextKind == 0 ? (ulong)rng.Next(1, 1024) * K4 : 0x1_2345_6000UL & 0xFFFF_F000;
            if (mode == Mode.Legacy32 && nextKind == 2) nextFrame = 0x8000_0000;
            ulong root = mode switch
            {
                Mode.Long64 or Mode.Compatibility => Map(g, new LongModeFormat(HotPathGuest.Caps, 4, true, HotPathGuest.HighPat), va0, size, pa0, mapFirst, nextKind, nextFrame),
                Mode.Pae => Map(g, new PaeFormat(HotPathGuest.Caps, true, HotPathGuest.HighPat), va0, size, pa0, mapFirst, nextKind, nextFrame),
                _ => Map(g, new Legacy32Format(HotPathGuest.Caps, true, HotPathGuest.HighPat), va0, size, pa0, mapFirst, nextKind, nextFrame),
            };
            b.Root = root;
            ulong linear = va0 + offset;
            b.CodePageBase = linear & ~0xFFFUL;
            (b.Vcpu, b.Paging) = mode switch
            {
                Mode.Long64 or Mode.Compatibility => HotPathGuest.LongMode(root),
                Mode.Pae => HotPathGuest.Pae(root),
                _ => HotPathGuest.Legacy32(root, pse: true),
            };
            if (mode == Mode.Long64)
            {
                b.Vcpu.Rip = linear;
                b.Vcpu.CsBase = (s2 >> 32) & 0xFFFF_F000;   // ignored in 64-bit mode
            }
            else
            {
                // Compatibility mode keeps CS base + EIP below 4 GiB (no wrap); legacy modes wrap modulo 2^32.
                ulong csBase = mode == Mode.Compatibility ? ((s2 >> 32) & 0xFFFF_FFFF) % (linear + 1) : (s2 >> 32) & 0xFFFF_FFFF;
                b.Vcpu.CsBase = csBase;
                b.Vcpu.Rip = (linear - csBase) & 0xFFFF_FFFF;
                b.Vcpu.Mode = GuestMode.Protected32;
            }
            b.Linear = linear;
        }
        b.WritableLimit = mode >= Mode.Real16 ? g.RamSize : g.RamSize / 2;
        WriteRandomCode(b, rng);
        return b;
    }

    private static ulong Map<TFormat>(HotPathGuest g, TFormat format, ulong va0, ulong size, ulong pa0, bool mapFirst, int nextKind, ulong nextFrame)
        where TFormat : struct, IPagingFormat
    {
        var t = g.NewTables(format);
        var rwx = PageAttributes.ReadWriteExecute;
        PageSize ps = size == K4 ? PageSize.Size4KiB : size == G1 ? PageSize.Size1GiB : PageSize.Size2MiB;
        if (mapFirst) Assert.Equal(PagingStatus.Ok, t.Map(new GuestVirtualAddress(va0), new GuestPhysicalAddress(pa0), size, rwx, ps));
        if (nextKind != 1) Assert.Equal(PagingStatus.Ok, t.Map(new GuestVirtualAddress(va0 + size), new GuestPhysicalAddress(nextFrame), K4, rwx, PageSize.Size4KiB));
        // A decoy mapping right before the code page's mapping, so neighbouring entries are present too.
        t.Map(new GuestVirtualAddress(va0 - K4), new GuestPhysicalAddress(0x1000), K4, rwx, PageSize.Size4KiB);
        return t.Root.Value;
    }

    /// <summary>Random bytes at every guest-physical byte the fetch may read (the oracle's translations).</summary>
    public static void WriteRandomCode(Built b, Random rng)
    {
        for (int i = 0; i < 16; i++)
            if (TryOracle(b, i, out ulong gpa) && gpa < b.WritableLimit) b.Guest.Memory.Ram[gpa] = (byte)rng.Next(256);
    }

    public static bool TryOracle(Built b, int i, out ulong gpa)
    {
        ulong a = b.Long64 ? b.Linear + (ulong)i : (b.Linear + (ulong)i) & 0xFFFF_FFFF;
        GuestWalkResult r = b.Guest.OracleWalk(b.Paging, a);
        gpa = r.GuestAddress.Value;
        return r.IsOk && gpa < b.Guest.RamSize;
    }

    /// <summary>The bytes an instruction fetch must return, by the oracle.</summary>
    public static byte[] Expected(Built b)
    {
        var bytes = new byte[15];
        int n = 0;
        while (n < 15 && TryOracle(b, n, out ulong gpa)) bytes[n++] = b.Guest.Memory.Ram[gpa];
        return bytes[..n];
    }

    public static byte[] Fetched(int count, in InstructionBytes code)
    {
        var buffer = new byte[16];
        Assert.Equal(count, code.Length);
        return code.CopyTo(buffer).ToArray();
    }
}

/// <summary><see cref="GuestPageWalker.FetchInstruction{TMemory}(ref TMemory, in VcpuState, ref InstructionBytes)"/>:
/// the bytes fetched at CS:RIP equal the bytes at the oracle's translations of each linear address, in 4-level long
/// mode, compatibility mode, PAE, 32-bit paging, real mode and protected mode without paging; with the code in the last
/// 1-16 bytes of a page whose successor is mapped elsewhere (15 bytes, from two frames), unmapped or outside guest RAM
/// (fewer bytes), and with the code page itself unmapped (0 bytes).</summary>
public sealed class HotPathFetchTests
{
    [Property(MaxTest = 200)]
    public Property FetchEqualsTheBytesAtTheOraclesTranslations(byte modeIndex, ulong s1, ulong s2, int seed)
    {
        var mode = (FetchScenario.Mode)(modeIndex % 6);
        var b = FetchScenario.Build(mode, s1, s2, seed);
        byte[] expected = FetchScenario.Expected(b);
        var code = new InstructionBytes();
        int count = GuestPageWalker.FetchInstruction(ref b.Guest.Memory, b.Vcpu, ref code);
        byte[] got = FetchScenario.Fetched(count, code);
        int onFirstPage = (int)Math.Min(15UL, 0x1000 - (b.Linear & 0xFFF));
        return got.AsSpan().SequenceEqual(expected)
            .Label($"{mode} linear {b.Linear:X}: fetched {Convert.ToHexString(got)}, expected {Convert.ToHexString(expected)}")
            .Classify(expected.Length == 15 && onFirstPage < 15, "15 bytes across two pages")
            .Classify(expected.Length > 0 && expected.Length < 15, "fewer: next page missing")
            .Classify(expected.Length == 0, "nothing mapped")
            .Classify(true, mode.ToString());
    }

    /// <summary>Fixed vectors for the page-crossing split: 32-bit paging, the code's page and its successor mapped to
    /// non-adjacent frames; for every k = 1..15 bytes left on the first page the fetch returns the k bytes from the
    /// first frame's end and 15 - k from the second frame's start; with the successor unmapped, exactly k bytes.</summary>
    [Fact]
    public void CrossingSplitsAtThePageBoundary()
    {
        var g = new HotPathGuest(1 << 20, 3, 0);
        var t = g.NewTables(new Legacy32Format(HotPathGuest.Caps, pse: true));
        t.Map(new GuestVirtualAddress(0x40_0000), new GuestPhysicalAddress(0x5000), 0x1000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
        t.Map(new GuestVirtualAddress(0x40_1000), new GuestPhysicalAddress(0x2000), 0x1000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
        for (int i = 0; i < 0x1000; i++) { g.Memory.Ram[0x5000 + i] = (byte)i; g.Memory.Ram[0x2000 + i] = (byte)(0x80 + i); }
        var (vcpu, _) = HotPathGuest.Legacy32(t.Root.Value, pse: true);
        for (int k = 1; k <= 15; k++)
        {
            vcpu.Rip = 0x40_1000UL - (ulong)k;
            var code = new InstructionBytes();
            Assert.Equal(15, GuestPageWalker.FetchInstruction(ref g.Memory, vcpu, ref code));
            byte[] got = FetchScenario.Fetched(15, code);
            for (int i = 0; i < 15; i++) Assert.Equal(i < k ? (byte)(0x1000 - k + i) : (byte)(0x80 + i - k), got[i]);
        }
        t.Unmap(new GuestVirtualAddress(0x40_1000), 0x1000);
        for (int k = 1; k <= 16; k++)
        {
            vcpu.Rip = 0x40_1000UL - (ulong)k;
            var code = new InstructionBytes();
            Assert.Equal(Math.Min(k, 15), GuestPageWalker.FetchInstruction(ref g.Memory, vcpu, ref code));
        }
    }

    /// <summary>Compatibility mode (EFER.LMA with CS.L clear) uses the segmentation of 32-bit protected mode: with 32-bit
    /// addressing the largest linear address is FFFFFFFFh, so CS base + EIP wraps modulo 2^32 (Intel SDM Vol. 1 §3.3.4,
    /// §3.3.5), though the 4-level tables could map linear addresses above 4 GiB. Here the wrapped address (linear 10h)
    /// is mapped and the unwrapped one (1_0000_0010h) maps other bytes. Fails on c6c6b76: FetchInstruction forms
    /// CS base + EIP without truncating it to 32 bits and walks 1_0000_0010h.</summary>
    [Fact]
    public void CompatibilityModeCsBasePlusEipWrapsAt4GiB()
    {
        var g = new HotPathGuest(1 << 20, 4, 0);
        var t = g.NewTables(new LongModeFormat(HotPathGuest.Caps));
        t.Map(new GuestVirtualAddress(0), new GuestPhysicalAddress(0x5000), 0x1000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
        t.Map(new GuestVirtualAddress(0x1_0000_0000), new GuestPhysicalAddress(0x7000), 0x1000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
        for (int i = 0; i < 0x1000; i++) { g.Memory.Ram[0x5000 + i] = (byte)i; g.Memory.Ram[0x7000 + i] = 0xCC; }
        var (vcpu, _) = HotPathGuest.LongMode(t.Root.Value);
        vcpu.Mode = GuestMode.Protected32;
        vcpu.CsBase = 0x2000;
        vcpu.Rip = 0xFFFF_E010;                    // 0x2000 + 0xFFFFE010 = 1_0000_0010h, wraps to linear 10h
        var code = new InstructionBytes();
        int n = GuestPageWalker.FetchInstruction(ref g.Memory, vcpu, ref code);
        byte[] got = FetchScenario.Fetched(n, code);
        Assert.Equal(Convert.ToHexString(new byte[] { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E }),
                     Convert.ToHexString(got));
    }
}
