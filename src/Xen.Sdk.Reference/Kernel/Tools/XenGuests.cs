using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Xen.Sdk.Reference.KernelTool;

/// <summary>Guests that speak Xen's PV-on-HVM protocol: the callback vector (HVM_PARAM_CALLBACK_IRQ, vector type),
/// shared_info mapped with XENMEM_add_to_physmap, 2-level event channels (alloc_unbound, bind_interdomain to itself,
/// send, status, close, unmask), XenStore through its ring (xs_wire.h) and the console ring (console.h). The numbers
/// and offsets below are those of Xen's public headers (xen/include/public: xen.h, event_channel.h, memory.h,
/// hvm/hvm_op.h, hvm/params.h, io/xs_wire.h, io/console.h), written down independently of Xen.Sdk.Abi so the guest is a
/// second implementation of the protocol, as a Linux guest would be.</summary>
internal static class XenGuests
{
    private const uint HypercallPage = Guests.HypercallPage;
    private const int MemoryOp = 12, EventChannelOp = 32, HvmOp = 34, ConsoleIo = 18, SchedOp = 29, GrantTableOp = 20;
    private const int GnttabSetupTable = 2, GnttabCopy = 5, GnttabQuerySize = 6;
    private const uint GrantFrame = 0x46000, GrantedPage = 0x47000, CopyTarget = 0x48000;
    private const int EvtchnClose = 3, EvtchnSend = 4, EvtchnStatus = 5, EvtchnAllocUnbound = 6, EvtchnBindInterdomain = 0, EvtchnUnmask = 9;
    private const int HvmSetParam = 0, HvmGetParam = 1;
    private const int ParamCallbackIrq = 0, ParamStorePfn = 1, ParamStoreEvtchn = 2, ParamConsolePfn = 17, ParamConsoleEvtchn = 18;
    private const int XenmemAddToPhysmap = 7;
    private const ushort DomidSelf = 0x7FF0;
    public const byte CallbackVector = 0xF3;
    private const uint SharedInfo = 0x40000;      // GFN 0x40
    private const uint Idt = 0x41000, Gdt = 0x42000, Vars = 0x43000, Arg = 0x44000, Reply = 0x45000;
    /// <summary>Figures for the kernel's XENBUS line (guest flag bit 2): valid, send->upcall ticks, XenStore read ticks.</summary>
    public const uint Figures = 0x6100;
    // Vars: +0 upcall count, +8 ports received (OR of pending & ~mask), +16 TSC at the last upcall, +24 last selector.
    private const uint UpcallCount = Vars, Received = Vars + 8, UpcallTsc = Vars + 16, LastSelector = Vars + 24;
    // +32: upcalls the handler leaves alone (returns without clearing evtchn_upcall_pending), for the level check.
    private const uint LeaveAlone = Vars + 32;
    // vcpu_info[0].time (struct vcpu_time_info, xen.h): version +0, tsc_timestamp +8, system_time +16,
    // tsc_to_system_mul +24, tsc_shift +28 (int8), flags +29; vcpu_info[0] starts at shared_info + 0, time at +32.
    private const uint TimeInfo = SharedInfo + 32;
    private const int VcpuOp = 24, SetTimerOp = 15, EvtchnBindVirq = 1, XenVersion = 17;
    private const int VcpuopSetSingleshotTimer = 8, VcpuopStopSingleshotTimer = 9;
    // shared_info (xen.h, x86_64): vcpu_info[0] at 0 (evtchn_upcall_pending +0, evtchn_pending_sel +8),
    // evtchn_pending[64] at 2048, evtchn_mask[64] at 2560.
    private const uint UpcallPending = SharedInfo, PendingSel = SharedInfo + 8, PendingWord0 = SharedInfo + 2048, MaskWord0 = SharedInfo + 2560;
    // xenstore_domain_interface (io/xs_wire.h): req[1024] 0, rsp[1024] 1024, req_cons 2048, req_prod 2052, rsp_cons 2056,
    // rsp_prod 2060, server_features 2064, connection 2068, error 2072.
    private const int XsReqCons = 2048, XsReqProd = 2052, XsRspCons = 2056, XsRspProd = 2060, XsConnection = 2068, XsError = 2072;
    // xencons_interface (io/console.h): in[1024] 0, out[2048] 1024, in_cons 3072, in_prod 3076, out_cons 3080, out_prod 3084.
    private const int ConsOut = 1024, ConsOutCons = 3080, ConsOutProd = 3084, ConsIn = 0, ConsInCons = 3072, ConsInProd = 3076;

    private static void Hc(Assembler a, int number)
    {
        a.mov(r11d, HypercallPage + (uint)number * 32);
        a.call(r11);
    }

    private sealed class Data
    {
        private readonly Assembler _a;
        private readonly List<(Label, byte[])> _items = new();
        public Data(Assembler a) { _a = a; }
        public (Label Label, int Length) Add(byte[] bytes)
        {
            var l = _a.CreateLabel();
            _items.Add((l, bytes));
            return (l, bytes.Length);
        }
        public (Label Label, int Length) Text(string s) => Add(Encoding.ASCII.GetBytes(s));
        public void Emit()
        {
            foreach (var (label, bytes) in _items) { var l = label; _a.Label(ref l); _a.db(bytes); }
        }
    }

    /// <summary>An xsd_sockmsg (type, req_id, tx_id, len; little-endian) followed by the payload.</summary>
    private static byte[] XsMessage(uint type, uint requestId, string payload, uint transaction = 0)
    {
        byte[] p = Encoding.ASCII.GetBytes(payload);
        var m = new byte[16 + p.Length];
        BitConverter.GetBytes(type).CopyTo(m, 0);
        BitConverter.GetBytes(requestId).CopyTo(m, 4);
        BitConverter.GetBytes(transaction).CopyTo(m, 8);
        BitConverter.GetBytes((uint)p.Length).CopyTo(m, 12);
        p.CopyTo(m, 16);
        return m;
    }

    private static byte[] Concat(byte[] first, byte[] second)
    {
        var all = new byte[first.Length + second.Length];
        first.CopyTo(all, 0);
        second.CopyTo(all, first.Length);
        return all;
    }

    private sealed class Ctx
    {
        public required Assembler A;
        public required Data D;
        public required string Name;
        public void Print(string text)
        {
            var (l, n) = D.Text(text);
            A.mov(edi, 0); A.mov(esi, n); A.lea(rdx, __[l]); Hc(A, ConsoleIo);
        }
        public void Fail(string what)
        {
            Print("FAIL " + Name + ": " + what + "\n");
            A.mov(__dword_ptr[0x7000], 3); A.mov(edi, 2); A.mov(esi, 0x7000); Hc(A, SchedOp);
            A.hlt();
        }
        /// <summary>rax == expected, else FAIL.</summary>
        public void Expect(long expected, string what)
        {
            var ok = A.CreateLabel();
            A.mov(rcx, expected); A.cmp(rax, rcx); A.je(ok);
            Fail(what + " (rax unexpected)");
            A.Label(ref ok);
        }
        /// <summary>The qword at <paramref name="address"/> == expected, else FAIL.</summary>
        public void ExpectMem(uint address, long expected, string what, bool dword = false)
        {
            var ok = A.CreateLabel();
            if (dword) A.mov(eax, __dword_ptr[address]); else A.mov(rax, __qword_ptr[address]);
            A.mov(rcx, expected); A.cmp(rax, rcx); A.je(ok);
            Fail(what);
            A.Label(ref ok);
        }
        /// <summary>event_channel_op(cmd, Arg) with the argument bytes written first (dwords).</summary>
        public void Evtchn(int cmd, params uint[] dwords)
        {
            for (int i = 0; i < 6; i++) A.mov(__dword_ptr[Arg + (uint)i * 4], i < dwords.Length ? dwords[i] : 0u);
            A.mov(edi, cmd); A.mov(esi, Arg); Hc(A, EventChannelOp);
        }
        public void EvtchnDom(int cmd, ushort dom, ushort remote, uint next = 0)
        {
            A.mov(__dword_ptr[Arg], (uint)dom | ((uint)remote << 16));
            A.mov(__dword_ptr[Arg + 4], next);
            A.mov(__dword_ptr[Arg + 8], 0u);
            A.mov(edi, cmd); A.mov(esi, Arg); Hc(A, EventChannelOp);
        }
        /// <summary>hvm_op(set/get_param, Arg) with domid, index, value.</summary>
        public void HvmParam(int op, ushort dom, uint index, ulong value)
        {
            A.mov(__dword_ptr[Arg], (uint)dom);
            A.mov(__dword_ptr[Arg + 4], index);
            A.mov(rax, (long)value); A.mov(__qword_ptr[Arg + 8], rax);
            A.mov(edi, op); A.mov(esi, Arg); Hc(A, HvmOp);
        }
        /// <summary>memory_op(XENMEM_add_to_physmap, Arg), 64-bit layout: domid, size, space, idx, gpfn.</summary>
        public void AddToPhysmap(ushort dom, uint space, ulong idx, ulong gpfn)
        {
            A.mov(__dword_ptr[Arg], (uint)dom);
            A.mov(__dword_ptr[Arg + 4], space);
            A.mov(rax, (long)idx); A.mov(__qword_ptr[Arg + 8], rax);
            A.mov(rax, (long)gpfn); A.mov(__qword_ptr[Arg + 16], rax);
            A.mov(edi, XenmemAddToPhysmap); A.mov(esi, Arg); Hc(A, MemoryOp);
        }
    }

    private static void Rdtsc(Assembler a, AssemblerRegister64 into)
    {
        a.rdtsc(); a.shl(rdx, 32); a.or(rax, rdx); a.mov(into, rax);
    }

    /// <summary>GDT (null, 64-bit code 08h, data 10h) and an IDT with the callback vector's interrupt gate, loaded with
    /// LGDT/LIDT: interrupt delivery reads both (Intel SDM Vol. 3A §6.14.1).</summary>
    private static void InstallIdt(Assembler a, Label handler)
    {
        a.mov(rax, 0x00AF9A000000FFFFL); a.mov(__qword_ptr[Gdt + 8], rax);
        a.mov(rax, 0x00CF92000000FFFFL); a.mov(__qword_ptr[Gdt + 16], rax);
        a.mov(__qword_ptr[Gdt], 0);
        a.mov(__word_ptr[Gdt + 0x100], 23); a.mov(__dword_ptr[Gdt + 0x102], Gdt); a.mov(__dword_ptr[Gdt + 0x106], 0u);
        a.lgdt(__[Gdt + 0x100]);
        // 64-bit interrupt gate (type 0Eh, P, DPL 0), selector 08h (Intel SDM Vol. 3A §6.14.1, Figure 6-8).
        uint gate = Idt + CallbackVector * 16u;
        a.lea(rax, __[handler]);
        a.mov(__word_ptr[gate], ax);
        a.mov(__word_ptr[gate + 2], 0x08);
        a.mov(__word_ptr[gate + 4], 0x8E00);
        a.shr(rax, 16); a.mov(__word_ptr[gate + 6], ax);
        a.shr(rax, 16); a.mov(__dword_ptr[gate + 8], eax);
        a.mov(__dword_ptr[gate + 12], 0u);
        a.mov(__word_ptr[Gdt + 0x110], 4095); a.mov(__dword_ptr[Gdt + 0x112], Idt); a.mov(__dword_ptr[Gdt + 0x116], 0u);
        a.lidt(__[Gdt + 0x110]);
    }

    /// <summary>The upcall handler: records the TSC, counts the upcall, clears evtchn_upcall_pending, takes the selector
    /// (xchg with 0), and for word 0 records and clears the pending, unmasked ports (Linux's __xen_evtchn_do_upcall
    /// order).</summary>
    private static void EmitHandler(Assembler a, Label handler)
    {
        a.Label(ref handler);
        a.push(rax); a.push(rcx); a.push(rdx);
        a.rdtsc(); a.shl(rdx, 32); a.or(rax, rdx); a.mov(__qword_ptr[UpcallTsc], rax);
        a.inc(__qword_ptr[UpcallCount]);
        var done = a.CreateLabel();
        var normal = a.CreateLabel();
        a.cmp(__qword_ptr[LeaveAlone], 0);
        a.je(normal);
        a.dec(__qword_ptr[LeaveAlone]);
        a.jmp(done);                               // evtchn_upcall_pending stays set: Xen asserts the vector again
        a.Label(ref normal);
        a.mov(__byte_ptr[UpcallPending], 0);
        a.xor(eax, eax);
        a.xchg(__qword_ptr[PendingSel], rax);
        a.mov(__qword_ptr[LastSelector], rax);
        a.test(al, 1);
        a.je(done);
        a.mov(rcx, __qword_ptr[PendingWord0]);
        a.mov(rdx, __qword_ptr[MaskWord0]);
        a.not(rdx);
        a.and(rcx, rdx);
        a.@lock.or(__qword_ptr[Received], rcx);
        a.not(rcx);
        a.@lock.and(__qword_ptr[PendingWord0], rcx);
        a.Label(ref done);
        a.pop(rdx); a.pop(rcx); a.pop(rax);
        a.iretq();
    }

