namespace Xen.Sdk.Svm;

/// <summary>
/// What VMRUN's checks depend on besides the VMCB: the processor's capabilities, the checking profile and
/// the host state at the VMRUN (host EFER and CR0 matter for QEMU's CR3 check and Bochs' nested-paging checks).
/// </summary>
public readonly struct SvmCheckContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <param name="profile">Whose rules to predict.</param>
    /// <param name="hostLongMode">Host EFER.LMA at VMRUN (the reference kernel runs in long mode).</param>
    /// <param name="hostPaging">Host CR0.PG at VMRUN.</param>
    public SvmCheckContext(in SvmCapabilities capabilities, SvmCheckProfile profile = SvmCheckProfile.Apm, bool hostLongMode = true, bool hostPaging = true)
    {
        Capabilities = capabilities;
        Profile = profile;
        HostLongMode = hostLongMode;
        HostPaging = hostPaging;
    }

    /// <summary>The processor's capabilities.</summary>
    public SvmCapabilities Capabilities { get; }
    /// <summary>Whose rules are predicted.</summary>
    public SvmCheckProfile Profile { get; }
    /// <summary>Host EFER.LMA.</summary>
    public bool HostLongMode { get; }
    /// <summary>Host CR0.PG.</summary>
    public bool HostPaging { get; }

    /// <summary>QEMU 7.2 TCG, <c>-cpu qemu64,+svm,+npt</c>, host in long mode.</summary>
    public static SvmCheckContext Qemu72 => new(SvmCapabilities.Qemu72Tcg, SvmCheckProfile.Qemu72);
    /// <summary>Bochs 2.7 <c>ryzen</c>, host in long mode.</summary>
    public static SvmCheckContext Bochs27Ryzen => new(SvmCapabilities.Bochs27Ryzen, SvmCheckProfile.Bochs27);
}
