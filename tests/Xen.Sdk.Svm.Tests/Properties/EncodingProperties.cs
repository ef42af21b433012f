using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Properties;

/// <summary>Round trips for the encoders and decoders of the VMCB bit formats.</summary>
public sealed class EncodingProperties
{
    [Property(MaxTest = 500)]
    public bool Event_encode_decode_round_trips(byte vector, byte type, bool ev, uint error)
    {
        var t = (SvmEventType)(type & 7);
        var e = SvmEvent.Create(t, vector, ev, error);
        return e.IsValid && e.Vector == vector && e.Type == t && e.ErrorCodeValid == ev && e.ErrorCode == error && e.ReservedBits == 0;
    }

    [Property(MaxTest = 500)]
    public bool Event_decode_encode_round_trips(ulong raw)
    {
        var e = new SvmEvent(raw);
        if (!e.IsValid || e.ReservedBits != 0) return true;
        return SvmEvent.Create(e.Type, e.Vector, e.ErrorCodeValid, e.ErrorCode).Value == raw;
    }

    [Property(MaxTest = 500)]
    public bool Segment_attributes_round_trip_through_descriptor_bits(ushort raw)
    {
        var a = new SvmSegmentAttributes((ushort)(raw & 0x0FFF));
        var b = SvmSegmentAttributes.FromDescriptorHigh(a.ToDescriptorHigh());
        var c = SvmSegmentAttributes.Create(a.Type, a.S, a.Dpl, a.Present, a.Long, a.DefaultBig, a.Granularity, a.Available);
        return a == b && a == c;
    }

    [Property(MaxTest = 500)]
    public bool Virtual_interrupt_fields_round_trip(byte tpr, bool irq, int prio, bool ign, bool masking, byte vector)
    {
        var v = new SvmVirtualInterruptControl { VTpr = tpr, VIrq = irq, VIntrPriority = prio & 15, VIgnoreTpr = ign, VIntrMasking = masking, VIntrVector = vector };
        return v.VTpr == tpr && v.VIrq == irq && v.VIntrPriority == (prio & 15) && v.VIgnoreTpr == ign && v.VIntrMasking == masking && v.VIntrVector == vector
            && v.Value == (tpr | (irq ? 1ul << 8 : 0) | ((ulong)(prio & 15) << 16) | (ign ? 1ul << 20 : 0) | (masking ? 1ul << 24 : 0) | ((ulong)vector << 32));
    }

    [Property(MaxTest = 300)]
    public bool Iopm_set_then_query_matches_the_APM_rule(ushort port, bool on, byte sizeSel)
    {
        int size = (sizeSel % 3) switch { 0 => 1, 1 => 2, _ => 4 };
        byte[] map = new byte[IoPermissionMap.Size];
        IoPermissionMap.TrySetIntercept(map, port, on);
        // APM §15.10.1: intercepted iff any bit port..port+size-1 is set; only `port` was set.
        bool expected = on;
        return IoPermissionMap.IsIntercepted(map, port, size) == expected
            && (port == 0 || IoPermissionMap.IsIntercepted(map, (ushort)(port - 1), 2) == on)
            && map[port >> 3] == (on ? (byte)(1 << (port & 7)) : (byte)0);
    }

    [Property(MaxTest = 300)]
    public bool Msrpm_set_then_query_round_trips(uint low, byte rangeSel, bool r, bool w)
    {
        uint msr = (rangeSel % 3) switch { 0 => low & 0x1FFF, 1 => 0xC000_0000 | (low & 0x1FFF), _ => 0xC001_0000 | (low & 0x1FFF) };
        byte[] map = new byte[MsrPermissionMap.Size];
        Assert.True(MsrPermissionMap.TrySetIntercept(map, msr, r, w));
        // Independent offset computation from APM Table 15-6: range base byte 0/800h/1000h, two bits per MSR.
        int byteBase = (rangeSel % 3) * 0x800;
        int bit = (int)(msr & 0x1FFF) * 2;
        int idx = byteBase + bit / 8;
        int expectedByte = ((r ? 1 : 0) | (w ? 2 : 0)) << (bit % 8);
        return MsrPermissionMap.IsIntercepted(map, msr, false) == r && MsrPermissionMap.IsIntercepted(map, msr, true) == w
            && map[idx] == expectedByte;
    }

    [Property(MaxTest = 300)]
    public bool Msrs_outside_the_ranges_are_always_intercepted(uint msr)
    {
        bool inRange = msr <= 0x1FFF || (msr >= 0xC000_0000 && msr <= 0xC000_1FFF) || (msr >= 0xC001_0000 && msr <= 0xC001_1FFF);
        byte[] map = new byte[MsrPermissionMap.Size];
        return inRange || (MsrPermissionMap.IsIntercepted(map, msr, false) && MsrPermissionMap.IsIntercepted(map, msr, true) && !MsrPermissionMap.TrySetIntercept(map, msr, false, false));
    }

