using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace Xen.Sdk.Abi.Tests.Io;

/// <summary>
/// Compiles and runs a small C program against Xen's installed public headers (/usr/include/xen) with gcc,
/// for the io/ facts the field-by-field layout oracle cannot express (ring sizes computed by ring.h's
/// macros, string tables). Results are cached per (program, bitness).
/// </summary>
internal static class IoGcc
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    /// <summary>The includes every io/ header needs before it (types and grant_ref_t).</summary>
    public const string Prelude =
        "#include <stdint.h>\n#include <stddef.h>\n#include <stdio.h>\n#include <string.h>\n#include <errno.h>\n" +
        "#include <xen/xen.h>\n#include <xen/grant_table.h>\n";

    /// <summary>Runs <paramref name="body"/> (statements of <c>main</c>) after <paramref name="includes"/>; returns stdout.</summary>
    public static string Run(string includes, string body, int bits)
    {
        string source = Prelude + includes + "\nint main(void)\n{\n" + body + "\nreturn 0;\n}\n";
        return Cache.GetOrAdd(bits + "\n" + source, _ => CompileAndRun(source, bits));
    }

    private static string CompileAndRun(string source, int bits)
    {
        string dir = Path.Combine(Path.GetTempPath(), "xen-sdk-abiio-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string c = Path.Combine(dir, "t.c");
            string exe = Path.Combine(dir, "t");
            File.WriteAllText(c, source);
            Exec("gcc", $"-m{bits} -std=gnu11 -O0 -w -o {exe} {c}");
            return Exec(exe, "");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string Exec(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data != null) { stdout.Append(e.Data).Append('\n'); } };
        p.BeginOutputReadLine();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {args} exited {p.ExitCode}: {stderr}");
        }

        return stdout.ToString();
    }
}
