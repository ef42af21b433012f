using System.Runtime;
using Internal.Runtime;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>The register frame the boot stub's trap entry pushes (see boot.asm, trap_common).</summary>
    internal struct TrapFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rdi, Rsi, Rbp, Rbx, Rdx, Rcx, Rax;
        public ulong Vector, ErrorCode, Rip, Cs, Rflags, Rsp, Ss;
    }

    /// <summary>The host IDT: exceptions 0-31 print a diagnosis and stop the machine with a failure status instead of
    /// triple-faulting; vector 32 is the PIT tick (8259 remapped to 32-47), used as the guest watchdog.</summary>
    internal static unsafe class Traps
    {
        public static ulong Ticks;
        /// <summary>The exception's name. A switch over string literals (frozen in the image), not a static array:
        /// a <c>string[]</c> static would be allocated by Traps' class constructor, which runs at the first access to
        /// <see cref="Ticks"/> — in the first guest's setup, the one allocation after boot the kernel used to report.</summary>
        private static string Name(ulong vector) => vector switch
        {
            0 => "#DE divide error", 1 => "#DB debug", 2 => "NMI", 3 => "#BP breakpoint", 4 => "#OF overflow", 5 => "#BR bound",
            6 => "#UD invalid opcode", 7 => "#NM device not available", 8 => "#DF double fault", 9 => "coprocessor overrun",
            10 => "#TS invalid TSS", 11 => "#NP segment not present", 12 => "#SS stack fault", 13 => "#GP general protection",
            14 => "#PF page fault", 16 => "#MF x87", 17 => "#AC alignment", 18 => "#MC machine check", 19 => "#XM SIMD",
            20 => "#VE virtualization", 21 => "#CP control protection",
            _ => "reserved",
        };

        public static void Initialize()
        {
            byte* idt = (byte*)KernelHeap.Allocate(48 * 16);
            ulong* stubs = Native.TrapTable();
            for (int v = 0; v < 48; v++)
            {
                ulong handler = stubs[v];
                byte* e = idt + v * 16;
                *(ushort*)e = (ushort)handler;
                *(ushort*)(e + 2) = 0x08;
                e[4] = 0;
                e[5] = 0x8E;                            // present, DPL 0, 64-bit interrupt gate
                *(ushort*)(e + 6) = (ushort)(handler >> 16);
                *(uint*)(e + 8) = (uint)(handler >> 32);
                *(uint*)(e + 12) = 0;
            }
            byte* pointer = (byte*)KernelHeap.Allocate(16);
            *(ushort*)pointer = 48 * 16 - 1;
            *(ulong*)(pointer + 2) = (ulong)idt;
            Native.Lidt(pointer);
        }

        /// <summary>Remaps the 8259 PICs to 32-47, unmasks only IRQ0, and starts PIT channel 0 at 100 Hz.</summary>
        public static void StartTimer()
        {
            Native.OutB(0x20, 0x11); Native.OutB(0xA0, 0x11);
            Native.OutB(0x21, 32); Native.OutB(0xA1, 40);
            Native.OutB(0x21, 4); Native.OutB(0xA1, 2);
            Native.OutB(0x21, 1); Native.OutB(0xA1, 1);
            Native.OutB(0x21, 0xFE); Native.OutB(0xA1, 0xFF);
            const uint divisor = 11932;                  // 1193182 Hz / 100
            Native.OutB(0x43, 0x34);
            Native.OutB(0x40, divisor & 0xFF);
            Native.OutB(0x40, divisor >> 8);
        }

        [RuntimeExport("XenSdkTrap")]
        private static void Trap(TrapFrame* f)
        {
            if (f->Vector >= 32)
            {
                if (f->Vector == 32) Ticks++;
                if (f->Vector >= 40) Native.OutB(0xA0, 0x20);
                Native.OutB(0x20, 0x20);
                return;
            }
            Serial.Write("XENSDK TRAP vector=");
            Serial.WriteDec(f->Vector);
            Serial.Write(" name=\"");
            Serial.Write(Name(f->Vector));
            Serial.Write("\" error=0x"); Serial.WriteHex(f->ErrorCode, 4);
            Serial.Write(" rip=0x"); Serial.WriteHex(f->Rip);
            Serial.Write(" cs=0x"); Serial.WriteHex(f->Cs, 2);
            Serial.Write(" rflags=0x"); Serial.WriteHex(f->Rflags, 8);
            Serial.Write(" rsp=0x"); Serial.WriteHex(f->Rsp);
            Serial.Write(" cr2=0x"); Serial.WriteHex(Native.ReadCr2());
            Serial.Write(" cr3=0x"); Serial.WriteHex(Native.ReadCr3());
            Serial.WriteLine();
            Serial.Write("XENSDK TRAP regs rax=0x"); Serial.WriteHex(f->Rax);
            Serial.Write(" rbx=0x"); Serial.WriteHex(f->Rbx);
            Serial.Write(" rcx=0x"); Serial.WriteHex(f->Rcx);
            Serial.Write(" rdx=0x"); Serial.WriteHex(f->Rdx);
            Serial.Write(" rsi=0x"); Serial.WriteHex(f->Rsi);
            Serial.Write(" rdi=0x"); Serial.WriteHex(f->Rdi);
            Serial.Write(" rbp=0x"); Serial.WriteHex(f->Rbp);
            Serial.Write(" r8=0x"); Serial.WriteHex(f->R8);
            Serial.Write(" r9=0x"); Serial.WriteHex(f->R9);
            Serial.Write(" r10=0x"); Serial.WriteHex(f->R10);
            Serial.Write(" r11=0x"); Serial.WriteHex(f->R11);
            Serial.WriteLine();
            // The faulting instruction's bytes (the host decodes them with Iced when it reads this line).
            Serial.Write("XENSDK TRAP code=");
            if (f->Rip >= 0x1000 && f->Rip < 0x1_0000_0000UL)
            {
                byte* code = (byte*)f->Rip;
                for (int i = 0; i < 16; i++) Serial.WriteHex(code[i], 2);
            }
            Serial.WriteLine();
            Entry.Fail("host exception");
        }
    }
}
