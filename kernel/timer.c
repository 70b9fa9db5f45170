/*
 * Kernel timers: one list kept in expiry order, so the tick looks only
 * at its head. Timer functions run with interrupts off, from the tick.
 */
#include "spinlock.h"
#include "timer.h"

static LIST_HEAD(pending);
static DEFINE_SPINLOCK(timer_lock);

void timer_setup(struct timer_list *timer,
		 void (*function)(struct timer_list *timer))
{
	INIT_LIST_HEAD(&timer->entry);
	timer->function = function;
	timer->expires = 0;
}

static void enqueue(struct timer_list *timer)
{
	struct timer_list *pos;

	list_for_each_entry(pos, &pending, entry) {
		if (pos->expires > timer->expires) {
			list_add_tail(&timer->entry, &pos->entry);
			return;
		}
	}
	list_add_tail(&timer->entry, &pending);
}

void mod_timer(struct timer_list *timer, u64 expires)
{
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);
	list_del_init(&timer->entry);
	timer->expires = expires;
	enqueue(timer);
	spin_unlock_irqrestore(&timer_lock, flags);
}

int del_timer(struct timer_list *timer)
{
	unsigned long flags;
	int armed;

	spin_lock_irqsave(&timer_lock, flags);
	armed = !list_empty(&timer->entry);
	list_del_init(&timer->entry);
	spin_unlock_irqrestore(&timer_lock, flags);
	return armed;
}

void run_timers(u64 now)
{
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);
	while (!list_empty(&pending)) {
		struct timer_list *t =
			list_first_entry(&pending, struct timer_list, entry);

		if (t->expires > now)
			break;
		list_del_init(&t->entry);
		/* The function may re-arm this timer: drop the lock first. */
		spin_unlock_irqrestore(&timer_lock, flags);
		t->function(t);
		spin_lock_irqsave(&timer_lock, flags);
	}
	spin_unlock_irqrestore(&timer_lock, flags);
}
