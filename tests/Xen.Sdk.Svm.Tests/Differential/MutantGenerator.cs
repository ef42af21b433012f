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

    private static SvmMutantPatch P(ushort off, byte w, SvmPatchOperation op, ulong v) => new(off, w, op, v);
    private static SvmMutantPatch Set8(ushort off, ulong v) => new(off, 8, SvmPatchOperation.Set, v);
    private static SvmMutantPatch Or8(ushort off, ulong v) => new(off, 8, SvmPatchOperation.Or, v);
    private const ulong Limit40 = 1ul << 40;
    private const ulong LME = 1ul << 8, LMA = 1ul << 10, PG = 1ul << 31, PE = 1, PAE = 1ul << 5;

    private static SvmMutantPatch Inj(int type, int vector, bool valid = true)
        => Set8(0x0A8, (ulong)(uint)vector | ((ulong)(uint)type << 8) | (valid ? 1ul << 31 : 0));

    /// <summary>Directed mutants (ids from 1001): the edges where the APM, QEMU and Bochs are known or suspected
    /// to differ, written against the probe's base (32-bit protected mode, no paging, EFER = SVME, CR4 = 0).</summary>
    public static readonly SvmMutantPatch[][] Directed =
    {
        new[] { Set8(0x048, Limit40 - 0x2000) },                       // MSRPM fits exactly below 2^40
        new[] { Set8(0x048, Limit40 - 0x3000) },
        new[] { Set8(0x048, Limit40 - 0x1000) },                       // MSRPM crosses 2^40
        new[] { Set8(0x040, Limit40 - 0x3000) },                       // IOPM fits exactly (12 KiB)
        new[] { Set8(0x040, Limit40 - 0x2000) },                       // IOPM crosses 2^40 (QEMU: 8 KiB + 1)
        new[] { Set8(0x040, Limit40 - 0x1000) },
        new[] { Set8(0x040, Limit40) },
        new[] { Set8(0x040, Limit40 - 0x3000 + 0xFFF) },               // bits 11:0 ignored
        new[] { Inj(3, 31) }, new[] { Inj(3, 30) }, new[] { Inj(3, 2) }, new[] { Inj(3, 32) }, new[] { Inj(3, 0xFF) },
        new[] { Inj(3, 15) }, new[] { Inj(3, 9) }, new[] { Inj(3, 5) }, new[] { Inj(3, 4) }, new[] { Inj(3, 8) },
        new[] { Inj(1, 0x20) }, new[] { Inj(5, 0x20) }, new[] { Inj(6, 0x20) }, new[] { Inj(7, 0x20) }, new[] { Inj(5, 0x20, valid: false) },
        new[] { Inj(2, 0x77) }, new[] { Inj(0, 0x20) }, new[] { Inj(4, 0x80) },
        new[] { Set8(0x0A8, (1ul << 31) | 0x30E | (0x1234ul << 12)) }, // #PF with reserved bits 30:12 set
        new[] { Or8(0x548, 1ul << 17) }, new[] { Or8(0x548, 1ul << 13) }, new[] { Or8(0x548, 1ul << 18) }, new[] { Or8(0x548, 1ul << 11) },
        new[] { Or8(0x548, 1ul << 12) }, new[] { Or8(0x548, 1ul << 16) }, new[] { Or8(0x548, 1ul << 20) }, new[] { Or8(0x548, 1ul << 21) },
        new[] { Or8(0x548, 1ul << 22) }, new[] { Or8(0x548, 1ul << 23) }, new[] { Or8(0x548, 1ul << 24) }, new[] { Or8(0x548, 1ul << 14) },
        new[] { Or8(0x4D0, 1ul << 13) }, new[] { Or8(0x4D0, 1ul << 15) }, new[] { Or8(0x4D0, 1ul << 14) }, new[] { Or8(0x4D0, 1ul << 11) },
        new[] { Or8(0x4D0, 1ul << 0) }, new[] { Or8(0x4D0, 1ul << 9) }, new[] { Or8(0x4D0, 1ul << 1) }, new[] { Or8(0x4D0, LMA) },
        new[] { P(0x412, 2, SvmPatchOperation.Or, 0x600) },            // CS.L + CS.D, 32-bit guest
        new[] { P(0x412, 2, SvmPatchOperation.Xor, 0x600) },           // CS.L only
        new[] { Or8(0x4D0, LME), Set8(0x558, PG | 0x30), Or8(0x548, PAE) },               // LME+PG+PAE without PE
        new[] { Or8(0x4D0, LME), Or8(0x558, PG) },                                         // LME+PG without PAE
        new[] { Or8(0x4D0, LME | LMA), Or8(0x558, PG), Or8(0x548, PAE), P(0x412, 2, SvmPatchOperation.Xor, 0x600) }, // 64-bit guest
        new[] { Or8(0x4D0, LME | LMA), Or8(0x558, PG), Or8(0x548, PAE), P(0x412, 2, SvmPatchOperation.Or, 0x600) },  // 64-bit, CS.L+D
        new[] { Or8(0x4D0, LME | LMA), Or8(0x558, PG), Or8(0x548, PAE), Set8(0x550, Limit40) },                        // long-mode CR3 >= 2^40
        new[] { Or8(0x4D0, LME | LMA), Or8(0x558, PG), Or8(0x548, PAE), Set8(0x550, Limit40 - 0x1000) },
        new[] { Set8(0x550, Limit40) },                                // 32-bit guest, CR3 >= 2^40
        new[] { Set8(0x550, 1ul << 63) },
        new[] { Set8(0x558, PG | 0x30) },                              // paged real mode (PG without PE)
        new[] { Or8(0x558, 1ul << 29) }, new[] { Or8(0x558, (1ul << 29) | (1ul << 30)) }, new[] { Or8(0x558, 1ul << 32) },
        new[] { Or8(0x568, 1ul << 32) }, new[] { Set8(0x568, 0xFFFF_FFFF) }, new[] { Or8(0x560, 1ul << 32) }, new[] { Set8(0x560, 0xFFFF_FFFF) },
        new[] { P(0x058, 4, SvmPatchOperation.Set, 0) }, new[] { P(0x058, 4, SvmPatchOperation.Set, 0x7FFF) }, new[] { P(0x058, 4, SvmPatchOperation.Set, 0xFFFF_FFFF) },
        new[] { P(0x010, 4, SvmPatchOperation.AndNot, 1) },
        new[] { P(0x4D0, 8, SvmPatchOperation.AndNot, 1ul << 12) },
        new[] { Or8(0x090, 1), Set8(0x0B0, 0x60_0000) },               // nested paging on, valid G_PAT
        new[] { Or8(0x090, 1), Set8(0x668, 0x0007_0406_0007_0402) },   // nested paging on, G_PAT type 2
        new[] { Set8(0x668, 0x0007_0406_0007_0402) },                  // G_PAT ignored without nested paging
        new[] { P(0x05C, 1, SvmPatchOperation.Set, 3) }, new[] { P(0x05C, 1, SvmPatchOperation.Set, 7) }, new[] { P(0x05C, 1, SvmPatchOperation.Set, 2) },
        new[] { Set8(0x5E0, 1ul << 6) },                               // S_CET reserved bit (no CET: not checked)
        new[] { Or8(0x060, (1ul << 25) | (1ul << 9)) },                // vGIF enable + V_GIF
        new[] { Or8(0x068, 1) },                                       // interrupt shadow
    };

    /// <summary>Bochs 2.7 accepts EFER.LME + CR0.PG without CR0.PE ("paged real mode") and then stops with
    /// "PANIC: change_cpu_mode: EFER.LMA is set when CR0.PE=0"; such mutants are flagged to be skipped there.</summary>
    private static bool CrashesBochs(SvmMutantPatch[] m)
    {
        var v = Vectors.GoodVmcb.Protected32();
        foreach (var p in m) p.TryApply(ref v);
        return (v.Efer & LME) != 0 && (v.Cr0 & PG) != 0 && (v.Cr0 & PE) == 0;
    }

    /// <summary>Builds a module: <paramref name="count"/> FsCheck mutants from a fixed seed (ids 1..count),
    /// then the <see cref="Directed"/> ones (ids from 1001). Reproducible.</summary>
    /// <param name="count">Number of generated mutants.</param>
    /// <param name="seed">FsCheck seed.</param>
    /// <param name="directed">Append the directed mutants.</param>
    /// <returns>The module bytes.</returns>
    public static byte[] BuildModule(int count, ulong seed, bool directed = true)
    {
        SvmMutantPatch[][] mutants = Gen.Sample(Mutant, count, new Rnd(seed, 0x9E37_79B9_7F4A_7C15ul), 50);
        int total = count + (directed ? Directed.Length : 0);
        byte[] module = new byte[SvmMutantFile.HeaderSize + total * SvmMutantFile.RecordSize];
        SvmMutantFile.TryWriteHeader(module, total);
        for (int i = 0; i < count; i++) SvmMutantFile.TryWriteRecord(module, i, (uint)(i + 1), mutants[i]);
        for (int i = 0; directed && i < Directed.Length; i++)
            SvmMutantFile.TryWriteRecord(module, count + i, (uint)(1001 + i), CrashesBochs(Directed[i]) ? SvmMutantFile.FlagSkipOnBochs : (byte)0, Directed[i]);
        return module;
    }
}
