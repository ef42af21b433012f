using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Xen.Sdk.Rings.Tests.Native;

/// <summary>Compiles the C oracles (gcc + Xen's headers from libxen-dev) once per test run and runs them.</summary>
internal static class NativeOracle
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new();
    private static readonly string OutDir = Path.Combine(Path.GetTempPath(), "xen-sdk-rings-oracle-" + Environment.ProcessId);

    /// <summary>Path of the executable built from Native/<paramref name="source"/> with gcc -O2.</summary>
    public static string Build(string source, string extraFlags = "")
        => Built.GetOrAdd(source + "|" + extraFlags, _ => new Lazy<string>(() => Compile(source, extraFlags))).Value;

    private static string Compile(string source, string extraFlags)
    {
        Directory.CreateDirectory(OutDir);
        string src = Path.Combine(AppContext.BaseDirectory, "Native", source);
        string exe = Path.Combine(OutDir, Path.GetFileNameWithoutExtension(source) + (extraFlags.Length == 0 ? "" : "-" + Math.Abs(extraFlags.GetHashCode())));
        var (code, _, err) = Run("gcc", $"-O2 -Wall -Werror -pthread {extraFlags} -o \"{exe}\" \"{src}\"", null);
        if (code != 0) throw new InvalidOperationException($"gcc failed for {source} (is libxen-dev installed?):\n{err}");
        return exe;
    }

    /// <summary>Runs a program with <paramref name="stdin"/>, returns exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(string file, string args, string? stdin, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {args} did not finish in {timeoutMs} ms");
        }
        return (p.ExitCode, o.Result, e.Result);
    }
}
