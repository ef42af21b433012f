using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace Xen.Sdk.Svm.Tests.Differential;

/// <summary>
/// FsCheck chooses the fields: each mutant is 1-3 patches drawn from generators aimed at the VMRUN checks
/// (EFER, CR0, CR3, CR4, DR6, DR7, CS attributes, intercept vector 4, ASID, IOPM/MSRPM bases near
/// MAXPHYADDR, EVENTINJ, nested paging with G_PAT/N_CR3) plus fields that must not matter.
/// </summary>
public static class MutantGenerator
{
    private static Gen<SvmMutantPatch> Bit(ushort offset, byte width, SvmPatchOperation op, int lo, int hi)
        => Gen.Choose(lo, hi).Select(b => new SvmMutantPatch(offset, width, op, 1ul << b));

    private static Gen<SvmMutantPatch> Set(ushort offset, byte width, Gen<ulong> value)
        => value.Select(v => new SvmMutantPatch(offset, width, SvmPatchOperation.Set, v));

    private static readonly Gen<ulong> NearMaxPhys =
        Gen.Elements(36, 40, 44, 48, 52).SelectMany(bits => Gen.Choose(0, 5).Select(pages => (1ul << bits) - (ulong)pages * 0x1000));

    private static readonly Gen<ulong> EventInj =
        from type in Gen.Choose(0, 7)
        from vector in Gen.OneOf(Gen.Choose(0, 33), Gen.Choose(0, 255))
        from valid in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from ev in Gen.Elements(false, true)
        from err in Gen.Choose(0, 0xFFFF)
        select (ulong)(uint)vector | ((ulong)(uint)type << 8) | (ev ? 1ul << 11 : 0) | (valid ? 1ul << 31 : 0) | ((ulong)(uint)err << 32);

    private static readonly Gen<ulong> Pat =
        Gen.ArrayOf(Gen.Frequency((6, Gen.Elements<byte>(0, 1, 4, 5, 6, 7)), (1, Gen.Elements<byte>(2, 3, 8, 0xFF))), 8)
           .Select(b => BitConverter.ToUInt64(b.Length == 8 ? b : new byte[8], 0));

    /// <summary>One patch.</summary>
    public static readonly Gen<SvmMutantPatch> Patch = Gen.OneOf(
        Bit(0x4D0, 8, SvmPatchOperation.Xor, 0, 63),                                   // EFER (SVME, LME, LMA, reserved)
        Gen.Constant(new SvmMutantPatch(0x4D0, 8, SvmPatchOperation.AndNot, 1ul << 12)),
        Bit(0x558, 8, SvmPatchOperation.Xor, 0, 63),                                   // CR0
        Gen.Elements(0, 16, 29, 30, 31).Select(b => new SvmMutantPatch(0x558, 8, SvmPatchOperation.Xor, 1ul << b)),
        Bit(0x550, 8, SvmPatchOperation.Or, 12, 63),                                   // CR3 high bits
        Bit(0x548, 8, SvmPatchOperation.Xor, 0, 63),                                   // CR4
        Bit(0x568, 8, SvmPatchOperation.Or, 28, 63),                                   // DR6
        Bit(0x560, 8, SvmPatchOperation.Or, 28, 63),                                   // DR7
        Gen.Elements<ulong>(0x200, 0x400, 0x600).Select(m => new SvmMutantPatch(0x412, 2, SvmPatchOperation.Xor, m)), // CS.L/CS.D
        Bit(0x010, 4, SvmPatchOperation.Xor, 0, 3),                                    // intercept vector 4 (VMRUN bit 0)
        Set(0x058, 4, Gen.Elements<ulong>(0, 1, 2, 15, 63)),                           // ASID
        Set(0x040, 8, NearMaxPhys),                                                    // IOPM base
        Set(0x048, 8, NearMaxPhys),                                                    // MSRPM base
        Set(0x0A8, 8, EventInj),                                                       // EVENTINJ
        Set(0x668, 8, Pat),                                                            // G_PAT
        Gen.Constant(new SvmMutantPatch(0x090, 8, SvmPatchOperation.Or, 1)),           // NP_ENABLE
        Set(0x05C, 1, Gen.Elements<ulong>(0, 1, 3, 7)),                                // TLB_CONTROL (no check)
        Bit(0x00C, 4, SvmPatchOperation.Xor, 0, 31));                                  // intercept vector 3 (no check)

    /// <summary>One mutant: 1-3 patches.</summary>
    public static readonly Gen<SvmMutantPatch[]> Mutant =
        Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3))).SelectMany(n => Gen.ArrayOf(Patch, n));

    /// <summary>Builds a module of <paramref name="count"/> mutants from a fixed seed (reproducible).</summary>
    /// <param name="count">Number of mutants.</param>
    /// <param name="seed">FsCheck seed.</param>
    /// <returns>The module bytes.</returns>
    public static byte[] BuildModule(int count, ulong seed)
    {
        SvmMutantPatch[][] mutants = Gen.Sample(Mutant, count, new Rnd(seed, 0x9E37_79B9_7F4A_7C15ul), 50);
        byte[] module = new byte[SvmMutantFile.HeaderSize + count * SvmMutantFile.RecordSize];
        SvmMutantFile.TryWriteHeader(module, count);
        for (int i = 0; i < count; i++) SvmMutantFile.TryWriteRecord(module, i, (uint)(i + 1), mutants[i]);
        return module;
    }
}
