/*
 * spinlock_t on a single CPU with a non-preemptive scheduler: a lock only
 * has to keep interrupt handlers out, so the irqsave forms disable
 * interrupts and the plain forms only record ownership to catch recursion.
 * The API is Linux's so the code is ready for SMP.
 */
#ifndef _SPINLOCK_H
#define _SPINLOCK_H

#include "asm/irqflags.h"
#include "compiler.h"

typedef struct {
	volatile int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED \
	{                    \
		0            \
	}
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED

/* A lock used wrongly (recursion, unlock of a free lock): panics. */
void spin_bug(spinlock_t *lock, const char *what);

#define local_irq_save(flags) ((flags) = arch_local_irq_save())
#define local_irq_restore(flags) arch_local_irq_restore(flags)
#define local_irq_enable() arch_local_irq_enable()
#define local_irq_disable() arch_local_irq_disable()
#define irqs_disabled() arch_irqs_disabled()

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->locked = 0;
}

static inline void spin_lock(spinlock_t *lock)
{
	if (unlikely(lock->locked))
		spin_bug(lock, "recursive spin_lock");
	lock->locked = 1;
	barrier();
}

static inline void spin_unlock(spinlock_t *lock)
{
	barrier();
	if (unlikely(!lock->locked))
		spin_bug(lock, "spin_unlock of an unlocked lock");
	lock->locked = 0;
}

static inline int spin_is_locked(spinlock_t *lock)
{
	return lock->locked;
}

#define spin_lock_irqsave(lock, flags) \
	do {                           \
		local_irq_save(flags); \
		spin_lock(lock);       \
	} while (0)

#define spin_unlock_irqrestore(lock, flags) \
	do {                                \
		spin_unlock(lock);          \
		local_irq_restore(flags);   \
	} while (0)

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	local_irq_enable();
}

#endif
