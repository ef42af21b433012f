using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Layout;

/// <summary>
/// The VMCB layout against the APM's Appendix B tables (transcribed in Data/vmcb-layout.csv): one case per
/// field. Each case writes all-ones through the C# field into a zeroed VMCB and checks that exactly the
/// bytes the APM assigns to the field changed, so both the offset and the width are proven from memory.
/// </summary>
public sealed class VmcbLayoutTests
{
    public sealed record Row(string Area, string Field, int Offset, int Size, string Reference);

    public static IEnumerable<Row> Rows()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "vmcb-layout.csv");
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] p = line.Split(',', 5);
            yield return new Row(p[0], p[1], int.Parse(p[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), int.Parse(p[3], CultureInfo.InvariantCulture), p[4]);
        }
    }

    public static TheoryData<string, string, int, int> Fields()
    {
        var d = new TheoryData<string, string, int, int>();
        foreach (Row r in Rows()) d.Add(r.Area, r.Field, r.Offset, r.Size);
        return d;
    }

    private static object AllOnes(Type t)
    {
        var m = typeof(VmcbLayoutTests).GetMethod(nameof(AllOnesOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t);
        return m.Invoke(null, null)!;
    }

    private static T AllOnesOf<T>() where T : unmanaged
    {
        T v = default;
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref v, 1)).Fill(0xFF);
        return v;
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Field_occupies_exactly_the_APM_bytes(string area, string field, int offset, int size)
    {
        Type areaType = area == "control" ? typeof(VmcbControlArea) : typeof(VmcbStateSaveArea);
        FieldInfo f = areaType.GetField(field, BindingFlags.Public | BindingFlags.Instance)!;
        Assert.NotNull(f);
        Assert.Equal(size, (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(f.FieldType).Invoke(null, null)!);

        object boxedArea = area == "control" ? new VmcbControlArea() : new VmcbStateSaveArea();
        f.SetValue(boxedArea, AllOnes(f.FieldType));
        var vmcb = new Vmcb();
        if (area == "control") vmcb.Control = (VmcbControlArea)boxedArea; else vmcb.Save = (VmcbStateSaveArea)boxedArea;

        Span<byte> bytes = Vmcb.AsBytes(ref vmcb);
        for (int i = 0; i < Vmcb.Size; i++)
        {
            bool inside = i >= offset && i < offset + size;
            Assert.True(inside ? bytes[i] == 0xFF : bytes[i] == 0, $"{field}: byte {i:X3}h is {bytes[i]:X2}h");
        }
    }

    [Fact]
    public void Every_public_field_is_in_the_APM_table()
    {
        var table = Rows().Select(r => (r.Area, r.Field)).ToHashSet();
        foreach (FieldInfo f in typeof(VmcbControlArea).GetFields(BindingFlags.Public | BindingFlags.Instance))
            Assert.Contains(("control", f.Name), table);
        foreach (FieldInfo f in typeof(VmcbStateSaveArea).GetFields(BindingFlags.Public | BindingFlags.Instance))
            Assert.Contains(("save", f.Name), table);
    }

    [Fact]
    public void Sizes_are_pinned()
    {
        Assert.Equal(4096, Unsafe.SizeOf<Vmcb>());
        Assert.Equal(0x400, Unsafe.SizeOf<VmcbControlArea>());
        Assert.Equal(0xC00, Unsafe.SizeOf<VmcbStateSaveArea>());
        Assert.Equal(16, Unsafe.SizeOf<VmcbSegment>());
        Assert.Equal(2, Unsafe.SizeOf<SvmSegmentAttributes>());
        Assert.Equal(8, Unsafe.SizeOf<SvmEvent>());
        Assert.Equal(8, Unsafe.SizeOf<SvmVirtualInterruptControl>());
        Assert.Equal(16, Unsafe.SizeOf<VmcbGuestInstructionBytes>());
        var v = new Vmcb();
        Assert.Equal(0x400, (int)Unsafe.ByteOffset(ref Unsafe.As<VmcbControlArea, byte>(ref v.Control), ref Unsafe.As<VmcbStateSaveArea, byte>(ref v.Save)));
    }

    [Fact]
    public void Segment_fields_match_the_APM_segment_layout()
    {
        // Table B-2: each segment is selector (+0, 16 bits), attrib (+2, 16 bits), limit (+4, 32 bits), base (+8, 64 bits).
        var s = new VmcbSegment(0x1234, new SvmSegmentAttributes(0x0A9B), 0x89ABCDEF, 0x0011223344556677);
        Span<byte> b = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref s, 1));
        Assert.Equal(new byte[] { 0x34, 0x12, 0x9B, 0x0A, 0xEF, 0xCD, 0xAB, 0x89, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 }, b.ToArray());
    }

    [Fact]
    public void Vmcb_is_usable_in_place_over_a_page()
    {
        byte[] page = new byte[4096];
        ref Vmcb v = ref Vmcb.FromPage(page);
        v.Save.Rip = 0x1122334455667788;
        v.Control.GuestAsid = 7;
        Assert.Equal(0x88, page[0x578]);
        Assert.Equal(7, page[0x58]);
        ref Vmcb bad = ref Vmcb.TryFromPage(new byte[100], out bool ok);
        Assert.False(ok);
        Assert.True(Unsafe.IsNullRef(ref bad));
    }
}