    /// <summary>xs_call: rsi = message, ecx = length, r14 = XenStore page, ebp = store port. Copies the message into the
    /// req ring at req_prod (masked), publishes req_prod (x86 stores are ordered: the bytes are visible first), notifies
    /// the store port, then copies rsp_prod - rsp_cons reply bytes to Reply and publishes rsp_cons; eax = reply length.</summary>
    private static void EmitXsCall(Assembler a, Label xsCall)
    {
        a.Label(ref xsCall);
        a.mov(r8d, __dword_ptr[r14 + XsReqProd]);
        var copy = a.CreateLabel();
        a.Label(ref copy);
        a.mov(al, __byte_ptr[rsi]);
        a.mov(edx, r8d); a.and(edx, 1023);
        a.mov(__byte_ptr[r14 + rdx], al);
        a.inc(rsi); a.inc(r8d); a.dec(ecx);
        a.jne(copy);
        a.mov(__dword_ptr[r14 + XsReqProd], r8d);
        a.mov(__dword_ptr[Arg], ebp);
        a.mov(edi, EvtchnSend); a.mov(esi, Arg); Hc(a, EventChannelOp);
        a.mov(r8d, __dword_ptr[r14 + XsRspCons]);
        a.mov(r9d, __dword_ptr[r14 + XsRspProd]);
        a.mov(r10d, r9d); a.sub(r10d, r8d);
        a.cmp(r10d, 1024);
        var ok = a.CreateLabel();
        var end = a.CreateLabel();
        a.jbe(ok);
        a.xor(eax, eax); a.not(eax);
        a.ret();
        a.Label(ref ok);
        a.xor(ecx, ecx);
        var loop = a.CreateLabel();
        a.Label(ref loop);
        a.cmp(r8d, r9d);
        a.je(end);
        a.mov(edx, r8d); a.and(edx, 1023);
        a.mov(al, __byte_ptr[r14 + rdx + 1024]);
        a.mov(__byte_ptr[rcx + Reply], al);
        a.inc(r8d); a.inc(ecx);
        a.jmp(loop);
        a.Label(ref end);
        a.mov(__dword_ptr[r14 + XsRspCons], r9d);
        a.mov(eax, r10d);
        a.ret();
    }

    /// <summary>Sends one XenStore request and compares the whole reply (header and payload) with the expected bytes.</summary>
    private static void XsExpect(Ctx c, Label xsCall, byte[] request, byte[] expectedReply, string what)
    {
        var a = c.A;
        var (req, reqLen) = c.D.Add(request);
        var (exp, expLen) = c.D.Add(expectedReply);
        a.lea(rsi, __[req]); a.mov(ecx, reqLen); a.call(xsCall);
        var lenOk = a.CreateLabel();
        a.cmp(eax, expLen); a.je(lenOk);
        c.Fail(what + ": reply length");
        a.Label(ref lenOk);
        var same = a.CreateLabel();
        a.mov(esi, Reply); a.lea(rdi, __[exp]); a.mov(ecx, expLen);
        a.repe.cmpsb();
        a.je(same);
        c.Fail(what + ": reply bytes");
        a.Label(ref same);
    }

    private static void Setup(Ctx c, Label handler)
    {
        var a = c.A;
        InstallIdt(a, handler);
        // HVM_PARAM_CALLBACK_IRQ = (HVMIRQ_callback_vector = 2) << 56 | vector.
        c.HvmParam(HvmSetParam, DomidSelf, ParamCallbackIrq, (2UL << 56) | CallbackVector);
        c.Expect(0, "HVMOP_set_param CALLBACK_IRQ vector");
        c.AddToPhysmap(DomidSelf, 0, 0, SharedInfo >> 12);
        c.Expect(0, "XENMEM_add_to_physmap shared_info");
    }

