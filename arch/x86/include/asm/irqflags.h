/*
 * Interrupt enable/disable for spinlock.h, inline as in Linux's
 * arch/x86/include/asm/irqflags.h. On one CPU, masking interrupts is all
 * a spinlock needs to keep handlers out. The host test build has its
 * own asm/irqflags.h (tests/unit/fixtures/asm/) with the same five names.
 */
#ifndef _ASM_IRQFLAGS_H
#define _ASM_IRQFLAGS_H

#include "compiler.h"

#define X86_EFLAGS_IF (1UL << 9)

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags) : : "memory");
	return flags;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		arch_local_irq_enable();
	else
		arch_local_irq_disable();
}

static inline bool arch_irqs_disabled(void)
{
	return !(arch_local_save_flags() & X86_EFLAGS_IF);
}

#endif
