using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Diagnostics;

namespace Xen.Sdk.Vmx.Tests.Checking;

/// <summary>
/// One line of entry-check-vectors.txt: "section | check | pass|fail | mutation; mutation; ...".
/// Mutations: Field=v, Field|=v, Field&amp;=v, Field^=v (VMCS field by C# name, hex or decimal values);
/// caps.Member=v (a VmxCapabilities field); mem8/mem32/mem64[addr]=v (physical memory); %model=name,
/// %resume, %launched, %smm, %host32 (options).
/// </summary>
public sealed record EntryCheckVector(int Line, string Section, string Check, bool Fails, string Mutations)
{
    public override string ToString() => $"{Line}: {Check} {(Fails ? "fail" : "pass")} [{Mutations}]";

    public static string FilePath => Path.Combine(Fields.VmcsFieldGenerator.RepoRoot, "tests/Xen.Sdk.Vmx.Tests/Checking/entry-check-vectors.txt");

    public bool Anywhere => Mutations.Contains("%anywhere", StringComparison.Ordinal);

    public ulong? ExpectedQualification
    {
        get
        {
            int at = Mutations.IndexOf("%qual=", StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            int end = Mutations.IndexOf(';', at);
            return Parse(end < 0 ? Mutations[(at + 6)..] : Mutations[(at + 6)..end]);
        }
    }

    /// <summary>Loads the vectors; "define @name = mutations" lines define macros used as "@name".</summary>
    public static List<EntryCheckVector> Load()
    {
        var list = new List<EntryCheckVector>();
        var macros = new Dictionary<string, string>();
        string[] lines = File.ReadAllLines(FilePath);
        for (int i = 0; i < lines.Length; i++)
        {
            string l = lines[i].Trim();
            if (l.Length == 0 || l.StartsWith('#'))
            {
                continue;
            }

            bool define = l.StartsWith("define ", StringComparison.Ordinal);
            foreach (KeyValuePair<string, string> m in macros)
            {
                l = l.Replace(m.Key + ";", m.Value + ";", StringComparison.Ordinal);
                if (l.EndsWith(m.Key, StringComparison.Ordinal))
                {
                    l = l[..^m.Key.Length] + m.Value;
                }
            }

            if (define)
            {
                int eq = l.IndexOf('=', StringComparison.Ordinal);
                macros[l[7..eq].Trim()] = l[(eq + 1)..].Trim();
                continue;
            }

            string[] p = l.Split('|', 4);
            if (p.Length != 4)
            {
                throw new FormatException($"line {i + 1}: expected 4 columns");
            }

            string verdict = p[2].Trim();
            if (verdict is not ("pass" or "fail"))
            {
                throw new FormatException($"line {i + 1}: verdict must be pass or fail");
            }

            list.Add(new EntryCheckVector(i + 1, p[0].Trim(), p[1].Trim(), verdict == "fail", p[3].Trim()));
        }

        return list;
    }

    public static ulong Parse(string s)
    {
        s = s.Trim().Replace("_", "", StringComparison.Ordinal);
        if (s.StartsWith("~", StringComparison.Ordinal))
        {
            return ~Parse(s[1..]);
        }

        return s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(s, CultureInfo.InvariantCulture);
    }

    public static VmxCapabilities Model(string name) => name switch
    {
        "skylake" or "corei7_skylake_x" => VmxCapabilityModels.BochsCoreI7SkylakeX,
        "icelake" or "corei7_icelake_u" => VmxCapabilityModels.BochsCoreI7IcelakeU,
        "sandybridge" or "corei7_sandy_bridge_2600k" => VmxCapabilityModels.BochsCoreI7SandyBridge2600K,
        "penryn" or "core2_penryn_t9600" => VmxCapabilityModels.BochsCore2PenrynT9600,
        _ => throw new ArgumentException("unknown model " + name),
    };

    /// <summary>Builds the template VMCS and applies the mutations.</summary>
    public void Apply(out VmcsImage image, out VmxCapabilities caps, out EntryCheckOptions options, out TestMemory memory)
    {
        caps = Model("skylake");
        options = default;
        memory = new TestMemory(new Dictionary<ulong, byte>());
        string[] muts = Mutations.Length == 0 ? [] : Mutations.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The model must be chosen before the template is built.
        foreach (string m in muts)
        {
            if (m.StartsWith("%model=", StringComparison.Ordinal))
            {
                caps = Model(m[7..]);
            }
        }

        foreach (string m in muts)
        {
            if (m.StartsWith("caps.", StringComparison.Ordinal))
            {
                int eq = m.IndexOf('=', StringComparison.Ordinal);
                FieldInfo f = typeof(VmxCapabilities).GetField(m[5..eq]) ?? throw new FormatException("no caps member " + m);
                object boxed = caps;
                f.SetValue(boxed, f.FieldType.IsEnum ? Enum.ToObject(f.FieldType, Parse(m[(eq + 1)..])) : Convert.ChangeType(Parse(m[(eq + 1)..]), f.FieldType, CultureInfo.InvariantCulture));
                caps = (VmxCapabilities)boxed;
            }
        }

        image = new VmcsImage();
        VmcsTemplate.LongModeGuest(image, caps, VmcsTemplateLayout.Default);
        foreach (string m in muts)
        {
            if (m.StartsWith("caps.", StringComparison.Ordinal) || m.StartsWith("%model=", StringComparison.Ordinal))
            {
                continue;
            }

            switch (m)
            {
                case "%resume": options.Resume = true; continue;
                case "%launched": image.LaunchState = VmcsLaunchState.Launched; continue;
                case "%smm": options.InSmm = true; continue;
                case "%host32": options.HostOutsideIa32eMode = true; continue;
                case "%anywhere": continue;
            }

            if (m.StartsWith("%qual=", StringComparison.Ordinal))
            {
                continue;
            }

            if (m.StartsWith("mem", StringComparison.Ordinal))
            {
                int open = m.IndexOf('[', StringComparison.Ordinal), close = m.IndexOf(']', StringComparison.Ordinal);
                int size = int.Parse(m.AsSpan(3, open - 3), CultureInfo.InvariantCulture) / 8;
                memory.Write(Parse(m[(open + 1)..close]), Parse(m[(m.IndexOf('=', close) + 1)..]), size);
                continue;
            }

            int opAt = m.IndexOfAny(['=', '|', '&', '^']);
            string name = m[..opAt];
            char op = m[opAt];
            ulong value = Parse(m[(m.IndexOf('=', opAt) + 1)..]);
            if (!VmcsFieldInfo.TryFind(name, out VmcsFieldId id))
            {
                throw new FormatException("no VMCS field " + name);
            }

            image.Read(id, out ulong old);
            ulong next = op switch
            {
                '=' => value,
                '|' => old | value,
                '&' => old & value,
                '^' => old ^ value,
                _ => throw new FormatException(m),
            };
            image.Write(id, next);
        }
    }

    public EntryCheckReport Run(Span<EntryCheckFailure> failures, out VmcsImage image)
    {
        Apply(out image, out VmxCapabilities caps, out EntryCheckOptions options, out TestMemory memory);
        return VmEntryChecker.Check(image, caps, options, ref memory, failures);
    }
}
