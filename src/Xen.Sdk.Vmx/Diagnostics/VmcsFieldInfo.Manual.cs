namespace Xen.Sdk.Vmx.Diagnostics;

/// <summary>
/// Host-only names and SDM references of the VMCS fields (generated from <c>Fields/VmcsFields.csv</c>).
/// Kernel code never needs these strings.
/// </summary>
public static partial class VmcsFieldInfo
{
    /// <summary>C# name of the field with this ordinal (e.g. <c>GuestRip</c>).</summary>
    /// <param name="ordinal">Table ordinal.</param>
    /// <returns>The name.</returns>
    public static string Name(int ordinal) => s_names[ordinal];

    /// <summary>The SDM's name of the field (e.g. "Guest RIP").</summary>
    /// <param name="ordinal">Table ordinal.</param>
    /// <returns>The summary.</returns>
    public static string Summary(int ordinal) => s_summaries[ordinal];

    /// <summary>The SDM table that lists the encoding (e.g. "Vol. 3D §B.4.3").</summary>
    /// <param name="ordinal">Table ordinal.</param>
    /// <returns>The reference.</returns>
    public static string SdmReference(int ordinal) => s_sdm[ordinal];

    /// <summary>Name of any encoding: the field name, with " (high)" for a high access, or hex when unknown.</summary>
    /// <param name="encoding">Encoding.</param>
    /// <returns>Text.</returns>
    public static string NameOf(uint encoding)
    {
        byte o = VmcsFields.OrdinalOf(encoding);
        if (o == VmcsFieldId.NoOrdinal)
        {
            return "field " + encoding.ToString("X8", System.Globalization.CultureInfo.InvariantCulture) + "H";
        }

        return VmcsEncoding.IsHighAccess(encoding) ? s_names[o] + " (high)" : s_names[o];
    }

    /// <summary>Finds a field by C# name (ordinal comparison).</summary>
    /// <param name="name">Name.</param>
    /// <param name="id">The field.</param>
    /// <returns>True when found.</returns>
    public static bool TryFind(string name, out VmcsFieldId id)
    {
        for (int i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], name, System.StringComparison.Ordinal))
            {
                id = VmcsFields.IdAt(i);
                return true;
            }
        }

        id = default;
        return false;
    }
}
