using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Xen.Sdk.Reference.KernelTool;

/// <summary>The freestanding contract's enforcement: every BCL type and member an SDK assembly references (from
/// kernel-reachable code) must exist in the kernel core library with the same signature. ilc checks only what is
/// reachable from the kernel's entry points and can still exit 0; this checks the whole assembly, in milliseconds.
/// Host-only code is exempt: types in a namespace with a <c>Diagnostics</c> or <c>Text</c> segment, and methods named
/// <c>ToString</c> or starting with <c>Explain</c> (docs/reference.md, "The freestanding contract").</summary>
internal static class FreestandingCheck
{
    private sealed class CoreLibIndex
    {
        public readonly Assembly Core;
        public readonly Dictionary<string, TypeDefinitionHandle> Types = new(StringComparer.Ordinal);
        public readonly Dictionary<TypeDefinitionHandle, HashSet<string>> Members = new();
        private readonly SignatureText _sig;

        public CoreLibIndex(Assembly core)
        {
            Core = core;
            _sig = new SignatureText(core);
            foreach (var h in core.Reader.TypeDefinitions) Types[core.TypeDefName(h)] = h;
        }

        public HashSet<string> MembersOf(TypeDefinitionHandle h)
        {
            if (Members.TryGetValue(h, out var set)) return set;
            set = new HashSet<string>(StringComparer.Ordinal);
            var r = Core.Reader;
            var t = r.GetTypeDefinition(h);
            foreach (var mh in t.GetMethods())
            {
                var m = r.GetMethodDefinition(mh);
                set.Add(r.GetString(m.Name) + SignatureText.Method(m.DecodeSignature(_sig, null)));
            }
            foreach (var fh in t.GetFields())
            {
                var f = r.GetFieldDefinition(fh);
                set.Add(r.GetString(f.Name) + ":" + f.DecodeSignature(_sig, null));
            }
            Members[h] = set;
            return set;
        }

        /// <summary>True when the type or one of its core-library base types declares the member.</summary>
        public bool HasMember(TypeDefinitionHandle h, string key)
        {
            for (int guard = 0; guard < 32 && !h.IsNil; guard++)
            {
                if (MembersOf(h).Contains(key)) return true;
                var baseType = Core.Reader.GetTypeDefinition(h).BaseType;
                if (baseType.Kind == HandleKind.TypeDefinition) h = (TypeDefinitionHandle)baseType;
                else return false;
            }
            return false;
        }
    }

