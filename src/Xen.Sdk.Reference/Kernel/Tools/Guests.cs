using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Xen.Sdk.Reference.KernelTool;

/// <summary>The test guests, assembled on the host with Iced's assembler and written as boot modules in the kernel's
/// guest image format (64-byte header "XSDKGST1": mode, load address, entry, stack, RAM size, flags, name; then the
/// code). Each guest checks the hypervisor's answers itself and ends with sched_op(shutdown): poweroff when every
/// check passed, crash otherwise, so a result line is meaningful on its own.</summary>
internal static class Guests
{
    public const uint HypercallPage = 0x30000;
    public const uint LoadAddress = 0x100000;
    public const uint Stack = 0x80000;
    private const int ConsoleIo = 18, XenVersion = 17, SchedOp = 29;
    private const uint ShutdownArg = 0x7000;

    public static int Run(string outDir)
    {
        Directory.CreateDirectory(outDir);
        Write(outDir, "long64", 0, LoadAddress, LoadAddress, Stack, 0, Long64());
        Write(outDir, "prot32", 1, LoadAddress, LoadAddress, Stack, 0, Protected32());
        Write(outDir, "real16", 2, 0x7C00, 0x7C00, 0x7000, 0, Real16());
        Write(outDir, "misbehave", 0, LoadAddress, LoadAddress, Stack, 0, Misbehave());
        Write(outDir, "triple", 0, LoadAddress, LoadAddress, Stack, 0, TripleFault());
        Write(outDir, "bench", 0, LoadAddress, LoadAddress, Stack, 1, Bench());
        Write(outDir, "badvmcb", 0, LoadAddress, LoadAddress, Stack, 2, BadVmcb());
        Write(outDir, "mmio", 0, LoadAddress, LoadAddress, Stack, 0, Mmio());
        Write(outDir, "xenbus", 0, LoadAddress, LoadAddress, Stack, 4, XenGuests.Xenbus());     // flag bit 2: XENBUS figures at 0x6100
        Write(outDir, "hostile", 0, LoadAddress, LoadAddress, Stack, 0, XenGuests.Hostile());
        Write(outDir, "timer", 0, LoadAddress, LoadAddress, Stack, 0, XenGuests.Timer());
        Write(outDir, "fifo", 0, LoadAddress, LoadAddress, Stack, 0, XenGuests.FifoGuest());
        Write(outDir, "sched", 0, LoadAddress, LoadAddress, Stack, 0, XenGuests.Sched());
        Write(outDir, "xstx", 0, LoadAddress, LoadAddress, Stack, 0, XenGuests.XsTx());
        return 0;
    }

    private static void Write(string dir, string name, uint mode, uint load, uint entry, uint stack, uint flags, byte[] code)
    {
        var header = new byte[64];
        Encoding.ASCII.GetBytes("XSDKGST1").CopyTo(header, 0);
        BitConverter.GetBytes(mode).CopyTo(header, 8);
        BitConverter.GetBytes(load).CopyTo(header, 12);
        BitConverter.GetBytes(entry).CopyTo(header, 16);
        BitConverter.GetBytes(stack).CopyTo(header, 20);
        BitConverter.GetBytes(8u << 20).CopyTo(header, 24);
        BitConverter.GetBytes(flags).CopyTo(header, 28);
        Encoding.ASCII.GetBytes(name).CopyTo(header, 32);
        using var f = File.Create(Path.Combine(dir, name + ".bin"));
        f.Write(header);
        f.Write(code);
    }

