// netstandard2.0 lacks these attributes; the C# compiler recognises them by name.
namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>Lets a struct member return a reference to <c>this</c> (C# 11 ref safety).</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    internal sealed class UnscopedRefAttribute : Attribute
    {
    }

    /// <summary>The method never returns normally.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class DoesNotReturnAttribute : Attribute
    {
    }
}
