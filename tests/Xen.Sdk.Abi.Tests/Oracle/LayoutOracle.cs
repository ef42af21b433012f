using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>
/// The gcc layout oracle: generates one C program per bitness from the C# metadata, compiles it against
/// /usr/include/xen with gcc -m64 / -m32, and compares sizeof, _Alignof, offsetof, member sizes, bitfield
/// images and constant values with the C# declarations.
/// </summary>
public static class LayoutOracle
{
    private static readonly Lazy<Report> s_report = new(Check);

    public static Report Result => s_report.Value;

    public sealed class Report
    {
        public List<string> Mismatches { get; } = new();
        public int Types { get; set; }
        public int Fields { get; set; }
        public int Constants { get; set; }

        public string Summary =>
            $"abi: {Types} types, {Fields} fields, {Constants} constants checked against Xen 4.17 headers (x86_64, x86_32): {Mismatches.Count} mismatches";
    }

    private static string Hex(ReadOnlySpan<byte> b)
    {
        var sb = new StringBuilder(b.Length * 2);
        foreach (var x in b)
        {
            sb.Append(x.ToString("x2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public static string Program(Arch arch)
    {
        var sb = new StringBuilder(Gcc.Prelude());
        sb.AppendLine("static void dump(const void *p, size_t n) { const unsigned char *b = p; for (size_t i = 0; i < n; i++) printf(\"%02x\", b[i]); }");
        sb.AppendLine("int main(void) {");
        var types = AbiCatalog.Types;
        for (int ti = 0; ti < types.Count; ti++)
        {
            var t = types[ti];
            if (!t.AppliesTo(arch))
            {
                continue;
            }

            var c = t.CName;
            sb.Append(CultureInfo.InvariantCulture, $"  printf(\"T {ti} %zu %zu\\n\", sizeof({c}), _Alignof({c}));\n");
            for (int fi = 0; fi < t.Members.Count; fi++)
            {
                var m = t.Members[fi];
                var size = m.Size < 0 ? "(size_t)0" : $"sizeof((({c} *)0)->{m.Designator})";
                sb.Append(CultureInfo.InvariantCulture, $"  printf(\"F {ti} {fi} %zu %zu\\n\", offsetof({c}, {m.Designator}), {size});\n");
            }

            for (int bi = 0; bi < t.BitFields.Count; bi++)
            {
                var b = t.BitFields[bi];
                sb.Append(CultureInfo.InvariantCulture, $"  {{ {c} s; memset(&s, 0, sizeof s); s.{b.Designator} = -1; printf(\"B {ti} {bi} \"); dump(&s, sizeof s); printf(\"\\n\"); }}\n");
            }
        }

        var consts = AbiCatalog.Constants;
        for (int ci = 0; ci < consts.Count; ci++)
        {
            var k = consts[ci];
            if (k.AppliesTo(arch) && k.Text is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {{ const char *p = {k.Macro}; printf(\"S {ci} =\"); while (*p) printf(\"%02x\", (unsigned char)*p++); printf(\"\\n\"); }}\n");
            }
            else if (k.AppliesTo(arch))
            {
                sb.Append(CultureInfo.InvariantCulture, $"  printf(\"C {ci} %llu %d\\n\", (unsigned long long)({k.Macro}), ({k.Macro}) < 0);\n");
            }
        }

        sb.AppendLine("  return 0;\n}");
        return sb.ToString();
    }

    private static Report Check()
    {
        var r = new Report();
        var types = AbiCatalog.Types;
        var consts = AbiCatalog.Constants;
        r.Types = types.Count;
        r.Fields = AbiCatalog.FieldCount;
        r.Constants = consts.Count;

        // C#-internal consistency: the declared Size constant is the CLR's size, members lie inside the struct.
        foreach (var t in types)
        {
            if (t.DeclaredSize != t.ClrSize)
            {
                r.Mismatches.Add($"{t}: Size constant {t.DeclaredSize} but the CLR lays the struct out in {t.ClrSize} bytes");
            }

            foreach (var m in t.Members.Where(m => m.Size >= 0 && m.Offset + m.Size > t.ClrSize))
            {
                r.Mismatches.Add($"{t}.{m.CsName} ({m.Designator}): bytes {m.Offset}..{m.Offset + m.Size} exceed the struct size {t.ClrSize}");
            }
        }

        foreach (var arch in new[] { Arch.X86_64, Arch.X86_32 })
        {
            string exe;
            try
            {
                exe = Gcc.Compile("layout", Program(arch), arch);
            }
            catch (InvalidOperationException e)
            {
                r.Mismatches.Add($"{arch}: the generated C does not compile (a [CType]/[CField]/[CConstant] names something the headers lack): {e.Message}");
                continue;
            }

            try
            {
                r.Mismatches.AddRange(DwarfMembers.Check(arch));
            }
            catch (InvalidOperationException e)
            {
                r.Mismatches.Add($"{arch}: member-completeness check failed: {e.Message}");
            }

            var (rc, stdout, stderr) = Gcc.Run(exe, "", null);
            if (rc != 0)
            {
                r.Mismatches.Add($"{arch}: layout program exited {rc}: {stderr}");
                continue;
            }

            var seenTypes = new HashSet<int>();
            var seenConsts = new HashSet<int>();
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var p = line.Split(' ');
                switch (p[0])
                {
                    case "T":
                    {
                        var t = types[int.Parse(p[1], CultureInfo.InvariantCulture)];
                        seenTypes.Add(int.Parse(p[1], CultureInfo.InvariantCulture));
                        int size = int.Parse(p[2], CultureInfo.InvariantCulture), align = int.Parse(p[3], CultureInfo.InvariantCulture);
                        if (size != t.DeclaredSize)
                        {
                            r.Mismatches.Add($"{arch} {t}: sizeof is {size} in C, {t.DeclaredSize} in C#");
                        }

                        var declared = t.DeclaredAlignment[arch];
                        if (declared != align)
                        {
                            r.Mismatches.Add($"{arch} {t}: _Alignof is {align} in C, {declared?.ToString(CultureInfo.InvariantCulture) ?? "undeclared"} in C#");
                        }

                        break;
                    }

                    case "F":
                    {
                        var t = types[int.Parse(p[1], CultureInfo.InvariantCulture)];
                        var m = t.Members[int.Parse(p[2], CultureInfo.InvariantCulture)];
                        int off = int.Parse(p[3], CultureInfo.InvariantCulture), size = int.Parse(p[4], CultureInfo.InvariantCulture);
                        if (off != m.Offset)
                        {
                            r.Mismatches.Add($"{arch} {t}.{m.CsName}: offsetof({t.CName}, {m.Designator}) is {off} in C, {m.Offset} in C#");
                        }

                        if (m.Size >= 0 && size != m.Size)
                        {
                            r.Mismatches.Add($"{arch} {t}.{m.CsName}: sizeof({m.Designator}) is {size} in C, {m.Size} in C#");
                        }

                        break;
                    }

                    case "B":
                    {
                        var t = types[int.Parse(p[1], CultureInfo.InvariantCulture)];
                        var b = t.BitFields[int.Parse(p[2], CultureInfo.InvariantCulture)];
                        var expect = new byte[t.DeclaredSize];
                        for (int bit = b.BitOffset; bit < b.BitOffset + b.BitWidth; bit++)
                        {
                            expect[b.FieldOffset + (bit / 8)] |= (byte)(1 << (bit % 8));
                        }

                        if (p[3] != Hex(expect))
                        {
                            r.Mismatches.Add($"{arch} {t}: bitfield {b.Designator} all-ones image is {p[3]} in C, {Hex(expect)} from [CBitField] (offset {b.FieldOffset}, bits {b.BitOffset}+{b.BitWidth})");
                        }

                        break;
                    }

                    case "S":
                    {
                        int ci = int.Parse(p[1], CultureInfo.InvariantCulture);
                        seenConsts.Add(ci);
                        var k = consts[ci];
                        var expect = "=" + Convert.ToHexString(Encoding.UTF8.GetBytes(k.Text!)).ToLowerInvariant();
                        if (p[2] != expect)
                        {
                            r.Mismatches.Add($"{arch} {k.Owner}.{k.CsName}: {k.Macro} is \"{Encoding.UTF8.GetString(Convert.FromHexString(p[2].Substring(1)))}\" in C, \"{k.Text}\" in C#");
                        }

                        break;
                    }

                    case "C":
                    {
                        int ci = int.Parse(p[1], CultureInfo.InvariantCulture);
                        seenConsts.Add(ci);
                        var k = consts[ci];
                        var raw = ulong.Parse(p[2], CultureInfo.InvariantCulture);
                        BigInteger cValue = p[3] == "1" ? new BigInteger(unchecked((long)raw)) : new BigInteger(raw);
                        BigInteger csValue = k.Signed ? new BigInteger(unchecked((long)k.Bits)) : new BigInteger(k.Bits);
                        if (cValue != csValue)
                        {
                            r.Mismatches.Add($"{arch} {k.Owner}.{k.CsName}: {k.Macro} is {cValue} in C, {csValue} in C#");
                        }

                        break;
                    }
                }
            }

            for (int ti = 0; ti < types.Count; ti++)
            {
                if (types[ti].AppliesTo(arch) && !seenTypes.Contains(ti))
                {
                    r.Mismatches.Add($"{arch} {types[ti]}: no result from the C program");
                }
            }

            for (int ci = 0; ci < consts.Count; ci++)
            {
                if (consts[ci].AppliesTo(arch) && !seenConsts.Contains(ci))
                {
                    r.Mismatches.Add($"{arch} {consts[ci].Macro}: no result from the C program");
                }
            }
        }

        return r;
    }
}
