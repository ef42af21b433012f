using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Xen.Sdk.Vmx.Checking;
using Xen.Sdk.Vmx.Diagnostics;
using Xen.Sdk.Vmx.Differential;
using Xen.Sdk.Vmx.Tests.Differential;

namespace Xen.Sdk.Vmx.Tests.Bochs;

/// <summary>One mutant's prediction and what Bochs did.</summary>
public sealed record DifferentialCase(uint Id, string Edits, EntryOutcome Predicted, EntryCheckId PredictedCheck, int SkippedMemoryChecks, string Cpu, DifferentialResult? Result, ulong FirstFailureActual);

/// <summary>
/// Runs the mutant corpus through VMLAUNCH under Bochs with vmlaunch-harness.asm (a bare-metal harness
/// independent of the reference kernel): builds the module for the harness's fixed addresses, boots it,
/// restarts after a mutant that crashes the host, and pairs every result line with the prediction.
/// </summary>
internal static class BochsDifferential
{
    /// <summary>The addresses vmlaunch-harness.asm uses.</summary>
    public static VmcsTemplateLayout HarnessLayout => new()
    {
        HostRip = 0x8008, HostRsp = 0x9F000, HostCr3 = 0x1000, HostGdtrBase = 0x4000, HostIdtrBase = 0x5000, HostTrBase = 0x4100,
        GuestRip = 0x12000, GuestRsp = 0x9E000, GuestCr3 = 0x1000, GuestGdtrBase = 0x4000,
    };

    public static VmcsImage HarnessBase(in VmxCapabilities caps)
    {
        var image = new VmcsImage();
        VmcsTemplate.LongModeGuest(image, caps, HarnessLayout);
        // A guest that does not reach HLT exits on its first exception (exception bitmap all ones) or, where the
        // model has it, on the VMX-preemption timer (exit reason 52).
        image.Write(VmcsFields.ExceptionBitmap, 0xFFFF_FFFFu);
        if (caps.AdjustPinBased(PinBasedControls.ActivatePreemptionTimer).IsComplete)
        {
            image.Write(VmcsFields.PinBasedControls, image.Read(VmcsFields.PinBasedControls) | (uint)PinBasedControls.ActivatePreemptionTimer);
            image.Write(VmcsFields.PreemptionTimerValue, 0x4000u);
        }
        image.Write(VmcsFields.GuestTrBase, 0x4100UL);
        return image;
    }

