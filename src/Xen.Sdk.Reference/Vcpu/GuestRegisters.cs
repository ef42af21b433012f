using System.Runtime.InteropServices;

namespace Xen.Sdk.Reference;

/// <summary>The guest's general-purpose registers, in x86 encoding order (rax=0 ... r15=15). The boot stub's
/// world-switch code saves and restores them at these offsets (8 bytes each); RSP and RAX are also kept by the
/// hardware (VMCB/VMCS) and synchronised by the backend.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GuestRegisters
{
    /// <summary>RAX.</summary>
    public ulong Rax;
    /// <summary>RCX.</summary>
    public ulong Rcx;
    /// <summary>RDX.</summary>
    public ulong Rdx;
    /// <summary>RBX.</summary>
    public ulong Rbx;
    /// <summary>RSP.</summary>
    public ulong Rsp;
    /// <summary>RBP.</summary>
    public ulong Rbp;
    /// <summary>RSI.</summary>
    public ulong Rsi;
    /// <summary>RDI.</summary>
    public ulong Rdi;
    /// <summary>R8.</summary>
    public ulong R8;
    /// <summary>R9.</summary>
    public ulong R9;
    /// <summary>R10.</summary>
    public ulong R10;
    /// <summary>R11.</summary>
    public ulong R11;
    /// <summary>R12.</summary>
    public ulong R12;
    /// <summary>R13.</summary>
    public ulong R13;
    /// <summary>R14.</summary>
    public ulong R14;
    /// <summary>R15.</summary>
    public ulong R15;

    /// <summary>Register by encoding number (0-15); other values read as zero.</summary>
    public readonly ulong Get(int index) => index switch
    {
        0 => Rax, 1 => Rcx, 2 => Rdx, 3 => Rbx, 4 => Rsp, 5 => Rbp, 6 => Rsi, 7 => Rdi,
        8 => R8, 9 => R9, 10 => R10, 11 => R11, 12 => R12, 13 => R13, 14 => R14, 15 => R15, _ => 0,
    };

    /// <summary>Sets a register by encoding number (0-15); other values are ignored.</summary>
    public void Set(int index, ulong value)
    {
        switch (index)
        {
            case 0: Rax = value; break; case 1: Rcx = value; break; case 2: Rdx = value; break; case 3: Rbx = value; break;
            case 4: Rsp = value; break; case 5: Rbp = value; break; case 6: Rsi = value; break; case 7: Rdi = value; break;
            case 8: R8 = value; break; case 9: R9 = value; break; case 10: R10 = value; break; case 11: R11 = value; break;
            case 12: R12 = value; break; case 13: R13 = value; break; case 14: R14 = value; break; case 15: R15 = value; break;
        }
    }
}
