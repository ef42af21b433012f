using System.Runtime.CompilerServices;

namespace Xen.Sdk.Abi.Hypercalls;

/// <summary>
/// One hypercall as a number and up to five raw arguments, independent of the guest's bitness. A guest
/// marshals one into registers (<see cref="HypercallRegisters64"/>, <see cref="HypercallRegisters32"/>);
/// a hypervisor decodes one from the registers of the trapping vCPU. Arguments of 32-bit guests are
/// zero-extended. Allocation- and exception-free.
/// </summary>
public struct HypercallArguments
{
    /// <summary>The hypercall number (<c>__HYPERVISOR_*</c>), passed in rax/eax.</summary>
    public Hypercall Number;

    /// <summary>Argument 1 (rdi / ebx).</summary>
    public ulong Arg1;

    /// <summary>Argument 2 (rsi / ecx).</summary>
    public ulong Arg2;

    /// <summary>Argument 3 (rdx / edx).</summary>
    public ulong Arg3;

    /// <summary>Argument 4 (r10 / esi).</summary>
    public ulong Arg4;

    /// <summary>Argument 5 (r8 / edi).</summary>
    public ulong Arg5;

    /// <summary>The maximum number of arguments of an x86 hypercall.</summary>
    public const int MaxArguments = 5;

    /// <summary>Creates a hypercall with the given arguments (unused ones 0).</summary>
    /// <param name="number">The hypercall.</param>
    /// <param name="arg1">Argument 1.</param>
    /// <param name="arg2">Argument 2.</param>
    /// <param name="arg3">Argument 3.</param>
    /// <param name="arg4">Argument 4.</param>
    /// <param name="arg5">Argument 5.</param>
    public HypercallArguments(Hypercall number, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
    {
        Number = number;
        Arg1 = arg1;
        Arg2 = arg2;
        Arg3 = arg3;
        Arg4 = arg4;
        Arg5 = arg5;
    }

    /// <summary>Argument <paramref name="index"/> (1..5); 0 for any other index.</summary>
    /// <param name="index">The 1-based argument index.</param>
    /// <returns>The argument.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong Get(int index) => index switch
    {
        1 => Arg1,
        2 => Arg2,
        3 => Arg3,
        4 => Arg4,
        5 => Arg5,
        _ => 0,
    };

    /// <summary>
    /// Joins the two 32-bit halves a 32-bit guest passes for one 64-bit value (low half first), as in
    /// <c>update_va_mapping</c>, <c>update_descriptor</c> and <c>set_timer_op</c>.
    /// </summary>
    /// <param name="lowIndex">The 1-based index of the low half; the high half follows it.</param>
    /// <returns>The 64-bit value.</returns>
    public readonly ulong Get64From32(int lowIndex) => (uint)Get(lowIndex) | ((ulong)(uint)Get(lowIndex + 1) << 32);
}

/// <summary>
/// The hypercall registers of a 64-bit guest: number in rax, arguments in rdi, rsi, rdx, r10, r8; the
/// result returns in rax (0 or a value on success, <c>-XEN_E*</c> on failure).
/// </summary>
public struct HypercallRegisters64
{
    /// <summary>rax: the hypercall number in, the result out.</summary>
    public ulong Rax;

    /// <summary>rdi: argument 1.</summary>
    public ulong Rdi;

    /// <summary>rsi: argument 2.</summary>
    public ulong Rsi;

    /// <summary>rdx: argument 3.</summary>
    public ulong Rdx;

    /// <summary>r10: argument 4.</summary>
    public ulong R10;

    /// <summary>r8: argument 5.</summary>
    public ulong R8;

    /// <summary>Marshals a hypercall (guest side).</summary>
    /// <param name="call">The hypercall.</param>
    /// <returns>The registers to load before executing the hypercall page entry.</returns>
    public static HypercallRegisters64 From(in HypercallArguments call) => new()
    {
        Rax = (ulong)(uint)call.Number,
        Rdi = call.Arg1,
        Rsi = call.Arg2,
        Rdx = call.Arg3,
        R10 = call.Arg4,
        R8 = call.Arg5,
    };

    /// <summary>Decodes the hypercall (hypervisor side).</summary>
    /// <returns>The number and arguments.</returns>
    public readonly HypercallArguments ToArguments() => new((Hypercall)(uint)Rax, Rdi, Rsi, Rdx, R10, R8);
}

/// <summary>
/// The hypercall registers of a 32-bit guest: number in eax, arguments in ebx, ecx, edx, esi, edi; the
/// result returns in eax.
/// </summary>
public struct HypercallRegisters32
{
    /// <summary>eax: the hypercall number in, the result out.</summary>
    public uint Eax;

    /// <summary>ebx: argument 1.</summary>
    public uint Ebx;

    /// <summary>ecx: argument 2.</summary>
    public uint Ecx;

    /// <summary>edx: argument 3.</summary>
    public uint Edx;

    /// <summary>esi: argument 4.</summary>
    public uint Esi;

    /// <summary>edi: argument 5.</summary>
    public uint Edi;

    /// <summary>Marshals a hypercall (guest side).</summary>
    /// <param name="call">The hypercall; every argument must fit in 32 bits.</param>
    /// <param name="registers">The registers to load.</param>
    /// <returns><see langword="false"/> when an argument does not fit in 32 bits (nothing is truncated silently).</returns>
    public static bool TryFrom(in HypercallArguments call, out HypercallRegisters32 registers)
    {
        registers = new HypercallRegisters32
        {
            Eax = (uint)call.Number,
            Ebx = unchecked((uint)call.Arg1),
            Ecx = unchecked((uint)call.Arg2),
            Edx = unchecked((uint)call.Arg3),
            Esi = unchecked((uint)call.Arg4),
            Edi = unchecked((uint)call.Arg5),
        };
        return ((call.Arg1 | call.Arg2 | call.Arg3 | call.Arg4 | call.Arg5) >> 32) == 0;
    }

    /// <summary>Decodes the hypercall (hypervisor side); arguments are zero-extended.</summary>
    /// <returns>The number and arguments.</returns>
    public readonly HypercallArguments ToArguments() => new((Hypercall)Eax, Ebx, Ecx, Edx, Esi, Edi);
}
