/*
 * Wait queues: a sleeper puts itself on the queue, re-checks its
 * condition and only then sleeps, so a wake_up() from an interrupt
 * handler between the check and the sleep is never lost.
 */
#ifndef _WAIT_H
#define _WAIT_H

#include "list.h"
#include "sched.h"
#include "spinlock.h"

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

typedef struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
} wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name)                       \
	{                                                         \
		__SPIN_LOCK_UNLOCKED, LIST_HEAD_INIT((name).head) \
	}
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(wait_queue_head_t *wq);
void init_wait_entry(struct wait_queue_entry *wait);
void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *wait,
		     long state);
void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *wait);
/* Wake every sleeper; safe from interrupt context. */
void wake_up(wait_queue_head_t *wq);

#define wait_event(wq, condition)                                              \
	do {                                                                   \
		struct wait_queue_entry __wait;                                \
		init_wait_entry(&__wait);                                      \
		for (;;) {                                                     \
			prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE); \
			if (condition)                                         \
				break;                                         \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq), &__wait);                                   \
	} while (0)

/*
 * Kernel only: wait_event() that gives up after ms milliseconds, so a
 * lost wake-up fails a caller instead of hanging it. Evaluates to the
 * condition (false: the time ran out first).
 */
#define wait_event_timeout(wq, condition, ms)                               \
	({                                                                  \
		struct wait_queue_entry __w;                                \
		u64 __left = (u64)(ms)*NSEC_PER_MSEC;                       \
		init_wait_entry(&__w);                                      \
		for (;;) {                                                  \
			prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE); \
			if ((condition) || !__left)                         \
				break;                                      \
			__left = schedule_timeout(__left);                  \
		}                                                           \
		finish_wait(&(wq), &__w);                                   \
		(condition);                                                \
	})

#endif
