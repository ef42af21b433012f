using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.Sdk.Benchmarks.Rings;

/// <summary>Builds native/ring_bench.c (Xen's io/ring.h macros, gcc -O2) into a shared library and binds its entry points.</summary>
internal static unsafe class NativeRingBaseline
{
    private static delegate* unmanaged<long, long> _spsc;
    private static delegate* unmanaged<long, long> _pingPong;
    private static delegate* unmanaged<long, long> _oneThread;

    public static long Spsc(long n) => _spsc(n);

    public static long PingPong(long n) => _pingPong(n);

    public static long OneThread(long n) => _oneThread(n);

    public static void EnsureLoaded()
    {
        if (_spsc != null) return;
        string src = FindSource();
        string so = Path.Combine(Path.GetTempPath(), $"libxen-sdk-ringbench-{Environment.ProcessId}.so");
        var psi = new ProcessStartInfo("gcc", $"-O2 -Wall -shared -fPIC -pthread -o \"{so}\" \"{src}\"") { RedirectStandardError = true };
        using (var p = Process.Start(psi)!)
        {
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("gcc failed (libxen-dev installed?): " + err);
        }
        nint lib = NativeLibrary.Load(so);
        _spsc = (delegate* unmanaged<long, long>)NativeLibrary.GetExport(lib, "xr_spsc");
        _pingPong = (delegate* unmanaged<long, long>)NativeLibrary.GetExport(lib, "xr_pingpong");
        _oneThread = (delegate* unmanaged<long, long>)NativeLibrary.GetExport(lib, "xr_onethread");
    }

    private static string FindSource([CallerFilePath] string here = "")
    {
        string candidate = Path.Combine(Path.GetDirectoryName(here) ?? ".", "native", "ring_bench.c");
        if (File.Exists(candidate)) return candidate;
        for (string? d = AppContext.BaseDirectory; d != null; d = Path.GetDirectoryName(d))
        {
            candidate = Path.Combine(d, "tests", "Xen.Sdk.Benchmarks", "Rings", "native", "ring_bench.c");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tests/Xen.Sdk.Benchmarks/Rings/native/ring_bench.c not found");
    }
}
