using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Xen.Sdk.Reference.KernelTool;

/// <summary>An opened assembly (metadata reader over the PE file).</summary>
internal sealed class Assembly : IDisposable
{
    private readonly PEReader _pe;
    public MetadataReader Reader { get; }
    public string Path { get; }
    public string Name { get; }

    public Assembly(string path)
    {
        Path = path;
        _pe = new PEReader(File.OpenRead(path));
        Reader = _pe.GetMetadataReader();
        Name = Reader.GetString(Reader.GetAssemblyDefinition().Name);
    }

    public PEReader PE => _pe;

    public void Dispose() => _pe.Dispose();

    public string TypeDefName(TypeDefinitionHandle h)
    {
        var t = Reader.GetTypeDefinition(h);
        string name = Reader.GetString(t.Name);
        if (t.IsNested) return TypeDefName(t.GetDeclaringType()) + "/" + name;
        string ns = Reader.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string TypeRefName(TypeReferenceHandle h)
    {
        var t = Reader.GetTypeReference(h);
        string name = Reader.GetString(t.Name);
        if (t.ResolutionScope.Kind == HandleKind.TypeReference) return TypeRefName((TypeReferenceHandle)t.ResolutionScope) + "/" + name;
        string ns = Reader.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The assembly a type reference resolves into (walking out of nested types), or null for same-module.</summary>
    public string? TypeRefAssembly(TypeReferenceHandle h)
    {
        var t = Reader.GetTypeReference(h);
        return t.ResolutionScope.Kind switch
        {
            HandleKind.AssemblyReference => Reader.GetString(Reader.GetAssemblyReference((AssemblyReferenceHandle)t.ResolutionScope).Name),
            HandleKind.TypeReference => TypeRefAssembly((TypeReferenceHandle)t.ResolutionScope),
            _ => null,
        };
    }
}

/// <summary>Renders signatures as text with assembly-neutral type names, so a reference in one assembly compares
/// equal to the definition in another.</summary>
internal sealed class SignatureText : ISignatureTypeProvider<string, object?>
{
    private readonly Assembly _assembly;
    public SignatureText(Assembly assembly) { _assembly = assembly; }

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
    public string GetByReferenceType(string elementType) => elementType + "&";
    public string GetFunctionPointerType(MethodSignature<string> signature) =>
        "method " + signature.ReturnType + "*(" + string.Join(",", signature.ParameterTypes) + ")";
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
        genericType + "<" + string.Join(",", typeArguments) + ">";
    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) =>
        isRequired ? unmodifiedType + " modreq(" + modifier + ")" : unmodifiedType;
    public string GetPinnedType(string elementType) => elementType + " pinned";
    public string GetPointerType(string elementType) => elementType + "*";
    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => "System.Boolean", PrimitiveTypeCode.Byte => "System.Byte", PrimitiveTypeCode.Char => "System.Char",
        PrimitiveTypeCode.Double => "System.Double", PrimitiveTypeCode.Int16 => "System.Int16", PrimitiveTypeCode.Int32 => "System.Int32",
        PrimitiveTypeCode.Int64 => "System.Int64", PrimitiveTypeCode.IntPtr => "System.IntPtr", PrimitiveTypeCode.Object => "System.Object",
        PrimitiveTypeCode.SByte => "System.SByte", PrimitiveTypeCode.Single => "System.Single", PrimitiveTypeCode.String => "System.String",
        PrimitiveTypeCode.TypedReference => "System.TypedReference", PrimitiveTypeCode.UInt16 => "System.UInt16",
        PrimitiveTypeCode.UInt32 => "System.UInt32", PrimitiveTypeCode.UInt64 => "System.UInt64", PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
        PrimitiveTypeCode.Void => "System.Void", _ => typeCode.ToString(),
    };
    public string GetSZArrayType(string elementType) => elementType + "[]";
    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => _assembly.TypeDefName(handle);
    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => _assembly.TypeRefName(handle);
    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public static string Method(MethodSignature<string> s) =>
        (s.GenericParameterCount > 0 ? "<" + s.GenericParameterCount + ">" : "") + "(" + string.Join(",", s.ParameterTypes) + ")" + s.ReturnType;
}
