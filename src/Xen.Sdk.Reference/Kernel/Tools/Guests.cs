namespace Xen.Sdk.Reference.KernelTool;

internal static class Guests
{
    public static int Run(string outDir) => 0;
}
