using System;
using Xen.Sdk.Paging.MemoryTypes;
using Xunit;
using static Xen.Sdk.Paging.MemoryType;

namespace Xen.Sdk.Paging.Tests;

/// <summary>Vectors transcribed from the manuals' tables (not computed by the code under test).</summary>
public class MemoryTypeVectors
{
    /// <summary>Intel SDM Vol. 3A §12.5.2.2, Table 12-7 "Effective Page-Level Memory Types for Pentium III and More
    /// Recent Processor Families": (MTRR type, PAT entry value, effective type), all 30 rows.</summary>
    public static TheoryData<MemoryType, MemoryType, MemoryType> Table12_7 => new()
    {
        { Uncacheable, Uncacheable, Uncacheable }, { Uncacheable, UncachedMinus, Uncacheable }, { Uncacheable, WriteCombining, WriteCombining },
        { Uncacheable, WriteThrough, Uncacheable }, { Uncacheable, WriteBack, Uncacheable }, { Uncacheable, WriteProtected, Uncacheable },
        { WriteCombining, Uncacheable, Uncacheable }, { WriteCombining, UncachedMinus, WriteCombining }, { WriteCombining, WriteCombining, WriteCombining },
        { WriteCombining, WriteThrough, Uncacheable }, { WriteCombining, WriteBack, WriteCombining }, { WriteCombining, WriteProtected, Uncacheable },
        { WriteThrough, Uncacheable, Uncacheable }, { WriteThrough, UncachedMinus, Uncacheable }, { WriteThrough, WriteCombining, WriteCombining },
        { WriteThrough, WriteThrough, WriteThrough }, { WriteThrough, WriteBack, WriteThrough }, { WriteThrough, WriteProtected, WriteProtected },
        { WriteBack, Uncacheable, Uncacheable }, { WriteBack, UncachedMinus, Uncacheable }, { WriteBack, WriteCombining, WriteCombining },
        { WriteBack, WriteThrough, WriteThrough }, { WriteBack, WriteBack, WriteBack }, { WriteBack, WriteProtected, WriteProtected },
        { WriteProtected, Uncacheable, Uncacheable }, { WriteProtected, UncachedMinus, WriteCombining }, { WriteProtected, WriteCombining, WriteCombining },
        { WriteProtected, WriteThrough, WriteThrough }, { WriteProtected, WriteBack, WriteProtected }, { WriteProtected, WriteProtected, WriteProtected },
    };

    [Theory, MemberData(nameof(Table12_7))]
    public void MtrrPatCombination(MemoryType mtrr, MemoryType pat, MemoryType effective)
        => Assert.Equal(effective, MemoryTypeRules.Combine(mtrr, pat));

    /// <summary>Intel SDM Vol. 3C §29.3.7.2: IPAT=1 uses the EPT type; IPAT=0 combines the EPT type with the guest PAT
    /// type as in Table 12-7 with the EPT type in the MTRR column; guest CR0.CD=1 forces UC (in this model).</summary>
    [Fact]
    public void EptMemoryType()
    {
        Assert.Equal(WriteBack, MemoryTypeRules.EptEffective(WriteBack, ignorePat: true, Uncacheable));
        Assert.Equal(Uncacheable, MemoryTypeRules.EptEffective(WriteBack, ignorePat: false, Uncacheable));
        Assert.Equal(WriteCombining, MemoryTypeRules.EptEffective(Uncacheable, ignorePat: false, WriteCombining));
        Assert.Equal(WriteThrough, MemoryTypeRules.EptEffective(WriteBack, ignorePat: false, WriteThrough));
        Assert.Equal(Uncacheable, MemoryTypeRules.EptEffective(WriteBack, ignorePat: true, WriteBack, guestCacheDisable: true));
    }

