using System.Runtime.CompilerServices;

namespace Xen.Sdk.Vmx;

/// <summary>
/// Every VMCS field of the Intel SDM (Vol. 3D Appendix B), generated from <c>Fields/VmcsFields.csv</c>.
/// This part holds the hand-written lookups over the generated tables.
/// </summary>
public static partial class VmcsFields
{
    /// <summary>Encoding of the field with this table ordinal (0 &lt;= ordinal &lt; <see cref="Count"/>).</summary>
    /// <param name="ordinal">Ordinal.</param>
    /// <returns>The full-access encoding.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint EncodingAt(int ordinal)
    {
        System.ReadOnlySpan<byte> t = EncodingBytes;
        return (uint)(t[2 * ordinal] | t[2 * ordinal + 1] << 8);
    }

    /// <summary>Id of the field with this table ordinal.</summary>
    /// <param name="ordinal">Ordinal, 0 &lt;= ordinal &lt; <see cref="Count"/>.</param>
    /// <returns>The id.</returns>
    public static VmcsFieldId IdAt(int ordinal) => new(EncodingAt(ordinal), (byte)ordinal);

    /// <summary>
    /// Table ordinal of an encoding (full or high access), or <see cref="VmcsFieldId.NoOrdinal"/> when the
    /// table has no such field. Constant time: one lookup keyed by type, width and index.
    /// </summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>The ordinal.</returns>
    public static byte OrdinalOf(uint encoding)
    {
        if (!VmcsEncoding.IsWellFormed(encoding))
        {
            return VmcsFieldId.NoOrdinal;
        }

        uint index = VmcsEncoding.GetIndex(encoding);
        if (index >= 128)
        {
            return VmcsFieldId.NoOrdinal;
        }

        uint key = (uint)VmcsEncoding.GetGroup(encoding) << 9 | (uint)VmcsEncoding.GetWidth(encoding) << 7 | index;
        return OrdinalByKey[(int)key];
    }
}
