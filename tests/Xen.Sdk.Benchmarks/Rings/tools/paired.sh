#!/usr/bin/env bash
# Paired comparison of the two-thread ring workloads, for a machine shared with other jobs: BenchmarkDotNet
# measures the C baseline, then the C# ring, then Channels, each in its own block of seconds, so a change of
# load between blocks moves the ratio. This runs the same workloads (RingBenchmarks.cs' RingWorkload and
# ChannelsBounded, native/ring_bench.c through NativeRingBaseline.cs, gcc -O2) alternately, SPSC C# and C,
# ping-pong C# and C (C# first in even rounds, C first in odd rounds), Channels, round after round, and prints the median of the per-round ratios next to each side's
# best and median time.
# Usage: tests/Xen.Sdk.Benchmarks/Rings/tools/paired.sh [pairs=40]   (after 35 warm-up pairs, so the C#
# loops run Tier1 code as in BenchmarkDotNet)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../../.." && pwd)
pairs=${1:-40}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/paired.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <Nullable>enable</Nullable><Optimize>true</Optimize><NoWarn>CS1591</NoWarn></PropertyGroup>
  <ItemGroup>
    <Compile Include="$here/RingBenchmarks.cs" /><Compile Include="$here/NativeRingBaseline.cs" />
    <ProjectReference Include="$repo/src/Xen.Sdk.Rings/Xen.Sdk.Rings.csproj" />
    <PackageReference Include="BenchmarkDotNet" Version="0.15.8" />
  </ItemGroup>
</Project>
XML
cat > "$dir/Paired.cs" <<'CS'
using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Xen.Sdk.Benchmarks.Rings;

internal static unsafe class Paired
{
    private static void Main(string[] args)
    {
        int pairs = int.Parse(args[0]);
        const int Messages = 1 << 22, RoundTrips = 1 << 14, Bytes = 8 * 4096; // as in RingBenchmarks.cs
        NativeRingBaseline.EnsureLoaded();
        byte* page = (byte*)NativeMemory.AlignedAlloc(Bytes, 4096);
        double[] cs = new double[pairs], c = new double[pairs], r = new double[pairs];
        double[] pcs = new double[pairs], pc = new double[pairs], pr = new double[pairs];
        double[] ch = new double[pairs], chr = new double[pairs];
        var channels = new RingSpscBenchmarks();
        for (int i = -35; i < pairs; i++)
        {
            // ABBA: even rounds run C# first, odd rounds C first, so neither side always follows the other.
            bool csFirst = (i & 1) == 0;
            double a = 0, b = 0, pa = 0, pb = 0;
            var sw = new Stopwatch();
            for (int k = 0; k < 2; k++)
            {
                sw.Restart();
                if ((k == 0) == csFirst) { RingWorkload.Run(page, Bytes, Messages, pingPong: false); a = sw.Elapsed.TotalNanoseconds / Messages; }
                else { NativeRingBaseline.Spsc(Messages); b = sw.Elapsed.TotalNanoseconds / Messages; }
            }
            for (int k = 0; k < 2; k++)
            {
                sw.Restart();
                if ((k == 0) == csFirst) { RingWorkload.Run(page, Bytes, RoundTrips, pingPong: true); pa = sw.Elapsed.TotalNanoseconds / RoundTrips; }
                else { NativeRingBaseline.PingPong(RoundTrips); pb = sw.Elapsed.TotalNanoseconds / RoundTrips; }
            }
            sw.Restart();
            channels.ChannelsBounded();
            double cb = sw.Elapsed.TotalNanoseconds / Messages;
            if (i < 0) continue;
            (cs[i], c[i], r[i], pcs[i], pc[i], pr[i], ch[i], chr[i]) = (a, b, a / b, pa, pb, pa / pb, cb, cb / a);
        }
        foreach (double[] x in new[] { cs, c, r, pcs, pc, pr, ch, chr }) Array.Sort(x);
        int m = pairs / 2;
        Console.WriteLine($"SPSC, ns/msg:        C# best {cs[0]:F2} median {cs[m]:F2} | C best {c[0]:F2} median {c[m]:F2} | C#/C per pair: median {r[m]:F2} (quartiles {r[pairs / 4]:F2} .. {r[3 * pairs / 4]:F2})");
        Console.WriteLine($"Channels, ns/msg:    best {ch[0]:F2} median {ch[m]:F2} | Channels/C# per pair: median {chr[m]:F2} (quartiles {chr[pairs / 4]:F2} .. {chr[3 * pairs / 4]:F2})");
        Console.WriteLine($"ping-pong, ns/trip:  C# best {pcs[0]:F0} median {pcs[m]:F0} | C best {pc[0]:F0} median {pc[m]:F0} | C#/C per pair: median {pr[m]:F2} (quartiles {pr[pairs / 4]:F2} .. {pr[3 * pairs / 4]:F2})");
    }
}
CS
dotnet build "$dir/paired.csproj" -c Release -v q -nologo -o "$dir/out" >&2
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$dir/out/paired.dll" "$pairs"
