using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// The ABI names a frontend writes to its XenStore <c>protocol</c> node (xen/io/protocols.h), so that a
/// 64-bit backend can tell a 32-bit guest's ring layout (for example 108-byte <see cref="BlkifRequest32"/>)
/// from a 64-bit guest's (<see cref="BlkifRequest64"/>). A missing node means the backend's native ABI.
/// </summary>
public static class IoProtocols
{
    /// <summary><c>XEN_IO_PROTO_ABI_X86_32</c>: rings laid out for 32-bit x86 guests.</summary>
    [CStringConstant("XEN_IO_PROTO_ABI_X86_32", "xen/io/protocols.h")]
    public const string X86_32 = "x86_32-abi";

    /// <summary><c>XEN_IO_PROTO_ABI_X86_64</c>: rings laid out for 64-bit x86 guests.</summary>
    [CStringConstant("XEN_IO_PROTO_ABI_X86_64", "xen/io/protocols.h")]
    public const string X86_64 = "x86_64-abi";

    /// <summary><c>XEN_IO_PROTO_ABI_ARM</c>: rings laid out for Arm guests (not mirrored by this SDK).</summary>
    [CStringConstant("XEN_IO_PROTO_ABI_ARM", "xen/io/protocols.h")]
    public const string Arm = "arm-abi";

    /// <summary><c>XEN_IO_PROTO_ABI_NATIVE</c> as a 64-bit guest compiles it.</summary>
    [CStringConstant("XEN_IO_PROTO_ABI_NATIVE", "xen/io/protocols.h", XenArchitectures.X86_64)]
    public const string NativeX86_64 = X86_64;

    /// <summary><c>XEN_IO_PROTO_ABI_NATIVE</c> as a 32-bit guest compiles it.</summary>
    [CStringConstant("XEN_IO_PROTO_ABI_NATIVE", "xen/io/protocols.h", XenArchitectures.X86_32)]
    public const string NativeX86_32 = X86_32;

    /// <summary>The protocol name of a guest bitness.</summary>
    /// <param name="architecture"><see cref="XenArchitectures.X86_64"/> or <see cref="XenArchitectures.X86_32"/>.</param>
    /// <returns>The name, or <see langword="null"/> for any other value.</returns>
    public static string? ForArchitecture(XenArchitectures architecture) => architecture switch
    {
        XenArchitectures.X86_64 => X86_64,
        XenArchitectures.X86_32 => X86_32,
        _ => null,
    };

    /// <summary>
    /// Parses a <c>protocol</c> node's value (ASCII, optionally NUL-terminated) into the bitness whose layouts
    /// the peer uses. An empty value means the reader's own native ABI, which the caller supplies.
    /// </summary>
    /// <param name="value">The node's bytes.</param>
    /// <param name="native">The reader's own bitness, returned for an empty value.</param>
    /// <param name="architecture">The bitness, or <see cref="XenArchitectures.None"/>.</param>
    /// <returns><see langword="false"/> for an unknown protocol (including Arm).</returns>
    public static bool TryParse(System.ReadOnlySpan<byte> value, XenArchitectures native, out XenArchitectures architecture)
    {
        if (value.Length > 0 && value[value.Length - 1] == 0)
        {
            value = value.Slice(0, value.Length - 1);
        }

        if (value.IsEmpty)
        {
            architecture = native;
            return native == XenArchitectures.X86_64 || native == XenArchitectures.X86_32;
        }

        if (System.MemoryExtensions.SequenceEqual(value, "x86_64-abi"u8))
        {
            architecture = XenArchitectures.X86_64;
            return true;
        }

        if (System.MemoryExtensions.SequenceEqual(value, "x86_32-abi"u8))
        {
            architecture = XenArchitectures.X86_32;
            return true;
        }

        architecture = XenArchitectures.None;
        return false;
    }
}