    public static byte[] Xenbus()
    {
        var a = new Assembler(64);
        var d = new Data(a);
        var c = new Ctx { A = a, D = d, Name = "xenbus" };
        var handler = a.CreateLabel();
        var xsCall = a.CreateLabel();
        Guests.InstallHypercallPage(a);
        a.cli();
        Setup(c, handler);
        c.ExpectMem(UpcallPending, 0, "fresh shared_info has evtchn_upcall_pending set", dword: false);
        // Port A: unbound, for this domain. Port B: bound to A (a loopback through bind_interdomain(DOMID_SELF, A)).
        c.EvtchnDom(EvtchnAllocUnbound, DomidSelf, DomidSelf);
        c.Expect(0, "EVTCHNOP_alloc_unbound");
        c.ExpectMem(Arg + 4, 3, "first free port is 3 (0 reserved, 1 store, 2 console)", dword: true);
        c.EvtchnDom(EvtchnBindInterdomain, DomidSelf, 0, 3);
        c.Expect(0, "EVTCHNOP_bind_interdomain to self");
        c.ExpectMem(Arg + 8, 4, "bound port is 4", dword: true);
        c.EvtchnDom(EvtchnStatus, DomidSelf, 0, 3);
        c.Expect(0, "EVTCHNOP_status");
        c.ExpectMem(Arg + 8, 2, "port 3 is EVTCHNSTAT_interdomain", dword: true);
        c.ExpectMem(Arg + 20, 4, "port 3's peer is port 4", dword: true);

        // 1. Send with interrupts off: the upcall waits for the interrupt window opened by STI (+1 instruction shadow).
        c.Evtchn(EvtchnSend, 4);
        c.Expect(0, "EVTCHNOP_send 4 (IF=0)");
        c.ExpectMem(UpcallCount, 0, "upcall delivered while RFLAGS.IF=0");
        c.ExpectMem(PendingWord0, 1 << 3, "port 3 pending after the send");
        c.ExpectMem(UpcallPending, 1, "evtchn_upcall_pending set", dword: false);
        a.sti();
        a.nop();                                   // in the STI shadow: no interrupt yet
        a.nop();                                   // the window opened before this instruction: upcall taken
        a.cli();
        c.ExpectMem(UpcallCount, 1, "one upcall through the interrupt window");
        c.ExpectMem(Received, 1 << 3, "the upcall reported exactly port 3");
        c.ExpectMem(LastSelector, 1, "selector word 0 only");
        c.ExpectMem(PendingWord0, 0, "pending bit cleared by the handler");

        // 2. Send, then STI; HLT: the HLT exit wakes the vCPU and the interrupt is injected at the next entry.
        a.mov(__qword_ptr[Received], 0);
        c.Evtchn(EvtchnSend, 4);
        c.Expect(0, "EVTCHNOP_send 4 (before STI;HLT)");
        a.sti(); a.hlt(); a.cli();
        c.ExpectMem(UpcallCount, 2, "one more upcall to wake from HLT");
        c.ExpectMem(Received, 1 << 3, "HLT wake-up reported port 3");

        // 3. Send with interrupts on: injected right after the hypercall (the measured send -> upcall latency).
        a.mov(__qword_ptr[Received], 0);
        a.mov(__dword_ptr[Arg], 4u);
        a.sti();
        Rdtsc(a, r12);
        a.mov(edi, EvtchnSend); a.mov(esi, Arg); Hc(a, EventChannelOp);
        a.cli();
        a.mov(rax, __qword_ptr[UpcallTsc]); a.sub(rax, r12); a.mov(__qword_ptr[Figures + 8], rax);
        c.ExpectMem(UpcallCount, 3, "upcall right after the send with IF=1");
        c.ExpectMem(Received, 1 << 3, "third upcall reported port 3");

        // 4. A send on an unbound port is dropped (Xen semantics); closing it frees it.
        c.EvtchnDom(EvtchnAllocUnbound, DomidSelf, DomidSelf);
        c.Expect(0, "second EVTCHNOP_alloc_unbound");
        c.ExpectMem(Arg + 4, 5, "next free port is 5", dword: true);
        a.sti();
        c.Evtchn(EvtchnSend, 5);
        a.cli();
        c.Expect(0, "send on an unbound port");
        c.ExpectMem(UpcallCount, 3, "no upcall for an unbound port");
        c.ExpectMem(PendingWord0, 0, "nothing pending after a send on an unbound port");
        c.Evtchn(EvtchnClose, 5);
        c.Expect(0, "EVTCHNOP_close 5");
        c.EvtchnDom(EvtchnStatus, DomidSelf, 0, 5);
        c.Expect(0, "EVTCHNOP_status 5");
        c.ExpectMem(Arg + 8, 0, "closed port is EVTCHNSTAT_closed", dword: true);

        // 5. Masked port: the event stays pending without an upcall; EVTCHNOP_unmask delivers it.
        a.mov(__qword_ptr[Received], 0);
        a.@lock.bts(__qword_ptr[MaskWord0], 3);
        a.sti();
        c.Evtchn(EvtchnSend, 4);
        a.cli();
        c.ExpectMem(UpcallCount, 3, "no upcall for a masked port");
        c.ExpectMem(PendingWord0, 1 << 3, "masked port 3 stays pending");
        a.sti();
        c.Evtchn(EvtchnUnmask, 3);
        a.cli();
        c.Expect(0, "EVTCHNOP_unmask 3");
        c.ExpectMem(UpcallCount, 4, "unmask delivered the pending event");
        c.ExpectMem(Received, 1 << 3, "unmask upcall reported port 3");
        // 5b. Level semantics: the handler returns once without clearing evtchn_upcall_pending; Xen asserts the
        //     callback vector again at the next VM entry while the flag stays set (here: after xen_version).
        a.mov(__qword_ptr[Received], 0);
        a.mov(__qword_ptr[LeaveAlone], 1);
        a.mov(__dword_ptr[Arg], 4u);
        a.sti();
        a.mov(edi, EvtchnSend); a.mov(esi, Arg); Hc(a, EventChannelOp);
        a.cli();
        c.ExpectMem(UpcallCount, 5, "upcall after the send (left pending)");
        c.ExpectMem(LeaveAlone, 0, "the handler left the first upcall pending");
        c.ExpectMem(UpcallPending, 1, "evtchn_upcall_pending still set after the first handler", dword: false);
        a.sti();
        a.xor(edi, edi); a.xor(esi, esi); Hc(a, XenVersion);
        a.cli();
        c.ExpectMem(UpcallCount, 6, "the vector asserted again while evtchn_upcall_pending stayed set");
        c.ExpectMem(Received, 1 << 3, "the repeated upcall reported port 3");
        c.ExpectMem(UpcallPending, 0, "evtchn_upcall_pending cleared by the second handler", dword: false);
        a.sti();
        a.xor(edi, edi); a.xor(esi, esi); Hc(a, XenVersion);
        a.cli();
        c.ExpectMem(UpcallCount, 6, "no upcall once evtchn_upcall_pending is clear");
        c.Print("xenbus: event channels ok (window, HLT wake-up, direct, unbound, mask/unmask, level)\n");

        // 6. XenStore through the ring (pages and port from HVM params, as a PV-on-HVM guest finds them).
        c.HvmParam(HvmGetParam, DomidSelf, ParamStorePfn, 0);
        c.Expect(0, "HVMOP_get_param STORE_PFN");
        a.mov(r14, __qword_ptr[Arg + 8]); a.shl(r14, 12);
        c.HvmParam(HvmGetParam, DomidSelf, ParamStoreEvtchn, 0);
        c.Expect(0, "HVMOP_get_param STORE_EVTCHN");
        a.mov(rbp, __qword_ptr[Arg + 8]);
        a.mov(rax, rbp);
        c.Expect(1, "store event channel is port 1");
        a.mov(__qword_ptr[Received], 0);
        a.sti();
        XsExpect(c, xsCall, XsMessage(2, 0x1234, "name\0"), XsMessage(2, 0x1234, "xenbus"), "XS_READ name");
        a.cli();
        c.ExpectMem(Received, 1 << 1, "the XenStore reply raised the store port");
        c.Print("xenbus: xenstore name=");
        a.mov(edi, 0); a.mov(esi, 6); a.mov(edx, Reply + 16); Hc(a, ConsoleIo);
        c.Print("\n");
        a.sti();
        // Measured: one XS_READ round trip (request into the ring, send, xenstored, reply, upcall, reply out).
        Rdtsc(a, r13);
        XsExpect(c, xsCall, XsMessage(2, 2, "domid\0"), XsMessage(2, 2, "1"), "XS_READ domid");
        Rdtsc(a, rax); a.sub(rax, r13); a.mov(__qword_ptr[Figures + 16], rax);
        XsExpect(c, xsCall, XsMessage(2, 3, "vm\0"), XsMessage(2, 3, "/vm/00000000-0000-0000-0000-000000000001"), "XS_READ vm");
        XsExpect(c, xsCall, XsMessage(11, 4, "data/greeting\0hello"), XsMessage(11, 4, "OK\0"), "XS_WRITE");
        XsExpect(c, xsCall, XsMessage(2, 5, "/local/domain/1/data/greeting\0"), XsMessage(2, 5, "hello"), "XS_READ written");
        XsExpect(c, xsCall, XsMessage(1, 6, "data\0"), XsMessage(1, 6, "greeting\0"), "XS_DIRECTORY");
        XsExpect(c, xsCall, XsMessage(13, 7, "data/greeting\0"), XsMessage(13, 7, "OK\0"), "XS_RM");
        XsExpect(c, xsCall, XsMessage(2, 8, "data/greeting\0"), XsMessage(16, 8, "ENOENT\0"), "XS_READ removed");
        // Watches: a new watch fires once at once; a write below it fires again; both events follow the reply.
        XsExpect(c, xsCall, XsMessage(4, 9, "data\0tok\0"), Concat(XsMessage(4, 9, "OK\0"), XsMessage(15, 0, "data\0tok\0")), "XS_WATCH");
        XsExpect(c, xsCall, XsMessage(11, 10, "data/w\0on"), Concat(XsMessage(11, 10, "OK\0"), XsMessage(15, 0, "data/w\0tok\0")), "XS_WRITE under a watch");
        XsExpect(c, xsCall, XsMessage(5, 11, "data\0tok\0"), XsMessage(5, 11, "OK\0"), "XS_UNWATCH");
        XsExpect(c, xsCall, XsMessage(11, 12, "data/w\0off"), XsMessage(11, 12, "OK\0"), "XS_WRITE after unwatch (no event)");
        XsExpect(c, xsCall, XsMessage(99, 13, "\0"), XsMessage(16, 13, "ENOSYS\0"), "unknown message type 99");
        a.cli();
        c.ExpectMem(UpcallCount, 6 + 13, "one upcall per XenStore notification with replies");
        c.Print("xenbus: xenstore ok (read, write, directory, rm, watches, errors)\n");

        // 7. Console ring: write into out[] at out_prod, publish, notify the console port; the backend consumes it.
        c.HvmParam(HvmGetParam, DomidSelf, ParamConsolePfn, 0);
        c.Expect(0, "HVMOP_get_param CONSOLE_PFN");
        a.mov(r15, __qword_ptr[Arg + 8]); a.shl(r15, 12);
        c.HvmParam(HvmGetParam, DomidSelf, ParamConsoleEvtchn, 0);
        c.Expect(0, "HVMOP_get_param CONSOLE_EVTCHN");
        a.mov(rax, __qword_ptr[Arg + 8]);
        c.Expect(2, "console event channel is port 2");
        var (text, textLen) = d.Text("xenbus: hello through the console ring\n");
        a.lea(rsi, __[text]); a.mov(ecx, textLen);
        a.mov(r8d, __dword_ptr[r15 + ConsOutProd]);
        var cl = a.CreateLabel();
        a.Label(ref cl);
        a.mov(al, __byte_ptr[rsi]);
        a.mov(edx, r8d); a.and(edx, 2047);
        a.mov(__byte_ptr[r15 + rdx + ConsOut], al);
        a.inc(rsi); a.inc(r8d); a.dec(ecx);
        a.jne(cl);
        a.mov(__dword_ptr[r15 + ConsOutProd], r8d);
        a.mov(__qword_ptr[Received], 0);
        a.sti();
        c.Evtchn(EvtchnSend, 2);
        a.cli();
        c.Expect(0, "EVTCHNOP_send console port");
        c.ExpectMem(UpcallCount, 6 + 13 + 1, "the backend's console input raised the console port");
        c.ExpectMem(Received, 1 << 2, "console input upcall reported port 2");
        // Console input: in_prod - in_cons bytes of in[] (masked indices), compared with the backend's greeting.
        var (greeting, greetingLen) = d.Text("hello from the xensdk console\n");
        a.mov(eax, __dword_ptr[r15 + ConsInProd]); a.sub(eax, __dword_ptr[r15 + ConsInCons]);
        c.Expect(greetingLen, "in_prod - in_cons = the greeting's length");
        a.mov(r8d, __dword_ptr[r15 + ConsInCons]);
        a.lea(rsi, __[greeting]); a.mov(ecx, greetingLen);
        var inLoop = a.CreateLabel();
        var inBad = a.CreateLabel();
        var inOk = a.CreateLabel();
        a.Label(ref inLoop);
        a.mov(edx, r8d); a.and(edx, 1023);
        a.mov(al, __byte_ptr[r15 + rdx + ConsIn]);
        a.cmp(al, __byte_ptr[rsi]);
        a.jne(inBad);
        a.inc(rsi); a.inc(r8d); a.dec(ecx);
        a.jne(inLoop);
        a.mov(__dword_ptr[r15 + ConsInCons], r8d);
        a.jmp(inOk);
        a.Label(ref inBad);
        c.Fail("console input bytes differ from the greeting");
        a.Label(ref inOk);
        c.Print("xenbus: console input read from in[]\n");
        a.mov(eax, __dword_ptr[r15 + ConsOutCons]);
        a.cmp(eax, __dword_ptr[r15 + ConsOutProd]);
        var consumed = a.CreateLabel();
        a.je(consumed);
        c.Fail("console backend did not consume the ring");
        a.Label(ref consumed);


        // 8. Grant table v1: map the frame (XENMAPSPACE_grant_table), query/setup, grant a page read-only to this
        //    domain, and let the hypervisor copy through the grant reference (GNTTABOP_copy with GNTCOPY_source_gref).
        c.AddToPhysmap(DomidSelf, 1, 0, GrantFrame >> 12);
        c.Expect(0, "add_to_physmap grant_table");
        a.mov(__dword_ptr[Arg], (uint)DomidSelf); a.mov(__qword_ptr[Arg + 4], 0); a.mov(__dword_ptr[Arg + 12], 0x7777u);
        a.mov(edi, GnttabQuerySize); a.mov(esi, Arg); a.mov(edx, 1); Hc(a, GrantTableOp);
        c.Expect(0, "GNTTABOP_query_size");
        c.ExpectMem(Arg + 4, 1, "nr_frames 1", dword: true);
        c.ExpectMem(Arg + 8, 1, "max_nr_frames 1", dword: true);
        a.movzx(eax, __word_ptr[Arg + 12]); c.Expect(0, "query_size status GNTST_okay");
        a.mov(__dword_ptr[Arg], (uint)DomidSelf); a.mov(__dword_ptr[Arg + 4], 1u); a.mov(__dword_ptr[Arg + 8], 0x7777u);
        a.mov(eax, Arg + 0x100); a.mov(__qword_ptr[Arg + 16], rax); a.mov(__qword_ptr[Arg + 0x100], 0);
        a.mov(edi, GnttabSetupTable); a.mov(esi, Arg); a.mov(edx, 1); Hc(a, GrantTableOp);
        c.Expect(0, "GNTTABOP_setup_table");
        a.movzx(eax, __word_ptr[Arg + 8]); c.Expect(0, "setup_table status GNTST_okay");
        c.ExpectMem(Arg + 0x100, GrantFrame >> 12, "setup_table frame list = the mapped GFN");
        // grant_entry_v1 ref 8: frame (4), domid (2) = 1 (XenStore said domid 1), then flags (0) = permit_access|readonly.
        a.mov(rax, 0x1122334455667788L); a.mov(__qword_ptr[GrantedPage + 16], rax);
        a.mov(rax, 0x0123456789ABCDEFL); a.mov(__qword_ptr[GrantedPage + 24], rax);
        a.mov(rax, 0x7766554433221100L); a.mov(__qword_ptr[GrantedPage + 32], rax);
        a.mov(rax, 0x0F1E2D3C4B5A6978L); a.mov(__qword_ptr[GrantedPage + 40], rax);
        a.mov(__dword_ptr[GrantFrame + 8 * 8 + 4], GrantedPage >> 12);
        a.mov(__word_ptr[GrantFrame + 8 * 8 + 2], 1);
        a.mov(__word_ptr[GrantFrame + 8 * 8], 1 | 4);
        void Copy(uint sourceRef, uint flags, uint destRef)
        {
            // struct gnttab_copy (x86_64): source {u 0, domid 8, offset 10}, dest {u 16, domid 24, offset 26}, len 32, flags 34, status 36.
            for (uint i = 0; i < 40; i += 4) a.mov(__dword_ptr[Arg + i], 0u);
            a.mov(__dword_ptr[Arg], sourceRef); a.mov(__word_ptr[Arg + 8], DomidSelf); a.mov(__word_ptr[Arg + 10], 16);
            a.mov(__dword_ptr[Arg + 16], (flags & 2) != 0 ? destRef : CopyTarget >> 12); a.mov(__word_ptr[Arg + 24], DomidSelf);
            a.mov(__word_ptr[Arg + 32], 32); a.mov(__word_ptr[Arg + 34], (ushort)flags); a.mov(__word_ptr[Arg + 36], 0x7777);
            a.mov(edi, GnttabCopy); a.mov(esi, Arg); a.mov(edx, 1); Hc(a, GrantTableOp);
        }
        Copy(8, 1, 0);
        c.Expect(0, "GNTTABOP_copy");
        a.movsx(rax, __word_ptr[Arg + 36]); c.Expect(0, "copy status GNTST_okay");
        var copied = a.CreateLabel();
        a.mov(esi, GrantedPage + 16); a.mov(edi, CopyTarget); a.mov(ecx, 32); a.repe.cmpsb(); a.je(copied);
        c.Fail("bytes copied through grant ref 8 differ");
        a.Label(ref copied);
        a.movzx(eax, __word_ptr[GrantFrame + 8 * 8]); c.Expect(1 | 4, "grant flags back to permit_access|readonly (pins released)");
        Copy(9, 1, 0);
        a.movsx(rax, __word_ptr[Arg + 36]); c.Expect(-8, "copy through an ungranted ref: GNTST_permission_denied");
        Copy(600, 1, 0);
        a.movsx(rax, __word_ptr[Arg + 36]); c.Expect(-3, "copy through ref 600: GNTST_bad_gntref");
        Copy(8, 3, 8);
        a.movsx(rax, __word_ptr[Arg + 36]); c.Expect(-8, "write through a read-only grant: GNTST_permission_denied");
        c.Print("xenbus: grant table ok (query, setup, copy through a grant, denied refs)\n");
        a.mov(__qword_ptr[Figures], 1);
        c.Print("xenbus: all checks passed\n");
        a.mov(__dword_ptr[0x7000], 0u); a.mov(edi, 2); a.mov(esi, 0x7000); Hc(a, SchedOp);
        a.hlt();
        EmitHandler(a, handler);
        EmitXsCall(a, xsCall);
        d.Emit();
        return Guests.Assemble(a, Guests.LoadAddress);
    }

    /// <summary>get_time: rax = Xen system time (ns) from vcpu_info[0].time, as a Linux PV clock reads it: version
    /// (retry while odd), TSC, delta = tsc - tsc_timestamp shifted by tsc_shift, (delta * tsc_to_system_mul) >> 32 (the
    /// 96-bit product's bits 95:32), + system_time, then the version again (retry when it changed). Clobbers rcx, rdx,
    /// r8, r9.</summary>
    private static void EmitGetTime(Assembler a, Label getTime)
    {
        a.Label(ref getTime);
        var retry = getTime;
        var negative = a.CreateLabel();
        var scaled = a.CreateLabel();
        a.mov(r8d, __dword_ptr[TimeInfo]);
        a.test(r8d, 1);
        a.jne(retry);
        a.lfence();                                // the version read completes before RDTSC and the field reads
        a.rdtsc(); a.shl(rdx, 32); a.or(rax, rdx);
        a.sub(rax, __qword_ptr[TimeInfo + 8]);
        a.movsx(ecx, __byte_ptr[TimeInfo + 28]);
        a.test(ecx, ecx);
        a.js(negative);
        a.shl(rax, cl);
        a.jmp(scaled);
        a.Label(ref negative);
        a.neg(ecx);
        a.shr(rax, cl);
        a.Label(ref scaled);
        a.mov(r9d, __dword_ptr[TimeInfo + 24]);
        a.mul(r9);
        a.shrd(rax, rdx, 32);
        a.add(rax, __qword_ptr[TimeInfo + 16]);
        a.lfence();
        a.cmp(r8d, __dword_ptr[TimeInfo]);
        a.jne(retry);
        a.ret();
    }

