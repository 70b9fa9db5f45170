; Thread switch. Only the callee-saved registers need saving: to the C
; code in schedule(), __switch_to is an ordinary function call that
; returns in another thread.

global __switch_to
global kthread_trampoline
extern kthread_entry

section .text
bits 64

; void __switch_to(u64 *prev_rsp, u64 next_rsp)
__switch_to:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; First "return" of a new thread (kernel/kthread.c builds its stack).
kthread_trampoline:
	xor ebp, ebp			; ends the backtrace here
	call kthread_entry
	ud2
