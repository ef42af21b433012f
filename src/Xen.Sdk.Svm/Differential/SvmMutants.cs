using System;
using System.Buffers.Binary;

namespace Xen.Sdk.Svm;

/// <summary>How a mutant patch combines its value with the field.</summary>
public enum SvmPatchOperation : byte
{
    /// <summary>field = value.</summary>
    Set = 0,
    /// <summary>field |= value.</summary>
    Or = 1,
    /// <summary>field &amp;= ~value.</summary>
    AndNot = 2,
    /// <summary>field ^= value.</summary>
    Xor = 3,
}

/// <summary>One field patch of a mutant: an operation on 1, 2, 4 or 8 bytes at a VMCB offset.</summary>
public readonly struct SvmMutantPatch
{
    /// <summary>Creates a patch.</summary>
    /// <param name="offset">VMCB offset (0-FFFh, aligned to the width).</param>
    /// <param name="width">1, 2, 4 or 8.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="value">The operand.</param>
    public SvmMutantPatch(ushort offset, byte width, SvmPatchOperation operation, ulong value)
    {
        Offset = offset;
        Width = width;
        Operation = operation;
        Value = value;
    }

    /// <summary>VMCB offset.</summary>
    public ushort Offset { get; }
    /// <summary>Width in bytes.</summary>
    public byte Width { get; }
    /// <summary>Operation.</summary>
    public SvmPatchOperation Operation { get; }
    /// <summary>Operand.</summary>
    public ulong Value { get; }

    /// <summary>Whether offset and width are usable on a 4 KiB VMCB.</summary>
    public bool IsValid => (Width == 1 || Width == 2 || Width == 4 || Width == 8) && Offset + Width <= Vmcb.Size && (Offset & (Width - 1)) == 0 && Operation <= SvmPatchOperation.Xor;

    /// <summary>Applies the patch to a VMCB's bytes.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <returns>False (nothing written) if the patch is invalid.</returns>
    public bool TryApply(ref Vmcb vmcb)
    {
        if (!IsValid) return false;
        Span<byte> f = Vmcb.AsBytes(ref vmcb).Slice(Offset, Width);
        ulong old = Width switch
        {
            1 => f[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(f),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(f),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(f),
        };
        ulong v = Operation switch
        {
            SvmPatchOperation.Set => Value,
            SvmPatchOperation.Or => old | Value,
            SvmPatchOperation.AndNot => old & ~Value,
            _ => old ^ Value,
        };
        switch (Width)
        {
            case 1: f[0] = (byte)v; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(f, (ushort)v); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(f, (uint)v); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(f, v); break;
        }
        return true;
    }
}

/// <summary>
/// The differential-test mutant module: a compact little-endian binary list the reference kernel reads from a
/// boot module. Each mutant is up to <see cref="MaxPatches"/> patches applied to the kernel's known-good VMCB
/// before one VMRUN. Layout (docs/svm.md "Differential testing"):
/// <code>
/// header (32 bytes): magic "XSVMMUT1" | u32 version = 1 | u32 count | u32 recordSize = 72 | u32 flags = 0 | u64 reserved = 0
/// record (72 bytes): u32 id | u8 patchCount | u8 flags | u16 reserved = 0   (flags bit 0: skip on Bochs 2.7, which PANICs)
///                    4 × patch (16 bytes): u16 offset | u8 width | u8 operation | u32 reserved = 0 | u64 value
/// </code>
/// </summary>
/// <remarks>Freestanding: the reader works on a span over the module, allocation-free.</remarks>
public static class SvmMutantFile
{
    /// <summary>Header size.</summary>
    public const int HeaderSize = 32;
    /// <summary>Record size.</summary>
    public const int RecordSize = 72;
    /// <summary>Patches per record.</summary>
    public const int MaxPatches = 4;
    /// <summary>Format version.</summary>
    public const uint Version = 1;
    /// <summary>The magic, "XSVMMUT1" as a little-endian u64.</summary>
    public const ulong Magic = 0x3154554D4D565358ul;

    /// <summary>Validates the header and returns the number of mutants.</summary>
    /// <param name="module">The module bytes.</param>
    /// <param name="count">Number of records.</param>
    /// <returns>False if the header is wrong or the module is truncated.</returns>
    public static bool TryGetCount(ReadOnlySpan<byte> module, out int count)
    {
        count = 0;
        if (module.Length < HeaderSize) return false;
        if (BinaryPrimitives.ReadUInt64LittleEndian(module) != Magic) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(module.Slice(8)) != Version) return false;
        uint n = BinaryPrimitives.ReadUInt32LittleEndian(module.Slice(12));
        if (BinaryPrimitives.ReadUInt32LittleEndian(module.Slice(16)) != RecordSize) return false;
        if (n > (uint)((module.Length - HeaderSize) / RecordSize)) return false;
        count = (int)n;
        return true;
    }

    /// <summary>Reads one mutant's id and patch count.</summary>
    /// <param name="module">The module bytes (header validated by <see cref="TryGetCount"/>).</param>
    /// <param name="index">Record index.</param>
    /// <param name="id">Mutant id.</param>
    /// <param name="patchCount">Number of patches (0-4).</param>
    /// <returns>False if out of range or malformed.</returns>
    public static bool TryReadRecord(ReadOnlySpan<byte> module, int index, out uint id, out int patchCount)
    {
        id = 0;
        patchCount = 0;
        int at = HeaderSize + index * RecordSize;
        if (index < 0 || at + RecordSize > module.Length) return false;
        id = BinaryPrimitives.ReadUInt32LittleEndian(module.Slice(at));
        patchCount = module[at + 4];
        return patchCount <= MaxPatches;
    }

    /// <summary>Record flag: the mutant makes Bochs 2.7 stop with a PANIC; runners on Bochs skip it and print
    /// <c>SVMMUT id=XXXXXXXX skipped</c>.</summary>
    public const byte FlagSkipOnBochs = 1;

    /// <summary>Reads a record's flags.</summary>
    /// <param name="module">The module bytes.</param>
    /// <param name="index">Record index.</param>
    /// <returns>The flags (0 if out of range).</returns>
    public static byte ReadFlags(ReadOnlySpan<byte> module, int index)
    {
        int at = HeaderSize + index * RecordSize;
        return index < 0 || at + RecordSize > module.Length ? (byte)0 : module[at + 5];
    }

    /// <summary>Reads patch <paramref name="patch"/> of record <paramref name="index"/>.</summary>
    /// <param name="module">The module bytes.</param>
    /// <param name="index">Record index.</param>
    /// <param name="patch">Patch index (0-3).</param>
    /// <returns>The patch (invalid if out of range).</returns>
    public static SvmMutantPatch ReadPatch(ReadOnlySpan<byte> module, int index, int patch)
    {
        int at = HeaderSize + index * RecordSize + 8 + patch * 16;
        if (index < 0 || (uint)patch >= MaxPatches || at + 16 > module.Length) return default;
        return new SvmMutantPatch(BinaryPrimitives.ReadUInt16LittleEndian(module.Slice(at)), module[at + 2],
            (SvmPatchOperation)module[at + 3], BinaryPrimitives.ReadUInt64LittleEndian(module.Slice(at + 8)));
    }

    /// <summary>Applies every patch of a record to a VMCB (which should hold a fresh copy of the known-good VMCB).</summary>
    /// <param name="module">The module bytes.</param>
    /// <param name="index">Record index.</param>
    /// <param name="vmcb">The VMCB.</param>
    /// <returns>False if the record or a patch is malformed.</returns>
    public static bool TryApply(ReadOnlySpan<byte> module, int index, ref Vmcb vmcb)
    {
        if (!TryReadRecord(module, index, out _, out int n)) return false;
        for (int p = 0; p < n; p++)
        {
            if (!ReadPatch(module, index, p).TryApply(ref vmcb)) return false;
        }
        return true;
    }

    /// <summary>Writes the header.</summary>
    /// <param name="destination">At least <see cref="HeaderSize"/> bytes.</param>
    /// <param name="count">Number of records that follow.</param>
    /// <returns>False if too short.</returns>
    public static bool TryWriteHeader(Span<byte> destination, int count)
    {
        if (destination.Length < HeaderSize || count < 0) return false;
        destination.Slice(0, HeaderSize).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(12), (uint)count);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(16), RecordSize);
        return true;
    }

    /// <summary>Writes record <paramref name="index"/>.</summary>
    /// <param name="module">The whole module buffer.</param>
    /// <param name="index">Record index.</param>
    /// <param name="id">Mutant id.</param>
    /// <param name="patches">Up to four patches.</param>
    /// <returns>False if out of range or too many patches.</returns>
    public static bool TryWriteRecord(Span<byte> module, int index, uint id, ReadOnlySpan<SvmMutantPatch> patches)
        => TryWriteRecord(module, index, id, 0, patches);

    /// <summary>Writes record <paramref name="index"/> with flags.</summary>
    /// <param name="module">The whole module buffer.</param>
    /// <param name="index">Record index.</param>
    /// <param name="id">Mutant id.</param>
    /// <param name="flags">Record flags (<see cref="FlagSkipOnBochs"/>).</param>
    /// <param name="patches">Up to four patches.</param>
    /// <returns>False if out of range or too many patches.</returns>
    public static bool TryWriteRecord(Span<byte> module, int index, uint id, byte flags, ReadOnlySpan<SvmMutantPatch> patches)
    {
        int at = HeaderSize + index * RecordSize;
        if (index < 0 || patches.Length > MaxPatches || at + RecordSize > module.Length) return false;
        Span<byte> r = module.Slice(at, RecordSize);
        r.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(r, id);
        r[4] = (byte)patches.Length;
        r[5] = flags;
        for (int p = 0; p < patches.Length; p++)
        {
            Span<byte> q = r.Slice(8 + p * 16, 16);
            BinaryPrimitives.WriteUInt16LittleEndian(q, patches[p].Offset);
            q[2] = patches[p].Width;
            q[3] = (byte)patches[p].Operation;
            BinaryPrimitives.WriteUInt64LittleEndian(q.Slice(8), patches[p].Value);
        }
        return true;
    }
}

