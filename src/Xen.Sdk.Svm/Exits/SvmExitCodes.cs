namespace Xen.Sdk.Svm;

/// <summary>Classification helpers for <see cref="SvmExitCode"/> (AMD APM Vol. 2 Appendix C).</summary>
public static class SvmExitCodes
{
    /// <summary>Normalises a raw EXITCODE: values whose low 32 bits are a negative code (FFFFFFFCh-FFFFFFFFh)
    /// and whose high 32 bits are zero (QEMU's 32-bit store of VMEXIT_INVALID) are sign-extended.</summary>
    /// <param name="raw">The EXITCODE quadword.</param>
    /// <returns>The exit code.</returns>
    public static SvmExitCode Normalize(ulong raw)
    {
        if ((raw >> 32) == 0 && (uint)raw >= 0xFFFF_FFFCu)
            return (SvmExitCode)(ulong)(long)(int)(uint)raw;
        return (SvmExitCode)raw;
    }

    /// <summary>Whether the code is VMEXIT_INVALID, comparing the low 32 bits only (QEMU quirk).</summary>
    /// <param name="raw">The EXITCODE quadword.</param>
    /// <returns>True for VMEXIT_INVALID.</returns>
    public static bool IsInvalid(ulong raw) => (uint)raw == 0xFFFF_FFFFu;

    /// <summary>Whether the code is a CR read (0h-Fh) or write (10h-1Fh).</summary>
    /// <param name="code">The code.</param>
    /// <param name="cr">The control register number.</param>
    /// <param name="write">True for a write.</param>
    /// <returns>True for a CR access exit.</returns>
    public static bool IsCrAccess(SvmExitCode code, out int cr, out bool write)
    {
        ulong c = (ulong)code;
        cr = (int)(c & 0xF);
        write = (c & 0x10) != 0;
        return c < 0x20;
    }

    /// <summary>Whether the code is a DR read (20h-2Fh) or write (30h-3Fh).</summary>
    /// <param name="code">The code.</param>
    /// <param name="dr">The debug register number.</param>
    /// <param name="write">True for a write.</param>
    /// <returns>True for a DR access exit.</returns>
    public static bool IsDrAccess(SvmExitCode code, out int dr, out bool write)
    {
        ulong c = (ulong)code;
        dr = (int)(c & 0xF);
        write = (c & 0x10) != 0;
        return c >= 0x20 && c < 0x40;
    }

    /// <summary>Whether the code is an exception intercept (40h-5Fh).</summary>
    /// <param name="code">The code.</param>
    /// <param name="vector">The exception vector.</param>
    /// <returns>True for an exception exit.</returns>
    public static bool IsException(SvmExitCode code, out int vector)
    {
        ulong c = (ulong)code;
        vector = (int)(c - 0x40) & 31;
        return c >= 0x40 && c < 0x60;
    }

    /// <summary>Whether the code is a CR write trap (90h-9Fh).</summary>
    /// <param name="code">The code.</param>
    /// <param name="cr">The control register number.</param>
    /// <returns>True for a CR write trap.</returns>
    public static bool IsCrWriteTrap(SvmExitCode code, out int cr)
    {
        ulong c = (ulong)code;
        cr = (int)(c & 0xF);
        return c >= 0x90 && c < 0xA0;
    }

    /// <summary>Whether the code is defined by the APM (Appendix C) and by this library.</summary>
    /// <param name="code">The code.</param>
    /// <returns>True if defined.</returns>
    public static bool IsDefined(SvmExitCode code)
    {
        ulong c = (ulong)code;
        return c < 0x90 || (c >= 0x90 && c <= 0xA6) || (c >= 0x400 && c <= 0x403) || c >= 0xFFFF_FFFF_FFFF_FFFCul;
    }
}
