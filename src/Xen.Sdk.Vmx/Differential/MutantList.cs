using System;
using System.Buffers.Binary;
using Xen.Sdk.Vmx.Checking;

namespace Xen.Sdk.Vmx.Differential;

/// <summary>How a mutant edits one field.</summary>
public enum MutantOperation : byte
{
    /// <summary>field = value.</summary>
    Set = 0,
    /// <summary>field |= value.</summary>
    Or = 1,
    /// <summary>field &amp;= value.</summary>
    And = 2,
    /// <summary>field ^= value.</summary>
    Xor = 3,
}

/// <summary>One field edit of a mutant (16 bytes on disk: u32 encoding, u8 operation, 3 zero bytes, u64 value).</summary>
/// <param name="Encoding">VMCS field encoding.</param>
/// <param name="Operation">Operation.</param>
/// <param name="Value">Operand.</param>
public readonly record struct MutantEdit(uint Encoding, MutantOperation Operation, ulong Value)
{
    /// <summary>Applies the edit (read-modify-write).</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <returns>The VMWRITE result (or the VMREAD failure).</returns>
    public VmxInstructionResult ApplyTo<TVmcs>(TVmcs vmcs) where TVmcs : IVmcsAccess
    {
        VmcsFieldId id = VmcsFieldId.FromEncoding(Encoding);
        ulong v = Value;
        if (Operation != MutantOperation.Set)
        {
            VmxInstructionResult r = vmcs.Read(id, out ulong old);
            if (!r.Succeeded)
            {
                return r;
            }

            v = Operation switch
            {
                MutantOperation.Or => old | Value,
                MutantOperation.And => old & Value,
                _ => old ^ Value,
            };
        }

        return vmcs.Write(id, v);
    }
}

/// <summary>
/// Reader of a VMX mutant list: the boot-module format the differential test hands to the reference kernel
/// (one module, many mutants, one VMLAUNCH each). Layout (little-endian), see docs/vmx.md:
/// <code>
/// header, 32 bytes:  u32 magic "VMXM", u16 version 1, u16 header size 32, u32 mutant count,
///                    u32 base-image offset, u32 base-image length, u32 mutant-table offset,
///                    u32 capability-snapshot offset (0 = none), u32 zero
/// base image:        a serialized VmcsImage ("VMCI" format) holding the known-good VMCS
/// capabilities:      a serialized VmxCapabilities ("VMXC"), the snapshot the predictions were made for
/// mutant records:    u32 id, u8 flags (bit 0 VMRESUME, bit 1 launched), u8 edit count n,
///                    u8 memory-dependent checks the prediction skipped (capped at 255), u8 zero,
///                    u8 predicted kind, u8 predicted VM-instruction error, u16 predicted basic exit reason,
///                    u32 predicted qualification, u16 first failing check id, u16 zero,
///                    then n 16-byte edits
/// </code>
/// Parsing never throws and never allocates: malformed input gives false.
/// </summary>
public readonly ref struct MutantList
{
    /// <summary>"VMXM" little-endian.</summary>
    public const uint Magic = 0x4D584D56;
    /// <summary>Header size.</summary>
    public const int HeaderSize = 32;
    /// <summary>Fixed part of a mutant record.</summary>
    public const int RecordHeaderSize = 20;
    /// <summary>Size of one edit.</summary>
    public const int EditSize = 16;

    private readonly ReadOnlySpan<byte> _data;

    private MutantList(ReadOnlySpan<byte> data, int count, int tableOffset)
    {
        _data = data;
        Count = count;
        TableOffset = tableOffset;
    }

    /// <summary>Number of mutants.</summary>
    public int Count { get; }

    private int TableOffset { get; }

    /// <summary>The serialized base image (load it with <see cref="VmcsImage.TryReadFrom"/>).</summary>
    public ReadOnlySpan<byte> BaseImage
    {
        get
        {
            int off = (int)BinaryPrimitives.ReadUInt32LittleEndian(_data[12..]);
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(_data[16..]);
            return _data.Slice(off, len);
        }
    }

    /// <summary>Reads the capability snapshot stored in the list, if any.</summary>
    /// <param name="capabilities">The snapshot.</param>
    /// <returns>False when none is stored or it is malformed.</returns>
    public bool TryGetCapabilities(out VmxCapabilities capabilities)
    {
        capabilities = default;
        uint off = BinaryPrimitives.ReadUInt32LittleEndian(_data[24..]);
        return off != 0 && off <= (uint)_data.Length && VmxCapabilities.TryReadFrom(_data[(int)off..], out capabilities);
    }

    /// <summary>Validates the header and every record's bounds.</summary>
    /// <param name="data">The module bytes.</param>
    /// <param name="list">The list.</param>
    /// <returns>False for malformed data.</returns>
    public static bool TryOpen(ReadOnlySpan<byte> data, out MutantList list)
    {
        list = default;
        if (data.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(data[4..]) != 1 || BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) != HeaderSize)
        {
            return false;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        uint baseOff = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        uint baseLen = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]);
        uint table = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]);
        if ((ulong)baseOff + baseLen > (ulong)data.Length || table > (uint)data.Length)
        {
            return false;
        }

        int at = (int)table;
        for (uint i = 0; i < count; i++)
        {
            if (at + RecordHeaderSize > data.Length)
            {
                return false;
            }

            at += RecordHeaderSize + EditSize * data[at + 5];
            if (at > data.Length)
            {
                return false;
            }
        }

        list = new MutantList(data, (int)count, (int)table);
        return true;
    }

    /// <summary>Enumerates the mutants in order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_data, TableOffset, Count);

    /// <summary>Struct enumerator over the records.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _next;
        private int _left;

        internal Enumerator(ReadOnlySpan<byte> data, int offset, int count)
        {
            _data = data;
            _next = offset;
            _left = count;
            Current = default;
        }

        /// <summary>The current mutant.</summary>
        public Mutant Current { get; private set; }

        /// <summary>Advances.</summary>
        /// <returns>False at the end.</returns>
        public bool MoveNext()
        {
            if (_left == 0)
            {
                return false;
            }

            int n = _data[_next + 5];
            int size = RecordHeaderSize + EditSize * n;
            Current = new Mutant(_data.Slice(_next, size));
            _next += size;
            _left--;
            return true;
        }
    }
}

