using System;
using System.IO;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Vmx.Diagnostics;
using Xunit;

namespace Xen.Sdk.Vmx.Tests.Fields;

public sealed class VmcsFieldTableTests
{
    [Fact]
    public void GeneratedFilesAreUpToDate()
    {
        var rows = VmcsFieldGenerator.Parse(File.ReadAllText(VmcsFieldGenerator.CsvPath));
        string fields = VmcsFieldGenerator.GenerateFields(rows);
        string info = VmcsFieldGenerator.GenerateInfo(rows);
        if (Environment.GetEnvironmentVariable("XEN_SDK_REGENERATE") == "1")
        {
            File.WriteAllText(VmcsFieldGenerator.FieldsPath, fields);
            File.WriteAllText(VmcsFieldGenerator.InfoPath, info);
        }

        Assert.Equal(fields, File.ReadAllText(VmcsFieldGenerator.FieldsPath));
        Assert.Equal(info, File.ReadAllText(VmcsFieldGenerator.InfoPath));
    }

    [Fact]
    public void CompiledTableMatchesCsv()
    {
        var rows = VmcsFieldGenerator.Parse(File.ReadAllText(VmcsFieldGenerator.CsvPath));
        Assert.True(rows.Count == VmcsFields.Count, $"CSV has {rows.Count} rows, compiled table {VmcsFields.Count}");
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Encoding, VmcsFields.EncodingAt(i));
            Assert.Equal((byte)i, VmcsFields.OrdinalOf(rows[i].Encoding));
            Assert.Equal(rows[i].Name, VmcsFieldInfo.Name(i));
            if (rows[i].Width == VmcsFieldWidth.Bits64)
            {
                Assert.Equal((byte)i, VmcsFields.OrdinalOf(rows[i].Encoding | 1));
            }
            else
            {
                Assert.Equal(VmcsFieldId.NoOrdinal, VmcsFields.OrdinalOf(rows[i].Encoding | 1));
            }
        }
    }

    // Encodings quoted from the SDM's Appendix B tables (Intel SDM Vol. 3D §B.1-§B.4) with the parts the
    // encoding rules give them (Intel SDM Vol. 3C §25.11.2).
    [Theory]
    [InlineData(0x0000u, VmcsFieldWidth.Bits16, VmcsFieldGroup.Control, 0u, "VirtualProcessorId")]
    [InlineData(0x0802u, VmcsFieldWidth.Bits16, VmcsFieldGroup.Guest, 1u, "GuestCsSelector")]
    [InlineData(0x0C0Cu, VmcsFieldWidth.Bits16, VmcsFieldGroup.Host, 6u, "HostTrSelector")]
    [InlineData(0x201Au, VmcsFieldWidth.Bits64, VmcsFieldGroup.Control, 13u, "EptPointer")]
    [InlineData(0x2400u, VmcsFieldWidth.Bits64, VmcsFieldGroup.ReadOnly, 0u, "GuestPhysicalAddress")]
    [InlineData(0x2800u, VmcsFieldWidth.Bits64, VmcsFieldGroup.Guest, 0u, "VmcsLinkPointer")]
    [InlineData(0x2C02u, VmcsFieldWidth.Bits64, VmcsFieldGroup.Host, 1u, "HostIa32Efer")]
    [InlineData(0x4002u, VmcsFieldWidth.Bits32, VmcsFieldGroup.Control, 1u, "PrimaryProcessorBasedControls")]
    [InlineData(0x4402u, VmcsFieldWidth.Bits32, VmcsFieldGroup.ReadOnly, 1u, "ExitReason")]
    [InlineData(0x4826u, VmcsFieldWidth.Bits32, VmcsFieldGroup.Guest, 19u, "GuestActivityState")]
    [InlineData(0x4C00u, VmcsFieldWidth.Bits32, VmcsFieldGroup.Host, 0u, "HostIa32SysenterCs")]
    [InlineData(0x6400u, VmcsFieldWidth.Natural, VmcsFieldGroup.ReadOnly, 0u, "ExitQualification")]
    [InlineData(0x681Eu, VmcsFieldWidth.Natural, VmcsFieldGroup.Guest, 15u, "GuestRip")]
    [InlineData(0x6C16u, VmcsFieldWidth.Natural, VmcsFieldGroup.Host, 11u, "HostRip")]
    public void SdmEncodingsDecompose(uint encoding, VmcsFieldWidth width, VmcsFieldGroup group, uint index, string name)
    {
        Assert.Equal(width, VmcsEncoding.GetWidth(encoding));
        Assert.Equal(group, VmcsEncoding.GetGroup(encoding));
        Assert.Equal(index, VmcsEncoding.GetIndex(encoding));
        Assert.Equal(encoding, VmcsEncoding.Compose(width, group, index));
        Assert.True(VmcsFieldInfo.TryFind(name, out VmcsFieldId id));
        Assert.Equal(encoding, id.Encoding);
    }

    [Theory]
    [InlineData(0x1000u)] // bit 12 reserved
    [InlineData(0x8000u)] // bits 31:15 reserved
    [InlineData(0x0801u)] // high access of a 16-bit field
    [InlineData(0x4001u)] // high access of a 32-bit field
    [InlineData(0x6801u)] // high access of a natural-width field
    public void MalformedEncodingsAreRejected(uint encoding)
    {
        Assert.False(VmcsEncoding.IsWellFormed(encoding));
        Assert.Equal(VmcsFieldId.NoOrdinal, VmcsFields.OrdinalOf(encoding));
    }

    [Property]
    public bool ComposeDecomposeRoundTrips(byte widthBits, byte groupBits, ushort indexBits, bool high)
    {
        var w = (VmcsFieldWidth)(widthBits & 3);
        var g = (VmcsFieldGroup)(groupBits & 3);
        uint index = indexBits & 0x1FFu;
        uint e = VmcsEncoding.Compose(w, g, index, high);
        return VmcsEncoding.GetWidth(e) == w && VmcsEncoding.GetGroup(e) == g && VmcsEncoding.GetIndex(e) == index
            && VmcsEncoding.IsHighAccess(e) == high
            && VmcsEncoding.IsWellFormed(e) == (!high || w == VmcsFieldWidth.Bits64);
    }

    [Property]
    public bool OrdinalLookupAgreesWithLinearSearch(uint encoding)
    {
        encoding &= 0x7FFF; // also exercise arbitrary values below
        byte expected = VmcsFieldId.NoOrdinal;
        for (int i = 0; i < VmcsFields.Count; i++)
        {
            uint e = VmcsFields.EncodingAt(i);
            if (e == encoding || (VmcsEncoding.GetWidth(e) == VmcsFieldWidth.Bits64 && (e | 1) == encoding))
            {
                expected = (byte)i;
            }
        }

        return VmcsFields.OrdinalOf(encoding) == expected;
    }
}
