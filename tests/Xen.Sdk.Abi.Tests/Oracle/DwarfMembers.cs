using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>
/// Member completeness: gcc's own debug information (DWARF, read with binutils' readelf) lists every member
/// of every mirrored C type; each must be mirrored by a [CField], [CBitField] or [CFlexibleArray]. Members
/// of anonymous (inline) structs and unions are flattened into dotted designators, exactly as the C#
/// types flatten them; members whose type is a named struct/union stay one designator (that type is
/// checked on its own).
/// </summary>
public static partial class DwarfMembers
{
    private sealed class Die
    {
        public int Offset;
        public string Tag = "";
        public readonly Dictionary<string, string> Attrs = new(StringComparer.Ordinal);
        public readonly List<Die> Children = new();

        public string? Name => Attrs.TryGetValue("DW_AT_name", out var n) ? n : null;

        public int? TypeRef => Attrs.TryGetValue("DW_AT_type", out var t) ? int.Parse(t.Trim('<', '>').Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((\w+)\))?")]
    private static partial Regex DieHeader();

    [GeneratedRegex(@"^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$")]
    private static partial Regex Attribute();

    /// <summary>Returns one message per C member that no C# annotation mirrors.</summary>
    public static List<string> Check(Arch arch)
    {
        var types = AbiCatalog.Types;
        var src = new StringBuilder(Gcc.Prelude());
        for (int ti = 0; ti < types.Count; ti++)
        {
            if (types[ti].AppliesTo(arch))
            {
                src.Append(CultureInfo.InvariantCulture, $"{types[ti].CName} xen_sdk_v{ti};\n");
            }
        }

        var obj = Gcc.CompileObject("members", src.ToString(), arch);
        var (rc, stdout, stderr) = Gcc.Run("readelf", $"--debug-dump=info {obj}", null);
        if (rc != 0)
        {
            return new List<string> { $"{arch}: readelf failed: {stderr}" };
        }

        var byOffset = new Dictionary<int, Die>();
        var vars = new Dictionary<string, Die>(StringComparer.Ordinal);
        var stack = new List<Die>();
        Die? current = null;
        foreach (var line in stdout.Split('\n'))
        {
            var h = DieHeader().Match(line);
            if (h.Success)
            {
                int depth = int.Parse(h.Groups[1].Value, CultureInfo.InvariantCulture);
                current = null;
                if (h.Groups[3].Value == "0")
                {
                    continue;
                }

                var die = new Die { Offset = int.Parse(h.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), Tag = h.Groups[4].Value };
                byOffset[die.Offset] = die;
                while (stack.Count > depth)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                if (stack.Count > 0)
                {
                    stack[^1].Children.Add(die);
                }

                stack.Add(die);
                current = die;
                continue;
            }

            var a = Attribute().Match(line);
            if (a.Success && current is not null)
            {
                var v = a.Groups[2].Value.Trim();
                if (v.StartsWith('(') && v.Contains("): ", StringComparison.Ordinal))
                {
                    v = v.Substring(v.LastIndexOf("): ", StringComparison.Ordinal) + 3);
                }

                current.Attrs[a.Groups[1].Value] = v;
                if (a.Groups[1].Value == "DW_AT_name" && current.Tag == "DW_TAG_variable" && v.StartsWith("xen_sdk_v", StringComparison.Ordinal))
                {
                    vars[v] = current;
                }
            }
        }

        Die Resolve(Die d)
        {
            while (d.Tag is "DW_TAG_typedef" or "DW_TAG_const_type" or "DW_TAG_volatile_type" && d.TypeRef is int r)
            {
                d = byOffset[r];
            }

            return d;
        }

        void Flatten(Die agg, string prefix, List<string> into)
        {
            foreach (var m in agg.Children.Where(c => c.Tag == "DW_TAG_member"))
            {
                var t = m.TypeRef is int r ? byOffset[r] : null;
                if (m.Name is null && t is not null)
                {
                    Flatten(Resolve(t), prefix, into);
                }
                else if (t is not null && t.Tag is "DW_TAG_structure_type" or "DW_TAG_union_type" && t.Name is null)
                {
                    Flatten(t, prefix + m.Name + ".", into);
                }
                else
                {
                    into.Add(prefix + m.Name);
                }
            }
        }

        var problems = new List<string>();
        for (int ti = 0; ti < types.Count; ti++)
        {
            var t = types[ti];
            if (!t.AppliesTo(arch))
            {
                continue;
            }

            if (!vars.TryGetValue($"xen_sdk_v{ti}", out var v) || v.TypeRef is not int vr)
            {
                problems.Add($"{arch} {t}: no debug information for the C type");
                continue;
            }

            var members = new List<string>();
            Flatten(Resolve(byOffset[vr]), "", members);
            var mirrored = new HashSet<string>(t.Members.Select(m => m.Designator).Concat(t.BitFields.Select(b => b.Designator)), StringComparer.Ordinal);
            foreach (var m in members.Where(m => !mirrored.Contains(m)))
            {
                problems.Add($"{arch} {t}: C member {m} is not mirrored ([CField]/[CBitField]/[CFlexibleArray])");
            }
        }

        return problems;
    }
}
