; Xen.Sdk reference kernel: multiboot (v1) boot stub and native helpers.
; The loader (QEMU -kernel or GRUB) enters in 32-bit protected mode, paging off, EAX = 0x2BADB002, EBX = the
; multiboot information (Multiboot Specification 0.6.96 §3.2). The stub identity-maps the first 4 GiB with 2 MiB
; pages, enables PAE, long mode and SSE, loads a 64-bit GDT and calls the managed entry xensdk_main(magic, info).

MB_MAGIC    equ 0x1BADB002
MB_FLAGS    equ (1 << 0) | (1 << 1) | (1 << 16)   ; page-align modules, memory map, a.out kludge addresses
STACK_SIZE  equ 0x40000

extern __kernel_load_start, __kernel_load_end, __kernel_bss_end
extern xensdk_main
global _start

section .multiboot progbits alloc exec nowrite align=4
bits 32
mb_header:
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)
    dd mb_header                ; header_addr
    dd __kernel_load_start      ; load_addr
    dd __kernel_load_end        ; load_end_addr
    dd __kernel_bss_end         ; bss_end_addr
    dd _start                   ; entry_addr

_start:
    cli
    mov esp, boot_stack_top
    mov [boot_magic], eax
    mov [boot_info], ebx
    mov esi, eax
    rdtsc                       ; the earliest timestamp of this kernel: "boot" in the XENSDK TIMING figures
    mov [boot_tsc], eax
    mov [boot_tsc + 4], edx
    mov eax, esi

    ; Long mode is required (CPUID 8000_0001h EDX bit 29; AMD APM Vol. 3 Appendix E, Intel SDM Vol. 2A CPUID). A 32-bit-only
    ; processor (e.g. Bochs's core_duo_t2400_yonah, which has VMX) would fault at the EFER write below and reset; the
    ; stub instead prints the documented result line on COM1 and ends the machine.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jnz .long_mode_ok
.no_long_mode:
    mov esi, uart_init          ; COM1 to 115200 8N1, FIFOs on (pairs of port offset, value), as Serial.Initialize does
.uart:
    lodsw
    test ax, ax
    jz .uart_done
    movzx edx, al
    add dx, 0x3F8
    mov al, ah
    out dx, al
    jmp .uart
.uart_done:
    mov esi, no_long_mode_msg
.putc:
    mov dx, 0x3FD               ; COM1 line status: wait for THR empty (bit 5)
.thr:
    in al, dx
    test al, 0x20
    jz .thr
    lodsb
    test al, al
    jz .drained
    mov dx, 0x3F8
    out dx, al
    jmp .putc
.drained:
    mov dx, 0x3FD               ; transmitter empty (bit 6): the last byte has left the UART
    in al, dx
    test al, 0x40
    jz .drained
    mov dx, 0xF4                ; QEMU isa-debug-exit: failure status (0x11 << 1) | 1
    mov al, 0x11
    out dx, al
    mov esi, shutdown_msg       ; Bochs: "Shutdown" to port 0x8900
    mov dx, 0x8900
.shut:
    lodsb
    test al, al
    jz .dead
    out dx, al
    jmp .shut
.dead:
    hlt
    jmp .dead
.long_mode_ok:

    ; Page tables: PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 512 x 2 MiB pages (0..4 GiB).
    mov edi, pml4
    mov ecx, (6 * 4096) / 4
    xor eax, eax
    rep stosd
    mov dword [pml4], pdpt + 3
    mov eax, pd0 + 3
    mov dword [pdpt + 0], eax
    add eax, 4096
    mov dword [pdpt + 8], eax
    add eax, 4096
    mov dword [pdpt + 16], eax
    add eax, 4096
    mov dword [pdpt + 24], eax
    mov edi, pd0
    mov eax, 0x83               ; present, writable, 2 MiB page
    xor edx, edx
    mov ecx, 2048
.fill:
    mov [edi], eax
    mov [edi + 4], edx
    add eax, 0x200000
    adc edx, 0
    add edi, 8
    loop .fill

    mov eax, pml4
    mov cr3, eax
    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)   ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov ecx, 0xC0000080         ; EFER
    rdmsr
    or eax, (1 << 8)            ; LME
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)          ; clear EM
    or eax, (1 << 31) | (1 << 1) | 1   ; PG, MP, PE
    mov cr0, eax
    lgdt [gdt_ptr]
    jmp 0x08:long_entry