    /// <summary>The single-shot timer guest: VIRQ_TIMER bound to a port, the pvclock read from shared_info, a timer
    /// 1 ms ahead (VCPUOP_set_singleshot_timer, then the legacy set_timer_op) with the vCPU in HLT, woken by the
    /// VIRQ's upcall at or after the deadline; a stopped timer that never fires; a past deadline without
    /// VCPU_SSHOTTMR_future firing at once; and Xen's errors (-ETIME, -EEXIST, -EINVAL, -ENOENT, -ENOSYS).</summary>
    public static byte[] Timer()
    {
        const long Einval = -22, Enoent = -2, Eexist = -17, Etime = -62, Enosys = -38;
        const long OneMs = 1_000_000;
        var a = new Assembler(64);
        var d = new Data(a);
        var c = new Ctx { A = a, D = d, Name = "timer" };
        var handler = a.CreateLabel();
        var getTime = a.CreateLabel();
        Guests.InstallHypercallPage(a);
        a.cli();
        Setup(c, handler);
        // vcpu_time_info is published: version even, a multiplier, a system time that moves.
        a.mov(eax, __dword_ptr[TimeInfo]); a.and(eax, 1); c.Expect(0, "vcpu_time_info version is even");
        a.mov(eax, __dword_ptr[TimeInfo + 24]);
        var mulOk = a.CreateLabel();
        a.test(eax, eax); a.jne(mulOk);
        c.Fail("tsc_to_system_mul is 0");
        a.Label(ref mulOk);
        a.call(getTime); a.mov(r12, rax);
        a.call(getTime);
        var moves = a.CreateLabel();
        a.cmp(rax, r12); a.jae(moves);
        c.Fail("system time went backwards");
        a.Label(ref moves);

        // EVTCHNOP_bind_virq {virq, vcpu, port}.
        c.Evtchn(EvtchnBindVirq, 0, 0);
        c.Expect(0, "EVTCHNOP_bind_virq VIRQ_TIMER");
        c.ExpectMem(Arg + 8, 3, "VIRQ_TIMER bound to port 3", dword: true);
        c.Evtchn(EvtchnBindVirq, 0, 0);
        c.Expect(Eexist, "binding VIRQ_TIMER twice: -EEXIST");
        c.Evtchn(EvtchnBindVirq, 24, 0);
        c.Expect(Einval, "VIRQ 24 (NR_VIRQS): -EINVAL");
        c.Evtchn(EvtchnBindVirq, 2, 1);
        c.Expect(Einval, "global VIRQ_CONSOLE on vCPU 1: -EINVAL");
        c.Evtchn(EvtchnBindVirq, 0, 1);
        c.Expect(Enoent, "VIRQ_TIMER on vCPU 1: -ENOENT");
        c.EvtchnDom(EvtchnStatus, DomidSelf, 0, 3);
        c.Expect(0, "EVTCHNOP_status 3");
        c.ExpectMem(Arg + 8, 4, "port 3 is EVTCHNSTAT_virq", dword: true);
        c.ExpectMem(Arg + 16, 0, "port 3's VIRQ is VIRQ_TIMER", dword: true);

        // Runs 2 ms of system time with interrupts on and checks that no further upcall arrived (UpcallCount stays 2).
        void RunTwoMsWithInterruptsOn(string failure)
        {
            a.call(getTime); a.mov(r12, rax);
            a.sti();
            var spin = a.CreateLabel();
            a.Label(ref spin);
            a.call(getTime); a.sub(rax, r12); a.mov(rcx, 2 * OneMs); a.cmp(rax, rcx); a.jb(spin);
            // One exit at a known point (the spin's own exit count depends on the machine's timer interrupts); an
            // armed timer would have fired at the latest here.
            a.xor(edi, edi); a.xor(esi, esi); Hc(a, XenVersion);
            a.cli();
            c.ExpectMem(UpcallCount, 2, failure);
        }
        void Singleshot(uint vcpu, uint flags, bool relative, long ns, int cmd = VcpuopSetSingleshotTimer)
        {
            if (relative) { a.call(getTime); a.mov(rcx, ns); a.add(rax, rcx); }
            else a.mov(rax, ns);
            a.mov(__qword_ptr[Arg], rax);
            a.mov(__dword_ptr[Arg + 8], flags); a.mov(__dword_ptr[Arg + 12], 0u);
            a.mov(edi, cmd); a.mov(esi, vcpu); a.mov(edx, Arg); Hc(a, VcpuOp);
        }
        void HaltUntilUpcall(long count)
        {
            // Linux's idle: with interrupts off, check for work, then STI; HLT (the STI shadow covers the HLT).
            var wait = a.CreateLabel();
            var woke = a.CreateLabel();
            a.cli();
            a.Label(ref wait);
            a.mov(rax, count); a.cmp(__qword_ptr[UpcallCount], rax); a.jae(woke);
            a.sti(); a.hlt(); a.cli();
            a.jmp(wait);
            a.Label(ref woke);
            a.cli();
        }

        // Errors: a past deadline with VCPU_SSHOTTMR_future, another vCPU, an unknown vcpu_op.
        Singleshot(0, 1, false, 1);
        c.Expect(Etime, "set_singleshot_timer in the past with VCPU_SSHOTTMR_future: -ETIME");
        Singleshot(1, 1, true, OneMs);
        c.Expect(Enoent, "set_singleshot_timer on vCPU 1: -ENOENT");
        Singleshot(0, 0, true, OneMs, cmd: 99);
        c.Expect(Enosys, "vcpu_op 99: -ENOSYS");
        c.ExpectMem(UpcallCount, 0, "no upcall from refused timers");

        // 1. VCPUOP_set_singleshot_timer 1 ms ahead, then HLT: woken by VIRQ_TIMER at or after the deadline.
        a.mov(__qword_ptr[Received], 0);
        a.call(getTime); a.mov(r12, rax);
        Singleshot(0, 1, true, OneMs);
        c.Expect(0, "set_singleshot_timer +1 ms");
        HaltUntilUpcall(1);
        a.call(getTime); a.sub(rax, r12);
        var late = a.CreateLabel();
        a.mov(rcx, OneMs); a.cmp(rax, rcx); a.jae(late);
        c.Fail("woken before the deadline (system time advanced less than 1 ms)");
        a.Label(ref late);
        c.ExpectMem(UpcallCount, 1, "one upcall from the timer");
        c.ExpectMem(Received, 1 << 3, "the timer upcall reported the VIRQ_TIMER port");
        c.Print("timer: woken from HLT by VIRQ_TIMER after >= 1 ms of system time\n");

        // 2. The legacy set_timer_op(timeout_abs_ns), same check.
        a.mov(__qword_ptr[Received], 0);
        a.call(getTime); a.mov(r12, rax);
        a.mov(rcx, OneMs); a.lea(rdi, __[rax + rcx]); Hc(a, SetTimerOp);
        c.Expect(0, "set_timer_op +1 ms");
        HaltUntilUpcall(2);
        a.call(getTime); a.sub(rax, r12);
        var late2 = a.CreateLabel();
        a.mov(rcx, OneMs); a.cmp(rax, rcx); a.jae(late2);
        c.Fail("set_timer_op woke before the deadline");
        a.Label(ref late2);
        c.ExpectMem(Received, 1 << 3, "set_timer_op upcall reported the VIRQ_TIMER port");

        // 3. A stopped timer never fires: arm +1 ms, stop, then run with interrupts on for 2 ms of system time.
        Singleshot(0, 1, true, OneMs);
        c.Expect(0, "set_singleshot_timer before stop");
        Singleshot(0, 0, false, 0, cmd: VcpuopStopSingleshotTimer);
        c.Expect(0, "stop_singleshot_timer");
        RunTwoMsWithInterruptsOn("a stopped single-shot timer fired");
        // set_timer_op(0) stops too.
        a.call(getTime); a.mov(rcx, OneMs); a.lea(rdi, __[rax + rcx]); Hc(a, SetTimerOp);
        a.xor(edi, edi); Hc(a, SetTimerOp);
        c.Expect(0, "set_timer_op(0)");
        RunTwoMsWithInterruptsOn("set_timer_op(0) did not stop the timer");

        // 4. A deadline already passed without VCPU_SSHOTTMR_future fires at once: port pending before STI.
        a.mov(__qword_ptr[Received], 0);
        Singleshot(0, 0, false, 1);
        c.Expect(0, "set_singleshot_timer in the past without the future flag");
        c.ExpectMem(PendingWord0, 1 << 3, "VIRQ_TIMER port pending at once");
        c.ExpectMem(UpcallPending, 1, "evtchn_upcall_pending set by the expired timer", dword: false);
        a.sti(); a.nop(); a.nop(); a.cli();
        c.ExpectMem(UpcallCount, 3, "upcall for the expired timer");
        c.ExpectMem(Received, 1 << 3, "expired timer reported the VIRQ_TIMER port");

        // 5. Closing the VIRQ port unbinds it: it can be bound again.
        c.Evtchn(EvtchnClose, 3);
        c.Expect(0, "EVTCHNOP_close VIRQ port");
        c.Evtchn(EvtchnBindVirq, 0, 0);
        c.Expect(0, "bind VIRQ_TIMER after close");
        c.ExpectMem(Arg + 8, 3, "VIRQ_TIMER bound to port 3 again", dword: true);
        c.Print("timer: all checks passed\n");
        a.mov(__dword_ptr[0x7000], 0u); a.mov(edi, 2); a.mov(esi, 0x7000); Hc(a, SchedOp);
        a.hlt();
        EmitHandler(a, handler);
        EmitGetTime(a, getTime);
        d.Emit();
        return Guests.Assemble(a, Guests.LoadAddress);
    }

    // FIFO ABI (event_channel.h): struct evtchn_fifo_control_block { ready 0, _rsvd 4, head[16] 8 }; event_word_t bits
    // PENDING 31, MASKED 30, LINKED 29, BUSY 28, LINK 16:0.
    // FifoArray2 follows FifoArray in guest memory, so the handler indexes both pages as one array of 2048 words (ports
    // 0..2047); the kernel sees two separate expand_array frames.
    private const uint FifoControl = 0x49000, FifoArray = 0x4A000, FifoArray2 = 0x4B000, FifoOrder = Vars + 40;
    // The last port >= 64 the FIFO handler delivered (Received and the order log hold ports below 64), and their count.
    private const uint FifoHigh = Vars + 48, FifoHighCount = Vars + 56;
    private const int EvtchnInitControl = 11, EvtchnExpandArray = 12, EvtchnSetPriority = 13;
    private const uint FifoPending = 1u << 31, FifoMasked = 1u << 30, FifoLinked = 1u << 29, FifoLinkMask = 0x1FFFF;

    /// <summary>The FIFO upcall handler, as Linux's evtchn_fifo consumes events: clear evtchn_upcall_pending, take READY
    /// (xchg with 0), then for each ready queue from priority 0 follow HEAD and the LINK chain: clear LINKED and LINK in
    /// one compare-exchange, and an event that is PENDING and not MASKED is delivered (PENDING cleared with a locked
    /// BTR; a port below 64 recorded in Received and appended to the order log at FifoOrder, 4 bits per port, a higher one
    /// stored at FifoHigh and counted at FifoHighCount).</summary>
    private static void EmitFifoHandler(Assembler a, Label handler)
    {
        a.Label(ref handler);
        a.push(rax); a.push(rcx); a.push(rdx); a.push(rbx); a.push(rsi);
        a.inc(__qword_ptr[UpcallCount]);
        a.mov(__byte_ptr[UpcallPending], 0);
        a.xor(eax, eax);
        a.xchg(__dword_ptr[FifoControl], eax);
        a.mov(ebx, eax);
        var nextQueue = a.CreateLabel();
        var walk = a.CreateLabel();
        var cas = a.CreateLabel();
        var skip = a.CreateLabel();
        var done = a.CreateLabel();
        a.Label(ref nextQueue);
        a.test(ebx, ebx);
        a.je(done);
        a.bsf(esi, ebx);
        a.btr(ebx, esi);
        a.mov(ecx, __dword_ptr[rsi * 4 + FifoControl + 8]);
        a.Label(ref walk);
        a.test(ecx, ecx);
        a.je(nextQueue);
        a.Label(ref cas);
        a.mov(eax, __dword_ptr[rcx * 4 + FifoArray]);
        a.mov(edx, eax);
        a.and(edx, unchecked((int)~(FifoLinked | FifoLinkMask)));
        a.@lock.cmpxchg(__dword_ptr[rcx * 4 + FifoArray], edx);
        a.jne(cas);
        a.bt(eax, 31);
        a.jae(skip);                               // not PENDING
        a.bt(eax, 30);
        a.jb(skip);                                // MASKED
        a.@lock.btr(__dword_ptr[rcx * 4 + FifoArray], 31);
        var high = a.CreateLabel();
        a.cmp(ecx, 64);
        a.jae(high);
        a.@lock.bts(__qword_ptr[Received], rcx);
        a.shl(__qword_ptr[FifoOrder], 4);
        a.or(__qword_ptr[FifoOrder], rcx);
        a.jmp(skip);
        a.Label(ref high);
        a.mov(__qword_ptr[FifoHigh], rcx);
        a.inc(__qword_ptr[FifoHighCount]);
        a.Label(ref skip);
        a.and(eax, (int)FifoLinkMask);
        a.mov(ecx, eax);
        a.jmp(walk);
        a.Label(ref done);
        a.pop(rsi); a.pop(rbx); a.pop(rdx); a.pop(rcx); a.pop(rax);
        a.iretq();
    }