    [Fact]
    public void PatPowerOnValue()
    {
        // Intel SDM Vol. 3A §12.12.4, Table 12-12: PA0 WB, PA1 WT, PA2 UC-, PA3 UC, PA4..PA7 repeat.
        PatValue p = PatValue.PowerOn;
        Assert.Equal([WriteBack, WriteThrough, UncachedMinus, Uncacheable, WriteBack, WriteThrough, UncachedMinus, Uncacheable],
            new[] { p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7] });
        Assert.True(p.IsValid);
        Assert.False(new PatValue(0x0007040600070402UL).IsValid); // type 2 is reserved
        Assert.Equal(3, PatValue.Index(pat: false, pcd: true, pwt: true));
        Assert.Equal(4, PatValue.Index(pat: true, pcd: false, pwt: false));
    }

    private static MtrrSnapshot Firmware()
    {
        // A typical BIOS layout: fixed ranges WB below 640 KiB, UC for the VGA hole, WP for the ROMs; variable ranges
        // WB 0-4 GiB with a UC hole at 3-4 GiB, default UC; SMRR at 0x7F000000 (8 MiB).
        var m = new MtrrSnapshot { Capabilities = 0x0D0A, DefaultType = (1UL << 11) | (1UL << 10) | (byte)Uncacheable, MaxPhysicalAddressBits = 36 };
        m.SetFixed(0, 0x0606060606060606UL);       // 00000-7FFFF WB
        m.SetFixed(1, 0x0606060606060606UL);       // 80000-9FFFF WB
        m.SetFixed(2, 0x0000000000000000UL);       // A0000-BFFFF UC
        for (int i = 3; i < 11; i++) m.SetFixed(i, 0x0505050505050505UL); // C0000-FFFFF WP
        m.SetFixed(3, 0x0505050505050500UL);       // C0000-C0FFF UC (one 4 KiB byte)
        m.SetVariableRange(0, 0, 4UL << 30, WriteBack);
        m.SetVariableRange(1, 3UL << 30, 1UL << 30, Uncacheable);
        m.SetVariableRange(2, 0x1_0000_0000UL, 0x4000_0000UL, WriteBack); // 4-5 GiB WB
        m.SmrrBase = 0x7F00_0000UL | (byte)WriteBack;
        m.SmrrMask = 0xFF80_0000UL | (1UL << 11);
        return m;
    }

    /// <summary>Intel SDM Vol. 3A §12.11.2.2 (fixed-range layout: one 64K MSR, two 16K MSRs, eight 4K MSRs) and
    /// §12.11.4.1 (precedence).</summary>
    [Fact]
    public void MtrrLookup()
    {
        MtrrSnapshot m = Firmware();
        MemoryType Type(ulong a) { Assert.True(m.TryGetType(a, out MemoryType t)); return t; }
        Assert.Equal(WriteBack, Type(0));
        Assert.Equal(WriteBack, Type(0x9FFFF));
        Assert.Equal(Uncacheable, Type(0xA0000));
        Assert.Equal(Uncacheable, Type(0xC0000));
        Assert.Equal(WriteProtected, Type(0xC1000));
        Assert.Equal(WriteProtected, Type(0xFFFFF));
        Assert.Equal(WriteBack, Type(0x100000));
        Assert.Equal(Uncacheable, Type(0xC000_0000));      // UC overlapping WB: UC wins
        Assert.Equal(WriteBack, Type(0x1_2000_0000));
        Assert.Equal(Uncacheable, Type(0x2_0000_0000));    // default
        Assert.Equal(Uncacheable, Type(0x7F10_0000));      // SMRR outside SMM
        Assert.True(m.TryGetType(0x7F10_0000, out MemoryType smm, inSmm: true));
        Assert.Equal(WriteBack, smm);
        // Fixed ranges disabled: the variable ranges apply below 1 MiB too.
        MtrrSnapshot noFixed = m;
        noFixed.DefaultType &= ~(1UL << 10);
        Assert.True(noFixed.TryGetType(0xA0000, out MemoryType t2));
        Assert.Equal(WriteBack, t2);
        // MTRRs disabled: UC everywhere.
        MtrrSnapshot off = m;
        off.DefaultType = 6;
        Assert.True(off.TryGetType(0x100000, out MemoryType t3));
        Assert.Equal(Uncacheable, t3);
    }

    [Fact]
    public void VariableOverlapRules()
    {
        var m = MtrrSnapshot.Uniform(WriteBack, 36);
        m.SetVariableRange(0, 0, 1UL << 30, WriteBack);
        m.SetVariableRange(1, 0, 1UL << 29, WriteThrough);   // WT + WB -> WT
        m.SetVariableRange(2, 1UL << 29, 1UL << 28, WriteCombining); // WB + WC -> undefined
        Assert.True(m.TryGetType(0x1000, out MemoryType t));
        Assert.Equal(WriteThrough, t);
        Assert.False(m.TryGetType(0x2000_1000, out t));
        Assert.Equal(Uncacheable, t);
        Assert.True(m.TryGetType(0x3000_0000, out t));
        Assert.Equal(WriteBack, t);
    }

    [Fact]
    public void RamMapFromMtrrs()
    {
        MtrrSnapshot m = Firmware();
        PhysicalRange[] ram = [new(0, 0xA0000), new(0x100000, 0x7F00_0000 - 0x100000), new(0x1_0000_0000, 0x4000_0000)];
        var output = new MemoryTypeRange[16];
        Assert.Equal(PagingStatus.Ok, MemoryTypeMap.Derive(m, ram, output, out int count, out int undefined));
        Assert.Equal(0, undefined);
        Assert.Equal(
            new[] { new MemoryTypeRange(0, 0xA0000, WriteBack), new MemoryTypeRange(0x100000, 0x7F00_0000 - 0x100000, WriteBack),
                    new MemoryTypeRange(0x1_0000_0000, 0x4000_0000, WriteBack) },
            output.AsSpan(0, count).ToArray());
        // RAM crossing the UC hole and the fixed ranges is split there.
        PhysicalRange[] all = [new(0, 0x1_0000_0000)];
        Assert.Equal(PagingStatus.BufferTooSmall, MemoryTypeMap.Derive(m, all, output.AsSpan(0, 2), out count, out _));
        Assert.Equal(PagingStatus.Ok, MemoryTypeMap.Derive(m, all, output, out count, out _));
        Assert.Equal(
            new[]
            {
                new MemoryTypeRange(0, 0xA0000, WriteBack), new MemoryTypeRange(0xA0000, 0x21000, Uncacheable),
                new MemoryTypeRange(0xC1000, 0x3F000, WriteProtected), new MemoryTypeRange(0x100000, 0x7F00_0000 - 0x100000, WriteBack),
                new MemoryTypeRange(0x7F00_0000, 0x80_0000, Uncacheable), new MemoryTypeRange(0x7F80_0000, 0xC000_0000 - 0x7F80_0000, WriteBack),
                new MemoryTypeRange(0xC000_0000, 0x4000_0000, Uncacheable),
            },
            output.AsSpan(0, count).ToArray());
    }
}