bits 64
long_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor ebp, ebp
    mov edi, [boot_magic]
    mov esi, [boot_info]
    call xensdk_main
.halt:
    cli
    hlt
    jmp .halt

uart_init:                      ; (offset, value): IER off, DLAB, divisor 1, 8N1, FIFO enable+clear, DTR/RTS/OUT2
    db 1, 0x00, 3, 0x80, 0, 0x01, 1, 0x00, 3, 0x03, 2, 0xC7, 4, 0x0B, 0, 0
no_long_mode_msg:
    db "XENSDK BOOT Xen.Sdk reference hypervisor", 10
    db "XENSDK RESULT guest=none vendor=none outcome=error fault=CPU-without-long-mode", 10, 0
shutdown_msg:
    db "Shutdown", 0

align 16
gdt:
    dq 0
    dq 0x00AF9A000000FFFF       ; 0x08: 64-bit code, DPL 0
    dq 0x00CF92000000FFFF       ; 0x10: data
    dq 0x00CF9A000000FFFF       ; 0x18: 32-bit code (guest staging, unused by the host)
gdt_end:
gdt_ptr:
    dw gdt_end - gdt - 1
    dq gdt

section .text
bits 64

; ---- port I/O, CPU registers (SysV: rdi, rsi, rdx; result in rax) ----
global xensdk_outb, xensdk_inb, xensdk_outw, xensdk_inw, xensdk_outd, xensdk_ind
xensdk_outb: mov edx, edi
             mov eax, esi
             out dx, al
             ret
xensdk_inb:  mov edx, edi
             xor eax, eax
             in al, dx
             ret
xensdk_outw: mov edx, edi
             mov eax, esi
             out dx, ax
             ret
xensdk_inw:  mov edx, edi
             xor eax, eax
             in ax, dx
             ret
xensdk_outd: mov edx, edi
             mov eax, esi
             out dx, eax
             ret
xensdk_ind:  mov edx, edi
             in eax, dx
             ret

global xensdk_rdtsc, xensdk_rdmsr, xensdk_wrmsr, xensdk_cpuid, xensdk_hlt, xensdk_cli, xensdk_sti, xensdk_pause
xensdk_rdtsc:
    lfence
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
xensdk_rdmsr:                   ; (msr) -> value
    mov ecx, edi
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret
xensdk_wrmsr:                   ; (msr, value)
    mov ecx, edi
    mov eax, esi
    mov rdx, rsi
    shr rdx, 32
    wrmsr
    ret
xensdk_cpuid:                   ; (leaf, subleaf, uint* out4)
    push rbx
    mov r8, rdx
    mov eax, edi
    mov ecx, esi
    cpuid
    mov [r8], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret
xensdk_hlt:  hlt
             ret
xensdk_cli:  cli
             ret
xensdk_sti:  sti
             ret
xensdk_pause: pause
             ret

global xensdk_read_cr0, xensdk_read_cr2, xensdk_read_cr3, xensdk_read_cr4, xensdk_write_cr0, xensdk_write_cr3, xensdk_write_cr4
xensdk_read_cr0: mov rax, cr0
                 ret
xensdk_read_cr2: mov rax, cr2
                 ret
xensdk_read_cr3: mov rax, cr3
                 ret
xensdk_read_cr4: mov rax, cr4
                 ret
xensdk_write_cr0: mov cr0, rdi
                 ret
xensdk_write_cr3: mov cr3, rdi
                 ret
xensdk_write_cr4: mov cr4, rdi
                 ret

global xensdk_boot_tsc
xensdk_boot_tsc:    mov rax, [rel boot_tsc]
                    ret
global xensdk_boot_magic, xensdk_boot_info, xensdk_modules_start, xensdk_modules_end, xensdk_image_end, xensdk_image_start
extern __modules_start, __modules_end
xensdk_boot_magic:  mov eax, [boot_magic]
                    ret