    public static List<DifferentialCase> Run(string model, int count, int seed, string workDir, TimeSpan budget)
    {
        VmxCapabilities caps = BochsModelTestsAccess.Model(model);
        VmcsImage baseImage = HarnessBase(caps);
        var builder = new MutantListBuilder(baseImage, caps);
        MutantCorpus.Fill(builder, count, seed);
        byte[] module = builder.ToArray();
        Directory.CreateDirectory(workDir);
        string bin = Path.Combine(workDir, "harness.bin");
        Exec("nasm", ["-f", "bin", Path.Combine(BochsProbe.Dir, "vmlaunch-harness.asm"), "-o", bin], workDir, 60);
        byte[] harness = File.ReadAllBytes(bin);
        var disk = new byte[2 * 16 * 63 * 512];
        harness.CopyTo(disk, 0);
        if (module.Length > 256 * 512)
        {
            throw new InvalidOperationException("module too large for the harness loader");
        }

        module.CopyTo(disk, 33 * 512);
        string img = Path.Combine(workDir, "disk.img");
        string rc = Path.Combine(workDir, "bochsrc");
        File.WriteAllText(rc, $"""
            megs: 64
            romimage: file=/usr/share/bochs/BIOS-bochs-latest
            vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
            ata0-master: type=disk, path={img}, mode=flat, cylinders=2, heads=16, spt=63
            boot: disk
            cpu: model={model}
            port_e9_hack: enabled=1
            display_library: rfb, options="timeout=0"
            sound: driver=dummy
            speaker: enabled=0
            clock: sync=none
            log: {Path.Combine(workDir, "bochs.log")}

            """);
        File.WriteAllText(Path.Combine(workDir, "cont.rc"), "c\n");

        MutantList.TryOpen(module, out MutantList list);
        var ids = new List<uint>();
        var cases = new Dictionary<uint, (string Edits, EntryOutcome Predicted, EntryCheckId Check, int Skipped, ulong Actual)>();
        var scratch = new VmcsImage();
        var first = new EntryCheckFailure[1];
        foreach (Mutant m in list)
        {
            scratch.CopyFrom(baseImage);
            m.ApplyTo(scratch);
            VmEntryChecker.Check(scratch, caps, new EntryCheckOptions { StopAtFirstFailure = true }, first);
            var sb = new StringBuilder();
            for (int i = 0; i < m.EditCount; i++)
            {
                MutantEdit e = m.Edit(i);
                sb.Append(Diagnostics.VmcsFieldInfo.NameOf(e.Encoding)).Append(e.Operation switch { MutantOperation.Set => "=", MutantOperation.Or => "|=", MutantOperation.And => "&=", _ => "^=" })
                    .Append("0x").Append(e.Value.ToString("X", System.Globalization.CultureInfo.InvariantCulture)).Append("; ");
            }

            ids.Add(m.Id);
            cases[m.Id] = (sb.ToString().TrimEnd(' ', ';'), m.Predicted, m.PredictedCheck, m.SkippedMemoryChecks, first[0].Actual);
        }

        var results = new Dictionary<uint, string>();
        var parsed = new Dictionary<uint, DifferentialResult>();
        int start = 0;
        var clock = Stopwatch.StartNew();
        while (start < ids.Count && clock.Elapsed < budget)
        {
            BitConverter.GetBytes((uint)start).CopyTo(disk, 512 + 4);
            File.WriteAllBytes(img, disk);
            string output = Exec("unshare", ["-n", "bochs", "-q", "-f", rc, "-rc", Path.Combine(workDir, "cont.rc")], workDir, 300);
            bool done = false;
            foreach (string raw in output.Split('\n'))
            {
                string line = raw.Trim();
                if (line.Contains("VMXDONE", StringComparison.Ordinal))
                {
                    done = true;
                }

                if (DifferentialResult.TryParse(Encoding.ASCII.GetBytes(line), out DifferentialResult r))
                {
                    results[r.MutantId] = line[line.IndexOf("VMXM ", StringComparison.Ordinal)..];
                    parsed[r.MutantId] = r;
                }
            }

            if (done)
            {
                break;
            }

            // The first mutant without a result crashed the harness (e.g. a host RIP or CR3 that passes
            // the checks but is not the harness's): record it and resume after it.
            int next = start;
            while (next < ids.Count && results.ContainsKey(ids[next]))
            {
                next++;
            }

            if (next < ids.Count)
            {
                results[ids[next]] = "crash (no result line; the guest or host state after entry was unusable)";
            }

            start = next + 1;
        }

        var list2 = new List<DifferentialCase>();
        foreach (uint id in ids)
        {
            var c = cases[id];
            list2.Add(new DifferentialCase(id, c.Edits, c.Predicted, c.Check, c.Skipped, results.GetValueOrDefault(id, "not run"),
                parsed.TryGetValue(id, out DifferentialResult r) ? r : null, c.Actual));
        }

        return list2;
    }

    private static string Exec(string file, string[] args, string dir, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        try
        {
            p.StandardInput.WriteLine("quit");
            p.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(true);
        }

        p.WaitForExit();
        return stdout.Result + stderr.Result;
    }
}

/// <summary>Model lookup shared with the vector tests.</summary>
internal static class BochsModelTestsAccess
{
    public static VmxCapabilities Model(string name) => Checking.EntryCheckVector.Model(name);
}
