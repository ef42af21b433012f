using System.Reflection;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Metadata;
using Xunit;

namespace Xen.Sdk.Abi.Tests;

public sealed class XenInterfaceTests
{
    [Fact]
    public void VersionConstantNamesItsMacro()
    {
        var attr = typeof(XenInterface).GetField(nameof(XenInterface.Version))!.GetCustomAttribute<CConstantAttribute>();
        Assert.NotNull(attr);
        Assert.Equal("__XEN_LATEST_INTERFACE_VERSION__", attr!.Name);
        Assert.Equal(4u, (XenInterface.Version >> 16) & 0xff);
    }
}