    public static byte[] Assemble(Assembler a, ulong origin)
    {
        var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), origin);
        return stream.ToArray();
    }

    /// <summary>Strings placed after the code, addressed by label.</summary>
    private sealed class Strings
    {
        private readonly Assembler _a;
        private readonly List<(Label Label, byte[] Bytes)> _items = new();
        public Strings(Assembler a) { _a = a; }
        public (Label Label, int Length) Add(string s)
        {
            var bytes = Encoding.ASCII.GetBytes(s);
            var l = _a.CreateLabel();
            _items.Add((l, bytes));
            return (l, bytes.Length);
        }
        public void Emit()
        {
            foreach (var (label, bytes) in _items)
            {
                var l = label;
                _a.Label(ref l);
                _a.db(bytes);
            }
        }
    }

    /// <summary>Strings at absolute addresses after the code, for 16/32-bit guests (no RIP-relative addressing):
    /// the guest is assembled twice, first to learn the code length (immediates have fixed sizes), then with the
    /// real data base.</summary>
    private sealed class AbsoluteData
    {
        private readonly uint _base;
        private readonly MemoryStream _data = new();
        public AbsoluteData(uint dataBase) { _base = dataBase; }
        public (uint Address, int Length) Add(string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            uint address = _base + (uint)_data.Length;
            _data.Write(bytes);
            return (address, bytes.Length);
        }
        public byte[] Bytes => _data.ToArray();
    }

    private static byte[] TwoPass(int bitness, uint origin, Action<Assembler, AbsoluteData> build)
    {
        var a1 = new Assembler(bitness);
        var d1 = new AbsoluteData(0xFFFF);
        build(a1, d1);
        int length = Assemble(a1, origin).Length;
        var a2 = new Assembler(bitness);
        var d2 = new AbsoluteData(origin + (uint)length);
        build(a2, d2);
        byte[] code = Assemble(a2, origin);
        if (code.Length != length) throw new InvalidOperationException("guest code length changed between passes");
        var all = new byte[code.Length + d2.Bytes.Length];
        code.CopyTo(all, 0);
        d2.Bytes.CopyTo(all, code.Length);
        return all;
    }

    // 64-bit helpers: hypercall through the page (rdi, rsi, rdx = arguments).
    private static void Hypercall64(Assembler a, int number)
    {
        // Call the stub at page + 32 * number (the stub loads eax itself; r11 is caller-saved).
        a.mov(r11d, HypercallPage + (uint)number * 32);
        a.call(r11);
    }

    private static void Print64(Assembler a, Strings s, string text)
    {
        var (label, length) = s.Add(text);
        a.mov(edi, 0);
        a.mov(esi, length);
        a.lea(rdx, __[label]);
        Hypercall64(a, ConsoleIo);
    }

    private static void Shutdown64(Assembler a, uint reason)
    {
        a.mov(__dword_ptr[ShutdownArg], reason);
        a.mov(edi, 2);
        a.mov(esi, ShutdownArg);
        Hypercall64(a, SchedOp);
    }

    /// <summary>Checks rax == expected, else prints the failure and shuts down with SHUTDOWN_crash.</summary>
    private static void Expect64(Assembler a, Strings s, long expected, string what)
    {
        var ok = a.CreateLabel();
        a.mov(rcx, expected);
        a.cmp(rax, rcx);
        a.je(ok);
        Print64(a, s, "FAIL " + what + "\n");
        Shutdown64(a, 3);
        a.hlt();
        a.Label(ref ok);
    }

    private static void InstallHypercallPage64(Assembler a, Strings s) => InstallHypercallPage(a);

    /// <summary>CPUID 0x40000000 signature check, then the hypercall page at <see cref="HypercallPage"/> through the MSR
    /// of leaf 0x40000002.</summary>
    public static void InstallHypercallPage(Assembler a)
    {
        // CPUID 0x40000000: "XenVMMXenVMM"; 0x40000002: EBX = hypercall MSR.
        a.mov(eax, 0x40000000);
        a.cpuid();
        var sigOk = a.CreateLabel();
        var sigBad = a.CreateLabel();
        a.cmp(ebx, 0x566e6558); a.jne(sigBad);
        a.cmp(ecx, 0x65584d4d); a.jne(sigBad);
        a.cmp(edx, 0x4d4d566e); a.jne(sigBad);
        a.jmp(sigOk);
        a.Label(ref sigBad);
        a.mov(al, (byte)'!'); a.mov(dx, 0x3F8); a.@out(dx, al);
        a.hlt();
        a.Label(ref sigOk);
        a.mov(eax, 0x40000002);
        a.cpuid();
        a.mov(ecx, ebx);
        a.mov(eax, HypercallPage);
        a.xor(edx, edx);
        a.wrmsr();
    }

    private static void UartPrint(Assembler a, Strings s, string text, bool wide) => UartPrint(a, s, null, text, wide);

    private static void UartPrint(Assembler a, Strings? s, AbsoluteData? d, string text, bool wide)
    {
        // Polled 16550 transmit: wait for LSR.THRE (bit 5), then write THR.
        var loop = a.CreateLabel();
        var wait = a.CreateLabel();
        if (wide) { var (label, length) = s!.Add(text); a.lea(rsi, __[label]); a.mov(ecx, length); }
        else { var (address, length) = d!.Add(text); a.mov(esi, address); a.mov(ecx, length); }
        a.Label(ref loop);
        a.mov(dx, 0x3FD);
        a.Label(ref wait);
        a.@in(al, dx);
        a.test(al, 0x20);
        a.je(wait);
        a.mov(dx, 0x3F8);
        if (wide) a.mov(al, __byte_ptr[rsi]); else a.mov(al, __byte_ptr[esi]);
        a.@out(dx, al);
        if (wide) a.inc(rsi); else a.inc(esi);
        a.dec(ecx);
        a.jne(loop);
    }

    private static byte[] Long64()
    {
        var a = new Assembler(64);
        var s = new Strings(a);
        InstallHypercallPage64(a, s);
        Print64(a, s, "long64: hello from a 64-bit guest via console_io\n");
        a.mov(edi, 0);                          // XENVER_version
        Hypercall64(a, XenVersion);
        Expect64(a, s, (4 << 16) | 17, "xen_version returned an unexpected version");
        Print64(a, s, "long64: xen_version 4.17 ok\n");
        a.mov(eax, SchedOp); a.mov(edi, 0); a.vmmcall();     // direct VMMCALL: sched_op(yield)
        Expect64(a, s, 0, "sched_op yield");
        a.mov(ecx, 0x40000000); a.rdmsr();                    // read back the hypercall page address
        a.mov(eax, eax);
        Expect64(a, s, HypercallPage, "hypercall MSR readback");
        UartPrint(a, s, "long64: hello through the emulated 16550\n", true);
        Print64(a, s, "long64: all checks passed, shutting down\n");
        Shutdown64(a, 0);
        a.hlt();
        s.Emit();
        return Assemble(a, LoadAddress);
    }

    private static byte[] Protected32()
    {
        // Entered like a PVH kernel: 32-bit protected mode, paging off, flat segments. 32-bit hypercall convention:
        // eax = number, ebx, ecx, edx = arguments.
        return TwoPass(32, LoadAddress, (a, d) =>
        {
        void Hc(int n) { a.mov(eax, HypercallPage + (uint)n * 32); a.call(eax); }
        void Print(string text) { var (l, n) = d.Add(text); a.mov(ebx, 0); a.mov(ecx, n); a.mov(edx, l); Hc(ConsoleIo); }
        void Expect(int value, string what)
        {
            var ok = a.CreateLabel();
            a.cmp(eax, value); a.je(ok);
            Print("FAIL " + what + "\n");
            a.mov(__dword_ptr[ShutdownArg], 3); a.mov(ebx, 2); a.mov(ecx, ShutdownArg); Hc(SchedOp);
            a.hlt();
            a.Label(ref ok);
        }
        a.mov(eax, 0x40000000); a.cpuid();
        var good = a.CreateLabel();
        a.cmp(ebx, 0x566e6558); a.je(good);
        a.hlt();
        a.Label(ref good);
        a.mov(eax, 0x40000002); a.cpuid();
        a.mov(ecx, ebx); a.mov(eax, HypercallPage); a.xor(edx, edx); a.wrmsr();
        Print("prot32: hello from a 32-bit PVH-style guest\n");
        a.mov(ebx, 0); Hc(XenVersion);
        Expect((4 << 16) | 17, "xen_version");
        a.mov(eax, SchedOp); a.mov(ebx, 0); a.vmmcall();
        Expect(0, "sched_op yield");
        UartPrint(a, null, d, "prot32: hello through the emulated 16550\n", false);
        Print("prot32: all checks passed, shutting down\n");
        a.mov(__dword_ptr[ShutdownArg], 0); a.mov(ebx, 2); a.mov(ecx, ShutdownArg); Hc(SchedOp);
        a.hlt();
        });
    }

    private static byte[] Real16()
    {
        // Real mode at 0000:7C00: CPUID (Xen signature), the emulated UART, then HLT (no hypercalls from real mode).
        return TwoPass(16, 0x7C00, (a, s) =>
        {
        a.xor(ax, ax); a.mov(ds, ax);
        a.mov(eax, 0x40000000); a.cpuid();
        var good = a.CreateLabel();
        var done = a.CreateLabel();
        a.cmp(ebx, 0x566e6558); a.je(good);
        var (bad, badLen) = s.Add("real16: FAIL no Xen signature\n");
        a.mov(si, (short)bad); a.mov(cx, (short)badLen); a.call(done);
        a.hlt();
        a.Label(ref good);
        var (hello, helloLen) = s.Add("real16: hello from real mode, Xen signature seen\n");
        a.mov(si, (short)hello); a.mov(cx, (short)helloLen); a.call(done);
        a.hlt();
        // print routine: ds:si, cx
        a.Label(ref done);
        var wait = a.CreateLabel();
        a.mov(dx, 0x3FD);
        a.Label(ref wait);
        a.@in(al, dx); a.test(al, 0x20); a.je(wait);
        a.mov(dx, 0x3F8); a.lodsb(); a.@out(dx, al);
        a.loop(done);
        a.ret();
        });
    }

    private static byte[] Misbehave()
    {
        // Bad hypercall arguments must come back as error values, unknown hypercalls as -ENOSYS; then an access to
        // unmapped guest-physical memory stops the guest (the hypervisor carries on with the next guest).
        const long Efault = -14, Einval = -22, Enosys = -38;
        var a = new Assembler(64);
        var s = new Strings(a);
        InstallHypercallPage64(a, s);
        Print64(a, s, "misbehave: starting\n");
        a.mov(edi, 0); a.mov(esi, 16); a.mov(rdx, 0x7FFF_DEAD_0000L); Hypercall64(a, ConsoleIo);
        Expect64(a, s, Efault, "console_io with an unmapped buffer");
        a.mov(edi, 0); a.mov(esi, 16); a.mov(edx, 0xC000_0000u); Hypercall64(a, ConsoleIo);
        Expect64(a, s, Efault, "console_io with a buffer outside guest RAM");
        a.mov(edi, 0); a.mov(rsi, 0x7FFF_FFFF_FFFFL); a.mov(edx, LoadAddress); Hypercall64(a, ConsoleIo);
        Expect64(a, s, Einval, "console_io with a huge count");
        a.mov(eax, 55); a.vmmcall();
        Expect64(a, s, Enosys, "unknown hypercall 55");
        a.mov(rax, unchecked((long)0xFFFF_FFFF_0000_0001UL)); a.vmmcall();
        Expect64(a, s, Enosys, "hypercall number above 2^32");
        a.mov(edi, 99); Hypercall64(a, XenVersion);
        Expect64(a, s, Enosys, "unknown xen_version command");
        a.mov(edi, 2); a.mov(rsi, 0x7FFF_DEAD_0000L); Hypercall64(a, SchedOp);
        Expect64(a, s, Efault, "sched_op shutdown with an unmapped argument");
        a.mov(__dword_ptr[ShutdownArg], 99); a.mov(edi, 2); a.mov(esi, ShutdownArg); Hypercall64(a, SchedOp);
        Expect64(a, s, Einval, "sched_op shutdown with reason 99");
        Print64(a, s, "misbehave: all checks passed; now touching unmapped MMIO\n");
        a.mov(eax, 0xC000_0000u);
        a.mov(__dword_ptr[rax], 0x12345678);
        Print64(a, s, "FAIL still running after the MMIO access\n");
        Shutdown64(a, 3);
        a.hlt();
        s.Emit();
        return Assemble(a, LoadAddress);
    }

    private static byte[] TripleFault()
    {
        var a = new Assembler(64);
        var s = new Strings(a);
        InstallHypercallPage64(a, s);
        Print64(a, s, "triple: loading an empty IDT and faulting\n");
        var idtr = a.CreateLabel();
        a.lidt(__[idtr]);
        a.ud2();
        a.hlt();
        a.Label(ref idtr);
        a.dw(0); a.dq(0);
        s.Emit();
        return Assemble(a, LoadAddress);
    }

    private static byte[] Mmio()
    {
        // MOV loads and stores of 1, 2, 4 and 8 bytes to the kernel's emulated MMIO device at 0xFEB00000 (not RAM:
        // each access is a nested page fault that the hypervisor decodes with Iced and emulates).
        const uint Dev = 0xFEB00000;
        var a = new Assembler(64);
        var s = new Strings(a);
        InstallHypercallPage64(a, s);
        a.mov(ebx, Dev);
        a.mov(eax, __dword_ptr[rbx]);                           // ID, 4-byte load
        Expect64(a, s, 0x4B445358, "MMIO ID register");
        a.mov(rax, 0x1122334455667788L);
        a.mov(__qword_ptr[rbx + 8], rax);                      // 8-byte store
        a.xor(ecx, ecx);
        a.mov(rcx, __qword_ptr[rbx + 8]);                      // 8-byte load
        a.mov(rax, rcx);
        Expect64(a, s, 0x1122334455667788L, "8-byte MMIO round trip");
        a.mov(__byte_ptr[rbx + 8], 0xAA);                      // 1-byte immediate store
        a.mov(__word_ptr[rbx + 10], 0xBBCC);                   // 2-byte immediate store
        a.mov(edx, 0xDDEEFF00u);
        a.mov(__dword_ptr[rbx + 12], edx);                     // 4-byte register store
        a.mov(rax, -1L);
        a.mov(al, __byte_ptr[rbx + 8]);                        // 1-byte load keeps upper bits
        Expect64(a, s, unchecked((long)0xFFFF_FFFF_FFFF_FFAAUL), "1-byte MMIO load");
        a.mov(rax, -1L);
        a.mov(ax, __word_ptr[rbx + 10]);                       // 2-byte load
        Expect64(a, s, unchecked((long)0xFFFF_FFFF_FFFF_BBCCUL), "2-byte MMIO load");
        a.mov(rax, -1L);
        a.mov(eax, __dword_ptr[rbx + 12]);                     // 4-byte load zero-extends
        Expect64(a, s, 0xDDEEFF00L, "4-byte MMIO load");
        a.mov(rax, __qword_ptr[rbx + 8]);
        Expect64(a, s, unchecked((long)0xDDEEFF00BBCC77AAUL), "merged scratch register");
        Print64(a, s, "mmio: all checks passed\n");
        Shutdown64(a, 0);
        a.hlt();
        s.Emit();
        return Assemble(a, LoadAddress);
    }

    private static byte[] BadVmcb()
    {
        // Never runs: the kernel clears EFER.SVME in this guest's VMCB (flag bit 1), so VMRUN must fail its
        // consistency checks (AMD APM Vol. 2 §15.5.1) with VMEXIT_INVALID.
        var a = new Assembler(64);
        a.hlt();
        return Assemble(a, LoadAddress);
    }

    /// <summary>Bench guest defaults (the kernel may override them: <c>bench-iterations=</c>, <c>bench-batches=</c>).</summary>
    public const int BenchDefaultIterations = 64, BenchDefaultBatches = 12, BenchMaxBatches = 64;

    private static byte[] Bench()
    {
        // Guest-side measurement in guest TSC ticks, four kinds of exit: the bare round trip (rax = 0xFFFF0001, resumed
        // by the kernel's world switch without the dispatcher), the null hypercall (rax = 0xFFFF0000, an empty handler
        // in the dispatcher's extension), xen_version(0) through the dispatcher, CPUID(0x40000000). B rounds of N
        // iterations per kind, interleaved (bare, null, xen_version, cpuid, bare, ...) so that drift hits every kind.
        // Configuration (written by the kernel, 0 = default): N at 0x6030, B at 0x6038. Results at 0x6000: N, then the
        // total ticks of null hypercall, xen_version, CPUID, then B, then the bare total; per-batch ticks at
        // 0x40000 + (kind * 64 + batch) * 8 (kind 0 bare, 1 null, 2 xen_version, 3 cpuid).
        var a = new Assembler(64);
        var s = new Strings(a);
        InstallHypercallPage64(a, s);
        // Use the hypervisor's own hypercall instruction (VMMCALL on AMD, VMCALL on Intel): copy the third opcode byte
        // of the hypercall page's stub (0F 01 D9 / 0F 01 C1 at offset 5) over the three direct calls below.
        var bareCall = a.CreateLabel();
        var nullCall = a.CreateLabel();
        var versionCall = a.CreateLabel();
        a.mov(al, __byte_ptr[HypercallPage + 7]);
        a.lea(rbx, __[bareCall]); a.mov(__byte_ptr[rbx + 2], al);
        a.lea(rbx, __[nullCall]); a.mov(__byte_ptr[rbx + 2], al);
        a.lea(rbx, __[versionCall]); a.mov(__byte_ptr[rbx + 2], al);
        var haveN = a.CreateLabel();
        var haveB = a.CreateLabel();
        var capped = a.CreateLabel();
        a.mov(r14, __qword_ptr[0x6030]);
        a.test(r14, r14); a.jne(haveN); a.mov(r14d, BenchDefaultIterations); a.Label(ref haveN);
        a.mov(r15, __qword_ptr[0x6038]);
        a.test(r15, r15); a.jne(haveB); a.mov(r15d, BenchDefaultBatches); a.Label(ref haveB);
        a.cmp(r15, BenchMaxBatches); a.jbe(capped); a.mov(r15d, BenchMaxBatches); a.Label(ref capped);
        a.xor(eax, eax);
        for (int slot = 1; slot <= 5; slot++) a.mov(__qword_ptr[0x6000 + slot * 8], rax);
        a.xor(ebp, ebp);
        var round = a.CreateLabel();
        a.Label(ref round);
        void Measure(int kind, int slot, Action body)
        {
            var loop = a.CreateLabel();
            a.rdtsc(); a.shl(rdx, 32); a.or(rax, rdx); a.mov(r12, rax);
            a.mov(r13, r14);
            a.Label(ref loop);
            body();
            a.dec(r13);
            a.jne(loop);
            a.rdtsc(); a.shl(rdx, 32); a.or(rax, rdx); a.sub(rax, r12);
            a.mov(__qword_ptr[rbp * 8 + (0x40000 + kind * BenchMaxBatches * 8)], rax);
            a.add(__qword_ptr[0x6000 + slot * 8], rax);
        }
        Measure(0, 5, () => { a.mov(eax, 0xFFFF0001u); a.Label(ref bareCall); a.vmmcall(); });
        Measure(1, 1, () => { a.mov(eax, 0xFFFF0000u); a.Label(ref nullCall); a.vmmcall(); });
        Measure(2, 2, () => { a.mov(eax, XenVersion); a.xor(edi, edi); a.Label(ref versionCall); a.vmmcall(); });
        Measure(3, 3, () => { a.mov(eax, 0x40000000); a.cpuid(); });
        a.inc(rbp);
        a.cmp(rbp, r15);
        a.jb(round);
        a.mov(__qword_ptr[0x6020], r15);
        a.mov(__qword_ptr[0x6000], r14);
        Print64(a, s, "bench: done\n");
        Shutdown64(a, 0);
        a.hlt();
        s.Emit();
        return Assemble(a, LoadAddress);
    }
}
