using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>The two gcc targets of the oracle.</summary>
public enum Arch
{
    X86_64,
    X86_32,
}

/// <summary>One C member checked with offsetof/sizeof.</summary>
public sealed record MemberCheck(string Designator, string CsName, int Offset, int Size);

/// <summary>One C bitfield checked through its byte image.</summary>
public sealed record BitFieldCheck(string Designator, int FieldOffset, int FieldSize, int BitOffset, int BitWidth);

/// <summary>One scalar a byte-image case assigns: C designator, width, and how the C# side writes it.</summary>
public sealed record ValueLeaf(string Designator, int Size, bool IsBitField, int BitWidth);

/// <summary>One .NET type mirroring a C type, with everything the oracle checks.</summary>
public sealed class TypeCheck
{
    public required Type Type { get; init; }
    public required string CName { get; init; }
    public required string Header { get; init; }
    public required XenArchitectures Architectures { get; init; }
    public required int DeclaredSize { get; init; }
    public required int ClrSize { get; init; }
    public required Dictionary<Arch, int?> DeclaredAlignment { get; init; }
    public required List<MemberCheck> Members { get; init; }
    public required List<BitFieldCheck> BitFields { get; init; }
    public required List<ValueLeaf> Leaves { get; init; }

    public bool AppliesTo(Arch arch) => (Architectures & (arch == Arch.X86_64 ? XenArchitectures.X86_64 : XenArchitectures.X86_32)) != 0;

    public override string ToString() => $"{Type.FullName} ({CName})";
}

/// <summary>One mirrored #define or enumerator.</summary>
public sealed record ConstantCheck(string Owner, string CsName, string Macro, string Header, XenArchitectures Architectures, ulong Bits, int Width, bool Signed, string? Text = null)
{
    public bool AppliesTo(Arch arch) => (Architectures & (arch == Arch.X86_64 ? XenArchitectures.X86_64 : XenArchitectures.X86_32)) != 0;
}

/// <summary>Reflects over Xen.Sdk.Abi.dll for every [CType]/[CField]/[CBitField]/[CFlexibleArray]/[CConstant] (host-only test code).</summary>
public static class AbiCatalog
{
    private static readonly Lazy<(List<TypeCheck> Types, List<ConstantCheck> Constants)> s_all = new(Build);

    public static Assembly Assembly => typeof(XenAbi).Assembly;

    public static List<TypeCheck> Types => s_all.Value.Types;

    public static List<ConstantCheck> Constants => s_all.Value.Constants;

    public static int FieldCount => Types.Sum(t => t.Members.Count + t.BitFields.Count);

    private static (List<TypeCheck>, List<ConstantCheck>) Build()
    {
        var types = new List<TypeCheck>();
        var constants = new List<ConstantCheck>();
        foreach (var t in Assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var ct = t.GetCustomAttribute<CTypeAttribute>();
            if (ct is not null && t.IsValueType && !t.IsEnum)
            {
                types.Add(Describe(t, ct));
            }

            foreach (var f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var cc = f.GetCustomAttribute<CConstantAttribute>();
                if (cc is null)
                {
                    continue;
                }

                var raw = f.GetRawConstantValue() ?? f.GetValue(null)!;
                if (raw is string text)
                {
                    // A string macro (e.g. a XenStore key or protocol name): compared byte for byte.
                    constants.Add(new ConstantCheck(t.FullName!, f.Name, cc.Name, cc.Header, cc.Architectures, 0, 0, false, text));
                    continue;
                }

                var under = raw.GetType().IsEnum ? Enum.GetUnderlyingType(raw.GetType()) : raw.GetType();
                var signed = under == typeof(sbyte) || under == typeof(short) || under == typeof(int) || under == typeof(long);
                var bits = signed ? unchecked((ulong)Convert.ToInt64(raw, System.Globalization.CultureInfo.InvariantCulture)) : Convert.ToUInt64(raw, System.Globalization.CultureInfo.InvariantCulture);
                constants.Add(new ConstantCheck(t.FullName!, f.Name, cc.Name, cc.Header, cc.Architectures, bits, Marshal.SizeOf(under), signed));
            }
        }

        return (types, constants);
    }

