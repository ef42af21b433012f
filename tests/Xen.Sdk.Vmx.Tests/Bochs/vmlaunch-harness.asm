; VMLAUNCH differential harness for Bochs (independent of the reference kernel).
; Sector 0: boot sector; sectors 1-32: this stage 2 (loaded at 8000H); sectors 33+: the mutant module
; (Xen.Sdk.Vmx.Differential.MutantList format, loaded at 20000H, up to 128 KiB).
; Stage 2 enters long mode (identity map of the first 16 MiB with 2 MiB pages), executes VMXON, then for each
; mutant: VMCLEAR + VMPTRLD, VMWRITE of every base-image field (unsupported ones fail and are ignored),
; the mutant's edits, VMLAUNCH; it prints one result line per mutant on port E9H:
;   VMXM <id> ok <reason> | failinvalid | failvalid <error> | entryfail <reason> <qual> | skip 1
; and "VMXDONE" at the end, then writes "Shutdown" to port 8900H.
; Fixed addresses the host side's VMCS layout uses (HarnessLayout in BochsDifferentialTests.cs):
;   PML4 1000H, GDT 4000H (08H 64-bit code, 10H data, 18H TSS at 4100H), host exit entry 8008H,
;   host stack top 9F000H, guest code 12000H (HLT loop), guest stack 9E000H, VMXON 10000H, VMCS 11000H.
; The dword at 8004H is the index of the first mutant to run (patched by the host to resume after a crash).

bits 16
org 0x7C00
boot:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    mov [drive], dl
    ; stage 2: 32 sectors from LBA 1 to 0000:8000
    mov si, dap_stage2
    mov ah, 0x42
    int 0x13
    jc .fail
    ; module: 4 x 64 sectors from LBA 33 to 2000:0000, 2800:0000, 3000:0000, 3800:0000
    mov cx, 4
.mod:
    push cx
    mov si, dap_module
    mov dl, [drive]
    mov ah, 0x42
    int 0x13
    pop cx
    jc .fail
    add word [dap_module + 6], 0x800
    add dword [dap_module + 8], 64
    loop .mod
    jmp 0x0000:0x8000
.fail:
    mov al, 'F'
    out 0xE9, al
    cli
    hlt
drive: db 0x80
align 4
dap_stage2: db 16, 0
    dw 32
    dw 0x8000, 0x0000
    dq 1
dap_module: db 16, 0
    dw 64
    dw 0x0000, 0x2000
    dq 33
times 510-($-$$) db 0
dw 0xAA55

; ---------------------------------------------------------------- stage 2 at 8000H
section stage2 vstart=0x8000
bits 16
stage2:
    jmp short real_start
    nop
    nop
first_index: dd 0                 ; 8004H
bits 64
exit_entry:                       ; 8008H: host RIP
    jmp vm_exit
bits 16
real_start:
    cli
    ; page tables: PML4[0] -> PDPT 2000H, PDPT[0] -> PD 3000H, PD = 512 x 2 MiB
    xor ax, ax
    mov es, ax
    mov di, 0x1000
    mov cx, 0x1800
    xor ax, ax
    rep stosw                     ; clear 1000H-3FFFH
    mov dword [0x1000], 0x2003
    mov dword [0x2000], 0x3003
    mov di, 0x3000
    mov eax, 0x83                 ; present, writable, 2 MiB
    xor edx, edx
    mov cx, 8                     ; 16 MiB: a runaway guest faults quickly
.pd:
    mov [di], eax
    mov [di + 4], edx
    add eax, 0x200000
    add di, 8
    loop .pd
    ; GDT at 4000H: null, 64-bit code, data, 64-bit TSS (base 4100H, limit 67H)
    mov di, 0x4000
    mov cx, 20
    xor ax, ax
    rep stosw
    mov dword [0x4008], 0x0000FFFF
    mov dword [0x400C], 0x00AF9B00
    mov dword [0x4010], 0x0000FFFF
    mov dword [0x4014], 0x00CF9300
    mov dword [0x4018], 0x41000067
    mov dword [0x401C], 0x00008900   ; available 64-bit TSS (LTR marks it busy)
    lgdt [gdtr]
    mov eax, 0x2020               ; CR4: PAE | VMXE
    mov cr4, eax
    mov eax, 0x1000
    mov cr3, eax
    mov ecx, 0xC0000080
    rdmsr
    or eax, 0x100                 ; EFER.LME
    wrmsr
    mov eax, 0x80010031           ; CR0: PG | WP | NE | ET | PE
    mov cr0, eax
    jmp 0x08:long_mode
gdtr: dw 0x27                     ; 5 slots: the 64-bit TSS descriptor takes two
    dd 0x4000

bits 64
long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov rsp, 0x9F000
    mov ax, 0x18
    ltr ax
    ; guest code: HLT; JMP back
    mov dword [0x12000], 0xFDEBF4F4
    ; VMXON with the revision identifier from IA32_VMX_BASIC
    mov ecx, 0x480
    rdmsr
    and eax, 0x7FFFFFFF
    mov [revision], eax
    mov [0x10000], eax
    vmxon [vmxon_ptr]
    jbe fatal
    ; module header
    mov rsi, 0x20000
    cmp dword [rsi], 0x4D584D56
    jne fatal
    mov eax, [rsi + 8]
    mov [count], rax
    mov eax, [rsi + 12]
    add rax, rsi
    mov [base_image], rax
    mov eax, [rsi + 20]
    add rax, rsi
    mov [cursor], rax
    mov qword [index], 0

