// Host-side build tool of the reference kernel image (never part of the kernel):
//   facades  --corelib <dll> --refpack <dir> --out <dir> <assemblies...>
//   check    --corelib <dll> --refpack <dir> <assemblies...>
//   guests   --out <dir>
//   hotalign --elf <kernel.elf> --symbol <prefix> --out <file>
using System;
using System.Collections.Generic;

namespace Xen.Sdk.Reference.KernelTool;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: KernelTool facades|check|guests|hotalign [--corelib dll] [--refpack dir] [--out dir] assemblies...");
            return 2;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) options[args[i][2..]] = args[++i];
            else files.Add(args[i]);
        }
        try
        {
            return args[0] switch
            {
                "facades" => Facades.Run(options["corelib"], options["refpack"], options["out"], files),
                "check" => FreestandingCheck.Run(options["corelib"], options["refpack"], files),
                "guests" => Guests.Run(options["out"]),
                "hotalign" => HotAlign.Run(options["elf"], options["symbol"], options["out"]),
                _ => Fail($"unknown command '{args[0]}'"),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or System.IO.IOException or BadImageFormatException)
        {
            return Fail(e.Message);
        }
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"KernelTool : error XSK0000: {message}");
        return 1;
    }
}