    /// <summary>The FIFO event-channel guest: Xen's errors for init_control / expand_array / set_priority (before and
    /// after the switch, hostile frames, offsets, vCPUs; two event-array pages, a frame already in the array), then the loopback sends of the xenbus guest
    /// through the FIFO queues: one event (word, READY, HEAD checked before the upcall), two queues (priority 2 before
    /// 5), two events linked in one queue (LINK of the first names the second), a masked event delivered by
    /// EVTCHNOP_unmask; then ports allocated one by one (each the lowest free) until 1024, the first word of the second
    /// event-array page: an event on it (word, READY, HEAD, consumed by the upcall), a queue linking port 3 to port 1025
    /// across the pages, and every port from 5 to 1025 closed (the lowest free port is 5 again).</summary>
    public static byte[] FifoGuest()
    {
        const long Einval = -22, Enoent = -2, Enosys = -38, Eopnotsupp = -95;
        var a = new Assembler(64);
        var d = new Data(a);
        var c = new Ctx { A = a, D = d, Name = "fifo" };
        var handler = a.CreateLabel();
        Guests.InstallHypercallPage(a);
        a.cli();
        Setup(c, handler);
        void InitControl(ulong gfn, uint offset, uint vcpu)
        {
            a.mov(rax, (long)gfn); a.mov(__qword_ptr[Arg], rax);
            a.mov(__dword_ptr[Arg + 8], offset); a.mov(__dword_ptr[Arg + 12], vcpu);
            a.mov(__qword_ptr[Arg + 16], 0);
            a.mov(edi, EvtchnInitControl); a.mov(esi, Arg); Hc(a, EventChannelOp);
        }
        void Expand(ulong gfn)
        {
            a.mov(rax, (long)gfn); a.mov(__qword_ptr[Arg], rax);
            a.mov(edi, EvtchnExpandArray); a.mov(esi, Arg); Hc(a, EventChannelOp);
        }
        void Priority(uint port, uint priority) => c.Evtchn(EvtchnSetPriority, port, priority);
        void Word(uint port, long expected, string what) => c.ExpectMem(FifoArray + port * 4, expected, what, dword: true);

        // Before the switch: the 2-level ABI has no priorities, and no event array can be added.
        Priority(3, 5);
        c.Expect(Enosys, "set_priority before init_control: -ENOSYS");
        Expand(FifoArray >> 12);
        c.Expect(Eopnotsupp, "expand_array before init_control: -EOPNOTSUPP");
        // Hostile init_control: misaligned offset, a block crossing the page end, vCPU 1, a frame outside RAM.
        InitControl(FifoControl >> 12, 4, 0);
        c.Expect(Einval, "init_control offset 4: -EINVAL");
        InitControl(FifoControl >> 12, 4096 - 64, 0);
        c.Expect(Einval, "init_control block crossing the page: -EINVAL");
        InitControl(FifoControl >> 12, 0, 1);
        c.Expect(Enoent, "init_control vCPU 1: -ENOENT");
        InitControl(0xC0000, 0, 0);
        c.Expect(Einval, "init_control frame at 3 GiB: -EINVAL");
        InitControl(1UL << 50, 0, 0);
        c.Expect(Einval, "init_control frame 2^50: -EINVAL");
        InitControl(FifoControl >> 12, 0, 0);
        c.Expect(0, "EVTCHNOP_init_control");
        a.movzx(eax, __byte_ptr[Arg + 16]);
        c.Expect(17, "link_bits = EVTCHN_FIFO_LINK_BITS");
        InitControl(FifoControl >> 12, 0, 0);
        c.Expect(Einval, "second init_control on vCPU 0: -EINVAL");
        Expand(0xC0000);
        c.Expect(Einval, "expand_array frame outside RAM: -EINVAL");
        Expand(FifoArray >> 12);
        c.Expect(0, "EVTCHNOP_expand_array");
        Expand(FifoArray >> 12);
        c.Expect(Einval, "expand_array with the frame already in the array: -EINVAL");
        Expand(FifoArray2 >> 12);
        c.Expect(0, "EVTCHNOP_expand_array, second page (ports 1024..2047)");
        Expand(0xC0000);
        c.Expect(Einval, "third expand_array, frame outside RAM: -EINVAL");

        c.EvtchnDom(EvtchnAllocUnbound, DomidSelf, DomidSelf);
        c.Expect(0, "EVTCHNOP_alloc_unbound");
        c.ExpectMem(Arg + 4, 3, "first free port is 3", dword: true);
        c.EvtchnDom(EvtchnBindInterdomain, DomidSelf, 0, 3);
        c.Expect(0, "EVTCHNOP_bind_interdomain to self");
        c.ExpectMem(Arg + 8, 4, "bound port is 4", dword: true);
        Priority(3, 16);
        c.Expect(Einval, "priority 16: -EINVAL");
        Priority(99, 1);
        c.Expect(Einval, "set_priority on port 99: -EINVAL");
        Priority(3, 5);
        c.Expect(0, "set_priority 3 -> 5");

        // 1. One event: PENDING|LINKED, READY bit 5, HEAD[5] = 3, evtchn_upcall_pending; delivered at STI.
        a.mov(__qword_ptr[Received], 0);
        c.Evtchn(EvtchnSend, 4);
        c.Expect(0, "EVTCHNOP_send 4");
        Word(3, FifoPending | FifoLinked, "port 3's event word: PENDING|LINKED, LINK 0");
        c.ExpectMem(FifoControl, 1 << 5, "READY = queue 5", dword: true);
        c.ExpectMem(FifoControl + 8 + 5 * 4, 3, "HEAD[5] = port 3", dword: true);
        c.ExpectMem(UpcallPending, 1, "evtchn_upcall_pending set", dword: false);
        c.ExpectMem(UpcallCount, 0, "no upcall with RFLAGS.IF = 0");
        a.sti(); a.nop(); a.nop(); a.cli();
        c.ExpectMem(UpcallCount, 1, "one upcall");
        c.ExpectMem(Received, 1 << 3, "the upcall consumed port 3");
        Word(3, 0, "port 3's word clear after consumption");
        c.ExpectMem(FifoControl, 0, "READY clear", dword: true);

        // 2. Two queues: port 4 at priority 2 is consumed before port 3 at priority 5.
        Priority(4, 2);
        c.Expect(0, "set_priority 4 -> 2");
        a.mov(__qword_ptr[Received], 0); a.mov(__qword_ptr[FifoOrder], 0);
        c.Evtchn(EvtchnSend, 4);                   // raises 3 (priority 5)
        c.Evtchn(EvtchnSend, 3);                   // raises 4 (priority 2)
        c.ExpectMem(FifoControl, (1 << 2) | (1 << 5), "READY = queues 2 and 5", dword: true);
        a.sti(); a.nop(); a.nop(); a.cli();
        c.ExpectMem(UpcallCount, 2, "one upcall for both queues");
        c.ExpectMem(FifoOrder, 0x43, "priority 2 (port 4) before priority 5 (port 3)");

        // 3. One queue, two events: the first event's LINK names the second; consumed in order.
        Priority(4, 5);
        c.Expect(0, "set_priority 4 -> 5");
        a.mov(__qword_ptr[Received], 0); a.mov(__qword_ptr[FifoOrder], 0);
        c.Evtchn(EvtchnSend, 4);                   // 3 pending, HEAD[5] = 3
        c.Evtchn(EvtchnSend, 3);                   // 4 pending, linked after 3
        Word(3, FifoPending | FifoLinked | 4, "port 3 LINK = 4");
        Word(4, FifoPending | FifoLinked, "port 4 is the tail");
        c.ExpectMem(FifoControl, 1 << 5, "READY = queue 5 only", dword: true);
        a.sti(); a.nop(); a.nop(); a.cli();
        c.ExpectMem(UpcallCount, 3, "one upcall for the linked pair");
        c.ExpectMem(FifoOrder, 0x34, "3 then 4 (FIFO order)");
        c.ExpectMem(Received, (1 << 3) | (1 << 4), "both consumed");

        // 4. MASKED: the event stays PENDING, unlinked, without an upcall; the guest clears MASKED and, as it is
        //    PENDING, asks the hypervisor to link it (EVTCHNOP_unmask).
        a.mov(__qword_ptr[Received], 0);
        a.@lock.bts(__dword_ptr[FifoArray + 3 * 4], 30);
        a.sti();
        c.Evtchn(EvtchnSend, 4);
        a.cli();
        c.ExpectMem(UpcallCount, 3, "no upcall for a masked event");
        Word(3, FifoPending | FifoMasked, "masked event: PENDING|MASKED, not LINKED");
        a.@lock.btr(__dword_ptr[FifoArray + 3 * 4], 30);
        a.sti();
        c.Evtchn(EvtchnUnmask, 3);
        a.cli();
        c.Expect(0, "EVTCHNOP_unmask 3");
        c.ExpectMem(UpcallCount, 4, "unmask linked and delivered the pending event");
        c.ExpectMem(Received, 1 << 3, "unmask upcall consumed port 3");
        Word(3, 0, "port 3's word clear");

        // 5. A port in the second event-array page (ports 1024..2047): a guest cannot name its port, so it allocates
        //    until Xen's lowest-free rule hands out 1024, each allocation the next number (5, 6, ...; 1-4 are in use).
        a.mov(r12d, 5);
        var fill = a.CreateLabel();
        var inOrder = a.CreateLabel();
        a.Label(ref fill);
        c.EvtchnDom(EvtchnAllocUnbound, DomidSelf, DomidSelf);
        c.Expect(0, "alloc_unbound while filling the first event-array page");
        a.mov(eax, __dword_ptr[Arg + 4]);
        a.cmp(eax, r12d);
        a.je(inOrder);
        c.Fail("alloc_unbound did not hand out the lowest free port");
        a.Label(ref inOrder);
        a.inc(r12d);
        a.cmp(eax, 1024);
        a.jb(fill);
        c.EvtchnDom(EvtchnBindInterdomain, DomidSelf, 0, 1024);
        c.Expect(0, "bind_interdomain to port 1024");
        c.ExpectMem(Arg + 8, 1025, "bound port is 1025", dword: true);
        //    One event on 1024: page 2's word 0 PENDING|LINKED, READY bit 7 (default priority), HEAD[7] = 1024.
        a.mov(__qword_ptr[Received], 0); a.mov(__qword_ptr[FifoHigh], 0); a.mov(__qword_ptr[FifoHighCount], 0);
        c.Evtchn(EvtchnSend, 1025);
        c.Expect(0, "EVTCHNOP_send 1025");
        c.ExpectMem(FifoArray2, FifoPending | FifoLinked, "port 1024's event word (page 2, word 0): PENDING|LINKED", dword: true);
        c.ExpectMem(FifoControl, 1 << 7, "READY = queue 7 (default priority)", dword: true);
        c.ExpectMem(FifoControl + 8 + 7 * 4, 1024, "HEAD[7] = port 1024", dword: true);
        c.ExpectMem(UpcallPending, 1, "evtchn_upcall_pending set for port 1024", dword: false);
        a.sti(); a.nop(); a.nop(); a.cli();
        c.ExpectMem(UpcallCount, 5, "one upcall for port 1024");
        c.ExpectMem(FifoHigh, 1024, "the upcall consumed port 1024");
        c.ExpectMem(FifoArray2, 0, "port 1024's word clear after consumption", dword: true);
        //    A queue crossing the pages: 3 (page 1) then 1025 (page 2) at priority 5; word 3's LINK names 1025.
        Priority(1025, 5);
        c.Expect(0, "set_priority 1025 -> 5");
        a.mov(__qword_ptr[Received], 0); a.mov(__qword_ptr[FifoHigh], 0); a.mov(__qword_ptr[FifoOrder], 0);
        c.Evtchn(EvtchnSend, 4);                   // raises 3
        c.Evtchn(EvtchnSend, 1024);                // raises 1025, linked after 3
        Word(3, FifoPending | FifoLinked | 1025, "port 3 LINK = 1025 (page 2)");
        c.ExpectMem(FifoArray2 + 4, FifoPending | FifoLinked, "port 1025 (page 2, word 1) is the tail", dword: true);
        a.sti(); a.nop(); a.nop(); a.cli();
        c.ExpectMem(UpcallCount, 6, "one upcall for the pair across the pages");
        c.ExpectMem(FifoOrder, 3, "port 3 consumed (and no other port below 64)");
        c.ExpectMem(FifoHigh, 1025, "then port 1025");
        c.ExpectMem(FifoHighCount, 2, "two events delivered from page 2");
        //    Close every port from 5 to 1025; the lowest free port is 5 again.
        a.mov(r12d, 5);
        var drain = a.CreateLabel();
        a.Label(ref drain);
        a.mov(__dword_ptr[Arg], r12d);
        a.mov(edi, EvtchnClose); a.mov(esi, Arg); Hc(a, EventChannelOp);
        c.Expect(0, "EVTCHNOP_close of a port from 5 to 1025");
        a.inc(r12d);
        a.cmp(r12d, 1025);
        a.jbe(drain);
        c.EvtchnDom(EvtchnAllocUnbound, DomidSelf, DomidSelf);
        c.Expect(0, "alloc_unbound after the closes");
        c.ExpectMem(Arg + 4, 5, "the lowest free port is 5 again", dword: true);
        c.Evtchn(EvtchnClose, 5);
        c.Expect(0, "EVTCHNOP_close 5");
        c.Print("fifo: all checks passed\n");
        a.mov(__dword_ptr[0x7000], 0u); a.mov(edi, 2); a.mov(esi, 0x7000); Hc(a, SchedOp);
        a.hlt();
        EmitFifoHandler(a, handler);
        d.Emit();
        return Guests.Assemble(a, Guests.LoadAddress);
    }

