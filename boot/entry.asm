; 32-bit entry from GRUB (Multiboot2: EAX = magic, EBX = info, paging off)
; to 64-bit kmain. Long mode needs paging, so we build an identity map of
; the first 4 GiB with 2 MiB pages: the kernel, low RAM and the 32-bit
; MMIO hole (PCI BARs, IO-APIC, LAPIC) all stay where their physical
; address says. RAM above 4 GiB is mapped later, in C (arch/x86/mm/meminit.c).

BOOT_STACK_SIZE	equ 32768
PTE_P		equ 1 << 0
PTE_W		equ 1 << 1
PTE_PS		equ 1 << 7
COM1		equ 0x3f8
DEBUG_EXIT_PORT	equ 0xf4
EXIT_PANIC_CODE	equ 0x12

global _start
global boot_pml4
global boot_stack_bottom
global boot_stack_top
global boot_gdt
extern kmain
extern __bss_start
extern __bss_end

section .text.boot
bits 32
_start:
	cli
	cld
	; .data is loaded from the image, so these survive clearing .bss
	mov [boot_magic], eax
	mov [boot_mbi], ebx

	; GRUB zeroes .bss too, but the page tables must not depend on it
	mov edi, __bss_start
	mov ecx, __bss_end
	sub ecx, edi
	xor eax, eax
	rep stosb
	mov esp, boot_stack_top

	call check_long_mode
	call build_page_tables

	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	mov ecx, 0xc0000080		; EFER
	rdmsr
	or eax, 1 << 8			; LME
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16)	; PG, WP
	mov cr0, eax

	lgdt [boot_gdt_ptr]
	jmp dword 0x08:long_mode_entry

; Long mode needs CPUID leaf 0x80000001 EDX bit 29 (LM).
check_long_mode:
	pushfd
	pop eax
	mov ecx, eax
	xor eax, 1 << 21		; CPUID present iff ID flag toggles
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	cmp eax, ecx
	je .no
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no
	ret
.no:
	mov esi, no_lm_msg
	mov edi, 0xb8000
.next:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x4f			; white on red
	mov [edi], ax
	add edi, 2
	mov bl, al
	mov dx, COM1 + 5
.wait_tx:
	in al, dx
	test al, 1 << 5			; THR empty
	jz .wait_tx
	mov dx, COM1
	mov al, bl
	out dx, al
	jmp .next
.halt:
	; under QEMU, end the run with the panic status (arch/x86/kernel/power.c)
	mov dx, DEBUG_EXIT_PORT
	mov eax, EXIT_PANIC_CODE
	out dx, eax
.stop:
	cli
	hlt
	jmp .stop

; PML4[0] -> PDPT; PDPT[0..3] -> four PDs of 512 2-MiB pages = 4 GiB.
build_page_tables:
	mov eax, boot_pdpt
	or eax, PTE_P | PTE_W
	mov [boot_pml4], eax

	mov edi, boot_pdpt
	mov eax, boot_pd
	or eax, PTE_P | PTE_W
	mov ecx, 4
.pdpt:
	mov [edi], eax
	add eax, 4096
	add edi, 8
	loop .pdpt

	mov edi, boot_pd
	mov eax, PTE_P | PTE_W | PTE_PS
	mov ecx, 4 * 512
.pd:
	mov [edi], eax
	mov dword [edi + 4], 0
	add eax, 0x200000
	add edi, 8
	loop .pd
	ret

bits 64
long_mode_entry:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rsp, boot_stack_top
	xor ebp, ebp			; ends every frame-pointer backtrace
	mov edi, [boot_magic]
	mov esi, [boot_mbi]
	call kmain
.halt:
	cli
	hlt
	jmp .halt

section .rodata
no_lm_msg:
	db "error: this CPU has no 64-bit long mode; halting", 13, 10, 0

align 16
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff		; 0x08: 64-bit code, ring 0
	dq 0x00cf92000000ffff		; 0x10: data, ring 0
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt

section .data
boot_magic:	dd 0
boot_mbi:	dd 0

section .bss
align 4096
boot_pml4:	resb 4096
boot_pdpt:	resb 4096
boot_pd:	resb 4 * 4096
boot_stack_bottom:
		resb BOOT_STACK_SIZE
boot_stack_top:
