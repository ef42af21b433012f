using System.Runtime;
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>Native helpers written in the boot stub (Boot/boot.asm), called directly (SysV ABI).</summary>
    internal static unsafe class Native
    {
        [RuntimeImport("*", "xensdk_outb")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void OutB(uint port, uint value);
        [RuntimeImport("*", "xensdk_inb")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte InB(uint port);
        [RuntimeImport("*", "xensdk_outw")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void OutW(uint port, uint value);
        [RuntimeImport("*", "xensdk_inw")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ushort InW(uint port);
        [RuntimeImport("*", "xensdk_outd")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void OutD(uint port, uint value);
        [RuntimeImport("*", "xensdk_ind")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern uint InD(uint port);
        [RuntimeImport("*", "xensdk_rdtsc")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong Rdtsc();
        [RuntimeImport("*", "xensdk_rdmsr")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong RdMsr(uint msr);
        [RuntimeImport("*", "xensdk_wrmsr")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void WrMsr(uint msr, ulong value);
        [RuntimeImport("*", "xensdk_cpuid")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void CpuId(uint leaf, uint subleaf, uint* out4);
        [RuntimeImport("*", "xensdk_hlt")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Hlt();
        [RuntimeImport("*", "xensdk_cli")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Cli();
        [RuntimeImport("*", "xensdk_sti")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Sti();
        [RuntimeImport("*", "xensdk_read_cr0")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadCr0();
        [RuntimeImport("*", "xensdk_read_cr2")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadCr2();
        [RuntimeImport("*", "xensdk_read_cr3")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadCr3();
        [RuntimeImport("*", "xensdk_read_cr4")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadCr4();
        [RuntimeImport("*", "xensdk_write_cr0")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void WriteCr0(ulong value);
        [RuntimeImport("*", "xensdk_write_cr3")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void WriteCr3(ulong value);
        [RuntimeImport("*", "xensdk_write_cr4")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void WriteCr4(ulong value);
        [RuntimeImport("*", "xensdk_boot_tsc")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong BootTsc();
        [RuntimeImport("*", "xensdk_boot_magic")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern uint BootMagic();
        [RuntimeImport("*", "xensdk_boot_info")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern uint BootInfo();
        [RuntimeImport("*", "xensdk_modules_start")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern nint* ModulesStart();
        [RuntimeImport("*", "xensdk_modules_end")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern nint* ModulesEnd();
        [RuntimeImport("*", "xensdk_image_start")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ImageStart();
        [RuntimeImport("*", "xensdk_svm_run")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void SvmRun(ulong vmcb, Xen.Sdk.Reference.GuestRegisters* gprs, ulong hostSave);
        [RuntimeImport("*", "xensdk_irq_window")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void IrqWindow();
        [RuntimeImport("*", "xensdk_lidt")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Lidt(void* pointer);
        [RuntimeImport("*", "xensdk_read_rflags")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadRflags();
        [RuntimeImport("*", "xensdk_read_rsp")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadRsp();
        [RuntimeImport("*", "xensdk_trap_table")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong* TrapTable();
        [RuntimeImport("*", "xensdk_image_end")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ImageEnd();
        [RuntimeImport("*", "xensdk_vmxon")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte VmxOn(ulong region);
        [RuntimeImport("*", "xensdk_vmclear")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte VmClear(ulong vmcs);
        [RuntimeImport("*", "xensdk_vmptrld")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte VmPtrLd(ulong vmcs);
        [RuntimeImport("*", "xensdk_vmread")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte VmRead(ulong encoding, ulong* value);
        [RuntimeImport("*", "xensdk_vmwrite")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte VmWrite(ulong encoding, ulong value);
        [RuntimeImport("*", "xensdk_invept_all")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte InveptAll();
        [RuntimeImport("*", "xensdk_invept")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte Invept(ulong type, ulong eptp);
        [RuntimeImport("*", "xensdk_invvpid")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte Invvpid(ulong type, ulong vpid, ulong linear);
        [RuntimeImport("*", "xensdk_vmx_run")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte VmxRun(Xen.Sdk.Reference.GuestRegisters* gprs, int launched, Xen.Sdk.Reference.Vmx.VmxExitFields* fields);
        [RuntimeImport("*", "xensdk_read_gdtr_base")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadGdtrBase();
        [RuntimeImport("*", "xensdk_read_idtr_base")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadIdtrBase();
    }
}
