using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>
/// Byte images: the same scalar values written through the C# type (reflection on its fields) and through
/// the C struct (a gcc-compiled program fed over stdin, one compile per bitness) must give identical bytes.
/// </summary>
public static class ByteImage
{
    private static readonly Dictionary<Arch, string> s_exe = new();
    private static readonly object s_lock = new();

    public sealed record Case(int TypeIndex, ulong[] Values);

    public static string Program(Arch arch)
    {
        var sb = new StringBuilder(Gcc.Prelude());
        sb.AppendLine("static void dump(const void *p, size_t n) { const unsigned char *b = p; for (size_t i = 0; i < n; i++) printf(\"%02x\", b[i]); }");
        sb.AppendLine("static unsigned long long rd(void) { unsigned long long v = 0; if (scanf(\"%llx\", &v) != 1) exit(3); return v; }");
        sb.AppendLine("int main(void) {\n  int ti;\n  while (scanf(\"%d\", &ti) == 1) {\n    unsigned long long v;\n    switch (ti) {");
        var types = AbiCatalog.Types;
        for (int ti = 0; ti < types.Count; ti++)
        {
            var t = types[ti];
            if (!t.AppliesTo(arch))
            {
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"    case {ti}: {{\n      static {t.CName} s;\n      memset(&s, 0, sizeof s);\n");
            foreach (var l in t.Leaves)
            {
                sb.Append(l.IsBitField
                    ? $"      v = rd(); s.{l.Designator} = v;\n"
                    : $"      v = rd(); memcpy(&s.{l.Designator}, &v, sizeof(s.{l.Designator}));\n");
            }

            sb.AppendLine("      dump(&s, sizeof s);\n      break;\n    }");
        }

        sb.AppendLine("    default: exit(2);\n    }\n    printf(\"\\n\");\n  }\n  return 0;\n}");
        return sb.ToString();
    }

    private static string Exe(Arch arch)
    {
        lock (s_lock)
        {
            if (!s_exe.TryGetValue(arch, out var exe))
            {
                exe = Gcc.Compile("image", Program(arch), arch);
                s_exe[arch] = exe;
            }

            return exe;
        }
    }

    /// <summary>Runs all cases through the C program; returns one hex image per case.</summary>
    public static string[] CImages(Arch arch, IReadOnlyList<Case> cases)
    {
        var input = new StringBuilder();
        foreach (var c in cases)
        {
            input.Append(c.TypeIndex.ToString(CultureInfo.InvariantCulture));
            foreach (var v in c.Values)
            {
                input.Append(' ').Append(v.ToString("x", CultureInfo.InvariantCulture));
            }

            input.Append('\n');
        }

        var (rc, stdout, stderr) = Gcc.Run(Exe(arch), "", input.ToString());
        if (rc != 0)
        {
            throw new InvalidOperationException($"image program ({arch}) exited {rc}: {stderr}");
        }

        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Writes the values through the C# type, in the leaf order, and returns its bytes in hex.</summary>
    public static string CsImage(TypeCheck t, ulong[] values)
    {
        object box = Activator.CreateInstance(t.Type)!;
        int k = 0;
        box = Fill(box, t.Type, values, ref k);
        if (k != values.Length)
        {
            throw new InvalidOperationException($"{t}: wrote {k} of {values.Length} values");
        }

        var bytes = (byte[])typeof(ByteImage).GetMethod(nameof(ToBytes), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(t.Type).Invoke(null, new[] { box })!;
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    private static byte[] ToBytes<T>(object o)
        where T : unmanaged
    {
        T v = (T)o;
        return MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref v)).ToArray();
    }

    private static object Scalar(Type t, ulong v)
    {
        if (t.IsEnum)
        {
            return Enum.ToObject(t, Scalar(Enum.GetUnderlyingType(t), v));
        }

        var tv = AbiCatalog.TypedValueField(t);
        if (tv is not null)
        {
            return Activator.CreateInstance(t, Scalar(tv.FieldType, v))!;
        }

        return Type.GetTypeCode(t) switch
        {
            TypeCode.Byte => (byte)v,
            TypeCode.SByte => unchecked((sbyte)v),
            TypeCode.UInt16 => (ushort)v,
            TypeCode.Int16 => unchecked((short)v),
            TypeCode.UInt32 => (uint)v,
            TypeCode.Int32 => unchecked((int)v),
            TypeCode.UInt64 => v,
            TypeCode.Int64 => unchecked((long)v),
            _ => throw new NotSupportedException(t.FullName),
        };
    }

    private static ulong ToUInt64(object o) => o switch
    {
        byte b => b,
        sbyte b => unchecked((ulong)b),
        ushort b => b,
        short b => unchecked((ulong)b),
        uint b => b,
        int b => unchecked((ulong)b),
        ulong b => b,
        long b => unchecked((ulong)b),
        Enum e => ToUInt64(Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException(o.GetType().FullName),
    };

    private static unsafe object Fill(object box, Type type, ulong[] values, ref int k)
    {
        foreach (var f in AbiCatalog.InstanceFields(type))
        {
            var bfs = f.GetCustomAttributes<CBitFieldAttribute>().ToList();
            if (bfs.Count > 0)
            {
                foreach (var bf in bfs)
                {
                    ulong cur = ToUInt64(f.GetValue(box)!);
                    ulong mask = bf.BitWidth == 64 ? ulong.MaxValue : (1UL << bf.BitWidth) - 1;
                    cur = (cur & ~(mask << bf.BitOffset)) | ((values[k++] & mask) << bf.BitOffset);
                    f.SetValue(box, Scalar(f.FieldType, cur));
                }

                continue;
            }

            var fb = f.GetCustomAttribute<FixedBufferAttribute>();
            if (fb is not null)
            {
                int elem = AbiCatalog.SizeOf(fb.ElementType);
                int off = f.GetCustomAttribute<FieldOffsetAttribute>()!.Value;
                var h = GCHandle.Alloc(box, GCHandleType.Pinned);
                try
                {
                    // SAFETY: the box is pinned for the duration; off + Length * elem lies inside the struct
                    // (checked against the CLR size by the layout oracle).
                    byte* p = (byte*)h.AddrOfPinnedObject() + off;
                    for (int i = 0; i < fb.Length; i++)
                    {
                        ulong v = values[k++];
                        Buffer.MemoryCopy(&v, p + (i * elem), elem, elem);
                    }
                }
                finally
                {
                    h.Free();
                }
            }
            else if (AbiCatalog.IsScalar(f.FieldType))
            {
                f.SetValue(box, Scalar(f.FieldType, values[k++]));
            }
            else
            {
                var nested = Fill(f.GetValue(box)!, f.FieldType, values, ref k);
                f.SetValue(box, nested);
            }
        }

        return box;
    }
}