    [Property(MaxTest = 300)]
    public bool Exit_code_normalisation_compares_low_32_bits(uint low)
    {
        var n = SvmExitCodes.Normalize(low);
        return low >= 0xFFFF_FFFC ? (ulong)n == (ulong)(long)(int)low : (ulong)n == low;
    }
}

public sealed class EncodingVectors
{
    [Fact]
    public void Msrpm_vectors_from_APM_table_15_6()
    {
        Assert.True(MsrPermissionMap.TryGetBitOffset(0x0000_0010, out int tsc));        // TSC: byte 4, bit 0
        Assert.Equal(4 * 8, tsc);
        Assert.True(MsrPermissionMap.TryGetBitOffset(0xC000_0080, out int efer));       // EFER: byte 820h, bit 0
        Assert.Equal(0x820 * 8, efer);
        Assert.True(MsrPermissionMap.TryGetBitOffset(0xC001_0114, out int vmcr));       // VM_CR: byte 1045h, bit 0
        Assert.Equal(0x1045 * 8, vmcr);
        Assert.True(MsrPermissionMap.TryGetBitOffset(0xC001_1FFF, out int last));
        Assert.Equal(0x17FF * 8 + 6, last);
        Assert.False(MsrPermissionMap.TryGetBitOffset(0x2000, out _));
        Assert.False(MsrPermissionMap.TryGetBitOffset(0xC000_2000, out _));
    }

    [Fact]
    public void Iopm_access_past_ffff_uses_the_third_page()
    {
        byte[] map = new byte[IoPermissionMap.Size];
        map[0x2000] = 1; // bit for "port" 10000h
        Assert.True(IoPermissionMap.IsIntercepted(map, 0xFFFF, 2));
        Assert.False(IoPermissionMap.IsIntercepted(map, 0xFFFF, 1));
        Assert.False(IoPermissionMap.TrySetIntercept(new byte[10], 1, true));
    }

    [Fact]
    public void Event_vectors_from_APM_figure_15_7()
    {
        // #GP(0x10) as an exception with error code: vector 13, type 3, EV, V, error 0x10.
        Assert.Equal(0x0000_0010_8000_0B0Dul, SvmEvent.Exception(13, 0x10).Value);
        Assert.Equal(0x8000_0020ul, SvmEvent.ExternalInterrupt(0x20).Value);
        Assert.Equal(0x8000_0202ul, SvmEvent.Nmi().Value);
        Assert.Equal(0x8000_0480ul, SvmEvent.SoftwareInterrupt(0x80).Value);
        Assert.Equal(0x8000_0306ul, SvmEvent.Exception(6).Value); // #UD has no error code
    }

    [Fact]
    public void Qemu_snapshot_equals_what_FromCpuid_builds_from_QEMU_values()
    {
        // QEMU cpu.c leaf 8000_000Ah: EAX=1, EBX=16, EDX=FEAT_SVM (NPT with +npt); 8000_0008 EAX=0x3028;
        // 8000_0001 EDX: LM, NX, no FFXSR on qemu64... (see SvmCapabilities.Qemu72Tcg docs).
        var q = SvmCapabilities.Qemu72Tcg;
        Assert.Equal(1, q.Revision);
        Assert.Equal(16u, q.AsidCount);
        Assert.True(q.Has(SvmFeatures.NestedPaging));
        Assert.False(q.Has(SvmFeatures.NextRipSave));
        Assert.False(q.Has(SvmFeatures.DecodeAssists));
        Assert.False(q.Has(SvmFeatures.VmcbClean));
        Assert.Equal(40, q.PhysicalAddressBits);
        var r = SvmCapabilities.Bochs27Ryzen;
        Assert.True(r.Has(SvmFeatures.NestedPaging | SvmFeatures.NextRipSave));
        Assert.False(SvmCapabilities.Bochs27Phenom.Has(SvmFeatures.NextRipSave));
        var fromCpuid = SvmCapabilities.FromCpuid(1, 16, 1, (1u << 29) | (1u << 20), 0x3028, 0, 0, 0);
        Assert.Equal(40, fromCpuid.PhysicalAddressBits);
        Assert.Equal(48, fromCpuid.LinearAddressBits);
        Assert.True(fromCpuid.LongMode);
        Assert.Equal(SvmFeatures.NestedPaging, fromCpuid.Features);
    }
}
