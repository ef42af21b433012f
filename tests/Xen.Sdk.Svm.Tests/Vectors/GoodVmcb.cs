namespace Xen.Sdk.Svm.Tests.Vectors;

/// <summary>The known-good VMCB the vectors and properties mutate: a 64-bit flat guest with IOPM/MSRPM.</summary>
internal static class GoodVmcb
{
    public const ulong Iopm = 0x0010_0000, Msrpm = 0x0010_4000;

    public static Vmcb Create()
    {
        var v = new Vmcb();
        VmcbSetup.Reset(ref v, asid: 1);
        VmcbSetup.LongMode(ref v, cr3: 0x0020_0000, rip: 0x40_0000, rsp: 0x80_0000);
        VmcbSetup.PermissionMaps(ref v, Iopm, Msrpm);
        v.Intercepts4 |= SvmIntercept4.Vmmcall;
        v.Intercepts3 |= SvmIntercept3.Hlt | SvmIntercept3.Shutdown;
        return v;
    }

    public static Vmcb Protected32()
    {
        var v = Create();
        VmcbSetup.ProtectedMode(ref v, 0x1000, 0x8000);
        return v;
    }

    /// <summary>A generic AMD64 processor with CET, MAXPHYADDR 40: for the APM profile.</summary>
    public static SvmCapabilities ApmCaps(bool longMode = true, bool cet = true)
        => new(1, 64, SvmFeatures.NestedPaging | SvmFeatures.NextRipSave, 40, 48, longMode,
               SvmCapabilities.Cr4BaseBits | (1ul << 16) | (1ul << 18) | (1ul << 20) | (1ul << 21) | (cet ? 1ul << 23 : 0),
               SvmCapabilities.EferBaseBits);

    public static SvmCheckContext Apm(bool longMode = true) => new(ApmCaps(longMode), SvmCheckProfile.Apm);
}
