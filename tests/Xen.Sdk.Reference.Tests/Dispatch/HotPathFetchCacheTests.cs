using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Formats;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary>Guest RAM that counts <see cref="TryMapPage"/> calls (a cache hit makes none for an instruction inside one
/// page) and can re-point one guest frame at another host buffer (a change of the host mapping of guest RAM, which the
/// <see cref="InstructionFetchCache"/> contract says only <see cref="InstructionFetchCache.Invalidate"/> reveals).</summary>
internal unsafe struct RemappingMemory : IGuestMemory
{
    public ArrayMemory Inner;
    public ulong RemapFrame;
    public byte* RemapTo;
    public int MapCalls;

    public byte* TryMapPage(ulong gpa)
    {
        MapCalls++;
        return RemapTo != null && gpa == RemapFrame ? RemapTo : Inner.TryMapPage(gpa);
    }

    public bool TryRead(ulong gpa, Span<byte> destination) => Inner.TryRead(gpa, destination);
    public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source) => Inner.TryWrite(gpa, source);
}

/// <summary><see cref="InstructionFetchCache"/> soundness: after a fetch filled the cache, any change of the guest's
/// state — one of the paging entries the walk used rewritten (remapped, not present, PS toggled, flags flipped, random),
/// CR3 switched to another table set or to the same tables with other low bits, the paging mode switched (paging off,
/// PAE, 32-bit, LA57, compatibility mode) and back, RIP moved, or the code bytes rewritten — leaves a fetch through the
/// cache equal to an uncached fetch on the new state, step after step. And hits are real: an unchanged state costs no
/// page mapping at all, a host remapping of guest RAM is not seen until <see cref="InstructionFetchCache.Invalidate"/>.</summary>
public sealed unsafe class HotPathFetchCacheTests
{
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;

    /// <summary>Where the 4-level walk of <paramref name="linear"/> reads its entries (until a leaf, a not-present entry
    /// or a table outside RAM): located by the test, to pick an entry to rewrite.</summary>
    private static List<ulong> EntriesUsed(HotPathGuest g, ulong cr3, ulong linear)
    {
        var used = new List<ulong>();
        ulong table = cr3 & AddressMask;
        for (int level = 4; level >= 1 && table + 4096 <= g.RamSize; level--)
        {
            ulong address = table + ((linear >> (3 + 9 * level)) & 511) * 8;
            used.Add(address);
            ulong e = g.ReadEntry(address, 8);
            if ((e & 1) == 0 || level == 1 || (level <= 3 && (e & 0x80) != 0)) break;
            table = e & AddressMask;
        }
        return used;
    }

    private static (int Count, string Bytes) Fetch<TMemory>(ref TMemory memory, in VcpuState state, ref InstructionFetchCache cache, bool cached)
        where TMemory : struct, IGuestMemory
    {
        var code = new InstructionBytes();
        int n = cached ? GuestPageWalker.FetchInstruction(ref memory, state, ref code, ref cache) : GuestPageWalker.FetchInstruction(ref memory, state, ref code);
        Assert.Equal(n, code.Length);
        return (n, Convert.ToHexString(code.CopyTo(new byte[16])));
    }

    private static void RandomBytes(HotPathGuest g, ulong gpa, int count, Random rng)
    {
        for (int i = 0; i < count && gpa + (ulong)i < g.RamSize; i++) g.Memory.Ram[gpa + (ulong)i] = (byte)rng.Next(256);
    }