    public static int SizeOf(Type t) => (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;

    private static TypeCheck Describe(Type t, CTypeAttribute ct)
    {
        var members = new List<MemberCheck>();
        var bitfields = new List<BitFieldCheck>();
        foreach (var f in InstanceFields(t))
        {
            var off = f.GetCustomAttribute<FieldOffsetAttribute>()!.Value;
            var cf = f.GetCustomAttribute<CFieldAttribute>();
            if (cf is not null)
            {
                members.Add(new MemberCheck(cf.Designator, f.Name, off, FieldSize(f)));
            }

            foreach (var bf in f.GetCustomAttributes<CBitFieldAttribute>())
            {
                bitfields.Add(new BitFieldCheck(bf.Designator, off, FieldSize(f), bf.BitOffset, bf.BitWidth));
            }
        }

        foreach (var fa in t.GetCustomAttributes<CFlexibleArrayAttribute>())
        {
            members.Add(new MemberCheck(fa.Designator, "(flexible array)", fa.Offset, -1));
        }

        var declared = (int)t.GetField("Size")!.GetRawConstantValue()!;
        var align = new Dictionary<Arch, int?>
        {
            [Arch.X86_64] = (int?)(t.GetField("Alignment64")?.GetRawConstantValue() ?? t.GetField("Alignment")?.GetRawConstantValue()),
            [Arch.X86_32] = (int?)(t.GetField("Alignment32")?.GetRawConstantValue() ?? t.GetField("Alignment")?.GetRawConstantValue()),
        };
        var leaves = new List<ValueLeaf>();
        CollectLeaves(t, "", leaves);
        return new TypeCheck
        {
            Type = t,
            CName = ct.Name,
            Header = ct.Header,
            Architectures = ct.Architectures,
            DeclaredSize = declared,
            ClrSize = SizeOf(t),
            DeclaredAlignment = align,
            Members = members,
            BitFields = bitfields,
            Leaves = leaves,
        };
    }

    /// <summary>Public instance fields in declaration order (metadata order is declaration order).</summary>
    public static IEnumerable<FieldInfo> InstanceFields(Type t) =>
        t.GetFields(BindingFlags.Public | BindingFlags.Instance).OrderBy(f => f.MetadataToken);

    public static int FieldSize(FieldInfo f)
    {
        var fb = f.GetCustomAttribute<FixedBufferAttribute>();
        return fb is not null ? fb.Length * SizeOf(fb.ElementType) : SizeOf(f.FieldType);
    }

    /// <summary>A typed value (DomainId, Gfn, ...): a struct wrapping one private primitive field.</summary>
    public static FieldInfo? TypedValueField(Type t)
    {
        if (!t.IsValueType || t.IsPrimitive || t.GetCustomAttribute<CTypeAttribute>() is not null)
        {
            return null;
        }

        var fs = t.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance);
        return fs.Length == 1 && fs[0].FieldType.IsPrimitive && !fs[0].IsPublic ? fs[0] : null;
    }

    /// <summary>A primitive, an enum or a typed value: written as one scalar.</summary>
    public static bool IsScalar(Type t) => t.IsPrimitive || t.IsEnum || TypedValueField(t) is not null;

    /// <summary>A generated array buffer: public instance fields E0..En only.</summary>
    public static bool IsArrayBuffer(Type type)
    {
        var fs = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
        return type.GetCustomAttribute<CTypeAttribute>() is null && fs.Length > 0
            && fs.All(f => f.Name.Length > 1 && f.Name[0] == 'E' && f.Name.Skip(1).All(char.IsDigit));
    }

    /// <summary>Flattens a type into the scalars a byte-image case assigns, in a fixed order.</summary>
    private static void CollectLeaves(Type t, string prefix, List<ValueLeaf> leaves)
    {
        foreach (var f in InstanceFields(t))
        {
            var bfs = f.GetCustomAttributes<CBitFieldAttribute>().ToList();
            if (bfs.Count > 0)
            {
                foreach (var bf in bfs)
                {
                    leaves.Add(new ValueLeaf(prefix + bf.Designator, SizeOf(f.FieldType), true, bf.BitWidth));
                }

                continue;
            }

            var cf = f.GetCustomAttribute<CFieldAttribute>();
            string d = cf is not null ? prefix + cf.Designator : IsArrayBuffer(type: f.DeclaringType!) ? prefix + "[" + f.Name.Substring(1) + "]" : prefix + f.Name;
            var fb = f.GetCustomAttribute<FixedBufferAttribute>();
            if (fb is not null)
            {
                for (int i = 0; i < fb.Length; i++)
                {
                    leaves.Add(new ValueLeaf($"{d}[{i}]", SizeOf(fb.ElementType), false, 0));
                }
            }
            else if (IsScalar(f.FieldType))
            {
                leaves.Add(new ValueLeaf(d, SizeOf(f.FieldType), false, 0));
            }
            else
            {
                // Array buffers (fields E0..En) continue the designator with '[i]', other nested structs with '.'.
                CollectLeaves(f.FieldType, IsArrayBuffer(f.FieldType) ? d : d + ".", leaves);
            }
        }
    }
}
