using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary><see cref="GuestPageWalker.TryReadVirtual{TMemory}"/> and <see cref="GuestPageWalker.TryWriteVirtual{TMemory}"/>
/// (hypercall pointer arguments, built on the in-place walk) over the fetch scenarios of every paging mode, for ranges
/// of 1 byte to 2 pages starting near a page end: they succeed exactly when every byte translates to guest RAM by the
/// architectural walker, and then read (write) the bytes at the walker's guest-physical addresses.</summary>
public sealed class HotPathVirtualCopyTests
{
    [Property(MaxTest = 150)]
    public Property ReadAndWriteFollowTheOraclesTranslations(byte modeIndex, ulong s1, ulong s2, int seed, ushort lengthPick)
    {
        var mode = (FetchScenario.Mode)(modeIndex % 6);
        var b = FetchScenario.Build(mode, s1, s2, seed);
        ulong pick = HotPathGuest.Mix(lengthPick ^ ((ulong)(uint)seed << 16));
        int length = 1 + (int)(pick % ((pick & 0x100_0000) != 0 ? 8192UL : 40UL));
        var rng = new Random(seed);
        // The oracle's translation of every byte; random contents where RAM may be written.
        var gpas = new ulong[length];
        bool allRam = true;
        for (int i = 0; i < length && allRam; i++)
        {
            ulong a = b.Long64 ? b.Linear + (ulong)i : (b.Linear + (ulong)i) & 0xFFFF_FFFF;
            var r = b.Guest.OracleWalk(b.Paging, a);
            allRam = r.IsOk && r.GuestAddress.Value < b.Guest.RamSize;
            gpas[i] = r.GuestAddress.Value;
        }
        // Writes must not land on the page tables: only check writes when every byte is in the code/data part.
        bool writable = allRam && Array.TrueForAll(gpas, g => g < b.WritableLimit);
        if (allRam) foreach (ulong g in gpas) if (g < b.WritableLimit) b.Guest.Memory.Ram[g] = (byte)rng.Next(256);
        var read = new byte[length];
        bool readOk = GuestPageWalker.TryReadVirtual(ref b.Guest.Memory, b.Vcpu, b.Linear, read);
        string errors = readOk != allRam ? $"read {readOk}, oracle {allRam}; " : "";
        if (readOk && allRam)
            for (int i = 0; i < length; i++)
                if (read[i] != b.Guest.Memory.Ram[gpas[i]]) { errors += $"byte {i} read {read[i]:X2}, RAM[{gpas[i]:X}] {b.Guest.Memory.Ram[gpas[i]]:X2}; "; break; }
        if (writable)
        {
            var source = new byte[length];
            rng.NextBytes(source);
            bool writeOk = GuestPageWalker.TryWriteVirtual(ref b.Guest.Memory, b.Vcpu, b.Linear, source);
            if (!writeOk) errors += "write failed; ";
            // A later byte may alias an earlier one's frame (two pages mapped to one frame): the last write wins.
            for (int i = 0; i < length && writeOk; i++)
            {
                int last = Array.LastIndexOf(gpas, gpas[i]);
                if (b.Guest.Memory.Ram[gpas[i]] != source[last]) { errors += $"byte {i} not written at {gpas[i]:X}; "; break; }
            }
        }
        else if (!allRam)
        {
            bool writeOk = GuestPageWalker.TryWriteVirtual(ref b.Guest.Memory, b.Vcpu, b.Linear, new byte[length]);
            if (writeOk) errors += "write succeeded though a byte is not guest RAM; ";
        }
        return (errors.Length == 0).Label($"{mode} linear {b.Linear:X} length {length}: {errors}")
            .Classify(allRam, "all RAM").Classify(length > 4096, "multi-page");
    }
}

/// <summary><see cref="InstructionBytes.Set(ulong, ulong, int)"/> and <see cref="InstructionBytes.First8"/>: the two
/// little-endian quadwords become bytes 0-15, the first <c>length</c> of them valid.</summary>
public sealed class HotPathInstructionBytesTests
{
    [Property(MaxTest = 200)]
    public Property SetStoresLittleEndianQuadwords(ulong low, ulong high, byte lengthPick)
    {
        low = HotPathGuest.Mix(low);
        high = HotPathGuest.Mix(high ^ 0xABCD);
        int length = lengthPick % 16;
        var code = new InstructionBytes();
        int returned = code.Set(low, high, length);
        var expected = new byte[16];
        BitConverter.GetBytes(low).CopyTo(expected, 0);
        BitConverter.GetBytes(high).CopyTo(expected, 8);
        byte[] got = code.CopyTo(new byte[16]).ToArray();
        return (returned == length && code.Length == length && code.First8 == low && got.AsSpan().SequenceEqual(expected.AsSpan(0, length)))
            .Label($"{Convert.ToHexString(got)} / First8 {code.First8:X16}");
    }
}