/// <summary>One mutant record of a <see cref="MutantList"/>.</summary>
public readonly ref struct Mutant
{
    private readonly ReadOnlySpan<byte> _record;

    internal Mutant(ReadOnlySpan<byte> record) => _record = record;

    /// <summary>Mutant id (printed in the result line).</summary>
    public uint Id => BinaryPrimitives.ReadUInt32LittleEndian(_record);

    /// <summary>True to enter with VMRESUME.</summary>
    public bool Resume => (_record[4] & 1) != 0;

    /// <summary>True when the VMCS must be in the launched state (enter once successfully first).</summary>
    public bool Launched => (_record[4] & 2) != 0;

    /// <summary>Number of field edits.</summary>
    public int EditCount => _record[5];

    /// <summary>Memory-dependent checks the prediction could not run (the prediction is then uncertain).</summary>
    public int SkippedMemoryChecks => _record[6];

    /// <summary>The checker's prediction stored with the mutant.</summary>
    public EntryOutcome Predicted => new(
        (EntryOutcomeKind)_record[8], (VmInstructionError)_record[9], BinaryPrimitives.ReadUInt16LittleEndian(_record[10..]),
        BinaryPrimitives.ReadUInt32LittleEndian(_record[12..]));

    /// <summary>The first failing check the checker predicted (<see cref="EntryCheckId.None"/> for success).</summary>
    public EntryCheckId PredictedCheck => (EntryCheckId)BinaryPrimitives.ReadUInt16LittleEndian(_record[16..]);

    /// <summary>Edit <paramref name="index"/>.</summary>
    /// <param name="index">0 &lt;= index &lt; <see cref="EditCount"/>.</param>
    /// <returns>The edit.</returns>
    public MutantEdit Edit(int index)
    {
        ReadOnlySpan<byte> e = _record.Slice(MutantList.RecordHeaderSize + MutantList.EditSize * index, MutantList.EditSize);
        return new MutantEdit(BinaryPrimitives.ReadUInt32LittleEndian(e), (MutantOperation)e[4], BinaryPrimitives.ReadUInt64LittleEndian(e[8..]));
    }

    /// <summary>Applies every edit in order; stops at the first failing access.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS (the base image already loaded).</param>
    /// <returns>Success, or the failing access.</returns>
    public VmxInstructionResult ApplyTo<TVmcs>(TVmcs vmcs) where TVmcs : IVmcsAccess
    {
        for (int i = 0; i < EditCount; i++)
        {
            VmxInstructionResult r = Edit(i).ApplyTo(vmcs);
            if (!r.Succeeded)
            {
                return r;
            }
        }

        return VmxInstructionResult.Success;
    }
}