xensdk_boot_info:   mov eax, [boot_info]
                    ret
xensdk_modules_start: lea rax, [rel __modules_start]
                    ret
xensdk_modules_end: lea rax, [rel __modules_end]
                    ret
xensdk_image_start: mov eax, __kernel_load_start
                    ret
xensdk_image_end:   mov eax, __kernel_bss_end
                    ret

; ---- helpers ilc-generated code calls (no GC: write barriers are plain stores) ----
global memset, memmove, memcpy, RhpAssignRef, RhpCheckedAssignRef, RhpByRefAssignRef, RhpCheckedLockCmpXchg, RhpCheckedXchg
global RhpInitialDynamicInterfaceDispatch, __security_cookie, RhpStackProbe
memset:                         ; (dst, byte, n) -> dst
    mov r9, rdi
    mov eax, esi
    mov rcx, rdx
    rep stosb
    mov rax, r9
    ret
memcpy:
memmove:                        ; (dst, src, n) -> dst, overlap-safe
    mov rax, rdi
    mov rcx, rdx
    cmp rdi, rsi
    jbe .fwd
    lea r8, [rsi + rdx]
    cmp rdi, r8
    jae .fwd
    lea rsi, [rsi + rdx - 1]
    lea rdi, [rdi + rdx - 1]
    std
    rep movsb
    cld
    ret
.fwd:
    rep movsb
    ret
RhpAssignRef:
RhpCheckedAssignRef:
    mov [rdi], rsi
    ret
RhpByRefAssignRef:
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret
RhpCheckedLockCmpXchg:
    mov rax, rdx
    lock cmpxchg [rdi], rsi
    ret
RhpCheckedXchg:
    mov rax, rsi
    xchg [rdi], rax
    ret
RhpStackProbe:
    ret
extern XenSdkResolveInterface
; Interface dispatch cache, shared with the managed resolver (Kernel/CoreLib/Runtime/InterfaceDispatch.cs), in .bss:
; [0] hits counted here, [8] update sequence, then 256 cell addresses, 256 MethodTable addresses, 256 targets (8 bytes
; each). Entries are written only by xensdk_dispatch_cache_store, with interrupts off, which bumps the sequence around
; the stores. A reader (below, interruptible) that sees the same sequence before and after reading an entry's three
; words read them from one state of the cache, even if an interrupt handler dispatched and replaced entries meanwhile;
; a 64-bit sequence never wraps, so there is no ABA.
DISPATCH_CACHE_ENTRIES equ 256
DC_CELLS   equ 16
DC_TYPES   equ DC_CELLS + 8 * DISPATCH_CACHE_ENTRIES
DC_TARGETS equ DC_TYPES + 8 * DISPATCH_CACHE_ENTRIES

