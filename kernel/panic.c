/*
 * panic(): the kernel cannot go on. Print why, the registers and a
 * frame-pointer backtrace (addr2line -e build/kernel.elf turns the
 * addresses into lines), then leave QEMU with the panic status so a test
 * run ends at once instead of timing out.
 */
#include "asm/cpu.h"
#include "asm/paging.h"
#include "asm/power.h"
#include "printk.h"
#include "sched.h"
#include "spinlock.h"

#define BACKTRACE_MAX 24

static int panic_depth;

void panic_begin(void)
{
	local_irq_disable();
	if (panic_depth++) {
		static const char msg[] =
			"\r\nKernel panic: fault while reporting a panic\r\n";

		console_write(msg, sizeof(msg) - 1);
		kernel_exit(EXIT_PANIC_CODE);
	}
}

__noreturn void panic_end(void)
{
	printk("---[ end Kernel panic ]---\n");
	kernel_exit(EXIT_PANIC_CODE);
}

void dump_regs(const struct pt_regs *r)
{
	printk("RIP: %04lx:%016lx RSP: %016lx RFLAGS: %08lx\n", r->cs, r->rip,
	       r->rsp, r->rflags);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	printk("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(),
	       read_cr2(), read_cr3(), read_cr4());
}

/* A frame is two words: the caller's rbp, then the return address. */
static bool frame_readable(u64 rbp)
{
	return rbp && IS_ALIGNED(rbp, 8) && kernel_addr_mapped(rbp) &&
	       kernel_addr_mapped(rbp + 15);
}

void dump_backtrace(u64 rip, u64 rbp)
{
	printk("Call trace (addr2line -e kernel.elf ADDR):\n");
	printk(" [<%016lx>]\n", rip);
	for (int depth = 0; depth < BACKTRACE_MAX && frame_readable(rbp);
	     depth++) {
		const u64 *frame = (const u64 *)rbp;

		if (!frame[1])
			break;
		printk(" [<%016lx>]\n", frame[1]);
		if (frame[0] <= rbp) /* stacks grow down: callers are above */
			break;
		rbp = frame[0];
	}
}

static __attribute__((noinline)) void capture_regs(struct pt_regs *r)
{
	__asm__ __volatile__("mov %%rbx, %0" : "=m"(r->rbx));
	__asm__ __volatile__("mov %%r12, %0" : "=m"(r->r12));
	__asm__ __volatile__("mov %%r13, %0" : "=m"(r->r13));
	__asm__ __volatile__("mov %%r14, %0" : "=m"(r->r14));
	__asm__ __volatile__("mov %%r15, %0" : "=m"(r->r15));
	__asm__ __volatile__("pushfq; popq %0" : "=r"(r->rflags));
	__asm__ __volatile__("mov %%cs, %0" : "=r"(r->cs));
	/* The caller's frame: our own rbp points at its saved rbp. */
	r->rbp = *(u64 *)__builtin_frame_address(0);
	r->rip = (u64)__builtin_return_address(0);
	r->rsp = (u64)__builtin_frame_address(0) + 16;
}

__noreturn void panic(const char *fmt, ...)
{
	struct pt_regs regs = { 0 };
	va_list ap;

	panic_begin();
	capture_regs(&regs);
	printk("\nKernel panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\nthread: %s\n", task_name(current));
	dump_regs(&regs);
	dump_backtrace(regs.rip, regs.rbp);
	panic_end();
}

void spin_bug(spinlock_t *lock, const char *what)
{
	panic("spinlock %p: %s", (void *)lock, what);
}