    /// <summary>Collects the type references a signature mentions.</summary>
    private sealed class Collector : ISignatureTypeProvider<int, object?>
    {
        public readonly List<TypeReferenceHandle> Refs = new();
        public int GetArrayType(int e, ArrayShape s) => 0;
        public int GetByReferenceType(int e) => 0;
        public int GetFunctionPointerType(MethodSignature<int> s) => 0;
        public int GetGenericInstantiation(int g, ImmutableArray<int> a) => 0;
        public int GetGenericMethodParameter(object? c, int i) => 0;
        public int GetGenericTypeParameter(object? c, int i) => 0;
        public int GetModifiedType(int m, int u, bool r) => 0;
        public int GetPinnedType(int e) => 0;
        public int GetPointerType(int e) => 0;
        public int GetPrimitiveType(PrimitiveTypeCode t) => 0;
        public int GetSZArrayType(int e) => 0;
        public int GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle h, byte k) => 0;
        public int GetTypeFromReference(MetadataReader r, TypeReferenceHandle h, byte k) { Refs.Add(h); return 0; }
        public int GetTypeFromSpecification(MetadataReader r, object? c, TypeSpecificationHandle h, byte k) =>
            r.GetTypeSpecification(h).DecodeSignature(this, c);
    }

    private sealed class Uses
    {
        public readonly Dictionary<EntityHandle, SortedSet<string>> Kernel = new();
        public readonly HashSet<EntityHandle> HostOnly = new();
        public void Add(EntityHandle h, string user, bool host)
        {
            if (host) { HostOnly.Add(h); return; }
            if (!Kernel.TryGetValue(h, out var s)) Kernel[h] = s = new SortedSet<string>(StringComparer.Ordinal);
            s.Add(user);
        }
    }

    public static int Run(string coreLibPath, string refPack, List<string> assemblies)
    {
        using var core = new Assembly(coreLibPath);
        var index = new CoreLibIndex(core);
        int errors = 0, checkedRefs = 0, exempt = 0;
        foreach (var path in assemblies)
        {
            using var a = new Assembly(path);
            var uses = CollectUses(a);
            var sig = new SignatureText(a);
            bool IsBcl(string? asm) => asm != null && asm != a.Name && (asm == "System.Private.CoreLib" || File.Exists(Path.Combine(refPack, asm + ".dll")));
            string Users(EntityHandle h)
            {
                if (!uses.Kernel.TryGetValue(h, out var s)) return "assembly metadata";
                var list = s.Take(3).ToList();
                return string.Join(", ", list) + (s.Count > 3 ? $" and {s.Count - 3} more" : "");
            }
            bool Reachable(EntityHandle h)
            {
                if (uses.Kernel.ContainsKey(h)) return true;
                if (uses.HostOnly.Contains(h)) { exempt++; return false; }
                return true; // unattributed: checked conservatively
            }

            foreach (var th in a.Reader.TypeReferences)
            {
                if (!IsBcl(a.TypeRefAssembly(th)) || !Reachable(th)) continue;
                checkedRefs++;
                string name = a.TypeRefName(th);
                if (!index.Types.ContainsKey(name))
                {
                    errors++;
                    Console.WriteLine($"{a.Path} : error XSK0001: freestanding contract: {a.Name} uses the BCL type '{name}' (from {a.TypeRefAssembly(th)}), which the kernel core library does not provide. Used by: {Users(th)}.");
                }
            }
            foreach (var mh in a.Reader.MemberReferences)
            {
                var m = a.Reader.GetMemberReference(mh);
                TypeReferenceHandle parent = ParentTypeRef(a, m.Parent);
                if (parent.IsNil || !IsBcl(a.TypeRefAssembly(parent)) || !Reachable(mh)) continue;
                checkedRefs++;
                string typeName = a.TypeRefName(parent);
                string member = a.Reader.GetString(m.Name);
                string key = m.GetKind() == MemberReferenceKind.Method
                    ? member + SignatureText.Method(m.DecodeMethodSignature(sig, null))
                    : member + ":" + m.DecodeFieldSignature(sig, null);
                if (!index.Types.TryGetValue(typeName, out var td) || !index.HasMember(td, key))
                {
                    errors++;
                    Console.WriteLine($"{a.Path} : error XSK0002: freestanding contract: {a.Name} uses the BCL member '{typeName}::{key}', which the kernel core library does not provide. Used by: {Users(mh)}.");
                }
            }
        }
        Console.WriteLine($"freestanding check: {assemblies.Count} assemblies, {checkedRefs} BCL references resolved against {Path.GetFileName(coreLibPath)}, {exempt} in host-only code exempt, {errors} missing");
        if (errors > 0)
            Console.WriteLine($"KernelTool : error XSK0003: {errors} BCL references outside the kernel's freestanding surface (listed above). Kernel-reachable SDK code may use only what src/Xen.Sdk.Reference/Kernel/CoreLib provides (docs/reference.md, 'The freestanding contract'). Fix by: using an allowed alternative (Span, MemoryMarshal, BinaryPrimitives, Unsafe; error values instead of exceptions; no string formatting, LINQ or collections); or moving host-only code into a type in a *.Diagnostics or *.Text namespace, or a ToString/Explain* method; or, when the member belongs in the allowed surface, adding it to the core library.");
        return errors == 0 ? 0 : 1;
    }

    private static TypeReferenceHandle ParentTypeRef(Assembly a, EntityHandle parent)
    {
        switch (parent.Kind)
        {
            case HandleKind.TypeReference: return (TypeReferenceHandle)parent;
            case HandleKind.TypeSpecification:
                var c = new Collector();
                a.Reader.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(c, null);
                return c.Refs.Count > 0 ? c.Refs[0] : default;
            default: return default;
        }
    }

    private static bool IsHostOnlyType(Assembly a, TypeDefinitionHandle h)
    {
        string name = a.TypeDefName(h);
        int slash = name.IndexOf('/');
        string outer = slash < 0 ? name : name[..slash];
        int dot = outer.LastIndexOf('.');
        string ns = dot < 0 ? "" : outer[..dot];
        foreach (var seg in ns.Split('.')) if (seg is "Diagnostics" or "Text") return true;
        return false;
    }

    private static bool IsHostOnlyMethod(string name) => name is "ToString" or "PrintMembers" || name.StartsWith("Explain", StringComparison.Ordinal);

    private static Uses CollectUses(Assembly a)
    {
        var r = a.Reader;
        var uses = new Uses();
        void UseSignatureRefs(Collector c, string user, bool host) { foreach (var t in c.Refs) uses.Add(t, user, host); c.Refs.Clear(); }

        void UseToken(EntityHandle h, string user, bool host)
        {
            var c = new Collector();
            switch (h.Kind)
            {
                case HandleKind.TypeReference: uses.Add(h, user, host); break;
                case HandleKind.TypeSpecification: r.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(c, null); UseSignatureRefs(c, user, host); break;
                case HandleKind.MemberReference:
                    uses.Add(h, user, host);
                    var m = r.GetMemberReference((MemberReferenceHandle)h);
                    UseToken(m.Parent, user, host);
                    if (m.GetKind() == MemberReferenceKind.Method) m.DecodeMethodSignature(c, null); else m.DecodeFieldSignature(c, null);
                    UseSignatureRefs(c, user, host);
                    break;
                case HandleKind.MethodSpecification:
                    var ms = r.GetMethodSpecification((MethodSpecificationHandle)h);
                    UseToken(ms.Method, user, host);
                    ms.DecodeSignature(c, null);
                    UseSignatureRefs(c, user, host);
                    break;
            }
        }

        void UseAttributes(CustomAttributeHandleCollection attrs, string user, bool host)
        {
            foreach (var ah in attrs) UseToken(r.GetCustomAttribute(ah).Constructor, user, host);
        }

        UseAttributes(r.GetAssemblyDefinition().GetCustomAttributes(), "assembly attributes", false);
        UseAttributes(r.GetModuleDefinition().GetCustomAttributes(), "module attributes", false);
        foreach (var th in r.TypeDefinitions)
        {
            var t = r.GetTypeDefinition(th);
            string typeName = a.TypeDefName(th);
            bool hostType = IsHostOnlyType(a, th);
            if (!t.BaseType.IsNil) UseToken(t.BaseType, typeName, hostType);
            foreach (var ih in t.GetInterfaceImplementations()) UseToken(r.GetInterfaceImplementation(ih).Interface, typeName, hostType);
            UseAttributes(t.GetCustomAttributes(), typeName, hostType);
            foreach (var gp in t.GetGenericParameters())
                foreach (var ch in r.GetGenericParameter(gp).GetConstraints()) UseToken(r.GetGenericParameterConstraint(ch).Type, typeName, hostType);
            foreach (var fh in t.GetFields())
            {
                var f = r.GetFieldDefinition(fh);
                var c = new Collector();
                f.DecodeSignature(c, null);
                UseSignatureRefs(c, typeName + "." + r.GetString(f.Name), hostType);
                UseAttributes(f.GetCustomAttributes(), typeName, hostType);
            }
            foreach (var mh in t.GetMethods())
            {
                var m = r.GetMethodDefinition(mh);
                string methodName = r.GetString(m.Name);
                string user = typeName + "." + methodName;
                bool host = hostType || IsHostOnlyMethod(methodName);
                var c = new Collector();
                m.DecodeSignature(c, null);
                UseSignatureRefs(c, user, host);
                UseAttributes(m.GetCustomAttributes(), user, host);
                foreach (var ph in m.GetParameters()) UseAttributes(r.GetParameter(ph).GetCustomAttributes(), user, host);
                if (m.RelativeVirtualAddress == 0) continue;
                var body = a.PE.GetMethodBody(m.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                {
                    var locals = r.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(c, null);
                    UseSignatureRefs(c, user, host);
                }
                foreach (var region in body.ExceptionRegions)
                    if (!region.CatchType.IsNil) UseToken(region.CatchType, user, host);
                foreach (var token in IlTokens(body.GetILBytes()!))
                {
                    var h = MetadataTokens.EntityHandle(token);
                    UseToken(h, user, host);
                }
            }
        }
        return uses;
    }

    /// <summary>Metadata tokens in an IL stream (ECMA-335 Partition III operand encodings).</summary>
    private static IEnumerable<int> IlTokens(byte[] il)
    {
        int i = 0;
        while (i < il.Length)
        {
            int op = il[i++];
            if (op == 0xFE)
            {
                int op2 = il[i++];
                switch (op2)
                {
                    case 0x06: case 0x07: case 0x15: case 0x16: case 0x1C:
                        yield return BitConverter.ToInt32(il, i); i += 4; break;
                    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x0E: i += 2; break;
                    case 0x12: case 0x19: i += 1; break;
                }
                continue;
            }
            switch (op)
            {
                case >= 0x0E and <= 0x13: case 0x1F: case >= 0x2B and <= 0x37: case 0xDE: i += 1; break;
                case 0x20: case 0x22: case >= 0x38 and <= 0x44: case 0xDD: i += 4; break;
                case 0x21: case 0x23: i += 8; break;
                case 0x45: int n = BitConverter.ToInt32(il, i); i += 4 + 4 * n; break;
                case 0x27: case 0x28: case 0x29: case 0x6F: case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75:
                case 0x79: case 0x7B: case 0x7C: case 0x7D: case 0x7E: case 0x7F: case 0x80: case 0x81: case 0x8C: case 0x8D:
                case 0x8F: case 0xA3: case 0xA4: case 0xA5: case 0xC2: case 0xC6: case 0xD0:
                    int tok = BitConverter.ToInt32(il, i); i += 4;
                    if (op != 0x72 && op != 0x29) yield return tok;
                    break;
            }
        }
    }
}
