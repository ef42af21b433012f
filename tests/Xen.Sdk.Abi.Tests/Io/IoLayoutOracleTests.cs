using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Abi.Metadata;
using Xunit;

namespace Xen.Sdk.Abi.Tests.Io;

/// <summary>
/// gcc decides: every type of <c>Xen.Sdk.Abi.Io</c> carrying <see cref="CTypeAttribute"/> is compared, for each
/// bitness it claims, with <c>sizeof</c> and every <see cref="CFieldAttribute"/> with <c>offsetof</c> (and
/// <c>sizeof</c> of the member), and every <see cref="CConstantAttribute"/> with the preprocessor's value.
/// The repository-wide oracle covers all of Xen.Sdk.Abi; this one keeps the io/ slice honest on its own.
/// </summary>
public sealed class IoLayoutOracleTests
{
    private static readonly Type[] IoTypes = typeof(ConsoleInterface).Assembly.GetTypes()
        .Where(t => t.Namespace != null && t.Namespace.StartsWith("Xen.Sdk.Abi.Io", StringComparison.Ordinal))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    private static string Includes()
    {
        var headers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Type t in IoTypes)
        {
            if (t.GetCustomAttribute<CTypeAttribute>() is { } ct)
            {
                headers.Add(ct.Header);
            }

            foreach (FieldInfo f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (f.GetCustomAttribute<CConstantAttribute>() is { } cc)
                {
                    headers.Add(cc.Header);
                }

                if (f.GetCustomAttribute<CStringConstantAttribute>() is { } cs)
                {
                    headers.Add(cs.Header);
                }
            }
        }

        return string.Concat(headers.Select(h => $"#include <{h}>\n"));
    }

    private static bool Covers(XenArchitectures a, int bits) => (a & (bits == 64 ? XenArchitectures.X86_64 : XenArchitectures.X86_32)) != 0;

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void EveryIoTypeAndFieldMatchesGcc(int bits)
    {
        var expected = new List<string>();
        var body = new StringBuilder();
        int types = 0;
        foreach (Type t in IoTypes)
        {
            CTypeAttribute? ct = t.GetCustomAttribute<CTypeAttribute>();
            if (ct == null || !Covers(ct.Architectures, bits))
            {
                continue;
            }

            types++;
            string c = ct.Name;
            body.Append(CultureInfo.InvariantCulture, $"printf(\"{t.Name} size %zu\\n\", sizeof({c}));\n");
            int size = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;
            expected.Add($"{t.Name} size {size}");
            if (t.IsEnum)
            {
                continue;
            }

            foreach (FieldInfo f in t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                CFieldAttribute? cf = f.GetCustomAttribute<CFieldAttribute>();
                if (cf == null)
                {
                    continue;
                }

                int offset = f.GetCustomAttribute<FieldOffsetAttribute>()!.Value;
                int fieldSize = f.GetCustomAttribute<FixedBufferAttribute>() is { } fb
                    ? fb.Length * Marshal.SizeOf(fb.ElementType)
                    : (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(f.FieldType).Invoke(null, null)!;
                string d = cf.Designator;
                body.Append(CultureInfo.InvariantCulture, $"printf(\"{t.Name}.{f.Name} %zu %zu\\n\", offsetof({c}, {d}), sizeof((({c} *)0)->{d}));\n");
                expected.Add($"{t.Name}.{f.Name} {offset} {fieldSize}");
            }
        }

        Assert.True(types > 0);
        string[] actual = IoGcc.Run(Includes(), body.ToString(), bits).TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void EveryIoConstantMatchesThePreprocessor(int bits)
    {
        var expected = new List<string>();
        var body = new StringBuilder();
        foreach (Type t in IoTypes)
        {
            foreach (FieldInfo f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                object value = f.GetValue(null)!;
                string label = t.Name + "." + f.Name;
                CStringConstantAttribute? cs = f.GetCustomAttribute<CStringConstantAttribute>();
                if (cs != null && Covers(cs.Architectures, bits))
                {
                    Assert.IsType<string>(value);
                    body.Append(CultureInfo.InvariantCulture, $"printf(\"{label} %s\\n\", {cs.Name});\n");
                    expected.Add($"{label} {value}");
                }

                CConstantAttribute? cc = f.GetCustomAttribute<CConstantAttribute>();
                if (cc != null && Covers(cc.Architectures, bits))
                {
                    Assert.IsNotType<string>(value);
                    long v = value.GetType().IsEnum
                        ? Convert.ToInt64(Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                        : Convert.ToInt64(value, CultureInfo.InvariantCulture);
                    body.Append(CultureInfo.InvariantCulture, $"printf(\"{label} %lld\\n\", (long long)({cc.Name}));\n");
                    expected.Add($"{label} {v}");
                }
            }
        }

        Assert.NotEmpty(expected);
        string[] actual = IoGcc.Run(Includes(), body.ToString(), bits).TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
    }
}