    public static byte[] Hostile()
    {
        const long Efault = -14, Einval = -22, Esrch = -3, Eperm = -1, Enosys = -38;
        var a = new Assembler(64);
        var d = new Data(a);
        var c = new Ctx { A = a, D = d, Name = "hostile" };
        var handler = a.CreateLabel();
        var xsCall = a.CreateLabel();
        Guests.InstallHypercallPage(a);
        a.cli();
        // Bad HVM params first (before the good ones).
        c.HvmParam(HvmSetParam, DomidSelf, ParamCallbackIrq, (0UL << 56) | 5);
        c.Expect(Einval, "CALLBACK_IRQ via GSI (no interrupt controller)");
        c.HvmParam(HvmSetParam, DomidSelf, ParamCallbackIrq, (2UL << 56) | 3);
        c.Expect(Einval, "CALLBACK_IRQ vector 3 (an exception vector)");
        c.HvmParam(HvmSetParam, DomidSelf, ParamStorePfn, 0x10);
        c.Expect(Eperm, "set_param STORE_PFN");
        c.HvmParam(HvmGetParam, DomidSelf, 999, 0);
        c.Expect(Einval, "get_param index 999");
        c.HvmParam(HvmGetParam, 5, ParamStorePfn, 0);
        c.Expect(Esrch, "get_param for domain 5");
        a.mov(edi, HvmGetParam); a.mov(rsi, 0x7FFF_DEAD_0000L); Hc(a, HvmOp);
        c.Expect(Efault, "hvm_op with an unmapped argument");
        // Bad add_to_physmap.
        c.AddToPhysmap(DomidSelf, 0, 0, 0xC0000);
        c.Expect(Einval, "add_to_physmap shared_info at a GFN outside RAM (3 GiB)");
        c.AddToPhysmap(DomidSelf, 0, 0, 1UL << 50);
        c.Expect(Einval, "add_to_physmap shared_info at GFN 2^50");
        c.AddToPhysmap(DomidSelf, 0, 1, SharedInfo >> 12);
        c.Expect(Einval, "add_to_physmap shared_info idx 1");
        c.AddToPhysmap(DomidSelf, 5, 0, SharedInfo >> 12);
        c.Expect(Einval, "add_to_physmap space dev_mmio");
        c.AddToPhysmap(7, 0, 0, SharedInfo >> 12);
        c.Expect(Esrch, "add_to_physmap for domain 7");
        a.mov(edi, XenmemAddToPhysmap); a.mov(rsi, 0x7FFF_DEAD_0000L); Hc(a, MemoryOp);
        c.Expect(Efault, "add_to_physmap with an unmapped argument");
        Setup(c, handler);
        // Bad event channels.
        c.Evtchn(EvtchnSend, 5000); c.Expect(Einval, "send on port 5000");
        c.Evtchn(EvtchnSend, 60); c.Expect(Einval, "send on free port 60");
        c.Evtchn(EvtchnSend, 0); c.Expect(Einval, "send on reserved port 0");
        c.Evtchn(EvtchnClose, 0); c.Expect(Einval, "close port 0");
        c.Evtchn(EvtchnClose, 63); c.Expect(Einval, "close free port 63");
        c.Evtchn(EvtchnUnmask, 4096); c.Expect(Einval, "unmask port 4096");
        c.EvtchnDom(EvtchnStatus, DomidSelf, 0, 9999); c.Expect(Einval, "status of port 9999");
        c.EvtchnDom(EvtchnStatus, 5, 0, 1); c.Expect(Esrch, "status of domain 5's port");
        c.EvtchnDom(EvtchnAllocUnbound, 7, DomidSelf); c.Expect(Esrch, "alloc_unbound for domain 7");
        c.EvtchnDom(EvtchnBindInterdomain, DomidSelf, 0, 60); c.Expect(Einval, "bind_interdomain to free port 60");
        c.EvtchnDom(EvtchnBindInterdomain, DomidSelf, 0, 1); c.Expect(Einval, "bind_interdomain to the store port");
        a.mov(edi, EvtchnSend); a.mov(rsi, 0x7FFF_DEAD_0000L); Hc(a, EventChannelOp);
        c.Expect(Efault, "send with an unmapped argument");
        a.mov(edi, 99); a.mov(esi, Arg); Hc(a, EventChannelOp);
        c.Expect(Enosys, "event_channel_op 99");
        // Bad FIFO and VIRQ arguments (none of them switches this guest to the FIFO ABI).
        c.Evtchn(EvtchnExpandArray, FifoArray >> 12, 0); c.Expect(-95, "expand_array on the 2-level ABI: -EOPNOTSUPP");
        c.Evtchn(EvtchnSetPriority, 3, 1); c.Expect(Enosys, "set_priority on the 2-level ABI");
        c.Evtchn(EvtchnInitControl, FifoControl >> 12, 0, 12, 0); c.Expect(Einval, "init_control offset 12");
        c.Evtchn(EvtchnInitControl, FifoControl >> 12, 0, 4088, 0); c.Expect(Einval, "init_control block crossing the page");
        c.Evtchn(EvtchnInitControl, FifoControl >> 12, 0, 0, 7); c.Expect(-2, "init_control vCPU 7: -ENOENT");
        c.Evtchn(EvtchnInitControl, 0, 0x10, 0, 0); c.Expect(Einval, "init_control frame 2^36 (outside RAM)");
        c.Evtchn(EvtchnBindVirq, 99, 0); c.Expect(Einval, "bind_virq 99");
        // Bad grant-table operations.
        a.mov(__dword_ptr[Arg], (uint)DomidSelf);
        a.mov(edi, GnttabQuerySize); a.mov(esi, Arg); a.mov(edx, 2); Hc(a, GrantTableOp);
        c.Expect(Einval, "query_size with count 2");
        a.mov(__dword_ptr[Arg], (uint)DomidSelf); a.mov(__dword_ptr[Arg + 4], 5u); a.mov(__dword_ptr[Arg + 8], 0u);
        a.mov(edi, GnttabSetupTable); a.mov(esi, Arg); a.mov(edx, 1); Hc(a, GrantTableOp);
        c.Expect(0, "setup_table with 5 frames returns 0 ...");
        a.movsx(rax, __word_ptr[Arg + 8]); c.Expect(-1, "... and GNTST_general_error");
        for (uint i = 0; i < 40; i += 4) a.mov(__dword_ptr[Arg + i], 0u);
        a.mov(__word_ptr[Arg + 8], DomidSelf); a.mov(__word_ptr[Arg + 10], 4000);
        a.mov(__dword_ptr[Arg + 16], 0x48u); a.mov(__word_ptr[Arg + 24], DomidSelf); a.mov(__word_ptr[Arg + 32], 200);
        a.mov(__dword_ptr[Arg], 0x47u);
        a.mov(edi, GnttabCopy); a.mov(esi, Arg); a.mov(edx, 1); Hc(a, GrantTableOp);
        c.Expect(0, "copy beyond the page returns 0 ...");
        a.movsx(rax, __word_ptr[Arg + 36]); c.Expect(-10, "... and GNTST_bad_copy_arg");
        a.mov(edi, 99); a.mov(esi, Arg); a.mov(edx, 1); Hc(a, GrantTableOp);
        c.Expect(Enosys, "grant_table_op 99");
        c.ExpectMem(UpcallCount, 0, "no upcall from rejected operations");
        c.Print("hostile: bad ports, params, physmap and grant ops rejected\n");

        // A XenStore ring whose producer index is garbage (req_prod - req_cons > ring size).
        c.HvmParam(HvmGetParam, DomidSelf, ParamStorePfn, 0);
        a.mov(r14, __qword_ptr[Arg + 8]); a.shl(r14, 12);
        a.mov(ebp, 1);
        a.mov(eax, __dword_ptr[r14 + XsReqCons]); a.add(eax, 5000); a.mov(__dword_ptr[r14 + XsReqProd], eax);
        a.sti();
        c.Evtchn(EvtchnSend, 1);
        a.cli();
        c.Expect(0, "send on the store port with a garbage ring");
        a.mov(eax, __dword_ptr[r14 + XsError]);
        c.Expect(2, "XENSTORE_ERROR_RINGIDX reported in the page");
        a.sti();
        c.Evtchn(EvtchnSend, 1);
        a.cli();
        c.Expect(0, "second send on the broken ring");
        // Reconnect (xs_wire.h: connection = XENSTORE_RECONNECT, notify; the server resets and sets CONNECTED).
        a.mov(__dword_ptr[r14 + XsConnection], 1u);
        a.sti();
        c.Evtchn(EvtchnSend, 1);
        a.cli();
        a.mov(eax, __dword_ptr[r14 + XsConnection]); c.Expect(0, "XENSTORE_CONNECTED after reconnect");
        a.mov(eax, __dword_ptr[r14 + XsError]); c.Expect(0, "error cleared after reconnect");
        a.mov(eax, __dword_ptr[r14 + XsReqProd]); c.Expect(0, "req_prod reset");
        a.sti();
        XsExpect(c, xsCall, XsMessage(2, 1, "domid\0"), XsMessage(2, 1, "1"), "XS_READ domid after reconnect");
        // An oversized message header (len > XENSTORE_PAYLOAD_MAX): a protocol error.
        var (big, bigLen) = d.Add(BitConverter.GetBytes(2u).Concat(BitConverter.GetBytes(2u)).Concat(BitConverter.GetBytes(0u)).Concat(BitConverter.GetBytes(5000u)).ToArray());
        a.lea(rsi, __[big]); a.mov(ecx, bigLen); a.call(xsCall);
        a.cli();
        a.mov(eax, __dword_ptr[r14 + XsError]);
        c.Expect(3, "XENSTORE_ERROR_PROTO for an oversized header");
        a.mov(__dword_ptr[r14 + XsConnection], 1u);
        a.sti();
        c.Evtchn(EvtchnSend, 1);
        XsExpect(c, xsCall, XsMessage(2, 2, "name\0"), XsMessage(2, 2, "hostile"), "XS_READ name after the second reconnect");
        XsExpect(c, xsCall, XsMessage(2, 3, "bad//path\0"), XsMessage(16, 3, "EINVAL\0"), "XS_READ invalid path");
        a.cli();
        c.Print("hostile: xenstore ring errors reported in the page, recovered after reconnect\n");

        // A console ring whose producer is garbage: the backend refuses it (counted by the kernel), the guest goes on.
        c.HvmParam(HvmGetParam, DomidSelf, ParamConsolePfn, 0);
        a.mov(r15, __qword_ptr[Arg + 8]); a.shl(r15, 12);
        a.mov(eax, __dword_ptr[r15 + ConsOutCons]); a.add(eax, 100000); a.mov(__dword_ptr[r15 + ConsOutProd], eax);
        c.Evtchn(EvtchnSend, 2);
        c.Expect(0, "send on the console port with a garbage ring");
        c.Print("hostile: all checks passed\n");
        a.mov(__dword_ptr[0x7000], 0u); a.mov(edi, 2); a.mov(esi, 0x7000); Hc(a, SchedOp);
        a.hlt();
        EmitHandler(a, handler);
        EmitXsCall(a, xsCall);
        d.Emit();
        return Guests.Assemble(a, Guests.LoadAddress);
    }

