; svmprobe: a minimal multiboot (v1) harness that executes the differential mutant module with real VMRUNs.
; It is NOT the reference kernel: it runs the host in 32-bit legacy protected mode (no paging), which is
; enough for VMRUN. Boot modules: #0 = the 4 KiB base VMCB (built by the test with VmcbSetup),
; #1 = the mutant module (docs/svm.md). Output on COM1: CPUID lines, SVMMUT-BASE, one SVMMUT line per
; mutant, SVMMUT-END. Exit: QEMU isa-debug-exit (port F4h) and Bochs shutdown port (8900h).
; Memory: VMCB 400000h, host save area 401000h, guest code 500000h (filled with UD2), guest CR3 page 520000h.

bits 32

MB_MAGIC  equ 0x1BADB002
MB_FLAGS  equ 0x00000003
VMCB      equ 0x400000
HSAVE     equ 0x401000
GUEST     equ 0x500000
GCR3      equ 0x520000
COM1      equ 0x3F8

section .multiboot
align 4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .bss
align 16
stack:      resb 16384
stack_top:
mbi:        resd 1
base:       resd 1
mods:       resd 1
count:      resd 1
index:      resd 1
record:     resd 1
patchleft:  resd 1
patchptr:   resd 1
onbochs:    resd 1

section .rodata
s_base:     db "SVMMUT-BASE ", 0
s_id:       db "SVMMUT id=", 0
s_exit:     db " exit=", 0
s_info1:    db " info1=", 0
s_info2:    db " info2=", 0
s_intinfo:  db " intinfo=", 0
s_end:      db "SVMMUT-END", 10, 0
s_begin:    db "SVMMUT-BEGIN", 10, 0
s_nomod:    db "SVMMUT-ERROR modules", 10, 0
s_cpuid:    db "SVMCPUID ", 0
s_sp:       db " ", 0
s_nl:       db 10, 0
s_skipped:  db " skipped", 10, 0
shutdown:   db "Shutdown", 0

section .text
global _start
_start:
    mov esp, stack_top
    mov [mbi], ebx
    cld

    ; COM1: 115200 8N1, FIFO on (Bochs keeps the power-on 5-bit word length otherwise)
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al
    mov dx, COM1
    mov al, 1
    out dx, al
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x03
    out dx, al
    mov dx, COM1 + 2
    mov al, 0xC7
    out dx, al

    ; CPUID facts for the capability snapshot: leaves 1, 7, 80000001, 80000008, 8000000A
    mov eax, 1
    call print_cpuid
    mov eax, 7
    call print_cpuid
    mov eax, 0x80000001
    call print_cpuid
    mov eax, 0x80000008
    call print_cpuid
    mov eax, 0x8000000A
    call print_cpuid

    ; runner = Bochs when the multiboot command line contains "bochs" (records flagged 1 are skipped there)
    mov dword [onbochs], 0
    mov ebx, [mbi]
    test dword [ebx], 1 << 2
    jz .nocmd
    mov esi, [ebx + 16]
.scan: mov al, [esi]
    test al, al
    jz .nocmd
    cmp dword [esi], 'boch'
    jne .adv
    cmp byte [esi + 4], 's'
    jne .adv
    mov dword [onbochs], 1
    jmp .nocmd
.adv: inc esi
    jmp .scan
.nocmd:
    mov ebx, [mbi]
    test dword [ebx], 1 << 3
    jz .nomods
    cmp dword [ebx + 20], 2
    jb .nomods
    mov esi, [ebx + 24]
    mov eax, [esi]
    mov [base], eax
    mov eax, [esi + 16]
    mov [mods], eax
    mov eax, [eax + 12]
    mov [count], eax

    ; EFER.SVME = 1, VM_HSAVE_PA = HSAVE
    mov ecx, 0xC0000080
    rdmsr
    or eax, 1 << 12
    wrmsr
    mov ecx, 0xC0010117
    mov eax, HSAVE
    xor edx, edx
    wrmsr

    ; guest code page: UD2 everywhere (0F 0B); guest CR3 page: zeroes (not-present PDPTEs/PDEs)
    mov edi, GUEST
    mov ecx, 1024
    mov eax, 0x0B0F0B0F
    rep stosd
    mov edi, GCR3
    mov ecx, 1024
    xor eax, eax
    rep stosd

    mov esi, s_begin
    call puts
    ; SVMMUT-BASE line
    mov esi, s_base
    call puts
    mov esi, [base]
    mov ecx, 4096
.bl: lodsb
    call hex8
    loop .bl
    mov esi, s_nl
    call puts

    mov dword [index], 0
.next:
    mov eax, [index]
    cmp eax, [count]
    jae .done
    ; copy the base VMCB
    mov esi, [base]
    mov edi, VMCB
    mov ecx, 1024
    rep movsd
    ; record = mods + 32 + index * 72
    mov eax, [index]
    imul eax, eax, 72
    add eax, [mods]
    add eax, 32
    mov [record], eax
    test byte [eax + 5], 1
    jz .noskip
    cmp dword [onbochs], 0
    je .noskip
    mov esi, s_id
    call puts
    mov eax, [record]
    mov eax, [eax]
    call hex32
    mov esi, s_skipped
    call puts
    inc dword [index]
    jmp .next
