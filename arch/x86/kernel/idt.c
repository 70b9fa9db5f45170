/*
 * The IDT, the vector map and exception reports.
 *
 * Every vector goes through the same entry code (arch/x86/kernel/entry.asm) into
 * isr_dispatch(). An exception in the kernel is always a bug, so it is
 * reported like a panic: what, where, registers, backtrace; then QEMU
 * exits with the panic status. A double fault runs on its own stack
 * (IST1 in the TSS) so that even a blown stack gets reported.
 */
#include "asm/apic.h"
#include "asm/cpu.h"
#include "errno.h"
#include "asm/idt.h"
#include "ktime.h"
#include "printk.h"
#include "sched.h"
#include "spinlock.h"

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define TSS_SEL 0x18
#define GATE_INTERRUPT 0x8e /* present, ring 0, 64-bit interrupt gate */
#define DF_VECTOR 8
#define PF_VECTOR 14
#define IST_STACK_SIZE 8192

struct idt_entry {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

struct table_ptr {
	u16 limit;
	u64 base;
} __packed;

extern const u64 isr_entry_table[256];

static struct idt_entry idt[256] __aligned(16);
static struct tss tss __aligned(16);
static u8 df_stack[IST_STACK_SIZE] __aligned(16);
/* null, code, data, then the TSS descriptor, which takes two slots */
static u64 gdt[5] __aligned(16) = {
	0,
	0x00af9a000000ffffULL,
	0x00cf92000000ffffULL,
};

static struct {
	irq_handler_t fn;
	void *data;
} vectors[256];
static DEFINE_SPINLOCK(vector_lock);
static int irq_depth;

static const char *const exception_names[32] = {
	"divide error (#DE",
	"debug (#DB",
	"non-maskable interrupt (NMI",
	"breakpoint (#BP",
	"overflow (#OF",
	"bound range (#BR",
	"invalid opcode (#UD",
	"device not available (#NM",
	"double fault (#DF",
	"coprocessor segment overrun (#9",
	"invalid TSS (#TS",
	"segment not present (#NP",
	"stack fault (#SS",
	"general protection fault (#GP",
	"page fault (#PF",
	"reserved (#15",
	"x87 floating point (#MF",
	"alignment check (#AC",
	"machine check (#MC",
	"SIMD floating point (#XM",
	"virtualization (#VE",
	"control protection (#CP",
};

static void load_gdt_tss(void)
{
	u64 base = (u64)&tss;
	struct table_ptr ptr = { sizeof(gdt) - 1, (u64)gdt };

	tss.ist[0] = (u64)df_stack + sizeof(df_stack);
	tss.iomap_base = sizeof(tss);
	gdt[3] = (sizeof(tss) - 1) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	__asm__ __volatile__("lgdt %0" : : "m"(ptr));
	__asm__ __volatile__("ltr %w0" : : "r"(TSS_SEL));
}

static void set_gate(int vector, u64 handler, u8 ist)
{
	struct idt_entry *e = &idt[vector];

	e->offset_low = handler & 0xffff;
	e->selector = KERNEL_CS;
	e->ist = ist;
	e->type = GATE_INTERRUPT;
	e->offset_mid = (handler >> 16) & 0xffff;
	e->offset_high = handler >> 32;
	e->reserved = 0;
}

void idt_init(void)
{
	struct table_ptr ptr = { sizeof(idt) - 1, (u64)idt };

	load_gdt_tss();
	for (int v = 0; v < 256; v++)
		set_gate(v, isr_entry_table[v], v == DF_VECTOR ? 1 : 0);
	__asm__ __volatile__("lidt %0" : : "m"(ptr));
}

static void report_page_fault(const struct pt_regs *regs)
{
	u64 err = regs->error_code;

	printk("CR2 = 0x%lx: %s on %s%s\n", read_cr2(),
	       err & 1 ? "protection violation" : "page not present",
	       err & 16 ? "instruction fetch" : (err & 2 ? "write" : "read"),
	       err & 8 ? " (reserved bit set)" : "");
}

static __noreturn void die(const struct pt_regs *regs)
{
	const char *name = exception_names[regs->vector];

	panic_begin();
	printk("\nKernel panic: %s, vector %lu) in thread %s\n",
	       name ? name : "exception (?", regs->vector, task_name(current));
	printk("error code 0x%lx at RIP 0x%lx\n", regs->error_code, regs->rip);
	if (regs->vector == PF_VECTOR)
		report_page_fault(regs);
	dump_regs(regs);
	dump_backtrace(regs->rip, regs->rbp);
	panic_end();
}

void isr_dispatch(struct pt_regs *regs);
void isr_dispatch(struct pt_regs *regs)
{
	u64 v = regs->vector;
	u64 prof;

	if (v < 32)
		die(regs);
	/* The PICs are masked; only their spurious IRQ7/15 land here. */
	if (v < FIRST_DEVICE_VECTOR || v == SPURIOUS_VECTOR)
		return;
	prof = prof_irq_enter();
	irq_depth++;
	if (vectors[v].fn)
		vectors[v].fn(vectors[v].data);
	else
		printk("irq: unexpected interrupt on vector %lu\n", v);
	irq_depth--;
	prof_irq_exit(prof);
	lapic_eoi();
}

bool in_interrupt(void)
{
	return irq_depth > 0;
}

void irq_set_handler(int vector, irq_handler_t handler, void *data)
{
	unsigned long flags;

	spin_lock_irqsave(&vector_lock, flags);
	vectors[vector].data = data;
	vectors[vector].fn = handler;
	spin_unlock_irqrestore(&vector_lock, flags);
}

int irq_alloc_vector(irq_handler_t handler, void *data)
{
	unsigned long flags;
	int found = -ENOSPC;

	if (!handler)
		return -EINVAL;
	spin_lock_irqsave(&vector_lock, flags);
	for (int v = FIRST_DEVICE_VECTOR; v <= LAST_DEVICE_VECTOR; v++) {
		if (!vectors[v].fn) {
			vectors[v].data = data;
			vectors[v].fn = handler;
			found = v;
			break;
		}
	}
	spin_unlock_irqrestore(&vector_lock, flags);
	return found;
}

void irq_free_vector(int vector)
{
	if (vector < FIRST_DEVICE_VECTOR || vector > LAST_DEVICE_VECTOR)
		return;
	irq_set_handler(vector, NULL, NULL);
}