    // shared_info (xen.h, x86_64): wc_version 3072, wc_sec 3076, wc_nsec 3080, wc_sec_hi 3084; vcpu_info[0].evtchn_upcall_mask +1.
    private const uint WcVersion = SharedInfo + 3072, WcSec = SharedInfo + 3076, WcNsec = SharedInfo + 3080, WcSecHi = SharedInfo + 3084;
    private const uint UpcallMask = SharedInfo + 1;
    private const int SchedopBlock = 1, SchedopPoll = 3, VcpuopSetPeriodicTimer = 6, VcpuopStopPeriodicTimer = 7;
    private const uint PollPorts = Vars + 0x100;

    /// <summary>The scheduler guest: the wall clock in shared_info (read with the wc_version protocol, a date after
    /// 2023), SCHEDOP_block woken by the single-shot timer's VIRQ_TIMER upcall (interrupts enabled by an STI whose shadow
    /// covers the hypercall instruction, so no upcall can slip in between; evtchn_upcall_mask cleared by the block); then,
    /// with the callback disabled so that events only set evtchn_upcall_pending and the port's bit (the guest consumes
    /// them itself, and no interrupt timing enters the figures): the periodic timer (Xen's errors; an event at once when
    /// the last one is a period old; three blocks each returning on the next event, at least 3 ms in all; stopped;
    /// together with a single-shot timer that keeps its own deadline) and SCHEDOP_poll (a VIRQ port, an absolute timeout
    /// on a port that never fires, Xen's errors). Every check can fail: a block that returned early or never, an event
    /// too soon or missing, an errno.</summary>
    public static byte[] Sched()
    {
        const long Einval = -22, Enoent = -2, Efault = -14;
        const long OneMs = 1_000_000;
        var a = new Assembler(64);
        var d = new Data(a);
        var c = new Ctx { A = a, D = d, Name = "sched" };
        var handler = a.CreateLabel();
        var getTime = a.CreateLabel();
        var blockCall = a.CreateLabel();
        var blockSite = a.CreateLabel();
        Guests.InstallHypercallPage(a);
        a.cli();
        // The block subroutine's hypercall instruction is the hypervisor's own (VMMCALL / VMCALL): the third opcode byte
        // of the page's stub (0F 01 D9 / 0F 01 C1 at offset 5) is copied over it.
        a.mov(al, __byte_ptr[HypercallPage + 7]);
        a.lea(rbx, __[blockSite]); a.mov(__byte_ptr[rbx + 2], al);
        Setup(c, handler);

        // 1. Wall clock: version even (retry while odd or changed), wc_sec a date after 2023-11-14 and before 2100,
        //    wc_nsec below 10^9, wc_sec_hi 0 until 2106.
        var wcRetry = a.CreateLabel();
        a.nop();                                   // Setup ends on a label
        a.Label(ref wcRetry);
        a.mov(r8d, __dword_ptr[WcVersion]);
        a.test(r8d, 1); a.jne(wcRetry);
        a.lfence();
        a.mov(r9d, __dword_ptr[WcSec]); a.mov(r10d, __dword_ptr[WcNsec]); a.mov(r11d, __dword_ptr[WcSecHi]);
        a.lfence();
        a.cmp(r8d, __dword_ptr[WcVersion]); a.jne(wcRetry);
        a.mov(eax, r8d); a.test(eax, eax);
        var wcWritten = a.CreateLabel();
        a.jne(wcWritten);
        c.Fail("wc_version is 0: the wall clock was never written");
        a.Label(ref wcWritten);
        var wcAfter = a.CreateLabel(); var wcBefore = a.CreateLabel(); var wcNsecOk = a.CreateLabel();
        a.cmp(r9d, 1_700_000_000); a.jae(wcAfter);
        c.Fail("wc_sec is before 2023-11-14");
        a.Label(ref wcAfter);
        a.mov(eax, 4_102_444_800u); a.cmp(r9, rax); a.jb(wcBefore);
        c.Fail("wc_sec is after 2100");
        a.Label(ref wcBefore);
        a.cmp(r10d, 1_000_000_000); a.jb(wcNsecOk);
        c.Fail("wc_nsec is 10^9 or more");
        a.Label(ref wcNsecOk);
        a.mov(eax, r11d);
        c.Expect(0, "wc_sec_hi is 0");
        c.Print("sched: wall clock set (wc_version even, wc_sec after 2023)\n");

        c.Evtchn(EvtchnBindVirq, 0, 0);
        c.Expect(0, "EVTCHNOP_bind_virq VIRQ_TIMER");
        c.ExpectMem(Arg + 8, 3, "VIRQ_TIMER bound to port 3", dword: true);

        void Singleshot(long ns)
        {
            a.call(getTime); a.mov(rcx, ns); a.add(rax, rcx);
            a.mov(__qword_ptr[Arg], rax);
            a.mov(__dword_ptr[Arg + 8], 0u); a.mov(__dword_ptr[Arg + 12], 0u);
            a.mov(edi, VcpuopSetSingleshotTimer); a.xor(esi, esi); a.mov(edx, Arg); Hc(a, VcpuOp);
        }
        void Periodic(uint vcpu, long period, int cmd = VcpuopSetPeriodicTimer)
        {
            a.mov(rax, period); a.mov(__qword_ptr[Arg], rax);
            a.mov(edi, cmd); a.mov(esi, vcpu); a.mov(edx, Arg); Hc(a, VcpuOp);
        }
        void Block(string what)
        {
            a.call(blockCall);
            c.Expect(0, what);
        }
        // An event consumed by the guest itself (callback disabled): the VIRQ_TIMER port pending, evtchn_upcall_pending
        // set; both cleared, with the selector, as an upcall handler would.
        void Consume(string what)
        {
            c.ExpectMem(PendingWord0, 1 << 3, what + ": VIRQ_TIMER port pending");
            c.ExpectMem(UpcallPending, 1, what + ": evtchn_upcall_pending set", dword: false);
            Drop();
        }
        // Clears whatever is pending, without checking (no hypercall: the counts do not depend on it).
        void Drop()
        {
            a.xor(eax, eax); a.xchg(__qword_ptr[PendingSel], rax);
            a.@lock.btr(__qword_ptr[PendingWord0], 3);
            a.mov(__byte_ptr[UpcallPending], 0);
        }
        void AtLeast(AssemblerRegister64 since, long ns, string what)
        {
            var ok = a.CreateLabel();
            a.call(getTime); a.sub(rax, since); a.mov(rcx, ns); a.cmp(rax, rcx); a.jae(ok);
            c.Fail(what);
            a.Label(ref ok);
        }
        void Poll(uint[] ports, uint count, long timeout, ulong list = PollPorts)
        {
            for (int i = 0; i < ports.Length; i++) a.mov(__dword_ptr[PollPorts + (uint)i * 4], ports[i]);
            a.mov(rax, (long)list); a.mov(__qword_ptr[Arg], rax);
            a.mov(__dword_ptr[Arg + 8], count); a.mov(__dword_ptr[Arg + 12], 0u);
            a.mov(rax, timeout); a.mov(__qword_ptr[Arg + 16], rax);
            a.mov(edi, SchedopPoll); a.mov(esi, Arg); Hc(a, SchedOp);
        }

        // 2. SCHEDOP_block woken by the single-shot timer 1 ms ahead through the callback vector; the block clears
        //    evtchn_upcall_mask.
        a.mov(__byte_ptr[UpcallMask], 1);
        a.mov(__qword_ptr[Received], 0);
        a.call(getTime); a.mov(r12, rax);
        Singleshot(OneMs);
        c.Expect(0, "set_singleshot_timer +1 ms");
        Block("SCHEDOP_block");
        c.ExpectMem(UpcallCount, 1, "one upcall from the timer after SCHEDOP_block");
        c.ExpectMem(Received, 1 << 3, "the block's upcall reported the VIRQ_TIMER port");
        AtLeast(r12, OneMs, "SCHEDOP_block returned before the timer's deadline");
        a.movzx(eax, __byte_ptr[UpcallMask]);
        c.Expect(0, "SCHEDOP_block cleared evtchn_upcall_mask");
        c.Print("sched: SCHEDOP_block woken by VIRQ_TIMER after >= 1 ms\n");

        // From here on the callback is off: events set the flags only, and the guest consumes them.
        c.HvmParam(HvmSetParam, DomidSelf, ParamCallbackIrq, 0);
        c.Expect(0, "HVMOP_set_param CALLBACK_IRQ 0 (callback off)");

        // 3. Periodic timer: Xen's errors, then a 1 ms period. The last periodic event is at system time 0, more than a
        //    period ago, so setting it sends an event at once (vcpu_periodic_timer_work).
        Periodic(0, OneMs - 1);
        c.Expect(Einval, "set_periodic_timer below 1 ms: -EINVAL");
        Periodic(0, 1L << 62);
        c.Expect(Einval, "set_periodic_timer above STIME_DELTA_MAX: -EINVAL");
        Periodic(1, OneMs);
        c.Expect(Enoent, "set_periodic_timer on vCPU 1: -ENOENT");
        c.ExpectMem(PendingWord0, 0, "no event from refused periodic timers");
        a.call(getTime); a.mov(r12, rax);
        Periodic(0, OneMs);
        c.Expect(0, "set_periodic_timer 1 ms");
        Consume("the periodic timer's first event at once (last event a period old)");
        // Three blocks: each returns on the next periodic event (or at once when it came meanwhile), at least 3 ms in all.
        a.mov(r13d, 3);
        var again = a.CreateLabel();
        a.Label(ref again);
        Block("SCHEDOP_block (periodic)");
        Consume("a periodic event after SCHEDOP_block");
        a.dec(r13d); a.jne(again);
        AtLeast(r12, 3 * OneMs, "three more periodic events came in less than 3 periods");
        Periodic(0, 0, cmd: VcpuopStopPeriodicTimer);
        c.Expect(0, "stop_periodic_timer");
        // An event that fell due before the stop (the timers are checked at every exit, the stop's own included) may be
        // pending: the guest drops it. From here on nothing may fire: 2 ms of system time and one exit at a known point.
        Drop();
        a.call(getTime); a.mov(r12, rax);
        var spin = a.CreateLabel();
        a.Label(ref spin);
        a.call(getTime); a.sub(rax, r12); a.mov(rcx, 2 * OneMs); a.cmp(rax, rcx); a.jb(spin);
        a.xor(edi, edi); a.xor(esi, esi); Hc(a, XenVersion);
        c.ExpectMem(PendingWord0, 0, "a stopped periodic timer fired");
        c.Print("sched: periodic timer: one VIRQ_TIMER per period, stopped\n");

        // 4. Both timers: a single-shot 10 ms ahead and a 1 ms periodic timer (an event at once, the last one being more
        //    than a period old); two blocks returning on periodic events; the periodic timer stopped and anything pending
        //    dropped; then a poll of the VIRQ port with a timeout 20 ms after the single-shot's deadline ends no sooner
        //    than that deadline, and, when the stop came before the deadline, with the single-shot's event pending.
        //    (Both timers share VIRQ_TIMER, so on a slow, loaded host the single-shot may fall due during the periodic
        //    blocks and merge with a periodic event; the checks hold either way, and every path makes the same calls.)
        a.call(getTime); a.mov(r12, rax);
        Singleshot(10 * OneMs);
        c.Expect(0, "set_singleshot_timer +10 ms");
        Periodic(0, OneMs);
        c.Expect(0, "set_periodic_timer 1 ms with a single-shot armed");
        Consume("the periodic timer's first event with a single-shot armed");
        Block("SCHEDOP_block (periodic, single-shot armed)");
        Consume("a periodic event with a single-shot armed");
        Block("SCHEDOP_block (periodic, single-shot armed)");
        Consume("a second periodic event with a single-shot armed");
        Periodic(0, 0, cmd: VcpuopStopPeriodicTimer);
        c.Expect(0, "stop_periodic_timer with a single-shot armed");
        Drop();
        a.call(getTime); a.mov(r13, rax);                 // the stop's time
        a.mov(rax, r12); a.mov(rcx, 30 * OneMs); a.add(rax, rcx);
        a.mov(__dword_ptr[PollPorts], 3u);
        a.mov(eax, PollPorts); a.mov(__qword_ptr[Arg], rax);
        a.mov(__dword_ptr[Arg + 8], 1u); a.mov(__dword_ptr[Arg + 12], 0u);
        a.mov(rax, r12); a.mov(rcx, 30 * OneMs); a.add(rax, rcx); a.mov(__qword_ptr[Arg + 16], rax);
        a.mov(edi, SchedopPoll); a.mov(esi, Arg); Hc(a, SchedOp);
        c.Expect(0, "SCHEDOP_poll for the single-shot");
        AtLeast(r12, 10 * OneMs, "the wait for the single-shot ended before its deadline (with the periodic timer stopped)");
        var dueEarly = a.CreateLabel();
        a.mov(rax, r13); a.sub(rax, r12); a.mov(rcx, 10 * OneMs); a.cmp(rax, rcx); a.jae(dueEarly);
        c.ExpectMem(PendingWord0, 1 << 3, "the single-shot's event (deadline after the periodic timer's stop) is pending");
        a.nop();
        a.Label(ref dueEarly);
        Drop();
        c.Print("sched: single-shot and periodic timers together\n");

        // 5. SCHEDOP_poll: Xen's errors; the VIRQ port (returns once it is pending); an absolute timeout on an unbound
        //    port that never fires.
        Poll(new uint[0], 129, 0);
        c.Expect(Einval, "SCHEDOP_poll with 129 ports: -EINVAL");
        Poll(new uint[] { 3, 64 }, 2, 0);
        c.Expect(Einval, "SCHEDOP_poll on port 64: -EINVAL");
        Poll(new uint[0], 1, 0, list: 0xF000_0000);
        c.Expect(Efault, "SCHEDOP_poll with a port list outside RAM: -EFAULT");
        a.call(getTime); a.mov(r12, rax);
        Singleshot(OneMs);
        c.Expect(0, "set_singleshot_timer +1 ms before SCHEDOP_poll");
        Poll(new uint[] { 3 }, 1, 0);
        c.Expect(0, "SCHEDOP_poll on the VIRQ_TIMER port");
        AtLeast(r12, OneMs, "SCHEDOP_poll returned before the timer's deadline");
        Consume("the polled port");
        c.EvtchnDom(EvtchnAllocUnbound, DomidSelf, DomidSelf);
        c.Expect(0, "EVTCHNOP_alloc_unbound");
        c.ExpectMem(Arg + 4, 4, "unbound port 4", dword: true);
        a.call(getTime); a.mov(r12, rax);
        a.mov(rcx, 2 * OneMs); a.add(rax, rcx);
        a.mov(r13, rax);
        a.mov(__dword_ptr[PollPorts], 4u);
        a.mov(eax, PollPorts); a.mov(__qword_ptr[Arg], rax);
        a.mov(__dword_ptr[Arg + 8], 1u); a.mov(__dword_ptr[Arg + 12], 0u);
        a.mov(__qword_ptr[Arg + 16], r13);
        a.mov(edi, SchedopPoll); a.mov(esi, Arg); Hc(a, SchedOp);
        c.Expect(0, "SCHEDOP_poll with a timeout");
        AtLeast(r12, 2 * OneMs, "SCHEDOP_poll returned before its timeout");
        c.ExpectMem(PendingWord0, 0, "nothing pending after the poll's timeout");
        c.ExpectMem(UpcallCount, 1, "no upcall with the callback off");
        c.Print("sched: SCHEDOP_poll (port pending, timeout, errors)\n");
        c.Print("sched: all checks passed\n");
        a.mov(__dword_ptr[0x7000], 0u); a.mov(edi, 2); a.mov(esi, 0x7000); Hc(a, SchedOp);
        a.hlt();
        // block: sched_op(SCHEDOP_block) with the hypercall instruction in the STI shadow, so an upcall pending before
        // it is taken only after the hypercall (Xen returns at once then), never between STI and the hypercall.
        a.Label(ref blockCall);
        a.mov(eax, SchedOp); a.mov(edi, SchedopBlock); a.xor(esi, esi);
        a.sti();
        a.Label(ref blockSite);
        a.db(0x0F, 0x01, 0xD9);
        a.cli();
        a.ret();
        EmitHandler(a, handler);
        EmitGetTime(a, getTime);
        d.Emit();
        return Guests.Assemble(a, Guests.LoadAddress);
    }

