// Attribute types referenced by compiled code. They carry no behaviour in the kernel (no reflection).

namespace System
{
    /// <summary>FlagsAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class FlagsAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public FlagsAttribute() { }
    }
    /// <summary>ParamArrayAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ParamArrayAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ParamArrayAttribute() { }
    }
    /// <summary>ObsoleteAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ObsoleteAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ObsoleteAttribute(string message) { }
        /// <summary>Creates the attribute.</summary>
        public ObsoleteAttribute() { }
        /// <summary>Creates the attribute.</summary>
        public ObsoleteAttribute(string message, bool error) { }
        /// <summary>Diagnostic.</summary>
        public string DiagnosticId { get; set; }
        /// <summary>URL.</summary>
        public string UrlFormat { get; set; }
    }
    /// <summary>CLSCompliantAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CLSCompliantAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CLSCompliantAttribute(bool isCompliant) { }
    }
    /// <summary>ThreadStaticAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ThreadStaticAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ThreadStaticAttribute() { }
    }
    /// <summary>NonSerializedAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NonSerializedAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NonSerializedAttribute() { }
    }
    /// <summary>SerializableAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class SerializableAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public SerializableAttribute() { }
    }
}
namespace System.Runtime.CompilerServices
{
    /// <summary>IntrinsicAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class IntrinsicAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public IntrinsicAttribute() { }
    }
    /// <summary>IsReadOnlyAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class IsReadOnlyAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public IsReadOnlyAttribute() { }
    }
    /// <summary>IsByRefLikeAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class IsByRefLikeAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public IsByRefLikeAttribute() { }
    }
    /// <summary>IsUnmanagedAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class IsUnmanagedAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public IsUnmanagedAttribute() { }
    }
    /// <summary>CompilerGeneratedAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CompilerGeneratedAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CompilerGeneratedAttribute() { }
    }
    /// <summary>ExtensionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ExtensionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ExtensionAttribute() { }
    }
    /// <summary>IndexerNameAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class IndexerNameAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public IndexerNameAttribute(string indexerName) { }
    }
    /// <summary>InternalsVisibleToAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class InternalsVisibleToAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public InternalsVisibleToAttribute(string assemblyName) { }
        /// <summary>Unused.</summary>
        public bool AllInternalsVisible { get; set; }
    }
    /// <summary>RuntimeCompatibilityAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class RuntimeCompatibilityAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RuntimeCompatibilityAttribute() { }
        /// <summary>Unused.</summary>
        public bool WrapNonExceptionThrows { get; set; }
    }
    /// <summary>CompilationRelaxationsAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CompilationRelaxationsAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CompilationRelaxationsAttribute(int relaxations) { }
    }
    /// <summary>FixedBufferAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class FixedBufferAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public FixedBufferAttribute(System.Type elementType, int length) { }
    }
    /// <summary>UnsafeValueTypeAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class UnsafeValueTypeAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public UnsafeValueTypeAttribute() { }
    }
    /// <summary>SkipLocalsInitAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class SkipLocalsInitAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public SkipLocalsInitAttribute() { }
    }
    /// <summary>ScopedRefAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ScopedRefAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ScopedRefAttribute() { }
    }
    /// <summary>RefSafetyRulesAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class RefSafetyRulesAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RefSafetyRulesAttribute(int version) { }
    }
    /// <summary>NullableAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NullableAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NullableAttribute(byte value) { }
        /// <summary>Creates the attribute.</summary>
        public NullableAttribute(byte[] value) { }
    }
    /// <summary>NullableContextAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NullableContextAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NullableContextAttribute(byte value) { }
    }
    /// <summary>NullablePublicOnlyAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NullablePublicOnlyAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NullablePublicOnlyAttribute(bool value) { }
    }
    /// <summary>InlineArrayAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class InlineArrayAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public InlineArrayAttribute(int length) { }
    }
    /// <summary>CallerMemberNameAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CallerMemberNameAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CallerMemberNameAttribute() { }
    }
    /// <summary>CallerFilePathAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CallerFilePathAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CallerFilePathAttribute() { }
    }
    /// <summary>CallerLineNumberAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CallerLineNumberAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CallerLineNumberAttribute() { }
    }
    /// <summary>CallerArgumentExpressionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CallerArgumentExpressionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CallerArgumentExpressionAttribute(string parameterName) { }
    }
    /// <summary>RequiredMemberAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class RequiredMemberAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RequiredMemberAttribute() { }
    }
    /// <summary>CompilerFeatureRequiredAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class CompilerFeatureRequiredAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public CompilerFeatureRequiredAttribute(string featureName) { }
        /// <summary>Unused.</summary>
        public bool IsOptional { get; set; }
    }
    /// <summary>EagerStaticClassConstructionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class EagerStaticClassConstructionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public EagerStaticClassConstructionAttribute() { }
    }
    /// <summary>TupleElementNamesAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class TupleElementNamesAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public TupleElementNamesAttribute(string[] transformNames) { }
    }
    /// <summary>InterpolatedStringHandlerAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class InterpolatedStringHandlerAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public InterpolatedStringHandlerAttribute() { }
    }
    /// <summary>ModuleInitializerAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ModuleInitializerAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ModuleInitializerAttribute() { }
    }
    /// <summary>DisableRuntimeMarshallingAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DisableRuntimeMarshallingAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DisableRuntimeMarshallingAttribute() { }
    }
    /// <summary>RequiresLocationAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class RequiresLocationAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RequiresLocationAttribute() { }
    }
    /// <summary>ParamCollectionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ParamCollectionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ParamCollectionAttribute() { }
    }
    /// <summary>AsyncStateMachineAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AsyncStateMachineAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AsyncStateMachineAttribute(System.Type stateMachineType) { }
    }
    /// <summary>IteratorStateMachineAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class IteratorStateMachineAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public IteratorStateMachineAttribute(System.Type stateMachineType) { }
    }
    /// <summary>OverloadResolutionPriorityAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class OverloadResolutionPriorityAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public OverloadResolutionPriorityAttribute(int priority) { }
    }
    /// <summary>ExtensionMarkerAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ExtensionMarkerAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ExtensionMarkerAttribute(string name) { }
    }
}
namespace System.Runtime.InteropServices
{
    /// <summary>InAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class InAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public InAttribute() { }
    }
    /// <summary>OutAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class OutAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public OutAttribute() { }
    }
    /// <summary>OptionalAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class OptionalAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public OptionalAttribute() { }
    }
    /// <summary>UnmanagedCallersOnlyAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public UnmanagedCallersOnlyAttribute() { }
        /// <summary>Export name.</summary>
        public string EntryPoint;
        /// <summary>Conventions.</summary>
        public System.Type[] CallConvs;
    }
    /// <summary>MarshalAsAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class MarshalAsAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public MarshalAsAttribute(short unmanagedType) { }
    }
    /// <summary>StructLayoutAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class StructLayoutAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public StructLayoutAttribute(LayoutKind layoutKind) { }
        /// <summary>Packing.</summary>
        public int Pack;
        /// <summary>Size.</summary>
        public int Size;
        /// <summary>Character set.</summary>
        public CharSet CharSet;
    }
    /// <summary>FieldOffsetAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class FieldOffsetAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public FieldOffsetAttribute(int offset) { }
    }
    /// <summary>DllImportAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DllImportAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DllImportAttribute(string dllName) { }
        /// <summary>Unused.</summary>
        public string EntryPoint;
        /// <summary>Unused.</summary>
        public CallingConvention CallingConvention;
    }
}
namespace System.Runtime.Versioning
{
    /// <summary>TargetFrameworkAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class TargetFrameworkAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public TargetFrameworkAttribute(string frameworkName) { }
    }
    /// <summary>NonVersionableAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NonVersionableAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NonVersionableAttribute() { }
    }
}
namespace System.Reflection
{
    /// <summary>AssemblyCompanyAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyCompanyAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyCompanyAttribute(string company) { }
    }
    /// <summary>AssemblyConfigurationAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyConfigurationAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyConfigurationAttribute(string configuration) { }
    }
    /// <summary>AssemblyCopyrightAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyCopyrightAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyCopyrightAttribute(string copyright) { }
    }
    /// <summary>AssemblyDescriptionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyDescriptionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyDescriptionAttribute(string description) { }
    }
    /// <summary>AssemblyFileVersionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyFileVersionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyFileVersionAttribute(string version) { }
    }
    /// <summary>AssemblyInformationalVersionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyInformationalVersionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyInformationalVersionAttribute(string informationalVersion) { }
    }
    /// <summary>AssemblyProductAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyProductAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyProductAttribute(string product) { }
    }
    /// <summary>AssemblyTitleAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyTitleAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyTitleAttribute(string title) { }
    }
    /// <summary>AssemblyVersionAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyVersionAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyVersionAttribute(string version) { }
    }
    /// <summary>AssemblyMetadataAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyMetadataAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyMetadataAttribute(string key, string value) { }
    }
    /// <summary>AssemblyTrademarkAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyTrademarkAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyTrademarkAttribute(string trademark) { }
    }
    /// <summary>DefaultMemberAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DefaultMemberAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DefaultMemberAttribute(string memberName) { }
    }
    /// <summary>AssemblyKeyFileAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyKeyFileAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyKeyFileAttribute(string keyFile) { }
    }
    /// <summary>AssemblyDelaySignAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AssemblyDelaySignAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssemblyDelaySignAttribute(bool delaySign) { }
    }
}
namespace System.Diagnostics
{
    /// <summary>ConditionalAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ConditionalAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ConditionalAttribute(string conditionString) { }
    }
    /// <summary>DebuggerHiddenAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DebuggerHiddenAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DebuggerHiddenAttribute() { }
    }
    /// <summary>DebuggerStepThroughAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DebuggerStepThroughAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DebuggerStepThroughAttribute() { }
    }
    /// <summary>DebuggerNonUserCodeAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DebuggerNonUserCodeAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DebuggerNonUserCodeAttribute() { }
    }
    /// <summary>DebuggerDisplayAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DebuggerDisplayAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DebuggerDisplayAttribute(string value) { }
        /// <summary>Unused.</summary>
        public string Name { get; set; }
        /// <summary>Unused.</summary>
        public string Type { get; set; }
    }
    /// <summary>DebuggerBrowsableAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DebuggerBrowsableAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DebuggerBrowsableAttribute(DebuggerBrowsableState state) { }
    }
    /// <summary>StackTraceHiddenAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class StackTraceHiddenAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public StackTraceHiddenAttribute() { }
    }
}
namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>DoesNotReturnAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DoesNotReturnAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DoesNotReturnAttribute() { }
    }
    /// <summary>DoesNotReturnIfAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DoesNotReturnIfAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DoesNotReturnIfAttribute(bool parameterValue) { }
    }
    /// <summary>NotNullWhenAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NotNullWhenAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NotNullWhenAttribute(bool returnValue) { }
    }
    /// <summary>MaybeNullWhenAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class MaybeNullWhenAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public MaybeNullWhenAttribute(bool returnValue) { }
    }
    /// <summary>NotNullAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NotNullAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NotNullAttribute() { }
    }
    /// <summary>MaybeNullAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class MaybeNullAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public MaybeNullAttribute() { }
    }
    /// <summary>AllowNullAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class AllowNullAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AllowNullAttribute() { }
    }
    /// <summary>DisallowNullAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class DisallowNullAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public DisallowNullAttribute() { }
    }
    /// <summary>NotNullIfNotNullAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class NotNullIfNotNullAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NotNullIfNotNullAttribute(string parameterName) { }
    }
    /// <summary>MemberNotNullAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class MemberNotNullAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public MemberNotNullAttribute(string member) { }
        /// <summary>Creates the attribute.</summary>
        public MemberNotNullAttribute(params string[] members) { }
    }
    /// <summary>MemberNotNullWhenAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class MemberNotNullWhenAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public MemberNotNullWhenAttribute(bool returnValue, string member) { }
        /// <summary>Creates the attribute.</summary>
        public MemberNotNullWhenAttribute(bool returnValue, params string[] members) { }
    }
    /// <summary>UnscopedRefAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class UnscopedRefAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public UnscopedRefAttribute() { }
    }
    /// <summary>SuppressMessageAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class SuppressMessageAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public SuppressMessageAttribute(string category, string checkId) { }
        /// <summary>Unused.</summary>
        public string Justification { get; set; }
        /// <summary>Unused.</summary>
        public string Scope { get; set; }
        /// <summary>Unused.</summary>
        public string Target { get; set; }
        /// <summary>Unused.</summary>
        public string MessageId { get; set; }
    }
    /// <summary>UnconditionalSuppressMessageAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class UnconditionalSuppressMessageAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public UnconditionalSuppressMessageAttribute(string category, string checkId) { }
        /// <summary>Unused.</summary>
        public string Justification { get; set; }
        /// <summary>Unused.</summary>
        public string Scope { get; set; }
        /// <summary>Unused.</summary>
        public string Target { get; set; }
        /// <summary>Unused.</summary>
        public string MessageId { get; set; }
    }
    /// <summary>ExcludeFromCodeCoverageAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ExcludeFromCodeCoverageAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ExcludeFromCodeCoverageAttribute() { }
    }
    /// <summary>SetsRequiredMembersAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class SetsRequiredMembersAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public SetsRequiredMembersAttribute() { }
    }
    /// <summary>ConstantExpectedAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ConstantExpectedAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ConstantExpectedAttribute() { }
        /// <summary>Unused.</summary>
        public object Min { get; set; }
        /// <summary>Unused.</summary>
        public object Max { get; set; }
    }
    /// <summary>StringSyntaxAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class StringSyntaxAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public StringSyntaxAttribute(string syntax) { }
    }
    /// <summary>ExperimentalAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class ExperimentalAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ExperimentalAttribute(string diagnosticId) { }
        /// <summary>Unused.</summary>
        public string UrlFormat { get; set; }
    }
}
namespace System.ComponentModel
{
    /// <summary>EditorBrowsableAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class EditorBrowsableAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public EditorBrowsableAttribute(EditorBrowsableState state) { }
    }
}
namespace System.Runtime
{
    /// <summary>RuntimeExportAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class RuntimeExportAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RuntimeExportAttribute(string entry) { }
    }
    /// <summary>RuntimeImportAttribute.</summary>
    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    public sealed class RuntimeImportAttribute : System.Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RuntimeImportAttribute(string lib, string entry) { }
        /// <summary>Creates the attribute.</summary>
        public RuntimeImportAttribute(string entry) { }
    }
}
