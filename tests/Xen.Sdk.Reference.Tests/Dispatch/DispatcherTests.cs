using System;
using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Abi.ArchX86;
using Xen.Sdk.Abi.Errno;
using Xen.Sdk.Abi.Sched;
using Xen.Sdk.Abi.Version;
using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

public unsafe struct ArrayMemory : IGuestMemory
{
    public byte[] Ram;
    /// <summary>A page's address inside <see cref="Ram"/>; the array must be pinned (<see cref="Pinned"/>).</summary>
    public byte* TryMapPage(ulong gpa) =>
        (gpa & 0xFFF) == 0 && gpa < (ulong)Ram.Length && (ulong)Ram.Length - gpa >= 4096
            ? (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref Ram[(int)gpa]) : null;
    /// <summary>Guest RAM on the pinned object heap, so <see cref="TryMapPage"/> pointers stay valid.</summary>
    public static ArrayMemory Pinned(int size) => new ArrayMemory { Ram = GC.AllocateArray<byte>(size, pinned: true) };
    public bool TryRead(ulong gpa, Span<byte> destination)
    {
        if (gpa >= (ulong)Ram.Length || (ulong)destination.Length > (ulong)Ram.Length - gpa) return false;
        Ram.AsSpan((int)gpa, destination.Length).CopyTo(destination);
        return true;
    }
    public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source)
    {
        if (gpa >= (ulong)Ram.Length || (ulong)source.Length > (ulong)Ram.Length - gpa) return false;
        source.CopyTo(Ram.AsSpan((int)gpa));
        return true;
    }
}

public struct TextConsole : IGuestConsole
{
    public StringBuilder Text;
    public void Write(ReadOnlySpan<byte> bytes) => Text.Append(Encoding.ASCII.GetString(bytes));
}

public struct FixedCpu : IHostCpu
{
    public void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx)
    {
        eax = leaf; ebx = 0x11111111; ecx = 0xFFFFFFFF; edx = 0x22222222;
    }

    /// <summary>The fake TSC: tests set it; every read returns it and then advances it by <see cref="Step"/>.</summary>
    public static ulong Tsc;
    /// <summary>Ticks added per read (so a spin loop in the HLT handler terminates).</summary>
    public static ulong Step = 1000;

    public ulong ReadTsc()
    {
        ulong t = Tsc;
        Tsc += Step;
        return t;
    }
}

/// <summary>The dispatcher on the host with a fake guest (paging off, 64 KiB of RAM): the same code the kernel runs.
/// Hypercall results are checked against Xen's documented behaviour (xen/include/public: errno.h, sched.h,
/// version.h, arch-x86/cpuid.h).</summary>
public sealed class DispatcherTests
{
    private const int RamSize = 0x10000;

    private static ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension> NewDispatcher(out StringBuilder console)
    {
        console = new StringBuilder();
        return new ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension>(
            ArrayMemory.Pinned(RamSize), new TextConsole { Text = console }, new FixedCpu(), new NoExtension(), HypercallInstruction.Vmmcall);
    }

    private static VcpuState Exit(ExitReason reason, int length, GuestMode mode = GuestMode.Long64)
    {
        var s = new VcpuState { PendingVector = -1, Mode = mode, Rip = 0x1000 };
        s.Exit.Reason = reason;
        s.Exit.InstructionLength = length;
        return s;
    }

    private static long Hypercall(ref ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension> d, ulong nr, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0)
    {
        var s = Exit(ExitReason.Hypercall, 3);
        s.Gprs.Rax = nr; s.Gprs.Rdi = a0; s.Gprs.Rsi = a1; s.Gprs.Rdx = a2;
        d.Dispatch(ref s);
        Assert.Equal(0x1003UL, s.Rip);
        return (long)s.Gprs.Rax;
    }

    [Fact]
    public void CpuidXenLeaves()
    {
        var d = NewDispatcher(out _);
        var s = Exit(ExitReason.Cpuid, 2);
        s.Gprs.Rax = 0x40000000;
        Assert.Equal(ExitAction.Resume, d.Dispatch(ref s));
        var sig = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(sig, (uint)s.Gprs.Rbx);
        BinaryPrimitives.WriteUInt32LittleEndian(sig.AsSpan(4), (uint)s.Gprs.Rcx);
        BinaryPrimitives.WriteUInt32LittleEndian(sig.AsSpan(8), (uint)s.Gprs.Rdx);
        Assert.Equal("XenVMMXenVMM", Encoding.ASCII.GetString(sig));
        Assert.Equal(0x40000002UL, s.Gprs.Rax);
        s = Exit(ExitReason.Cpuid, 2); s.Gprs.Rax = 0x40000001;
        d.Dispatch(ref s);
        Assert.Equal((4UL << 16) | 17, s.Gprs.Rax);
        s = Exit(ExitReason.Cpuid, 2); s.Gprs.Rax = 0x40000002;
        d.Dispatch(ref s);
        Assert.Equal(1UL, s.Gprs.Rax);
        Assert.Equal(0x40000000UL, s.Gprs.Rbx);
        s = Exit(ExitReason.Cpuid, 2); s.Gprs.Rax = 1;
        d.Dispatch(ref s);
        Assert.Equal(0u, (uint)s.Gprs.Rcx & (1u << 5));            // VMX hidden
        Assert.NotEqual(0u, (uint)s.Gprs.Rcx & (1u << 31));        // hypervisor bit
    }

