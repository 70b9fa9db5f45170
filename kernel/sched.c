/*
 * The scheduler: one run queue, round robin, no preemption. A thread
 * runs until it sleeps or calls schedule(); interrupt handlers only make
 * threads runnable (wake_up_process) and never switch. When nothing is
 * runnable the idle thread halts until the next interrupt.
 *
 * A thread that sleeps sets its state first, then calls schedule(); a
 * wake-up in between just sets the state back to TASK_RUNNING and
 * schedule() then keeps it on the run queue, so no wake-up is lost.
 */
#include "asm/cpu.h"
#include "errno.h"
#include "asm/idt.h"
#include "ktime.h"
#include "printk.h"
#include "spinlock.h"
#include "sched.h"

extern u64 boot_stack_bottom[];

static struct task_struct init_task = {
	.state = TASK_RUNNING,
	.name = "kmain",
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.timer_list = LIST_HEAD_INIT(init_task.timer_list),
};
static struct task_struct *current_task = &init_task;
static struct task_struct *idle_task;
static struct task_struct *exited_task; /* freed by the next thread */
static LIST_HEAD(runqueue);
static LIST_HEAD(sleepers); /* sorted by wake_at */

struct task_struct *get_current(void)
{
	return current_task;
}

void set_current_state(long state)
{
	WRITE_ONCE(current_task->state, state);
	barrier();
}

void sched_enqueue(struct task_struct *p)
{
	if (p->on_rq || p == idle_task)
		return;
	list_add_tail(&p->run_list, &runqueue);
	p->on_rq = true;
}

static struct task_struct *pick_next(void)
{
	struct task_struct *p;

	if (list_empty(&runqueue))
		return idle_task;
	p = list_first_entry(&runqueue, struct task_struct, run_list);
	list_del_init(&p->run_list);
	p->on_rq = false;
	return p;
}

void sched_finish_switch(void)
{
	if (exited_task) {
		kthread_free(exited_task);
		exited_task = NULL;
	}
}

/*
 * Sleeping inside spin_lock_irqsave() breaks the caller's critical
 * section (the next thread runs with interrupts on). Linux calls it
 * "scheduling while atomic"; we report it once, with where it came from.
 */
static void warn_sleep_irqs_off(struct task_struct *p, u64 rip, u64 rbp)
{
	static bool warned;

	if (warned)
		return;
	warned = true;
	printk("BUG: schedule() with interrupts disabled in thread %s\n",
	       p->name);
	dump_backtrace(rip, rbp);
}

void schedule(void)
{
	struct task_struct *prev = current_task, *next;
	unsigned long flags;

	if (unlikely(in_interrupt()))
		panic("schedule() in an interrupt handler");
	if (unlikely(!idle_task))
		panic("schedule() before sched_init()");
	if (unlikely(irqs_disabled()))
		warn_sleep_irqs_off(prev, (u64)__builtin_return_address(0),
				    *(u64 *)__builtin_frame_address(0));
	/* Plugged bios must go out before we sleep waiting on them. */
	if (prev->plug && prev->state != TASK_RUNNING)
		blk_schedule_flush_plug(prev->plug);

	local_irq_save(flags);
	if (unlikely(*prev->canary != STACK_CANARY))
		panic("stack overflow in thread %s", prev->name);
	if (prev->state == TASK_RUNNING)
		sched_enqueue(prev);
	next = pick_next();
	if (next != prev) {
		if (prev->state == TASK_DEAD && prev->stack)
			exited_task = prev;
		else if (prev->state == TASK_DEAD) /* kmain: static */
			list_del_init(&prev->tasks);
		current_task = next;
		__switch_to(&prev->rsp, next->rsp);
		sched_finish_switch();
	}
	local_irq_restore(flags);
}

int wake_up_process(struct task_struct *p)
{
	unsigned long flags;
	int woken = 0;

	local_irq_save(flags);
	if (p->state != TASK_RUNNING && p->state != TASK_DEAD) {
		p->state = TASK_RUNNING;
		if (p != current_task)
			sched_enqueue(p);
		woken = 1;
	}
	local_irq_restore(flags);
	return woken;
}

static void add_sleeper(struct task_struct *p, u64 wake_at)
{
	struct task_struct *pos;

	p->wake_at = wake_at;
	list_for_each_entry(pos, &sleepers, timer_list) {
		if (pos->wake_at > wake_at) {
			list_add_tail(&p->timer_list, &pos->timer_list);
			return;
		}
	}
	list_add_tail(&p->timer_list, &sleepers);
}

void sched_timer_tick(u64 now_ns)
{
	/* Catch an overflow while the thread still runs, not at its next switch. */
	if (unlikely(idle_task && *current_task->canary != STACK_CANARY))
		panic("stack overflow in thread %s", current_task->name);
	while (!list_empty(&sleepers)) {
		struct task_struct *p = list_first_entry(
			&sleepers, struct task_struct, timer_list);

		if (p->wake_at > now_ns)
			break;
		list_del_init(&p->timer_list);
		wake_up_process(p);
	}
}

u64 schedule_timeout(u64 ns)
{
	struct task_struct *self = current_task;
	u64 now = ktime_get_ns();
	u64 deadline = ns > ~0ULL - now ? ~0ULL : now + ns;
	unsigned long flags;

	local_irq_save(flags);
	add_sleeper(self, deadline);
	local_irq_restore(flags);
	schedule();
	local_irq_save(flags);
	list_del_init(&self->timer_list);
	local_irq_restore(flags);
	now = ktime_get_ns();
	return now >= deadline ? 0 : deadline - now;
}

void schedule_timeout_ns(u64 ns)
{
	u64 left = ns;

	while (left) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		left = schedule_timeout(left);
	}
	set_current_state(TASK_RUNNING);
}

void msleep(unsigned int ms)
{
	schedule_timeout_ns(ms * NSEC_PER_MSEC);
}

struct blk_plug *current_plug(void)
{
	return current_task->plug;
}

void set_current_plug(struct blk_plug *plug)
{
	current_task->plug = plug;
}

/* sti takes effect after hlt starts, so a wake-up cannot slip between. */
static int idle_thread(void *data)
{
	(void)data;
	for (;;) {
		local_irq_disable();
		if (list_empty(&runqueue))
			__asm__ __volatile__("sti; hlt" ::: "memory");
		else
			local_irq_enable();
		schedule();
	}
	return 0;
}

void sched_init(void)
{
	list_add(&init_task.tasks, &task_list);
	init_task.canary = boot_stack_bottom;
	*init_task.canary = STACK_CANARY;
	idle_task = kthread_create(idle_thread, NULL, "idle");
	if (!idle_task)
		panic("sched: no memory for the idle thread");
}