    /// <summary>A second table set mapping the code page (and its successor) to fresh frames of random bytes.</summary>
    private static ulong OtherTables(HotPathGuest g, ulong linear, Random rng)
    {
        var t = g.NewTables(new LongModeFormat(HotPathGuest.Caps));
        ulong frame = (ulong)rng.Next(1, 1024) * 0x1000, next = (ulong)rng.Next(1, 1024) * 0x1000;
        RandomBytes(g, frame, 4096, rng);
        RandomBytes(g, next, 4096, rng);
        ulong page = HotPathGuest.Canonical(linear & ~0xFFFUL);
        t.Map(new GuestVirtualAddress(page), new GuestPhysicalAddress(frame), 0x1000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
        t.Map(new GuestVirtualAddress(page + 0x1000), new GuestPhysicalAddress(next), 0x1000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB);
        return t.Root.Value;
    }

    private static string Mutate(FetchScenario.Built b, ref VcpuState s, ulong m, Random rng)
    {
        var g = b.Guest;
        ulong linear = s.Mode == GuestMode.Long64 ? s.Rip : (s.CsBase + (s.Rip & 0xFFFF_FFFF));
        switch (m % 8)
        {
            case 0: case 1:   // rewrite one entry of the code page's walk
            {
                var used = EntriesUsed(g, s.Cr3, linear);
                if (used.Count == 0) return "no entry";
                int which = (int)((m >> 3) % (ulong)used.Count);
                ulong address = used[which], e = g.ReadEntry(address, 8);
                int kind = (int)((m >> 8) % 6);
                ulong frame = (ulong)rng.Next(1, 2048) * 0x1000;   // data half or a table frame
                if (kind == 0 && frame < g.RamSize / 2) RandomBytes(g, frame, 4096, rng);
                e = kind switch
                {
                    0 => (e & ~AddressMask) | frame,                                  // remap (page or table) elsewhere
                    1 => e & ~1UL,                                                     // not present
                    2 => e ^ 0x80,                                                     // toggle PS
                    3 => e ^ (0x20 | 0x40 | 0x200),                                    // A, D, an ignored bit
                    4 => HotPathGuest.Mix(m),                                          // anything
                    _ => e ^ (1UL << 63),                                              // XD
                };
                g.WriteEntry(address, e, 8);
                return $"entry {which} kind {kind}";
            }
            case 2:
                if ((m & 8) != 0) { s.Cr3 ^= 0x18; return "CR3 PWT/PCD"; }
                s.Cr3 = OtherTables(g, linear, rng);
                return "CR3 other tables";
            case 3:
                switch ((m >> 3) % 6)
                {
                    case 0: s.Cr0 &= ~(1UL << 31); s.Efer &= ~(1UL << 10); s.Mode = GuestMode.Protected32; return "paging off";
                    case 1: s.Efer &= ~(1UL << 10); s.Mode = GuestMode.Protected32; return "PAE";
                    case 2: s.Cr4 &= ~(1UL << 5); s.Efer &= ~(1UL << 10); s.Mode = GuestMode.Protected32; return "32-bit paging";
                    case 3: s.Cr4 |= 1UL << 12; return "LA57";
                    case 4: s.Mode = GuestMode.Protected32; s.CsBase = 0; s.Rip &= 0xFFFF_FFFF; return "compatibility mode";
                    default: s.Cr4 &= ~(1UL << 12); return "LA57 off";
                }
            case 4:   // back to 4-level long mode, 64-bit code at the scenario's RIP
                s.Cr0 |= 1UL << 31; s.Cr4 = (s.Cr4 | 0x20) & ~(1UL << 12); s.Efer |= 1UL << 10; s.Mode = b.Vcpu.Mode; s.CsBase = b.Vcpu.CsBase; s.Rip = b.Vcpu.Rip;
                return "long mode again";
            case 5:
            {
                if (!GuestPageWalker.TryTranslate(ref g.Memory, s, linear, out ulong gpa) || gpa >= g.RamSize / 2) return "code unmapped";
                RandomBytes(g, gpa, 16, rng);
                return "new code bytes";
            }
            case 6:
                s.Rip = (m & 8) != 0 ? (s.Rip & ~0xFFFUL) | ((m >> 4) & 0xFFF) : s.Rip + 0x1000 * ((m >> 4) & 3) - 0x1000;
                if (s.Mode != GuestMode.Long64) s.Rip &= 0xFFFF_FFFF;
                return "RIP moved";
            default:
                return "nothing";
        }
    }

    [Property(MaxTest = 200)]
    public Property CachedFetchEqualsUncachedAfterAnyChange(bool compatibility, ulong s1, ulong s2, int seed, ulong[] mutations)
    {
        var (same, filled, log) = Run(compatibility, s1, s2, seed, mutations ?? Array.Empty<ulong>());
        return same.Label(log).Classify(filled, "cache filled");
    }

    internal static (bool Same, bool Filled, string Log) Run(bool compatibility, ulong s1, ulong s2, int seed, ulong[] mutations)
    {
        var b = FetchScenario.Build(compatibility ? FetchScenario.Mode.Compatibility : FetchScenario.Mode.Long64, s1, s2, seed);
        var rng = new Random(seed ^ 0x5A5A);
        var cache = new InstructionFetchCache();
        VcpuState s = b.Vcpu;
        var first = Fetch(ref b.Guest.Memory, s, ref cache, cached: true);
        var log = new List<string> { $"start {first}" };
        bool same = first == Fetch(ref b.Guest.Memory, s, ref cache, cached: false);
        // 2..8 steps; each mutation word salted with the seed and the step (FsCheck's integers are small and repetitive).
        int steps = Math.Min(mutations.Length + 2, 8);
        for (int i = 0; i < steps && same; i++)
        {
            ulong m = HotPathGuest.Mix((i < mutations.Length ? mutations[i] : 0) ^ HotPathGuest.Mix(((ulong)(uint)seed << 8) + (ulong)i));
            log.Add(Mutate(b, ref s, m, rng));
            var viaCache = Fetch(ref b.Guest.Memory, s, ref cache, cached: true);
            var walked = Fetch(ref b.Guest.Memory, s, ref cache, cached: false);
            log.Add($"cached {viaCache} walked {walked}");
            same = viaCache == walked;
        }
        return (same, first.Count > 0, string.Join(" | ", log));
    }

    /// <summary>An unchanged state hits: the second fetch maps no page at all (the instruction lies inside one page),
    /// new code bytes on the same page show through the hit, and <see cref="InstructionFetchCache.Invalidate"/> makes
    /// the next fetch walk again.</summary>
    [Property(MaxTest = 100)]
    public Property UnchangedStateHitsAndInvalidateWalksAgain(ulong s1, ulong s2, int seed, byte newByte)
    {
        var b = FetchScenario.Build(FetchScenario.Mode.Long64, s1, s2, seed);
        var memory = new RemappingMemory { Inner = b.Guest.Memory };
        var cache = new InstructionFetchCache();
        var first = Fetch(ref memory, b.Vcpu, ref cache, cached: true);
        int walkCalls = memory.MapCalls;
        if (first.Count == 0 || (b.Linear & 0xFFF) > 0x1000 - 16 || !GuestPageWalker.TryTranslate(ref b.Guest.Memory, b.Vcpu, b.Linear, out ulong gpa) || gpa >= b.Guest.RamSize / 2)
            return true.ToProperty().Classify(true, "no cacheable fetch (skipped)");
        memory.MapCalls = 0;
        b.Guest.Memory.Ram[gpa] = newByte;
        var hit = Fetch(ref memory, b.Vcpu, ref cache, cached: true);
        int hitCalls = memory.MapCalls;
        cache.Invalidate();
        memory.MapCalls = 0;
        var again = Fetch(ref memory, b.Vcpu, ref cache, cached: true);
        return (walkCalls >= 3 && hitCalls == 0 && hit.Bytes[..2] == newByte.ToString("X2") && hit == again && memory.MapCalls == walkCalls)
            .Label($"walk {walkCalls} map calls, hit {hitCalls}, after Invalidate {memory.MapCalls}; hit {hit}, again {again}");
    }

    /// <summary>The documented contract: a change of the host mapping of guest RAM is not detected (the hit returns
    /// the old host page), and <see cref="InstructionFetchCache.Invalidate"/> makes the next fetch see the new one.</summary>
    [Fact]
    public void HostRemappingIsSeenOnlyAfterInvalidate()
    {
        var g = new HotPathGuest(1 << 20, 9, 0);
        var t = g.NewTables(new LongModeFormat(HotPathGuest.Caps));
        const ulong rip = 0xFFFF_8000_0040_0123UL;
        Assert.Equal(PagingStatus.Ok, t.Map(new GuestVirtualAddress(rip & ~0xFFFUL), new GuestPhysicalAddress(0x3000), 0x1000, PageAttributes.ReadWriteExecute, PageSize.Size4KiB));
        g.Memory.Ram.AsSpan(0x3000, 0x1000).Fill(0x90);
        var (vcpu, _) = HotPathGuest.LongMode(t.Root.Value);
        vcpu.Rip = rip;
        var memory = new RemappingMemory { Inner = g.Memory };
        var cache = new InstructionFetchCache();
        Assert.Equal("90", Fetch(ref memory, vcpu, ref cache, cached: true).Bytes[..2]);
        byte[] other = GC.AllocateArray<byte>(4096, pinned: true);
        other.AsSpan().Fill(0xF4);
        memory.RemapFrame = 0x3000;
        memory.RemapTo = (byte*)Unsafe.AsPointer(ref other[0]);
        Assert.Equal("90", Fetch(ref memory, vcpu, ref cache, cached: true).Bytes[..2]);     // stale by contract: a hit
        Assert.Equal("F4", Fetch(ref memory, vcpu, ref cache, cached: false).Bytes[..2]);
        cache.Invalidate();
        Assert.Equal("F4", Fetch(ref memory, vcpu, ref cache, cached: true).Bytes[..2]);
        GC.KeepAlive(other);
    }
}