; xensdk_dispatch_cache_store(cache = rdi, index = rsi, cell = rdx, type = rcx, target = r8): one cache entry, written
; with interrupts off (pushfq/cli ... popfq restores the caller's IF) and the sequence made odd during the stores.
global xensdk_dispatch_cache_store
xensdk_dispatch_cache_store:
    pushfq
    cli
    inc qword [rdi + 8]
    mov [rdi + DC_CELLS + rsi * 8], rdx
    mov [rdi + DC_TYPES + rsi * 8], rcx
    mov [rdi + DC_TARGETS + rsi * 8], r8
    inc qword [rdi + 8]
    popfq
    ret

RhpInitialDynamicInterfaceDispatch:
    ; Every interface dispatch cell ilc emits calls here (the cell's first word), with r11 = the cell and the call's
    ; arguments in place: managed code on x64 Linux uses the SysV registers, `this` in rdi, then rsi, rdx, rcx, r8, r9
    ; (a hidden return buffer is one of them), floating-point arguments in xmm0-xmm7, more on the stack. rax, r10 and
    ; r11 are scratch at a call (SysV) and carry no argument here.
    ; Fast path: the cache, indexed by ((cell >> 4) ^ (type >> 3) ^ (type >> 11)) & 255; only rax, r10 and r11 change
    ; (rcx and rdx are pushed and restored).
    test rdi, rdi
    jz .resolve                 ; null `this`: the resolver panics with a message
    push rcx
    push rdx
    lea rcx, [rel dispatch_cache]
    mov rdx, [rcx + 8]          ; update sequence before the entry is read
    mov rax, [rdi]              ; the object's MethodTable
    shr rax, 3
    mov r10, rax                ; type >> 3
    shr rax, 8
    xor r10, rax                ; ^ type >> 11
    mov rax, r11
    shr rax, 4
    xor r10, rax                ; ^ cell >> 4
    and r10, DISPATCH_CACHE_ENTRIES - 1
    mov rax, [rdi]
    cmp [rcx + DC_CELLS + r10 * 8], r11
    jne .miss
    cmp [rcx + DC_TYPES + r10 * 8], rax
    jne .miss
    mov rax, [rcx + DC_TARGETS + r10 * 8]
    cmp [rcx + 8], rdx          ; no store since the sequence was read: cell, type and target are one entry
    jne .miss
    inc qword [rcx]
    pop rdx
    pop rcx
    jmp rax
.miss:
    pop rdx
    pop rcx
.resolve:
    ; Slow path: the managed resolver may clobber every argument register, so they are saved and restored around it;
    ; the stack is left exactly as the caller built it (stack arguments and return address are the implementation's).
    ; Stack: entry rsp = 8 mod 16; 6 pushes + 136 bytes keep the call 16-byte aligned.
    push rdi
    push rsi
    push rdx
    push rcx
    push r8
    push r9
    sub rsp, 136
    movdqu [rsp + 0], xmm0
    movdqu [rsp + 16], xmm1
    movdqu [rsp + 32], xmm2
    movdqu [rsp + 48], xmm3
    movdqu [rsp + 64], xmm4
    movdqu [rsp + 80], xmm5
    movdqu [rsp + 96], xmm6
    movdqu [rsp + 112], xmm7
    mov rsi, r11                ; XenSdkResolveInterface(object this = rdi, nint cell = rsi, cache = rdx) -> target in rax
    lea rdx, [rel dispatch_cache]
    call XenSdkResolveInterface
    movdqu xmm0, [rsp + 0]
    movdqu xmm1, [rsp + 16]
    movdqu xmm2, [rsp + 32]
    movdqu xmm3, [rsp + 48]
    movdqu xmm4, [rsp + 64]
    movdqu xmm5, [rsp + 80]
    movdqu xmm6, [rsp + 96]
    movdqu xmm7, [rsp + 112]
    add rsp, 136
    pop r9
    pop r8
    pop rcx
    pop rdx
    pop rsi
    pop rdi
    jmp rax


; ---- SVM world switch: xensdk_svm_run(vmcb_pa, GuestRegisters*, host_save_pa) ----
; GuestRegisters holds rax..r15 in encoding order (8 bytes each); RAX and RSP are taken from the VMCB by VMRUN.
; VMLOAD/VMSAVE move the state VMRUN does not (FS, GS, TR, LDTR, KernelGsBase, STAR family, SYSENTER MSRs)
; (AMD APM Vol. 2 §15.5.2); the host's copy is kept in a separate save page. GIF is cleared around the switch and
; host IF is set only across VMRUN, so a physical interrupt while the guest runs causes #VMEXIT(INTR) and stays
; pending until the host opens a window (xensdk_irq_window).
global xensdk_svm_run
xensdk_svm_run:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    push rdx                    ; [rsp+16] host save page
    push rsi                    ; [rsp+8]  GuestRegisters*
    push rdi                    ; [rsp]    guest VMCB
    clgi
    mov rax, [rsp + 16]
    vmsave
    mov rax, [rsp]
    vmload
    mov rsi, [rsp + 8]
    mov rcx, [rsi + 8]
    mov rdx, [rsi + 16]
    mov rbx, [rsi + 24]
    mov rbp, [rsi + 40]
    mov rdi, [rsi + 56]
    mov r8,  [rsi + 64]
    mov r9,  [rsi + 72]
    mov r10, [rsi + 80]
    mov r11, [rsi + 88]
    mov r12, [rsi + 96]
    mov r13, [rsi + 104]
    mov r14, [rsi + 112]
    mov r15, [rsi + 120]
    mov rsi, [rsi + 48]
    sti
    vmrun
    cli
    push rsi                    ; guest RSI; now [rsp+8] = VMCB, [rsp+16] = GuestRegisters*, [rsp+24] = host save
    mov rsi, [rsp + 16]
    mov [rsi + 8], rcx
    mov [rsi + 16], rdx
    mov [rsi + 24], rbx
    mov [rsi + 40], rbp
    mov [rsi + 56], rdi
    mov [rsi + 64], r8
    mov [rsi + 72], r9
    mov [rsi + 80], r10
    mov [rsi + 88], r11
    mov [rsi + 96], r12
    mov [rsi + 104], r13
    mov [rsi + 112], r14
    mov [rsi + 120], r15
    pop rcx
    mov [rsi + 48], rcx
    mov rax, [rsp]
    vmsave
    mov rax, [rsp + 16]
    vmload
    stgi
    add rsp, 24
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

; ---- VMX (Intel SDM Vol. 3C Ch. 31): every helper returns the RFLAGS outcome as 0 = VMsucceed, 1 = VMfailInvalid
; (CF), 2 = VMfailValid (ZF) -- the numbering of Xen.Sdk.Vmx's VmxInstructionStatus.
%macro VMX_STATUS 0
    mov eax, 0
    mov ecx, 1
    cmovc eax, ecx
    mov ecx, 2
    cmovz eax, ecx
%endmacro
global xensdk_vmxon, xensdk_vmclear, xensdk_vmptrld, xensdk_vmread, xensdk_vmwrite, xensdk_invept_all
global xensdk_invept, xensdk_invvpid
global xensdk_read_gdtr_base, xensdk_read_idtr_base, xensdk_vmx_run
xensdk_vmxon:                   ; (region_pa) -> status
    push rdi
    vmxon [rsp]
    VMX_STATUS
    pop rdi
    ret
xensdk_vmclear:                 ; (vmcs_pa) -> status
    push rdi
    vmclear [rsp]
    VMX_STATUS
    pop rdi
    ret
xensdk_vmptrld:                 ; (vmcs_pa) -> status
    push rdi
    vmptrld [rsp]
    VMX_STATUS
    pop rdi
    ret
xensdk_vmread:                  ; (encoding, ulong* value) -> status
    vmread rdx, rdi
    VMX_STATUS
    mov [rsi], rdx
    ret
xensdk_vmwrite:                 ; (encoding, value) -> status
    vmwrite rdi, rsi
    VMX_STATUS
    ret
xensdk_invept_all:              ; () -> status; INVEPT type 2 (all-context), descriptor ignored but read
    sub rsp, 16
    mov qword [rsp], 0
    mov qword [rsp + 8], 0
    mov ecx, 2
    invept rcx, [rsp]
    VMX_STATUS
    add rsp, 16
    ret
; xensdk_invept(type, eptp) -> status. 128-bit descriptor: EPTP in bits 63:0, bits 127:64 reserved (zero)
; (Intel SDM Vol. 3C §31.3, INVEPT). Type 1 = single-context (only mappings tagged with this EPTP's EP4TA), 2 = all.
xensdk_invept:
    sub rsp, 16
    mov [rsp], rsi
    mov qword [rsp + 8], 0
    invept rdi, [rsp]
    VMX_STATUS
    add rsp, 16
    ret
; xensdk_invvpid(type, vpid, linear) -> status. 128-bit descriptor: VPID in bits 15:0, bits 63:16 reserved (zero),
; linear address in bits 127:64 (used by type 0 only) (Intel SDM Vol. 3C §31.3, INVVPID). Type 1 = single-context,
; 2 = all-context, 3 = single-context retaining globals.
xensdk_invvpid:
    sub rsp, 16
    movzx esi, si
    mov [rsp], rsi
    mov [rsp + 8], rdx
    invvpid rdi, [rsp]
    VMX_STATUS
    add rsp, 16
    ret
xensdk_read_gdtr_base:
    sub rsp, 16
    sgdt [rsp]
    mov rax, [rsp + 2]
    add rsp, 16
    ret
xensdk_read_idtr_base:
    sub rsp, 16
    sidt [rsp]
    mov rax, [rsp + 2]
    add rsp, 16
    ret

; xensdk_vmx_run(GuestRegisters* gprs, int launched, VmxExitFields* fields) -> status (0: the guest ran and a VM exit
; came back through vmx_exit; 1/2: VMLAUNCH/VMRESUME failed as an instruction). Host RSP/RIP are written into the
; current VMCS on each call (Intel SDM Vol. 3C §25.5: the processor loads them on VM exit). RSP and RIP of the guest
; live in the VMCS; the other GPRs (RAX included) are moved here. With fields != 0 (Xen.Sdk.Reference's VmxExitFields,
; 13 quadwords), guest RIP, RSP and RFLAGS are VMWRITten from it before the entry and all 13 fields VMREAD into it
; right after the exit: one call per exit instead of one per field. The encoding at each offset must match
; VmxExitFields.Encodings (a test reads this file and checks it). Host IF stays clear: with "external-interrupt exiting"
; a physical interrupt causes a VM exit and stays pending until the host opens a window (xensdk_irq_window).
xensdk_vmx_run:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    push rdx                    ; [rsp + 8] = VmxExitFields* (0: none)
    push rdi                    ; [rsp] = GuestRegisters*
    cli
    mov eax, 0x6C14             ; HOST_RSP
    vmwrite rax, rsp
    lea rcx, [rel vmx_exit]
    mov eax, 0x6C16             ; HOST_RIP
    vmwrite rax, rcx
    test rdx, rdx
    jz .no_fields
    mov eax, 0x681E             ; GUEST_RIP
    vmwrite rax, [rdx + 32]
    mov eax, 0x681C             ; GUEST_RSP
    vmwrite rax, [rdx + 40]
    mov eax, 0x6820             ; GUEST_RFLAGS
    vmwrite rax, [rdx + 48]
.no_fields:
    mov r8d, esi
    test r8d, r8d               ; ZF = not launched; the loads below leave RFLAGS alone
    mov rax, [rdi]
    mov rcx, [rdi + 8]
    mov rdx, [rdi + 16]
    mov rbx, [rdi + 24]
    mov rbp, [rdi + 40]
    mov rsi, [rdi + 48]
    mov r8,  [rdi + 64]
    mov r9,  [rdi + 72]
    mov r10, [rdi + 80]
    mov r11, [rdi + 88]
    mov r12, [rdi + 96]
    mov r13, [rdi + 104]
    mov r14, [rdi + 112]
    mov r15, [rdi + 120]
    mov rdi, [rdi + 56]
    jz .launch
    vmresume
    jmp .failed
.launch:
    vmlaunch
.failed:                        ; still in the host, registers hold guest values; RFLAGS holds the outcome
    pushfq
    pop rax
    add rsp, 16
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    mov edx, eax
    mov eax, 1
    mov ecx, 2
    test edx, 0x40              ; ZF -> VMfailValid
    cmovnz eax, ecx
    ret
vmx_exit:                       ; RSP = the HOST_RSP written above: [rsp] = GuestRegisters*, [rsp + 8] = VmxExitFields*
    push rdi
    mov rdi, [rsp + 8]
    mov [rdi], rax
    mov [rdi + 8], rcx
    mov [rdi + 16], rdx
    mov [rdi + 24], rbx
    mov [rdi + 40], rbp
    mov [rdi + 48], rsi
    mov [rdi + 64], r8
    mov [rdi + 72], r9
    mov [rdi + 80], r10
    mov [rdi + 88], r11
    mov [rdi + 96], r12
    mov [rdi + 104], r13
    mov [rdi + 112], r14
    mov [rdi + 120], r15
    pop rax
    mov [rdi + 56], rax
    mov rdi, [rsp + 8]
    test rdi, rdi
    jz .no_exit_fields
    mov eax, 0x4402             ; VM_EXIT_REASON
    vmread [rdi], rax
    mov eax, 0x6400             ; EXIT_QUALIFICATION
    vmread [rdi + 8], rax
    mov eax, 0x4408             ; IDT_VECTORING_INFO
    vmread [rdi + 16], rax
    mov eax, 0x440C             ; VM_EXIT_INSTRUCTION_LEN
    vmread [rdi + 24], rax
    mov eax, 0x681E             ; GUEST_RIP
    vmread [rdi + 32], rax
    mov eax, 0x681C             ; GUEST_RSP
    vmread [rdi + 40], rax
    mov eax, 0x6820             ; GUEST_RFLAGS
    vmread [rdi + 48], rax
    mov eax, 0x6800             ; GUEST_CR0
    vmread [rdi + 56], rax
    mov eax, 0x6802             ; GUEST_CR3
    vmread [rdi + 64], rax
    mov eax, 0x6804             ; GUEST_CR4
    vmread [rdi + 72], rax
    mov eax, 0x6808             ; GUEST_CS_BASE
    vmread [rdi + 80], rax
    mov eax, 0x4816             ; GUEST_CS_AR_BYTES
    vmread [rdi + 88], rax
    mov eax, 0x4818             ; GUEST_SS_AR_BYTES
    vmread [rdi + 96], rax
.no_exit_fields:
    add rsp, 16
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    xor eax, eax
    ret

; Lets one pending physical interrupt reach the host IDT (after #VMEXIT(INTR)).
global xensdk_irq_window
xensdk_irq_window:
    sti
    nop
    nop
    cli
    ret

global xensdk_lidt, xensdk_read_rflags, xensdk_read_rsp
xensdk_lidt:                    ; (IdtPointer*)
    lidt [rdi]
    ret
xensdk_read_rflags:
    pushfq
    pop rax
    ret
xensdk_read_rsp:
    lea rax, [rsp + 8]
    ret

; ---- interrupt and exception entry: push a uniform frame and call XenSdkTrap(TrapFrame*) ----
; Frame (low to high): r15 r14 r13 r12 r11 r10 r9 r8 rdi rsi rbp rbx rdx rcx rax, vector, error code, then the
; CPU's rip cs rflags rsp ss. Vectors without an error code push 0 (Intel SDM Vol. 3A §6.13).
extern XenSdkTrap
%macro TRAP_NOERR 1
trap_%1:
    push 0
    push %1
    jmp trap_common
%endmacro
%macro TRAP_ERR 1
trap_%1:
    push %1
    jmp trap_common
%endmacro
%assign v 0
%rep 32
  %if v = 8 || v = 10 || v = 11 || v = 12 || v = 13 || v = 14 || v = 17 || v = 21 || v = 29 || v = 30
    TRAP_ERR v
  %else
    TRAP_NOERR v
  %endif
  %assign v v + 1
%endrep
%assign v 32
%rep 16
    TRAP_NOERR v
  %assign v v + 1
%endrep
trap_common:
    push rax
    push rcx
    push rdx
    push rbx
    push rbp
    push rsi
    push rdi
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp
    mov rbx, rsp
    and rsp, -16
    call XenSdkTrap
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rdi
    pop rsi
    pop rbp
    pop rbx
    pop rdx
    pop rcx
    pop rax
    add rsp, 16
    iretq

global xensdk_trap_table
xensdk_trap_table:              ; () -> address of 48 stub addresses
    lea rax, [rel trap_stubs]
    ret

section .rodata
align 8
trap_stubs:
%assign v 0
%rep 48
    dq trap_%+v
  %assign v v + 1
%endrep

section .data
align 8
__security_cookie: dq 0x2B992DDFA232
boot_magic: dd 0
boot_tsc:   dq 0
boot_info:  dd 0

section .bss
align 4096
pml4:   resb 4096
pdpt:   resb 4096
pd0:    resb 4 * 4096
boot_stack: resb STACK_SIZE
boot_stack_top:
align 16
dispatch_cache: resb 16 + 3 * 8 * DISPATCH_CACHE_ENTRIES   ; zeroed by the loader: every entry invalid
section .note.GNU-stack noalloc noexec nowrite progbits