/// <summary>
/// Formats the kernel's result line for one mutant, without allocation or string formatting:
/// <c>SVMMUT id=XXXXXXXX exit=XXXXXXXXXXXXXXXX info1=XXXXXXXXXXXXXXXX info2=XXXXXXXXXXXXXXXX intinfo=XXXXXXXXXXXXXXXX\n</c>
/// (upper-case hex, fixed width, 112 bytes).
/// </summary>
public static class SvmMutantResultLine
{
    /// <summary>Length of one line including the newline.</summary>
    public const int Length = 112;

    /// <summary>Writes the line for a mutant after its VMRUN returned.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <param name="id">Mutant id.</param>
    /// <param name="vmcb">The VMCB after the #VMEXIT.</param>
    /// <returns>Bytes written (0 if the buffer is too short).</returns>
    public static int Format(Span<byte> destination, uint id, in Vmcb vmcb)
    {
        if (destination.Length < Length) return 0;
        int p = 0;
        p = Put(destination, p, "SVMMUT id=");
        p = Hex(destination, p, id, 8);
        p = Put(destination, p, " exit=");
        p = Hex(destination, p, vmcb.Control.ExitCode, 16);
        p = Put(destination, p, " info1=");
        p = Hex(destination, p, vmcb.Control.ExitInfo1, 16);
        p = Put(destination, p, " info2=");
        p = Hex(destination, p, vmcb.Control.ExitInfo2, 16);
        p = Put(destination, p, " intinfo=");
        p = Hex(destination, p, vmcb.Control.ExitIntInfo.Value, 16);
        destination[p++] = (byte)'\n';
        return p;
    }

