; pagingprobe: a 512-byte boot sector (floppy) that reports the paging-relevant CPUID leaves and VMX MSRs on COM1
; (I/O 3F8h, polled), then ends the emulator: QEMU through isa-debug-exit (port F4h), Bochs through "Shutdown" on
; port 8900h (tests/Shared/BootSector/com1.inc). Written for Xen.Sdk.Paging's CpuModelProbeTests; real mode, 32-bit registers via operand-size prefixes.
;
; Output, one record per line (hex, upper case, fixed width):
;   C<leaf:8> <eax:8> <ebx:8> <ecx:8> <edx:8>   CPUID leaf (subleaf 0); only leaves the CPU reports as present
;   M<msr:8> <edx:8><eax:8>                      RDMSR result, or "M<msr:8> G" when RDMSR raised #GP
;   E                                            end of report
; Leaves: 0, 1, 7 (if max basic >= 7), 80000000h, 80000001h, 80000008h, 8000000Ah (if max extended allows them).
; MSRs (only when CPUID.1:ECX.VMX[5] = 1): IA32_VMX_PROCBASED_CTLS (482h); IA32_VMX_PROCBASED_CTLS2 (48Bh) when its
; allowed-1 bit 63 ("activate secondary controls") is set; IA32_VMX_EPT_VPID_CAP (48Ch) when CTLS2 allows "enable
; EPT" (bit 33) or "enable VPID" (bit 37) (Intel SDM Vol. 3D §A.3.3, §A.10).
org 0x7c00
bits 16
start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x7c00
    mov word [13*4], gp_handler         ; #GP (a RDMSR the CPU refuses) resumes after the RDMSR
    mov word [13*4+2], 0
    call com1_init

    xor eax, eax                        ; basic leaves
    cpuid
    mov [maxbasic], eax
    xor eax, eax
    call leaf
    mov eax, 1
    call leaf
    mov [l1ecx], ecx
    cmp dword [maxbasic], 7
    jb .ext
    mov eax, 7
    call leaf
.ext:
    mov eax, 0x80000000
    call leaf
    mov [maxext], eax
    mov eax, 0x80000001
    cmp [maxext], eax
    jb .msrs
    call leaf
    mov eax, 0x80000008
    cmp [maxext], eax
    jb .msrs
    call leaf
    mov eax, 0x8000000A
    cmp [maxext], eax
    jb .msrs
    call leaf
.msrs:
    test byte [l1ecx], 0x20             ; CPUID.1:ECX.VMX
    jz done
    mov ecx, 0x482
    call msr
    jc done
    test edx, 0x80000000                ; secondary controls may be activated
    jz done
    mov ecx, 0x48B
    call msr
    jc done
    test edx, 0x22                      ; enable EPT (bit 33) or enable VPID (bit 37) allowed
    jz done
    mov ecx, 0x48C
    call msr
done:
    mov al, 'E'
    call putc
    mov al, 10
    call putc
    jmp end_run

; leaf: EAX = leaf; prints "C<leaf> <eax> <ebx> <ecx> <edx>"; returns the CPUID registers.
leaf:
    push eax
    mov al, 'C'
    call putc
    pop eax
    push eax
    call puthex
    pop eax
    xor ecx, ecx
    cpuid
    pushad
    call space_hex                      ; eax
    mov eax, [esp+16]                   ; ebx (pushad order: eax ecx edx ebx esp ebp esi edi, eax at +28)
    call space_hex
    mov eax, [esp+24]                   ; ecx
    call space_hex
    mov eax, [esp+20]                   ; edx
    call space_hex
    mov al, 10
    call putc
    popad
    ret

; msr: ECX = MSR; prints "M<msr> <edx><eax>" or "M<msr> G"; CF = 1 if RDMSR faulted.
msr:
    push ecx
    mov al, 'M'
    call putc
    mov eax, ecx
    call puthex
    mov al, ' '
    call putc
    pop ecx
    mov byte [faulted], 0
    rdmsr
after_rdmsr:
    cmp byte [faulted], 0
    jne .gp
    push eax
    mov eax, edx
    call puthex
    pop eax
    push edx
    call puthex
    mov al, 10
    call putc
    pop edx
    clc
    ret
.gp:
    mov al, 'G'
    call putc
    mov al, 10
    call putc
    stc
    ret

gp_handler:                             ; real-mode #GP: drop IP/CS/FLAGS, resume after the RDMSR
    add sp, 6
    mov byte [faulted], 1
    jmp after_rdmsr

%include "com1.inc"

faulted: db 0
maxbasic: dd 0
maxext: dd 0
l1ecx: dd 0
times 510-($-$$) db 0
dw 0xAA55
