using System;

namespace Xen.Sdk.Abi.Io;

/// <summary>
/// The table <c>xsd_errors[]</c> of xen/io/xs_wire.h: XenStore reports errors as their errno <em>name</em>
/// (the payload of an <see cref="XenStoreMessageType.Error"/> reply, for example <c>"ENOENT\0"</c>), so that
/// the wire is independent of each side's errno numbering. This class maps between the names and Xen's
/// errno values (xen/errno.h), without allocating.
/// </summary>
/// <remarks>
/// The order is the header's (new errors are only appended). The numeric values are Xen's
/// (<c>xen/errno.h</c>), which equal Linux x86's for these sixteen names.
/// </remarks>
public static class XenStoreErrors
{
    /// <summary>Number of entries in <c>xsd_errors[]</c>.</summary>
    public const int Count = 16;

    /// <summary>The errno value (xen/errno.h) of entry <paramref name="index"/>, or 0 when out of range.</summary>
    /// <param name="index">Entry index, 0 to <see cref="Count"/> - 1.</param>
    /// <returns>The positive errno value.</returns>
    public static int GetErrno(int index) => index switch
    {
        0 => 22,   // EINVAL
        1 => 13,   // EACCES
        2 => 17,   // EEXIST
        3 => 21,   // EISDIR
        4 => 2,    // ENOENT
        5 => 12,   // ENOMEM
        6 => 28,   // ENOSPC
        7 => 5,    // EIO
        8 => 39,   // ENOTEMPTY
        9 => 38,   // ENOSYS
        10 => 30,  // EROFS
        11 => 16,  // EBUSY
        12 => 11,  // EAGAIN
        13 => 106, // EISCONN
        14 => 7,   // E2BIG
        15 => 1,   // EPERM
        _ => 0,
    };

    /// <summary>The ASCII name (without terminator) of entry <paramref name="index"/>, or empty when out of range.</summary>
    /// <param name="index">Entry index, 0 to <see cref="Count"/> - 1.</param>
    /// <returns>The name's bytes, from static data.</returns>
    public static ReadOnlySpan<byte> GetName(int index) => index switch
    {
        0 => "EINVAL"u8,
        1 => "EACCES"u8,
        2 => "EEXIST"u8,
        3 => "EISDIR"u8,
        4 => "ENOENT"u8,
        5 => "ENOMEM"u8,
        6 => "ENOSPC"u8,
        7 => "EIO"u8,
        8 => "ENOTEMPTY"u8,
        9 => "ENOSYS"u8,
        10 => "EROFS"u8,
        11 => "EBUSY"u8,
        12 => "EAGAIN"u8,
        13 => "EISCONN"u8,
        14 => "E2BIG"u8,
        15 => "EPERM"u8,
        _ => default,
    };

    /// <summary>
    /// Finds the name XenStore uses on the wire for errno <paramref name="errno"/> (positive or negated).
    /// </summary>
    /// <param name="errno">A Xen errno value, such as 2 or -2 for <c>ENOENT</c>.</param>
    /// <param name="name">The name's bytes (no terminator), or empty.</param>
    /// <returns><see langword="false"/> when the value is not in the table (XenStore daemons then send <c>"EINVAL"</c>).</returns>
    public static bool TryGetName(int errno, out ReadOnlySpan<byte> name)
    {
        int value = errno < 0 ? -errno : errno;
        for (int i = 0; i < Count; i++)
        {
            if (GetErrno(i) == value)
            {
                name = GetName(i);
                return true;
            }
        }

        name = default;
        return false;
    }

    /// <summary>
    /// Parses an <see cref="XenStoreMessageType.Error"/> payload: an errno name, optionally followed by its
    /// NUL terminator.
    /// </summary>
    /// <param name="payload">The payload bytes.</param>
    /// <param name="errno">The positive Xen errno value, or 0.</param>
    /// <returns><see langword="false"/> when the name is not in the table.</returns>
    public static bool TryParse(ReadOnlySpan<byte> payload, out int errno)
    {
        if (payload.Length > 0 && payload[payload.Length - 1] == 0)
        {
            payload = payload.Slice(0, payload.Length - 1);
        }

        for (int i = 0; i < Count; i++)
        {
            if (payload.SequenceEqual(GetName(i)))
            {
                errno = GetErrno(i);
                return true;
            }
        }

        errno = 0;
        return false;
    }
}
