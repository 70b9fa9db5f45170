/*
 * panic(): the kernel cannot go on. Print why, the registers and a
 * frame-pointer backtrace, each frame as `function+0xoff/0xlen` from the
 * kernel's own symbol table (kallsyms; scripts/decode-backtrace adds
 * file:line on the host), then leave QEMU with the panic status so a
 * test run ends at once instead of timing out.
 */
#include "asm/cpu.h"
#include "asm/paging.h"
#include "asm/power.h"
#include "kernel/kallsyms.h"
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
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, sizeof(sym), r->rip);
	printk("RIP: %04lx:%s\n", r->cs, sym);
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

/* The CPU's own address, then return addresses (looked up in the call). */
static void print_frame(u64 addr, bool ret)
{
	char sym[KSYM_SYMBOL_LEN];

	if (ret)
		sprint_backtrace(sym, sizeof(sym), addr);
	else
		sprint_symbol(sym, sizeof(sym), addr);
	printk(" [<%016lx>] %s\n", addr, sym);
}

void dump_backtrace(u64 rip, u64 rbp)
{
	printk("Call trace (scripts/decode-backtrace adds file:line):\n");
	print_frame(rip, false);
	for (int depth = 0; depth < BACKTRACE_MAX && frame_readable(rbp);
	     depth++) {
		const u64 *frame = (const u64 *)rbp;

		if (!frame[1])
			break;
		print_frame(frame[1], true);
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
