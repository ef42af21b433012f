using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Vmx;

/// <summary>Launch state of a VMCS (Intel SDM Vol. 3C §25.1).</summary>
public enum VmcsLaunchState : byte
{
    /// <summary>Clear: VMLAUNCH is the entry instruction to use.</summary>
    Clear = 0,
    /// <summary>Launched: VMRESUME is the entry instruction to use.</summary>
    Launched = 1,
}

/// <summary>
/// An in-memory VMCS: one value per field of <see cref="VmcsFields"/>, a presence bit per field, the
/// revision identifier and launch state. It behaves like VMREAD/VMWRITE (width truncation, high access of
/// 64-bit fields, error 12 for an unknown field), except that read-only fields are writable so exits and
/// snapshots can be recorded. Allocate once and reuse: no member allocates.
/// </summary>
public sealed class VmcsImage : IVmcsAccess
{
    /// <summary>Bytes of one serialized field record (u32 encoding, u32 zero, u64 value).</summary>
    public const int RecordSize = 16;

    /// <summary>Bytes of the serialized header.</summary>
    public const int HeaderSize = 16;

    /// <summary>Magic of the serialized form, "VMCI" little-endian.</summary>
    public const uint Magic = 0x49434D56;

    private readonly ulong[] _values = new ulong[VmcsFields.Count];
    private readonly ulong[] _present = new ulong[(VmcsFields.Count + 63) / 64];

    /// <summary>Creates an empty image (no field present).</summary>
    /// <param name="revisionId">VMCS revision identifier, IA32_VMX_BASIC bits 30:0.</param>
    public VmcsImage(uint revisionId = 0) => RevisionId = revisionId;

    /// <summary>VMCS revision identifier (bits 30:0 of the region's first dword).</summary>
    public uint RevisionId { get; set; }

    /// <summary>Launch state.</summary>
    public VmcsLaunchState LaunchState { get; set; }

    /// <summary>Removes every field and sets the revision identifier.</summary>
    /// <param name="revisionId">Revision identifier.</param>
    public void Reset(uint revisionId)
    {
        new System.Span<ulong>(_values).Clear();
        new System.Span<ulong>(_present).Clear();
        RevisionId = revisionId;
        LaunchState = VmcsLaunchState.Clear;
    }

    /// <summary>Copies every value, presence bit, revision and launch state from another image.</summary>
    /// <param name="source">Source image.</param>
    public void CopyFrom(VmcsImage source)
    {
        new System.ReadOnlySpan<ulong>(source._values).CopyTo(_values);
        new System.ReadOnlySpan<ulong>(source._present).CopyTo(_present);
        RevisionId = source.RevisionId;
        LaunchState = source.LaunchState;
    }

    /// <summary>True when the field with this ordinal was written.</summary>
    /// <param name="ordinal">Table ordinal.</param>
    /// <returns>True when present.</returns>
    public bool IsPresent(int ordinal) => (uint)ordinal < VmcsFields.Count && (_present[ordinal >> 6] & (1UL << ordinal)) != 0;

    /// <summary>Marks a field absent (reads then fail with error 12, as for an unsupported field).</summary>
    /// <param name="field">Field.</param>
    public void Remove(VmcsFieldId field)
    {
        int o = Resolve(field);
        if (o >= 0)
        {
            _present[o >> 6] &= ~(1UL << o);
            _values[o] = 0;
        }
    }

    /// <summary>Raw stored value by ordinal (0 when absent).</summary>
    /// <param name="ordinal">Table ordinal.</param>
    /// <returns>Value.</returns>
    public ulong ValueAt(int ordinal) => _values[ordinal];