    /// <summary>The XenStore transactions and permissions guest (io/xs_wire.h types: XS_TRANSACTION_START 6, _END 7,
    /// XS_GET_PERMS 3, XS_SET_PERMS 14; permission strings of docs/misc/xenstore.txt): the toolstack's permissions on
    /// its home (read-only, owned by domain 0) and data directory (its own), EACCES for writes it may not do, a node it
    /// creates owned by it, XS_SET_PERMS (EPERM to give a node away, EINVAL for a bad string, ENOSPC for six entries),
    /// then transactions: isolation until the commit, a commit, a conflicting commit (EAGAIN, nothing applied), an abort,
    /// an unrelated change that does not conflict, the errors (ENOENT for an unknown id, EBUSY for a nested start,
    /// EINVAL for a bad verdict) and a watch that fires at the commit, after its reply. Every reply is compared byte
    /// for byte.</summary>
    public static byte[] XsTx()
    {
        var a = new Assembler(64);
        var d = new Data(a);
        var c = new Ctx { A = a, D = d, Name = "xstx" };
        var handler = a.CreateLabel();
        var xsCall = a.CreateLabel();
        Guests.InstallHypercallPage(a);
        a.cli();
        Setup(c, handler);
        c.HvmParam(HvmGetParam, DomidSelf, ParamStorePfn, 0);
        c.Expect(0, "HVMOP_get_param STORE_PFN");
        a.mov(r14, __qword_ptr[Arg + 8]); a.shl(r14, 12);
        a.mov(ebp, 1);
        a.sti();
        uint id = 1;
        void X(uint type, string payload, uint replyType, string reply, string what, uint tx = 0)
        {
            XsExpect(c, xsCall, XsMessage(type, id, payload, tx), XsMessage(replyType, id, reply, tx), what);
            id++;
        }
        const uint Read = 2, Write = 11, Rm = 13, GetPerms = 3, SetPerms = 14, Start = 6, End = 7, Watch = 4, Unwatch = 5, Error = 16;

        // 1. Permissions as the toolstack set them, and what they allow.
        X(GetPerms, "data\0", GetPerms, "n1\0", "XS_GET_PERMS data (the domain's own)");
        X(GetPerms, "name\0", GetPerms, "n0\0r1\0", "XS_GET_PERMS name (domain 0's, readable)");
        X(GetPerms, "/local\0", Error, "EACCES\0", "XS_GET_PERMS /local (not readable)");
        X(Write, "name\0x", Error, "EACCES\0", "XS_WRITE name (read-only)");
        X(Write, "newnode\0x", Error, "EACCES\0", "XS_WRITE under the read-only home");
        X(Rm, "domid\0", Error, "EACCES\0", "XS_RM domid (read-only)");
        X(Write, "data/a\0one", Write, "OK\0", "XS_WRITE data/a");
        X(GetPerms, "data/a\0", GetPerms, "n1\0", "XS_GET_PERMS data/a (inherited, owned by its creator)");
        X(SetPerms, "data/a\0n1\0r0\0b5\0", SetPerms, "OK\0", "XS_SET_PERMS data/a");
        X(GetPerms, "data/a\0", GetPerms, "n1\0r0\0b5\0", "XS_GET_PERMS after XS_SET_PERMS");
        X(SetPerms, "data/a\0n0\0", Error, "EPERM\0", "XS_SET_PERMS giving the node to domain 0");
        X(SetPerms, "data/a\0x1\0", Error, "EINVAL\0", "XS_SET_PERMS with a bad permission string");
        X(SetPerms, "data/a\0n1\0r2\0r3\0r4\0r5\0r6\0", Error, "ENOSPC\0", "XS_SET_PERMS with six entries");
        X(SetPerms, "name\0n1\0", Error, "EACCES\0", "XS_SET_PERMS on a node of domain 0");
        a.cli();
        c.Print("xstx: permissions ok (toolstack's, EACCES, inherited owner, set, EPERM, EINVAL, ENOSPC)\n");
        a.sti();

        // 2. Transactions.
        X(Start, "\0", Start, "1\0", "XS_TRANSACTION_START");
        X(Write, "data/b\0tx", Write, "OK\0", "XS_WRITE data/b in transaction 1", tx: 1);
        X(Read, "data/b\0", Error, "ENOENT\0", "XS_READ data/b outside the transaction (not committed yet)");
        X(Read, "data/b\0", Read, "tx", "XS_READ data/b in transaction 1", tx: 1);
        X(End, "T\0", End, "OK\0", "XS_TRANSACTION_END commit", tx: 1);
        X(Read, "data/b\0", Read, "tx", "XS_READ data/b after the commit");
        // A conflict: the transaction read data/a, which changes before the commit.
        X(Start, "\0", Start, "2\0", "XS_TRANSACTION_START 2");
        X(Read, "data/a\0", Read, "one", "XS_READ data/a in transaction 2", tx: 2);
        X(Write, "data/a\0two", Write, "OK\0", "XS_WRITE data/a outside transaction 2");
        X(Write, "data/c\0y", Write, "OK\0", "XS_WRITE data/c in transaction 2", tx: 2);
        X(End, "T\0", Error, "EAGAIN\0", "XS_TRANSACTION_END of a conflicting transaction", tx: 2);
        X(Read, "data/c\0", Error, "ENOENT\0", "XS_READ data/c (the failed commit applied nothing)");
        X(End, "T\0", Error, "ENOENT\0", "XS_TRANSACTION_END of an ended transaction", tx: 2);
        // An abort.
        X(Start, "\0", Start, "3\0", "XS_TRANSACTION_START 3");
        X(Write, "data/d\0z", Write, "OK\0", "XS_WRITE data/d in transaction 3", tx: 3);
        X(End, "F\0", End, "OK\0", "XS_TRANSACTION_END abort", tx: 3);
        X(Read, "data/d\0", Error, "ENOENT\0", "XS_READ data/d after the abort");
        // A change to a node the transaction did not touch does not conflict (a value change of an existing node; a
        // new child of data would, as the transaction creates one too: data's child list is part of what it read).
        X(Start, "\0", Start, "4\0", "XS_TRANSACTION_START 4");
        X(Read, "data/a\0", Read, "two", "XS_READ data/a in transaction 4", tx: 4);
        X(Write, "data/b\0other", Write, "OK\0", "XS_WRITE data/b outside transaction 4");
        X(Write, "data/f\0mine", Write, "OK\0", "XS_WRITE data/f in transaction 4", tx: 4);
        X(End, "T\0", End, "OK\0", "XS_TRANSACTION_END without a conflict", tx: 4);
        X(Read, "data/f\0", Read, "mine", "XS_READ data/f after the commit");
        X(Read, "data/b\0", Read, "other", "XS_READ data/b kept");
        // Errors.
        X(Read, "data/a\0", Error, "ENOENT\0", "XS_READ in an unknown transaction", tx: 77);
        X(Start, "\0", Start, "5\0", "XS_TRANSACTION_START 5");
        X(Start, "\0", Error, "EBUSY\0", "XS_TRANSACTION_START inside a transaction", tx: 5);
        X(End, "X\0", Error, "EINVAL\0", "XS_TRANSACTION_END with a bad verdict", tx: 5);
        X(Write, "name\0x", Error, "EACCES\0", "XS_WRITE name in a transaction (read-only)", tx: 5);
        X(End, "F\0", End, "OK\0", "XS_TRANSACTION_END abort 5", tx: 5);
        // A watch fires at the commit (after the commit's reply), not at the write inside the transaction.
        XsExpect(c, xsCall, XsMessage(Watch, id, "data/w\0tok\0"), Concat(XsMessage(Watch, id, "OK\0"), XsMessage(15, 0, "data/w\0tok\0")), "XS_WATCH data/w");
        id++;
        X(Start, "\0", Start, "6\0", "XS_TRANSACTION_START 6");
        X(Write, "data/w/x\01", Write, "OK\0", "XS_WRITE below the watch in transaction 6 (no event yet)", tx: 6);
        XsExpect(c, xsCall, XsMessage(End, id, "T\0", 6), Concat(XsMessage(End, id, "OK\0", 6), XsMessage(15, 0, "data/w/x\0tok\0")), "XS_TRANSACTION_END 6 fires the watch");
        id++;
        X(Unwatch, "data/w\0tok\0", Unwatch, "OK\0", "XS_UNWATCH data/w");
        a.cli();
        c.Print("xstx: transactions ok (isolation, commit, EAGAIN, abort, no false conflict, ENOENT, EBUSY, EINVAL, watch at commit)\n");
        c.Print("xstx: all checks passed\n");
        a.mov(__dword_ptr[0x7000], 0u); a.mov(edi, 2); a.mov(esi, 0x7000); Hc(a, SchedOp);
        a.hlt();
        EmitHandler(a, handler);
        EmitXsCall(a, xsCall);
        d.Emit();
        return Guests.Assemble(a, Guests.LoadAddress);
    }
}
