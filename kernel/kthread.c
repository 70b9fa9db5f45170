/*
 * Kernel threads: creation, first entry and exit. A new thread's stack
 * is built to look as if it had called __switch_to(), so the first
 * switch to it "returns" into kthread_trampoline.
 */
#include "mm.h"
#include "printk.h"
#include "slab.h"
#include "spinlock.h"
#include "string.h"
#include "sched.h"

static int next_id = 1;
LIST_HEAD(task_list);

struct task_struct *kthread_create(int (*fn)(void *data), void *data,
				   const char *name)
{
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);
	unsigned long flags;
	struct page *stack;
	u64 *sp;

	if (!p)
		return NULL;
	stack = alloc_pages(GFP_KERNEL, KTHREAD_STACK_ORDER);
	if (!stack) {
		kfree(p);
		return NULL;
	}
	p->stack = page_address(stack);
	p->canary = p->stack;
	*p->canary = STACK_CANARY;
	strscpy(p->name, name, sizeof(p->name));
	p->fn = fn;
	p->data = data;
	p->state = TASK_RUNNING;
	p->id = next_id++;
	INIT_LIST_HEAD(&p->run_list);
	INIT_LIST_HEAD(&p->timer_list);

	/* Top: one pad word, then what __switch_to pops: 6 registers + rip. */
	sp = (u64 *)((char *)p->stack + (PAGE_SIZE << KTHREAD_STACK_ORDER));
	*--sp = 0;
	*--sp = (u64)kthread_trampoline;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	p->rsp = (u64)sp;
	local_irq_save(flags);
	list_add_tail(&p->tasks, &task_list);
	local_irq_restore(flags);
	return p;
}

struct task_struct *kthread_run(int (*fn)(void *data), void *data,
				const char *name)
{
	struct task_struct *p = kthread_create(fn, data, name);
	unsigned long flags;

	if (!p)
		return NULL;
	local_irq_save(flags);
	sched_enqueue(p);
	local_irq_restore(flags);
	return p;
}

/* Called with interrupts off, after the switch away from p. */
void kthread_free(struct task_struct *p)
{
	list_del(&p->tasks);
	__free_pages(virt_to_page(p->stack), KTHREAD_STACK_ORDER);
	kfree(p);
}

void kthread_entry(void);
void kthread_entry(void)
{
	struct task_struct *self = current;

	sched_finish_switch();
	local_irq_enable(); /* schedule() switched with them off */
	self->fn(self->data);
	kthread_exit();
}

__noreturn void kthread_exit(void)
{
	set_current_state(TASK_DEAD);
	schedule();
	panic("kthread_exit: dead thread %s ran again", task_name(current));
}

struct task_struct *find_task_by_name(const char *name)
{
	struct task_struct *p, *found = NULL;
	unsigned long flags;

	local_irq_save(flags);
	list_for_each_entry(p, &task_list, tasks) {
		if (!strcmp(p->name, name)) {
			found = p;
			break;
		}
	}
	local_irq_restore(flags);
	return found;
}

const char *task_name(struct task_struct *p)
{
	return p ? p->name : "?";
}