next_mutant:
    mov rax, [index]
    cmp rax, [count]
    jae all_done
    mov rsi, [cursor]
    movzx ecx, byte [rsi + 5]
    shl ecx, 4
    add ecx, 20
    add rcx, rsi
    mov [next_cursor], rcx
    mov eax, [rsi]
    mov [current_id], rax
    mov eax, [first_index]
    cmp [index], rax
    jb advance                    ; skipped (already done in an earlier boot)
    ; fresh VMCS
    mov eax, [revision]
    mov [0x11000], eax
    vmclear [vmcs_ptr]
    jbe fatal
    vmptrld [vmcs_ptr]
    jbe fatal
    ; base image: header 16 bytes, then records (u32 encoding, u32 0, u64 value)
    mov rsi, [base_image]
    mov ecx, [rsi + 12]
    add rsi, 16
.base:
    test ecx, ecx
    jz .edits
    mov eax, [rsi]
    mov rdx, [rsi + 8]
    vmwrite rax, rdx              ; unsupported fields fail: ignored
    add rsi, 16
    dec ecx
    jmp .base
.edits:
    mov rsi, [cursor]
    movzx ecx, byte [rsi + 5]
    add rsi, 20
.edit:
    test ecx, ecx
    jz launch
    mov eax, [rsi]
    mov rdx, [rsi + 8]
    movzx ebx, byte [rsi + 4]
    test ebx, ebx
    jz .write
    vmread rdi, rax
    jbe edit_failed
    cmp ebx, 1
    jne .and
    or rdx, rdi
    jmp .write
.and:
    cmp ebx, 2
    jne .xor
    and rdx, rdi
    jmp .write
.xor:
    xor rdx, rdi
.write:
    vmwrite rax, rdx
    jbe edit_failed
    add rsi, 16
    dec ecx
    jmp .edit

launch:
    vmlaunch
    ; only reached when VMLAUNCH failed as an instruction
    jc .invalid
    mov eax, 0x4400
    vmread rbx, rax
    mov rsi, msg_failvalid
    call print_head
    mov rax, rbx
    call print_dec
    jmp line_end
.invalid:
    mov rsi, msg_failinvalid
    call print_head
    jmp line_end

edit_failed:
    mov rsi, msg_skip1
    call print_head
    jmp line_end

vm_exit:                          ; VM exit loaded host CS/SS/DS/ES/FS/GS/TR, RSP and CR3 from the VMCS
    mov eax, 0x4402
    vmread rbx, rax
    bt ebx, 31
    jc .entryfail
    mov rsi, msg_ok
    call print_head
    movzx rax, bx
    call print_dec
    jmp line_end
.entryfail:
    mov rsi, msg_entryfail
    call print_head
    movzx rax, bx
    call print_dec
    mov al, ' '
    out 0xE9, al
    mov eax, 0x6400
    vmread rax, rax
    call print_dec
line_end:
    mov al, 10
    out 0xE9, al
advance:
    mov rax, [next_cursor]
    mov [cursor], rax
    inc qword [index]
    jmp next_mutant

all_done:
    mov rsi, msg_done
    call print_str
shutdown:
    mov dx, 0x8900
    mov rsi, msg_shutdown
.s: lodsb
    test al, al
    jz .h
    out dx, al
    jmp .s
.h: cli
    hlt
    jmp .h
fatal:
    mov rsi, msg_fatal
    call print_str
    jmp shutdown

; "VMXM <id> " then the word at RSI
print_head:
    push rsi
    mov rsi, msg_vmxm
    call print_str
    mov rax, [current_id]
    call print_dec
    mov al, ' '
    out 0xE9, al
    pop rsi
print_str:
    lodsb
    test al, al
    jz .r
    out 0xE9, al
    jmp print_str
.r: ret

print_dec:                        ; RAX unsigned
    mov rcx, 10
    xor r8, r8
.d: xor edx, edx
    div rcx
    add dl, '0'
    push rdx
    inc r8
    test rax, rax
    jnz .d
.o: pop rax
    out 0xE9, al
    dec r8
    jnz .o
    ret

align 8
vmxon_ptr: dq 0x10000
vmcs_ptr: dq 0x11000
revision: dq 0
count: dq 0
index: dq 0
cursor: dq 0
next_cursor: dq 0
base_image: dq 0
current_id: dq 0
msg_vmxm: db "VMXM ", 0
msg_ok: db "ok ", 0
msg_failvalid: db "failvalid ", 0
msg_failinvalid: db "failinvalid", 0
msg_entryfail: db "entryfail ", 0
msg_skip1: db "skip 1", 0
msg_done: db "VMXDONE", 10, 0
msg_fatal: db "VMXFATAL", 10, 0
msg_shutdown: db "Shutdown", 0
times 32*512-($-$$) db 0
