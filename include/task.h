/*
 * struct task_struct and the scheduler's internals, shared by
 * kernel/sched.c and kernel/kthread.c. Everyone else uses sched.h.
 */
#ifndef _TASK_H
#define _TASK_H

#include "list.h"
#include "sched.h"

#define TASK_NAME_LEN 16
#define KTHREAD_STACK_ORDER \
	3 /* 32 KiB: fs paths and printk buffers nest deep */
#define STACK_CANARY 0x57ac6e9d5ca1ab1eULL

struct task_struct {
	u64 rsp; /* saved by __switch_to */
	long state; /* TASK_RUNNING, ... */
	char name[TASK_NAME_LEN];
	int id;
	void *stack; /* NULL: the boot stack, never freed */
	u64 *canary; /* lowest word of the stack */
	struct list_head run_list; /* on the run queue iff on_rq */
	bool on_rq;
	struct list_head timer_list; /* on the sleepers list, by wake_at */
	u64 wake_at;
	int (*fn)(void *data);
	void *data;
	struct blk_plug *plug;
	struct list_head tasks; /* on task_list while it exists */
};

/* Every thread, in creation order (irqs off to walk or change it). */
extern struct list_head task_list;

/* The boot context becomes thread "kmain"; starts the idle thread. */
void sched_init(void);
/* Timer interrupt: wake the sleepers whose time has come. */
void sched_timer_tick(u64 now_ns);
/* Put a runnable thread at the tail of the run queue (irqs off). */
void sched_enqueue(struct task_struct *p);
/* After a switch, in the new thread: free a thread that just exited. */
void sched_finish_switch(void);

/* kernel/kthread.c */
struct task_struct *kthread_create(int (*fn)(void *data), void *data,
				   const char *name);
void kthread_free(struct task_struct *p);
/* The first thread with this name, or NULL. Kernel-internal: no refcount. */
struct task_struct *find_task_by_name(const char *name);
__noreturn void kthread_exit(void);

/* kernel/switch.asm */
void __switch_to(u64 *prev_rsp, u64 next_rsp);
void kthread_trampoline(void);

#endif
