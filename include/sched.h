/*
 * Kernel threads and the scheduler. The scheduler is round-robin and
 * non-preemptive (like a Linux kernel built without CONFIG_PREEMPT): a
 * thread runs until it sleeps or calls schedule(), so code between two
 * sleeping points needs only irqsave locks against interrupt handlers.
 */
#ifndef _SCHED_H
#define _SCHED_H

#include "compiler.h"
#include "list.h"
#include "types.h"

#define TASK_RUNNING 0
#define TASK_INTERRUPTIBLE 1
#define TASK_UNINTERRUPTIBLE 2
#define TASK_DEAD 64

struct task_struct;

struct task_struct *get_current(void);
#define current get_current()

void set_current_state(long state);
/* Give up the CPU; returns when this thread is runnable and picked again. */
void schedule(void);
int wake_up_process(struct task_struct *p);
/* Sleep for at least the given time; the timer interrupt wakes us. */
void msleep(unsigned int ms);
void schedule_timeout_ns(u64 ns);
/*
 * Kernel only: sleep in the state the caller already set (after
 * prepare_to_wait) until woken or ns have passed, as Linux's
 * schedule_timeout(). Returns the ns left, 0 if the time ran out.
 */
u64 schedule_timeout(u64 ns);

struct task_struct *kthread_run(int (*fn)(void *data), void *data,
				const char *name);
const char *task_name(struct task_struct *p);

/*
 * The running thread's block plug (NULL when none). schedule() calls
 * blk_flush_plug() on it before the thread sleeps, as Linux does, so
 * plugged bios never wait on their own submitter.
 */
struct blk_plug;
struct blk_plug *current_plug(void);
void set_current_plug(struct blk_plug *plug);
void blk_flush_plug(struct blk_plug *plug);
/* The same, from schedule(): a trace records it as UT, not U. */
void blk_schedule_flush_plug(struct blk_plug *plug);

/*
 * struct task_struct and the scheduler's internals: kernel/sched.c,
 * kernel/kthread.c, the arch's tick and context switch, and `ps`.
 */

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
	unsigned int prof_stage; /* its stage of the time profile, while out */
	struct list_head tasks; /* on task_list while it exists */
	unsigned long pending; /* signals sent, a bit each (1 << SIGINT) */
};

/*
 * Signals, in the small: there is one, SIGINT, which the console sends
 * for Ctrl-C to the thread running a shell command. Nothing is ever
 * delivered: long loops poll signal_pending(current) at each page or
 * block and end with -EINTR, as Linux's read and write loops do with
 * fatal_signal_pending(); the shell flushes it before the next command.
 */
#define SIGINT 2

/* Mark sig pending on p; from interrupt handlers (only they send). */
static inline void send_sig(int sig, struct task_struct *p)
{
	WRITE_ONCE(p->pending, p->pending | 1UL << sig);
}

static inline bool signal_pending(const struct task_struct *p)
{
	return READ_ONCE(p->pending) != 0;
}

/* Every signal we have ends what the thread is doing. */
static inline bool fatal_signal_pending(const struct task_struct *p)
{
	return signal_pending(p);
}

static inline void flush_signals(struct task_struct *p)
{
	WRITE_ONCE(p->pending, 0);
}

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

/* arch/x86/kernel/switch.asm */
void __switch_to(u64 *prev_rsp, u64 next_rsp);
void kthread_trampoline(void);

#endif
