using Xen.Sdk.Abi.Errno;

namespace Xen.Sdk.Abi.Hypercalls;

/// <summary>The hypercall return convention: a non-negative value on success, <c>-XEN_E*</c> on failure.</summary>
public static class HypercallResult
{
    /// <summary>The return value for a failure.</summary>
    /// <param name="errno">The Xen errno.</param>
    /// <returns><c>-errno</c>.</returns>
    public static long Failure(XenErrno errno) => -(long)errno;

    /// <summary>Classifies a return value (sign-extend eax first for 32-bit guests).</summary>
    /// <param name="returnValue">rax, or eax sign-extended.</param>
    /// <param name="errno">The errno when the call failed.</param>
    /// <returns><see langword="true"/> when the call failed.</returns>
    public static bool IsFailure(long returnValue, out XenErrno errno)
    {
        // Xen returns -errno with errno in 1..4095 (like Linux); other negative values are results.
        bool failed = returnValue < 0 && returnValue >= -4095;
        errno = failed ? (XenErrno)(int)(-returnValue) : 0;
        return failed;
    }
}