    [Fact]
    public void HypercallPageInstalledThroughTheMsr()
    {
        var d = NewDispatcher(out _);
        var s = Exit(ExitReason.MsrWrite, 2);
        s.Exit.Msr = ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension>.HypercallMsr;
        s.Gprs.Rax = 0x3000;
        d.Dispatch(ref s);
        Assert.Equal(-1, s.PendingVector);
        Assert.Equal(0x3000UL, d.HypercallPageAddress);
        Assert.Equal(0xB8, d.Memory.Ram[0x3000]);
        s = Exit(ExitReason.MsrWrite, 2);
        s.Exit.Msr = ExitDispatcher<ArrayMemory, TextConsole, FixedCpu, NoExtension>.HypercallMsr;
        s.Gprs.Rax = 0x20000;                                      // outside RAM
        d.Dispatch(ref s);
        Assert.Equal(13, s.PendingVector);                         // #GP(0)
        Assert.Equal(0x1000UL, s.Rip);                             // not advanced: the fault is on the WRMSR
    }

    [Fact]
    public void ConsoleIoWritesAndRejectsBadArguments()
    {
        var d = NewDispatcher(out var console);
        Encoding.ASCII.GetBytes("hello").CopyTo(d.Memory.Ram, 0x500);
        Assert.Equal(5, Hypercall(ref d, 18, 0, 5, 0x500));
        Assert.Equal("hello", console.ToString());
        Assert.Equal(-(long)XenErrno.EFAULT, Hypercall(ref d, 18, 0, 5, RamSize - 2));
        Assert.Equal(-(long)XenErrno.EINVAL, Hypercall(ref d, 18, 0, ulong.MaxValue, 0x500));
        Assert.Equal(-(long)XenErrno.ENOSYS, Hypercall(ref d, 18, 7, 5, 0x500));
    }

    [Property(MaxTest = 300)]
    public Property UnknownHypercallsReturnEnosys(ulong number)
    {
        var d = NewDispatcher(out _);
        if (number is 17 or 18 or 29) return true.ToProperty();
        return (Hypercall(ref d, number) == -(long)XenErrno.ENOSYS && d.Outcome == GuestOutcome.Running).ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property PointersOutsideGuestRamReturnEfault(ulong pointer, ushort count)
    {
        var d = NewDispatcher(out _);
        if (pointer < RamSize || count == 0) return true.ToProperty();
        return (Hypercall(ref d, 18, 0, count, pointer) == -(long)XenErrno.EFAULT
                && Hypercall(ref d, 29, 2, pointer) == -(long)XenErrno.EFAULT
                && Hypercall(ref d, 17, 1, pointer) == -(long)XenErrno.EFAULT
                && d.Outcome == GuestOutcome.Running).ToProperty();
    }

    [Fact]
    public void SchedOpShutdownRecordsTheReason()
    {
        var d = NewDispatcher(out _);
        Assert.Equal(0, Hypercall(ref d, 29, 0));                 // yield
        d.Memory.Ram[0x600] = 3;                                   // SHUTDOWN_crash
        var s = Exit(ExitReason.Hypercall, 3);
        s.Gprs.Rax = 29; s.Gprs.Rdi = 2; s.Gprs.Rsi = 0x600;
        Assert.Equal(ExitAction.Stop, d.Dispatch(ref s));
        Assert.Equal(GuestOutcome.Shutdown, d.Outcome);
        Assert.Equal(ShutdownReason.Crash, d.ShutdownReason);
        var d2 = NewDispatcher(out _);
        d2.Memory.Ram[0x600] = 99;
        Assert.Equal(-(long)XenErrno.EINVAL, Hypercall(ref d2, 29, 2, 0x600));
    }

    [Fact]
    public void ThirtyTwoBitConventionAndCplCheck()
    {
        var d = NewDispatcher(out _);
        var s = Exit(ExitReason.Hypercall, 3, GuestMode.Protected32);
        s.Gprs.Rax = 17; s.Gprs.Rbx = 7;                           // XENVER_pagesize in ebx
        d.Dispatch(ref s);
        Assert.Equal(4096UL, s.Gprs.Rax);
        s = Exit(ExitReason.Hypercall, 3);
        s.Cpl = 3; s.Gprs.Rax = 17;
        d.Dispatch(ref s);
        Assert.Equal(-(long)XenErrno.EPERM, (long)s.Gprs.Rax);
    }

    [Fact]
    public void UartTransmitAndLineStatus()
    {
        var d = NewDispatcher(out var console);
        var s = Exit(ExitReason.IoPort, 1);
        s.Exit.Port = 0x3FD; s.Exit.In = true; s.Exit.AccessSize = 1;
        s.Gprs.Rax = 0xAB00;
        d.Dispatch(ref s);
        Assert.Equal(0xAB60UL, s.Gprs.Rax);                         // LSR: THRE | TEMT; upper bits of RAX kept
        s = Exit(ExitReason.IoPort, 1);
        s.Exit.Port = 0x3F8; s.Exit.AccessSize = 1; s.Gprs.Rax = 'x';
        d.Dispatch(ref s);
        Assert.Equal("x", console.ToString());
        s = Exit(ExitReason.IoPort, 2);
        s.Exit.Port = 0x80; s.Exit.In = true; s.Exit.AccessSize = 2; s.Gprs.Rax = 0;
        d.Dispatch(ref s);
        Assert.Equal(0xFFFFUL, s.Gprs.Rax);                         // unclaimed ports float high
    }

    [Fact]
    public void UnknownLengthStopsTheGuestInsteadOfGuessing()
    {
        var d = NewDispatcher(out _);
        var s = Exit(ExitReason.Cpuid, 0);
        Assert.Equal(ExitAction.Stop, d.Dispatch(ref s));
        Assert.Equal(GuestFault.UndecodableInstruction, d.Fault);
    }
}
