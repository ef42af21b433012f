using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary>Limits and strings of the XenStore wire protocol (xen/io/xs_wire.h).</summary>
public static class XenStore
{
    /// <summary><c>XENSTORE_RING_SIZE</c>: bytes in each ring of <see cref="XenStoreDomainInterface"/> (a power of two).</summary>
    [CConstant("XENSTORE_RING_SIZE", "xen/io/xs_wire.h")]
    public const int RingSize = 1024;

    /// <summary><c>MASK_XENSTORE_IDX(~0)</c>: the mask that turns a free-running index into a ring position.</summary>
    [CConstant("MASK_XENSTORE_IDX(0xffffffffu)", "xen/io/xs_wire.h")]
    public const uint IndexMask = RingSize - 1;

    /// <summary><c>XENSTORE_PAYLOAD_MAX</c>: the largest payload after a <see cref="XenStoreMessageHeader"/>. Violating it breaks the connection.</summary>
    [CConstant("XENSTORE_PAYLOAD_MAX", "xen/io/xs_wire.h")]
    public const int PayloadMax = 4096;

    /// <summary><c>XENSTORE_ABS_PATH_MAX</c>: the longest absolute path (longer ones get an error reply).</summary>
    [CConstant("XENSTORE_ABS_PATH_MAX", "xen/io/xs_wire.h")]
    public const int AbsPathMax = 3072;

    /// <summary><c>XENSTORE_REL_PATH_MAX</c>: the longest relative path (longer ones get an error reply).</summary>
    [CConstant("XENSTORE_REL_PATH_MAX", "xen/io/xs_wire.h")]
    public const int RelPathMax = 2048;

    /// <summary><c>XS_WRITE_NONE</c>: legacy write flag string.</summary>
    [CStringConstant("XS_WRITE_NONE", "xen/io/xs_wire.h")]
    public const string WriteNone = "NONE";

    /// <summary><c>XS_WRITE_CREATE</c>: legacy write flag string.</summary>
    [CStringConstant("XS_WRITE_CREATE", "xen/io/xs_wire.h")]
    public const string WriteCreate = "CREATE";

    /// <summary><c>XS_WRITE_CREATE_EXCL</c>: legacy write flag string.</summary>
    [CStringConstant("XS_WRITE_CREATE_EXCL", "xen/io/xs_wire.h")]
    public const string WriteCreateExcl = "CREATE|EXCL";

    /// <summary><c>MASK_XENSTORE_IDX(idx)</c>: the ring position of free-running index <paramref name="index"/>.</summary>
    /// <param name="index">A free-running <c>XENSTORE_RING_IDX</c>.</param>
    /// <returns><paramref name="index"/> modulo <see cref="RingSize"/>.</returns>
    public static int MaskIndex(uint index) => (int)(index & IndexMask);
}
