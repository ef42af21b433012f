using System;

namespace Xen.Sdk.Abi.Metadata;

/// <summary>The guest ABIs (x86 bitnesses) a mirrored C type or constant is valid for.</summary>
[Flags]
public enum XenArchitectures
{
    /// <summary>No architecture.</summary>
    None = 0,

    /// <summary>64-bit guests (<c>__x86_64__</c>, gcc <c>-m64</c>).</summary>
    X86_64 = 1,

    /// <summary>32-bit guests: PV32/compat and 32-bit HVM (<c>__i386__</c>, gcc <c>-m32</c>).</summary>
    X86_32 = 2,

    /// <summary>Both x86 bitnesses: the layout is identical for 64-bit and 32-bit guests.</summary>
    All = X86_64 | X86_32,
}
