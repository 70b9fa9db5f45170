/*
 * Wait queues. Portable: built into the kernel and into the host test
 * binary, so it uses only the scheduler's interface (sched.h).
 *
 * A sleeper stays on the queue from prepare_to_wait() to finish_wait();
 * wake_up() only makes the sleepers runnable. The sleeper re-checks its
 * condition after prepare_to_wait() has set its state, so a wake_up()
 * from an interrupt handler between the check and schedule() turns the
 * state back to running and the sleep does not happen.
 */
#include "wait.h"

void init_waitqueue_head(wait_queue_head_t *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

void init_wait_entry(struct wait_queue_entry *wait)
{
	wait->task = current;
	INIT_LIST_HEAD(&wait->entry);
}

void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *wait,
		     long state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&wait->entry))
		list_add_tail(&wait->entry, &wq->head);
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *wait)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	spin_lock_irqsave(&wq->lock, flags);
	list_del_init(&wait->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up(wait_queue_head_t *wq)
{
	struct wait_queue_entry *wait;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry(wait, &wq->head, entry)
		wake_up_process(wait->task);
	spin_unlock_irqrestore(&wq->lock, flags);
}
