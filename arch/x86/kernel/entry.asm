; Interrupt and exception entry. Every vector gets an entry point that pushes an
; error code (a zero where the CPU pushes none, so the frame is always
; the same shape) and its vector number, then the common entry code saves the
; general registers as a struct pt_regs (include/cpu.h) and calls
; isr_dispatch(regs) in arch/x86/kernel/idt.c.

global isr_entry_table
extern isr_dispatch

section .text
bits 64

%macro ISR_NOERR 1
isr_%1:
	push qword 0
	push qword %1
	jmp isr_common
%endmacro

%macro ISR_ERR 1
isr_%1:
	push qword %1
	jmp isr_common
%endmacro

; Exceptions where the CPU pushes an error code itself.
%assign i 0
%rep 256
%if i == 8 || (i >= 10 && i <= 14) || i == 17 || i == 21 || i == 29 || i == 30
	ISR_ERR i
%else
	ISR_NOERR i
%endif
%assign i i + 1
%endrep

isr_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp			; 22 words pushed: rsp stays 16-aligned
	call isr_dispatch
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16			; vector and error code
	iretq

section .rodata
align 8
isr_entry_table:
%assign i 0
%rep 256
	dq isr_%+i
%assign i i + 1
%endrep
