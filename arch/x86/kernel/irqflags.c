/*
 * Interrupt enable/disable for spinlock.h. On one CPU, masking
 * interrupts is all a spinlock needs to keep handlers out.
 */
#include "asm/cpu.h"
#include "printk.h"
#include "spinlock.h"

unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
	else
		__asm__ __volatile__("cli" ::: "memory");
}

void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags) : : "memory");
	return !(flags & X86_EFLAGS_IF);
}

void spin_bug(spinlock_t *lock, const char *what)
{
	panic("spinlock %p: %s", (void *)lock, what);
}
