using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace Xen.Sdk.Abi.Tests.Oracle;

/// <summary>Compiles and runs generated C against the installed Xen 4.17 headers (/usr/include/xen).</summary>
public static class Gcc
{
    private static readonly string s_dir = CreateWorkDirectory();

    private static string CreateWorkDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("xen-sdk-abi-oracle-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory is harmless.
            }
        };
        return dir;
    }

    public static string Flag(Arch arch) => arch == Arch.X86_64 ? "-m64" : "-m32";

    /// <summary>The common prelude: tools-visible declarations, then xen.h, then every mirrored header.</summary>
    public static string Prelude()
    {
        var sb = new StringBuilder();
        sb.AppendLine("#define __XEN_TOOLS__ 1");
        sb.AppendLine("#include <stdint.h>\n#include <stddef.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>");
        // Extra per-area prelude files (Oracle/prelude.h here, Io/prelude.h for the io/ protocols).
        foreach (var f in Directory.GetFiles(AppContext.BaseDirectory, "prelude.h", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            sb.AppendLine(File.ReadAllText(f));
        }

        sb.AppendLine("#include <xen/xen.h>");
        var headers = AbiCatalog.Types.Select(t => t.Header).Concat(AbiCatalog.Constants.Select(c => c.Header))
            .Distinct(StringComparer.Ordinal)
            .Where(h => h != "xen/xen.h" && !h.StartsWith("xen/arch-x86/xen", StringComparison.Ordinal))
            .OrderBy(h => h.Count(c => c == '/')).ThenBy(h => h, StringComparer.Ordinal);
        foreach (var h in headers)
        {
            sb.Append("#include <").Append(h).AppendLine(">");
        }

        return sb.ToString();
    }

    /// <summary>Compiles <paramref name="source"/> for <paramref name="arch"/>; returns the executable path.</summary>
    public static string Compile(string name, string source, Arch arch)
    {
        var c = Path.Combine(s_dir, $"{name}-{arch}.c");
        var exe = Path.Combine(s_dir, $"{name}-{arch}");
        File.WriteAllText(c, source);
        var (rc, _, err) = Run("gcc", $"{Flag(arch)} -std=gnu11 -O0 -w -o {exe} {c}", null);
        if (rc != 0)
        {
            throw new InvalidOperationException($"gcc {Flag(arch)} failed on {c}:\n{Truncate(err)}");
        }

        return exe;
    }

    /// <summary>Compiles <paramref name="source"/> to an object file with DWARF debug information.</summary>
    public static string CompileObject(string name, string source, Arch arch)
    {
        var c = Path.Combine(s_dir, $"{name}-{arch}.c");
        var obj = Path.Combine(s_dir, $"{name}-{arch}.o");
        File.WriteAllText(c, source);
        var (rc, _, err) = Run("gcc", $"{Flag(arch)} -std=gnu11 -O0 -g -gdwarf-4 -w -c -o {obj} {c}", null);
        if (rc != 0)
        {
            throw new InvalidOperationException($"gcc {Flag(arch)} -c failed on {c}:\n{Truncate(err)}");
        }

        return obj;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string file, string args, string? stdin)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }

        p.WaitForExit();
        return (p.ExitCode, outTask.Result, errTask.Result);
    }

    private static string Truncate(string s) => s.Length > 4000 ? s.Substring(0, 4000) + "\n..." : s;
}
