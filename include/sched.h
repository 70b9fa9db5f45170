/*
 * Kernel threads and the scheduler. The scheduler is round-robin and
 * non-preemptive (like a Linux kernel built without CONFIG_PREEMPT): a
 * thread runs until it sleeps or calls schedule(), so code between two
 * sleeping points needs only irqsave locks against interrupt handlers.
 */
#ifndef _SCHED_H
#define _SCHED_H

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

#endif