    /// <summary>Number of present fields.</summary>
    public int PresentCount
    {
        get
        {
            int n = 0;
            foreach (ulong w in _present)
            {
                // Kernighan's loop: one iteration per set bit (no BCL dependency).
                for (ulong x = w; x != 0; x &= x - 1)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <inheritdoc/>
    public VmxInstructionResult Read(VmcsFieldId field, out ulong value)
    {
        int o = Resolve(field);
        if (o < 0 || (_present[o >> 6] & (1UL << o)) == 0)
        {
            value = 0;
            return VmxInstructionResult.FailValid(VmInstructionError.UnsupportedVmcsComponent);
        }

        ulong v = _values[o];
        value = VmcsEncoding.IsHighAccess(field.Encoding) ? v >> 32 : v;
        return VmxInstructionResult.Success;
    }

    /// <inheritdoc/>
    public VmxInstructionResult Write(VmcsFieldId field, ulong value)
    {
        int o = Resolve(field);
        if (o < 0)
        {
            return VmxInstructionResult.FailValid(VmInstructionError.UnsupportedVmcsComponent);
        }

        if (VmcsEncoding.IsHighAccess(field.Encoding))
        {
            _values[o] = (_values[o] & 0xFFFF_FFFFUL) | (value << 32);
        }
        else
        {
            _values[o] = VmcsEncoding.GetWidth(field.Encoding) switch
            {
                VmcsFieldWidth.Bits16 => value & 0xFFFF,
                VmcsFieldWidth.Bits32 => value & 0xFFFF_FFFF,
                _ => value,
            };
        }

        _present[o >> 6] |= 1UL << o;
        return VmxInstructionResult.Success;
    }

    /// <summary>Reads a 16-bit field (0 when absent).</summary>
    /// <param name="field">Field.</param>
    /// <returns>Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Read(VmcsField16 field) => (ushort)Get(field.Id);

    /// <summary>Reads a 32-bit field (0 when absent).</summary>
    /// <param name="field">Field.</param>
    /// <returns>Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read(VmcsField32 field)
    {
        ulong v = Get(field.Id);
        return (uint)((field.Id.Encoding & 1) != 0 ? v >> 32 : v);
    }

    /// <summary>Reads a 64-bit field (0 when absent).</summary>
    /// <param name="field">Field.</param>
    /// <returns>Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(VmcsField64 field) => Get(field.Id);

    /// <summary>Reads a natural-width field (0 when absent).</summary>
    /// <param name="field">Field.</param>
    /// <returns>Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(VmcsFieldNatural field) => Get(field.Id);

    /// <summary>Writes a 16-bit field.</summary>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    public void Write(VmcsField16 field, ushort value) => Write(field.Id, value);

    /// <summary>Writes a 32-bit field.</summary>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    public void Write(VmcsField32 field, uint value) => Write(field.Id, value);

    /// <summary>Writes a 64-bit field.</summary>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    public void Write(VmcsField64 field, ulong value) => Write(field.Id, value);

    /// <summary>Writes a natural-width field.</summary>
    /// <param name="field">Field.</param>
    /// <param name="value">Value.</param>
    public void Write(VmcsFieldNatural field, ulong value) => Write(field.Id, value);

    /// <summary>Bytes <see cref="TryWriteTo"/> needs for this image.</summary>
    public int SerializedSize => HeaderSize + RecordSize * PresentCount;

    /// <summary>
    /// Serializes: header (u32 magic "VMCI", u32 revision, u8 launch state, u8 version 1, u16 zero,
    /// u32 record count), then one 16-byte record per present field in table order
    /// (u32 encoding, u32 zero, u64 value), little-endian.
    /// </summary>
    /// <param name="destination">Buffer of at least <see cref="SerializedSize"/> bytes.</param>
    /// <param name="written">Bytes written.</param>
    /// <returns>False when the buffer is too small.</returns>
    public bool TryWriteTo(System.Span<byte> destination, out int written)
    {
        written = 0;
        int count = PresentCount;
        if (destination.Length < HeaderSize + RecordSize * count)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], RevisionId);
        destination[8] = (byte)LaunchState;
        destination[9] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)count);
        int at = HeaderSize;
        for (int i = 0; i < VmcsFields.Count; i++)
        {
            if (!IsPresent(i))
            {
                continue;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(destination[at..], VmcsFields.EncodingAt(i));
            BinaryPrimitives.WriteUInt32LittleEndian(destination[(at + 4)..], 0);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 8)..], _values[i]);
            at += RecordSize;
        }

        written = at;
        return true;
    }

    /// <summary>Replaces this image's contents with a serialized image (see <see cref="TryWriteTo"/>).</summary>
    /// <param name="source">Serialized bytes.</param>
    /// <param name="consumed">Bytes consumed.</param>
    /// <returns>False for a bad magic, version, size or unknown encoding (the image is then reset).</returns>
    public bool TryReadFrom(System.ReadOnlySpan<byte> source, out int consumed)
    {
        consumed = 0;
        if (source.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic || source[9] != 1)
        {
            return false;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(source[12..]);
        if (count > VmcsFields.Count || source.Length < HeaderSize + RecordSize * (int)count)
        {
            return false;
        }

        Reset(BinaryPrimitives.ReadUInt32LittleEndian(source[4..]));
        LaunchState = (VmcsLaunchState)(source[8] & 1);
        int at = HeaderSize;
        for (uint i = 0; i < count; i++)
        {
            VmcsFieldId id = VmcsFieldId.FromEncoding(BinaryPrimitives.ReadUInt32LittleEndian(source[at..]));
            if (!id.IsKnown || id.IsHighAccess)
            {
                Reset(0);
                return false;
            }

            Write(id, BinaryPrimitives.ReadUInt64LittleEndian(source[(at + 8)..]));
            at += RecordSize;
        }

        consumed = at;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Get(VmcsFieldId id)
    {
        uint o = id.Ordinal;
        return o < (uint)_values.Length ? _values[o] : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Resolve(VmcsFieldId field)
    {
        if (!VmcsEncoding.IsWellFormed(field.Encoding))
        {
            return -1;
        }

        int o = field.Ordinal;
        if (o >= VmcsFields.Count || VmcsFields.EncodingAt(o) != (field.Encoding & ~1u))
        {
            o = VmcsFields.OrdinalOf(field.Encoding);
            if (o == VmcsFieldId.NoOrdinal)
            {
                return -1;
            }
        }

        return o;
    }
}
