namespace Xen.Sdk.Reference.Temporary;

// TEMPORARY (kernel branch): Xen ABI values Xen.Sdk.Abi does not expose yet. To be replaced by the Abi library's
// own types once they land (requested in the kernel report): errno values, SCHEDOP_* and SHUTDOWN_* codes,
// XENVER_* commands, the Xen CPUID leaves and the hypercall-page MSR.

/// <summary>Xen errno values returned (negated) by hypercalls. (<c>xen/include/public/errno.h</c>)</summary>
public enum XenErrno
{
    /// <summary><c>EPERM</c>.</summary>
    Eperm = 1,
    /// <summary><c>ENOENT</c>.</summary>
    Enoent = 2,
    /// <summary><c>EFAULT</c>: a guest pointer could not be read or written.</summary>
    Efault = 14,
    /// <summary><c>EINVAL</c>: an argument is out of range.</summary>
    Einval = 22,
    /// <summary><c>ENOSYS</c>: unknown hypercall or sub-command.</summary>
    Enosys = 38,
}

/// <summary><c>SCHEDOP_*</c> commands. (<c>xen/include/public/sched.h</c>)</summary>
public enum SchedOpCommand
{
    /// <summary><c>SCHEDOP_yield</c>.</summary>
    Yield = 0,
    /// <summary><c>SCHEDOP_block</c>.</summary>
    Block = 1,
    /// <summary><c>SCHEDOP_shutdown</c>: argument is <c>struct sched_shutdown { unsigned int reason; }</c>.</summary>
    Shutdown = 2,
}

/// <summary><c>SHUTDOWN_*</c> reasons. (<c>xen/include/public/sched.h</c>)</summary>
public enum ShutdownReason
{
    /// <summary><c>SHUTDOWN_poweroff</c>.</summary>
    Poweroff = 0,
    /// <summary><c>SHUTDOWN_reboot</c>.</summary>
    Reboot = 1,
    /// <summary><c>SHUTDOWN_suspend</c>.</summary>
    Suspend = 2,
    /// <summary><c>SHUTDOWN_crash</c>.</summary>
    Crash = 3,
    /// <summary><c>SHUTDOWN_watchdog</c>.</summary>
    Watchdog = 4,
}

/// <summary><c>XENVER_*</c> commands. (<c>xen/include/public/version.h</c>)</summary>
public enum XenVersionCommand
{
    /// <summary><c>XENVER_version</c>: returns <c>major &lt;&lt; 16 | minor</c>.</summary>
    Version = 0,
    /// <summary><c>XENVER_extraversion</c>: fills <c>char[16]</c>.</summary>
    ExtraVersion = 1,
    /// <summary><c>XENVER_get_features</c>: <c>struct xen_feature_info { unsigned int submap_idx, submap; }</c>.</summary>
    GetFeatures = 6,
    /// <summary><c>XENVER_pagesize</c>.</summary>
    PageSize = 7,
}

/// <summary>Xen's CPUID leaves and MSR for HVM guests (<c>xen/include/public/arch-x86/cpuid.h</c>).</summary>
public static class XenCpuid
{
    /// <summary>Base leaf: EAX = last leaf, EBX:ECX:EDX = "XenVMMXenVMM".</summary>
    public const uint BaseLeaf = 0x40000000;
    /// <summary>"XenV".</summary>
    public const uint SignatureEbx = 0x566e6558;
    /// <summary>"MMXe".</summary>
    public const uint SignatureEcx = 0x65584d4d;
    /// <summary>"nVMM".</summary>
    public const uint SignatureEdx = 0x4d4d566e;
    /// <summary>The MSR whose write installs the hypercall page (reported in leaf base+2, EBX).</summary>
    public const uint HypercallPageMsr = 0x40000000;
}