    /// <summary>Length of the base line: <c>SVMMUT-BASE </c> + 8192 hex digits (the 4096 VMCB bytes in
    /// address order, two upper-case digits each) + newline.</summary>
    public const int BaseLength = 12 + 2 * Vmcb.Size + 1;

    /// <summary>Writes the <c>SVMMUT-BASE</c> line: the known-good VMCB exactly as the kernel built it
    /// (with its real IOPM/MSRPM/N_CR3 addresses), so the host predicts from the same bytes.</summary>
    /// <param name="destination">At least <see cref="BaseLength"/> bytes.</param>
    /// <param name="vmcb">The known-good VMCB.</param>
    /// <returns>Bytes written (0 if the buffer is too short).</returns>
    public static int FormatBase(Span<byte> destination, ref Vmcb vmcb)
    {
        if (destination.Length < BaseLength) return 0;
        int p = Put(destination, 0, "SVMMUT-BASE ");
        Span<byte> bytes = Vmcb.AsBytes(ref vmcb);
        for (int i = 0; i < bytes.Length; i++) p = Hex(destination, p, bytes[i], 2);
        destination[p++] = (byte)'\n';
        return p;
    }

    private static int Put(Span<byte> d, int p, string s)
    {
        for (int i = 0; i < s.Length; i++) d[p++] = (byte)s[i];
        return p;
    }

    private static int Hex(Span<byte> d, int p, ulong v, int digits)
    {
        for (int i = digits - 1; i >= 0; i--)
        {
            int n = (int)((v >> (i * 4)) & 0xF);
            d[p++] = (byte)(n < 10 ? '0' + n : 'A' + n - 10);
        }
        return p;
    }
}