.noskip:
    mov eax, [record]
    movzx ecx, byte [eax + 4]
    mov [patchleft], ecx
    lea ebx, [eax + 8]
    mov [patchptr], ebx
.patch:
    cmp dword [patchleft], 0
    je .run
    mov ebx, [patchptr]
    movzx edi, word [ebx]
    add edi, VMCB
    ; old value -> edx:eax
    xor eax, eax
    xor edx, edx
    movzx ecx, byte [ebx + 2]
    cmp ecx, 1
    je .r1
    cmp ecx, 2
    je .r2
    cmp ecx, 4
    je .r4
    mov eax, [edi]
    mov edx, [edi + 4]
    jmp .op
.r1: movzx eax, byte [edi]
    jmp .op
.r2: movzx eax, word [edi]
    jmp .op
.r4: mov eax, [edi]
.op:
    movzx ecx, byte [ebx + 3]
    cmp ecx, 0
    je .set
    cmp ecx, 1
    je .or
    cmp ecx, 2
    je .andnot
    xor eax, [ebx + 8]
    xor edx, [ebx + 12]
    jmp .store
.set: mov eax, [ebx + 8]
    mov edx, [ebx + 12]
    jmp .store
.or: or eax, [ebx + 8]
    or edx, [ebx + 12]
    jmp .store
.andnot:
    mov ecx, [ebx + 8]
    not ecx
    and eax, ecx
    mov ecx, [ebx + 12]
    not ecx
    and edx, ecx
.store:
    movzx ecx, byte [ebx + 2]
    cmp ecx, 1
    je .w1
    cmp ecx, 2
    je .w2
    cmp ecx, 4
    je .w4
    mov [edi], eax
    mov [edi + 4], edx
    jmp .pdone
.w1: mov [edi], al
    jmp .pdone
.w2: mov [edi], ax
    jmp .pdone
.w4: mov [edi], eax
.pdone:
    add dword [patchptr], 16
    dec dword [patchleft]
    jmp .patch
.run:
    mov eax, VMCB
    vmrun
    ; back in the host (VMRUN restored EAX, ESP, EIP; other registers may hold guest values)
    mov esi, s_id
    call puts
    mov eax, [record]
    mov eax, [eax]
    call hex32
    mov esi, s_exit
    call puts
    mov ebx, VMCB + 0x70
    call hex64m
    mov esi, s_info1
    call puts
    mov ebx, VMCB + 0x78
    call hex64m
    mov esi, s_info2
    call puts
    mov ebx, VMCB + 0x80
    call hex64m
    mov esi, s_intinfo
    call puts
    mov ebx, VMCB + 0x88
    call hex64m
    mov esi, s_nl
    call puts
    inc dword [index]
    jmp .next
.nomods:
    mov esi, s_nomod
    call puts
.done:
    mov esi, s_end
    call puts
    ; drain the UART (LSR bit 6: transmitter empty), then exit QEMU, then Bochs
    mov dx, COM1 + 5
.drain: in al, dx
    test al, 0x40
    jz .drain
    mov dx, 0xF4
    xor al, al
    out dx, al
    mov dx, 0x8900
    mov esi, shutdown
.sd: lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .sd
.halt:
    cli
    hlt
    jmp .halt

; print_cpuid: EAX = leaf (subleaf 0). Prints "SVMCPUID leaf eax ebx ecx edx".
print_cpuid:
    push eax
    mov esi, s_cpuid
    call puts
    pop eax
    push eax
    call hex32
    pop eax
    xor ecx, ecx
    cpuid
    push edx
    push ecx
    push ebx
    push eax
    mov edi, 4
.pc: mov esi, s_sp
    call puts
    pop eax
    call hex32
    dec edi
    jnz .pc
    mov esi, s_nl
    call puts
    ret

; hex64m: prints the qword at [EBX] as 16 hex digits
hex64m:
    mov eax, [ebx + 4]
    call hex32
    mov eax, [ebx]
    call hex32
    ret

; hex32: EAX as 8 hex digits
hex32:
    push ecx
    mov ecx, 8
.h: rol eax, 4
    push eax
    and al, 0x0F
    call nibble
    pop eax
    loop .h
    pop ecx
    ret

; hex8: AL as 2 hex digits
hex8:
    push eax
    shr al, 4
    call nibble
    pop eax
    push eax
    and al, 0x0F
    call nibble
    pop eax
    ret

nibble:
    cmp al, 10
    jb .d
    add al, 'A' - 10
    jmp putc
.d: add al, '0'
    ; fall through
putc:
    push edx
    push eax
    mov dx, COM1 + 5
.w: in al, dx
    test al, 0x20
    jz .w
    pop eax
    mov dx, COM1
    out dx, al
    pop edx
    ret

puts:
    push eax
.l: lodsb
    test al, al
    jz .e
    call putc
    jmp .l
.e: pop eax
    ret
