using BenchmarkDotNet.Running;

namespace Xen.Sdk.Benchmarks;

/// <summary>Entry point: <c>./build.sh bench [BenchmarkDotNet arguments]</c>, e.g. <c>--filter *Ring*</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
