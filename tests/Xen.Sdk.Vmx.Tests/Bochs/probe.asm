; Boot sector that prints the VMX capability MSRs (480H..493H, 3AH) and CPUID leaves on COM1, then ends the emulator
; (tests/Shared/BootSector/com1.inc, shared with Xen.Sdk.Paging's pagingprobe.asm). Used by BochsModelTests (and to
; derive VmxCapabilityModels). Output lines: "M<msr> <edx:eax>" or "M<msr> G" when RDMSR raised #GP;
; "C<leaf> <eax> <ebx> <ecx> <edx>"; "E".
org 0x7c00
bits 16
start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    mov word [13*4], gp_handler
    mov word [13*4+2], 0
    mov word [6*4], gp_handler
    mov word [6*4+2], 0
    call com1_init
    mov si, msrs
next_msr:
    o32 lodsd
    cmp eax, 0xFFFFFFFF
    je do_cpuid
    push eax
    mov ecx, eax
    mov al, 'M'
    call putc
    mov eax, ecx
    call puthex
    mov al, ' '
    call putc
    mov byte [faulted], 0
    pop ecx
    rdmsr
after_rdmsr:
    cmp byte [faulted], 0
    jne .gp
    push eax
    mov eax, edx
    call puthex
    pop eax
    call puthex
    jmp .nl
.gp:
    mov al, 'G'
    call putc
.nl:
    mov al, 10
    call putc
    jmp next_msr
do_cpuid:
    mov si, leaves
.next:
    o32 lodsd
    cmp eax, 0xFFFFFFFF
    je done
    push si
    mov ebx, eax
    mov al, 'C'
    call putc
    mov eax, ebx
    call puthex
    mov al, ' '
    call putc
    mov eax, ebx
    xor ecx, ecx
    cpuid
    push edx
    push ecx
    push ebx
    call puthex
    mov al, ' '
    call putc
    pop eax
    call puthex
    mov al, ' '
    call putc
    pop eax
    call puthex
    mov al, ' '
    call putc
    pop eax
    call puthex
    mov al, 10
    call putc
    pop si
    jmp .next
done:
    mov al, 'E'
    call putc
    mov al, 10
    call putc
    jmp end_run

gp_handler:
    add sp, 6
    mov byte [faulted], 1
    jmp after_rdmsr

%include "com1.inc"

faulted: db 0
msrs: dd 0x3A, 0x480, 0x481, 0x482, 0x483, 0x484, 0x485, 0x486, 0x487, 0x488, 0x489, 0x48A, 0x48B, 0x48C, 0x48D, 0x48E, 0x48F, 0x490, 0x491, 0x492, 0x493, 0xFFFFFFFF
leaves: dd 0, 1, 7, 0xA, 0x80000000, 0x80000001, 0x80000008, 0xFFFFFFFF
times 510-($-$$) db 0
dw 0xAA55
