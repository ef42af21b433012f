namespace System
{
    /// <summary>Where an attribute may be applied.</summary>
    [Flags]
    public enum AttributeTargets
    {
        /// <summary>Assembly.</summary>
        Assembly = 0x0001, /// <summary>Module.</summary>
        Module = 0x0002, /// <summary>Class.</summary>
        Class = 0x0004, /// <summary>Struct.</summary>
        Struct = 0x0008, /// <summary>Enum.</summary>
        Enum = 0x0010, /// <summary>Constructor.</summary>
        Constructor = 0x0020, /// <summary>Method.</summary>
        Method = 0x0040, /// <summary>Property.</summary>
        Property = 0x0080, /// <summary>Field.</summary>
        Field = 0x0100, /// <summary>Event.</summary>
        Event = 0x0200, /// <summary>Interface.</summary>
        Interface = 0x0400, /// <summary>Parameter.</summary>
        Parameter = 0x0800, /// <summary>Delegate.</summary>
        Delegate = 0x1000, /// <summary>Return value.</summary>
        ReturnValue = 0x2000, /// <summary>Generic parameter.</summary>
        GenericParameter = 0x4000, /// <summary>Everything.</summary>
        All = 0x7FFF,
    }

    /// <summary>Declares where an attribute applies.</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = true)]
    public sealed class AttributeUsageAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AttributeUsageAttribute(AttributeTargets validOn) { ValidOn = validOn; }
        /// <summary>Targets.</summary>
        public AttributeTargets ValidOn { get; }
        /// <summary>Multiple uses.</summary>
        public bool AllowMultiple { get; set; }
        /// <summary>Inherited.</summary>
        public bool Inherited { get; set; }
    }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Marks init-only setters.</summary>
    public static class IsExternalInit { }

    /// <summary>Marks volatile fields.</summary>
    public static class IsVolatile { }

    /// <summary>Method implementation options (pseudo-attribute).</summary>
    [AttributeUsage(AttributeTargets.Constructor | AttributeTargets.Method, Inherited = false)]
    public sealed class MethodImplAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public MethodImplAttribute(MethodImplOptions methodImplOptions) { }
        /// <summary>Creates the attribute.</summary>
        public MethodImplAttribute(short value) { }
        /// <summary>Creates the attribute.</summary>
        public MethodImplAttribute() { }
    }

    /// <summary>Method implementation options.</summary>
    [Flags]
    public enum MethodImplOptions
    {
        /// <summary>Unmanaged.</summary>
        Unmanaged = 0x0004, /// <summary>NoInlining.</summary>
        NoInlining = 0x0008, /// <summary>ForwardRef.</summary>
        ForwardRef = 0x0010, /// <summary>Synchronized.</summary>
        Synchronized = 0x0020, /// <summary>NoOptimization.</summary>
        NoOptimization = 0x0040, /// <summary>PreserveSig.</summary>
        PreserveSig = 0x0080, /// <summary>AggressiveInlining.</summary>
        AggressiveInlining = 0x0100, /// <summary>AggressiveOptimization.</summary>
        AggressiveOptimization = 0x0200, /// <summary>InternalCall.</summary>
        InternalCall = 0x1000,
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>Layout kinds.</summary>
    public enum LayoutKind
    {
        /// <summary>Sequential.</summary>
        Sequential = 0, /// <summary>Explicit.</summary>
        Explicit = 2, /// <summary>Auto.</summary>
        Auto = 3,
    }

    /// <summary>Character sets.</summary>
    public enum CharSet
    {
        /// <summary>None.</summary>
        None = 1, /// <summary>Ansi.</summary>
        Ansi = 2, /// <summary>Unicode.</summary>
        Unicode = 3, /// <summary>Auto.</summary>
        Auto = 4,
    }

    /// <summary>Calling conventions.</summary>
    public enum CallingConvention
    {
        /// <summary>Winapi.</summary>
        Winapi = 1, /// <summary>Cdecl.</summary>
        Cdecl = 2, /// <summary>StdCall.</summary>
        StdCall = 3,
    }
}

namespace System.Diagnostics
{
    /// <summary>Debugger display states.</summary>
    public enum DebuggerBrowsableState
    {
        /// <summary>Never.</summary>
        Never = 0, /// <summary>Collapsed.</summary>
        Collapsed = 2, /// <summary>RootHidden.</summary>
        RootHidden = 3,
    }
}

namespace System.ComponentModel
{
    /// <summary>Editor visibility.</summary>
    public enum EditorBrowsableState
    {
        /// <summary>Always.</summary>
        Always = 0, /// <summary>Never.</summary>
        Never = 1, /// <summary>Advanced.</summary>
        Advanced = 2,
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>Marshalling kinds (the compiler needs the type for the <c>unmanaged</c> constraint).</summary>
    public enum UnmanagedType
    {
        /// <summary>Bool.</summary>
        Bool = 2,
    }
}

namespace System.Diagnostics
{
    /// <summary>Debugging modes (compiler-emitted assembly attribute).</summary>
    public sealed class DebuggableAttribute : Attribute
    {
        /// <summary>Modes.</summary>
        [Flags]
        public enum DebuggingModes
        {
            /// <summary>None.</summary>
            None = 0, /// <summary>Default.</summary>
            Default = 1, /// <summary>DisableOptimizations.</summary>
            DisableOptimizations = 256, /// <summary>IgnoreSymbolStoreSequencePoints.</summary>
            IgnoreSymbolStoreSequencePoints = 2, /// <summary>EnableEditAndContinue.</summary>
            EnableEditAndContinue = 4,
        }
        /// <summary>Creates the attribute.</summary>
        public DebuggableAttribute(DebuggingModes modes) { }
        /// <summary>Creates the attribute.</summary>
        public DebuggableAttribute(bool isJITTrackingEnabled, bool isJITOptimizerDisabled) { }
    }
}

namespace System.Security
{
    /// <summary>Compiler-emitted module attribute for unsafe code.</summary>
    public sealed class UnverifiableCodeAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public UnverifiableCodeAttribute() { }
    }
}

namespace System.Security.Permissions
{
    /// <summary>Security actions (legacy, compiler-emitted for unsafe code).</summary>
    public enum SecurityAction
    {
        /// <summary>RequestMinimum.</summary>
        RequestMinimum = 8,
    }

    /// <summary>Legacy permission attribute (compiler-emitted for unsafe code).</summary>
    public sealed class SecurityPermissionAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public SecurityPermissionAttribute(SecurityAction action) { }
        /// <summary>Unused.</summary>
        public bool SkipVerification { get; set; }
    }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Type forwarder (used by the kernel's facade assemblies).</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
    public sealed class TypeForwardedToAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public TypeForwardedToAttribute(Type destination) { }
    }
}
