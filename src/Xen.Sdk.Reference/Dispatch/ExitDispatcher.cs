using System;
using Xen.Sdk.Reference.Devices;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Abi.ArchX86;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.Sched;
using Xen.Sdk.Abi.Version;

namespace Xen.Sdk.Reference;

/// <summary>The exit dispatcher, written once for both vendors: the backend (SVM or VMX) decodes its exit into a
/// vendor-neutral <see cref="VcpuState"/>, the dispatcher handles it (CPUID with the Xen leaves, I/O with an
/// emulated 16550, HLT, MSRs with the hypercall page, Xen hypercalls, MMIO, exceptions, shutdown) and the backend
/// writes the result back. No allocation, no exceptions: a misbehaving guest gets an error value or is stopped.</summary>
/// <typeparam name="TMemory">Guest RAM access.</typeparam>
/// <typeparam name="TConsole">Where guest console output goes.</typeparam>
/// <typeparam name="THost">The physical CPU (CPUID pass-through).</typeparam>
/// <typeparam name="TExtension">Extra handlers consulted first.</typeparam>
public partial struct ExitDispatcher<TMemory, TConsole, THost, TExtension>
    where TMemory : struct, IGuestMemory
    where TConsole : struct, IGuestConsole
    where THost : struct, IHostCpu
    where TExtension : struct, IExitExtension
{
    /// <summary>The MSR whose write installs the hypercall page; reported to the guest in CPUID leaf 0x40000002 EBX
    /// (the hypervisor's choice; Xen uses the base of its CPUID range).</summary>
    public const uint HypercallMsr = 0x40000000;

    /// <summary>Xen interface version reported to guests (CPUID 0x40000001 and XENVER_version): 4.17.</summary>
    public const uint XenVersionValue = (4u << 16) | 17u;

    /// <summary>Guest RAM.</summary>
    public TMemory Memory;
    /// <summary>Guest console.</summary>
    public TConsole Console;
    /// <summary>Host CPU.</summary>
    public THost Host;
    /// <summary>Extra handlers.</summary>
    public TExtension Extension;
    /// <summary>The guest's UART.</summary>
    public Uart16550 Uart;
    /// <summary>Counters.</summary>
    public ExitCounters Counters;
    /// <summary>The vendor's hypercall instruction (for the hypercall page).</summary>
    public HypercallInstruction HypercallInstruction;
    /// <summary>How the guest ended (Running while it runs).</summary>
    public GuestOutcome Outcome;
    /// <summary>The reason passed to <c>SCHEDOP_shutdown</c>.</summary>
    public ShutdownReason ShutdownReason;
    /// <summary>Why the guest was stopped, when <see cref="Outcome"/> is <see cref="GuestOutcome.Faulted"/>.</summary>
    public GuestFault Fault;
    /// <summary>Guest-physical address of the installed hypercall page (0 if none).</summary>
    public ulong HypercallPageAddress;
    /// <summary>Result of the last hypercall (for tests and the result line).</summary>
    public long LastHypercallResult;
    /// <summary>The domain's Xen services (event channels, shared_info, HVM params, XenStore, console ring); configure
    /// them with <see cref="Services.XenDomain.Initialize"/> before the guest runs, or their hypercalls answer <c>-ENOSYS</c>.</summary>
    public Services.XenDomain Xen;

    /// <summary>Creates a dispatcher.</summary>
    public ExitDispatcher(TMemory memory, TConsole console, THost host, TExtension extension, HypercallInstruction instruction)
    {
        this = default;
        Memory = memory;
        Console = console;
        Host = host;
        Extension = extension;
        HypercallInstruction = instruction;
    }

    /// <summary>Longest a HLT exit waits in the hypervisor for the single-shot timer before resuming the guest at its
    /// HLT again (so external-interrupt exits, and the watchdog, still get their turn), in TSC ticks per second / 100.</summary>
    public const ulong HaltWaitDivisor = 100;

    /// <summary>Handles the exit recorded in <paramref name="state"/>. Before the handler, an armed single-shot timer
    /// whose deadline passed fires; after it, the vector callback's level is applied (see
    /// <see cref="Services.XenDomain.SyncUpcallLevel"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ExitAction Dispatch(ref VcpuState state)
    {
        if (Xen.TimerArmed) Xen.CheckTimer(Host.ReadTsc(), ref state);
        ExitAction action = DispatchExit(ref state);
        if (action == ExitAction.Resume && Xen.CallbackVector != 0) Xen.SyncUpcallLevel(ref state);
        return action;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ExitAction DispatchExit(ref VcpuState state)
    {
        Counters.Count(state.Exit.Reason);
        if (Extension.TryHandle(ref state, out ExitAction custom)) return custom;
        // The two most frequent exits by compare, before the jump table (an indirect branch).
        ExitReason reason = state.Exit.Reason;
        if (reason == ExitReason.Hypercall) return HandleHypercall(ref state);
        if (reason == ExitReason.Cpuid) return HandleCpuid(ref state);
        switch (reason)
        {
            case ExitReason.Cpuid: return HandleCpuid(ref state);
            case ExitReason.IoPort: return HandleIo(ref state);
            case ExitReason.Hlt: return HandleHlt(ref state);
            case ExitReason.MsrRead: return HandleRdmsr(ref state);
            case ExitReason.MsrWrite: return HandleWrmsr(ref state);
            case ExitReason.Hypercall: return HandleHypercall(ref state);
            case ExitReason.NestedPageFault: return HandleNestedPageFault(ref state);
            case ExitReason.Shutdown: return Stop(GuestFault.TripleFault);
            case ExitReason.Exception: return Stop(GuestFault.UnhandledException);
            case ExitReason.EntryFailure: return Stop(GuestFault.EntryFailure);
            case ExitReason.InterruptWindow:
            case ExitReason.ExternalInterrupt:
                return ExitAction.Resume;
            default: return Stop(GuestFault.UnhandledExit);
        }
    }

    private ExitAction HandleHlt(ref VcpuState state)
    {
        bool interruptible = (state.Rflags & VirtualInterrupts.InterruptFlag) != 0;
        // With RFLAGS.IF = 1 and the single-shot timer armed, the vCPU blocks until the deadline (Xen's HLT handling
        // blocks the vCPU until an event): wait here on the TSC for at most 1/HaltWaitDivisor s; when the timer fires
        // its VIRQ raises the callback. Otherwise resume the guest at the HLT itself, so it exits again.
        if (interruptible && !state.InterruptPending && Xen.TimerArmed && Xen.Clock.Configured)
        {
            ulong start = Host.ReadTsc();
            ulong limit = Xen.Clock.TicksPerSecond / HaltWaitDivisor;
            ulong now = start;
            while (!Xen.CheckTimer(now, ref state) && now - start < limit) now = Host.ReadTsc();
            if (!state.InterruptPending) Xen.SyncUpcallLevel(ref state);
            if (!state.InterruptPending) return Xen.TimerArmed ? ExitAction.Resume : HaltNow(ref state);
        }
        else if (interruptible && !state.InterruptPending && Xen.CallbackVector != 0)
        {
            Xen.SyncUpcallLevel(ref state);
        }
        if (!state.Advance()) return Stop(GuestFault.UndecodableInstruction);
        // A virtual interrupt the guest can take wakes it: resume, and the backend injects it at the entry
        // (after HLT, RIP points past it, as for an interrupt taken in the halt state).
        if (state.InterruptPending && interruptible) return ExitAction.Resume;
        Outcome = GuestOutcome.Halted;
        return ExitAction.Stop;
    }

    private ExitAction HaltNow(ref VcpuState state)
    {
        if (!state.Advance()) return Stop(GuestFault.UndecodableInstruction);
        Outcome = GuestOutcome.Halted;
        return ExitAction.Stop;
    }

    /// <summary>Stops the guest with a fault.</summary>
    public ExitAction Stop(GuestFault fault)
    {
        Outcome = GuestOutcome.Faulted;
        Fault = fault;
        return ExitAction.Stop;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ExitAction HandleCpuid(ref VcpuState state)
    {
        uint leaf = (uint)state.Gprs.Rax;
        uint a, b, c, d;
        uint xen = leaf - XenCpuid.FirstLeaf;
        // The hypervisor leaves by compare (a jump table would be an indirect branch on every CPUID exit).
        if (xen < 0x100)
        {
            a = b = c = d = 0;
            if (xen == 0) { a = XenCpuid.FirstLeaf + 2; b = XenCpuid.SignatureEbx; c = XenCpuid.SignatureEcx; d = XenCpuid.SignatureEdx; }
            else if (xen == 1) a = XenVersionValue;
            else if (xen == 2) { a = 1; b = HypercallMsr; }
        }
        else
        {
            HostLeaf(leaf, (uint)state.Gprs.Rcx, out a, out b, out c, out d);
        }
        state.Gprs.Rax = a;
        state.Gprs.Rbx = b;
        state.Gprs.Rcx = c;
        state.Gprs.Rdx = d;
        return state.Advance() ? ExitAction.Resume : Stop(GuestFault.UndecodableInstruction);
    }

    /// <summary>A processor leaf as the host reports it, without VMX and SVM, with the hypervisor-present bit.</summary>
    private void HostLeaf(uint leaf, uint sub, out uint a, out uint b, out uint c, out uint d)
    {
        Host.Cpuid(leaf, sub, out a, out b, out c, out d);
        if (leaf == 1)
        {
            c &= ~(1u << 5);      // no VMX for the guest
            c |= 1u << 31;        // hypervisor present
        }
        else if (leaf == 0x80000001)
        {
            c &= ~(1u << 2);      // no SVM for the guest
        }
    }

    private ExitAction HandleIo(ref VcpuState state)
    {
        ref ExitInfo e = ref state.Exit;
        if (e.StringOp) return Stop(GuestFault.UnhandledExit);
        ulong mask = e.AccessSize == 1 ? 0xFFUL : e.AccessSize == 2 ? 0xFFFFUL : 0xFFFF_FFFFUL;
        if (e.In)
        {
            ulong value = Uart16550.Claims(e.Port) ? Uart.Read(e.Port) : mask;   // unclaimed ports float high
            state.Gprs.Rax = (state.Gprs.Rax & ~mask) | (value & mask);
        }
        else if (Uart16550.Claims(e.Port))
        {
            if (Uart.Write(e.Port, (byte)state.Gprs.Rax, out byte tx))
            {
                Span<byte> one = stackalloc byte[1];
                one[0] = tx;
                Console.Write(one);
            }
        }
        return state.Advance() ? ExitAction.Resume : Stop(GuestFault.UndecodableInstruction);
    }

    private ExitAction HandleRdmsr(ref VcpuState state)
    {
        // Policy: only the hypercall MSR is known; reading it returns the installed page; anything else is #GP(0),
        // as on hardware for an unimplemented MSR (Intel SDM Vol. 2B RDMSR; AMD APM Vol. 3 RDMSR).
        if (state.Exit.Msr == HypercallMsr)
        {
            state.Gprs.Rax = (uint)HypercallPageAddress;
            state.Gprs.Rdx = (uint)(HypercallPageAddress >> 32);
            return state.Advance() ? ExitAction.Resume : Stop(GuestFault.UndecodableInstruction);
        }
        state.InjectException(13, 0, true);
        return ExitAction.Resume;
    }

    private ExitAction HandleWrmsr(ref VcpuState state)
    {
        ulong value = (state.Gprs.Rdx << 32) | (uint)state.Gprs.Rax;
        if (state.Exit.Msr == HypercallMsr)
        {
            ulong page = value & ~0xFFFUL;
            ulong index = value & 0xFFF;
            Span<byte> buffer = stackalloc byte[4096];
            if (index != 0 || !HypercallPage.TryWrite(buffer, HypercallInstruction) || !Memory.TryWrite(page, buffer))
            {
                state.InjectException(13, 0, true);
                return ExitAction.Resume;
            }
            HypercallPageAddress = page;
            return state.Advance() ? ExitAction.Resume : Stop(GuestFault.UndecodableInstruction);
        }
        state.InjectException(13, 0, true);
        return ExitAction.Resume;
    }

    private ExitAction HandleNestedPageFault(ref VcpuState state)
    {
        Counters.Mmio++;
        return Stop(GuestFault.UnmappedMmio);
    }
}
