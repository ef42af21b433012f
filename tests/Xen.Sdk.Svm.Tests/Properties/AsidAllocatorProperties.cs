using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Properties;

/// <summary><see cref="SvmAsidAllocator.Prepare"/> (inlined fast path, slow path) and
/// <see cref="SvmAsidAllocator.NewGeneration"/> over random interleavings for several vCPUs, each with its own VMCB,
/// against a simple model of the rules (AMD APM Vol. 2 §15.16 "TLB Control", §15.15.3 "VMCB Clean Bits"):
/// ASIDs lie in [1, AsidCount); within a generation the vCPUs holding it have distinct ASIDs, handed out in order
/// 1, 2, ... and a generation ends only when all AsidCount - 1 are used (or on NewGeneration); a vCPU with an ASID of the
/// current generation keeps it; the first VMRUN after a generation starts (and the very first) gets TLB_CONTROL = 1
/// (flush all), exactly once, every other one 0; the VMCB's ASID and TLB_CONTROL are what Prepare returned; and the
/// VMCB's clean bits are all cleared whenever the vCPU got a new ASID, untouched otherwise.</summary>
public sealed class AsidAllocatorProperties
{
    private static ulong Mix(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }

    [Property(MaxTest = 300)]
    public Property PrepareFollowsTheModel(byte asidCountPick, byte vcpuPick, byte[] ops, int seed)
    {
        uint count = 2 + (uint)(asidCountPick % 9);          // 2..10 ASIDs: 1..9 usable, so generations roll over
        int vcpus = 1 + vcpuPick % 12;
        ops ??= Array.Empty<byte>();
        var caps = new SvmCapabilities(1, count, SvmFeatures.VmcbClean, 40, 48, true, SvmCapabilities.Cr4BaseBits, 0x1D01);
        var allocator = new SvmAsidAllocator(caps);
        var vmcbs = new Vmcb[vcpus];
        var assignments = new SvmAsidAssignment[vcpus];

        bool flushOwed = true;                               // the TLB before the first VMRUN is unknown
        int handedOutThisGeneration = 0;
        var log = new List<string>();
        for (int step = 0; step < ops.Length + 3 * vcpus; step++)
        {
            ulong r = Mix((step < ops.Length ? ops[step] : 0UL) ^ Mix(((ulong)(uint)seed << 16) + (ulong)step));
            if (step < ops.Length && r % 10 == 0)
            {
                ulong g = allocator.Generation;
                allocator.NewGeneration();
                if (allocator.Generation <= g) return false.Label($"step {step}: NewGeneration left generation {g}");
                flushOwed = true;
                handedOutThisGeneration = 0;
                log.Add("NewGeneration");
                continue;
            }
            // After the random ops, every vCPU runs (a few times) so each ends up prepared.
            int v = step < ops.Length ? (int)((r >> 8) % (ulong)vcpus) : (step - ops.Length) % vcpus;
            ref Vmcb vmcb = ref vmcbs[v];
            // What the last VMRUN and the code around it left: some clean bits (MarkClean sets all of them).
            var clean = (VmcbCleanBits)((uint)(r >> 16) & (uint)VmcbCleanBits.All);
            vmcb.Control.CleanBits = clean;
            SvmAsidAssignment before = assignments[v];
            ulong generationBefore = allocator.Generation;
            bool held = before.Asid != 0 && before.Generation == generationBefore;

            SvmTlbControl tlb = allocator.Prepare(ref assignments[v], ref vmcb);
            SvmAsidAssignment after = assignments[v];
            log.Add($"vCPU {v}: {before.Asid}/{before.Generation} -> {after.Asid}/{after.Generation} tlb {tlb}");

            bool rolledOver = allocator.Generation != generationBefore;
            if (rolledOver)
            {
                if (held || allocator.Generation != generationBefore + 1 || handedOutThisGeneration != (int)count - 1)
                    return false.Label($"generation advanced without running out of ASIDs: {string.Join("; ", log)}");
                flushOwed = true;
                handedOutThisGeneration = 0;
            }
            bool fresh = !held;
            if (held && (after.Asid != before.Asid || after.Generation != before.Generation))
                return false.Label($"a current ASID was taken away: {string.Join("; ", log)}");
            if (fresh)
            {
                handedOutThisGeneration++;
                if (after.Generation != allocator.Generation || after.Asid != (uint)handedOutThisGeneration)
                    return false.Label($"new ASID not the next in order of generation {allocator.Generation}: {string.Join("; ", log)}");
            }
            if (after.Asid < 1 || after.Asid >= count) return false.Label($"ASID {after.Asid} out of [1, {count}): {string.Join("; ", log)}");
            if (vmcb.GuestAsid != after.Asid || vmcb.Control.GuestAsid != after.Asid) return false.Label($"VMCB ASID {vmcb.GuestAsid}: {string.Join("; ", log)}");
            if (vmcb.TlbControl != tlb || vmcb.Control.TlbControl != tlb) return false.Label($"VMCB TLB_CONTROL {vmcb.TlbControl} vs {tlb}");
            SvmTlbControl expectedTlb = flushOwed ? SvmTlbControl.FlushAll : SvmTlbControl.DoNothing;
            if (tlb != expectedTlb) return false.Label($"TLB_CONTROL {tlb}, expected {expectedTlb}: {string.Join("; ", log)}");
            flushOwed = false;
            VmcbCleanBits expectedClean = fresh ? VmcbCleanBits.None : clean;
            if (vmcb.Control.CleanBits != expectedClean)
                return false.Label($"clean bits {vmcb.Control.CleanBits}, expected {expectedClean} (new ASID {fresh}): {string.Join("; ", log)}");
            // Distinct ASIDs among the vCPUs holding the current generation.
            var seen = new HashSet<uint>();
            for (int i = 0; i < vcpus; i++)
                if (assignments[i].Asid != 0 && assignments[i].Generation == allocator.Generation && !seen.Add(assignments[i].Asid))
                    return false.Label($"ASID {assignments[i].Asid} held twice in generation {allocator.Generation}: {string.Join("; ", log)}");
        }
        return true.ToProperty().Classify(allocator.Generation > 1, "generation advanced");
    }
}
