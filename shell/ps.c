/*
 * The "ps" shell command: every kernel thread with its state, so a hung
 * test can be looked at from the shell (or from a case that prints it).
 */
#include "ktime.h"
#include "printk.h"
#include "shell.h"
#include "spinlock.h"
#include "string.h"
#include "sched.h"

#define PS_MAX 64

static char state_letter(const struct task_struct *p)
{
	switch (p->state) {
	case TASK_RUNNING:
		return 'R';
	case TASK_INTERRUPTIBLE:
		return 'S';
	case TASK_UNINTERRUPTIBLE:
		return 'D';
	default:
		return 'X';
	}
}

struct ps_line {
	int id;
	char state;
	char name[TASK_NAME_LEN];
	s64 wake_in_ms; /* -1: not on a timer */
};

/* Copy under irqs-off, print afterwards: printk is slow. */
static int ps_snapshot(struct ps_line *out, int max)
{
	u64 now = ktime_get_ns();
	struct task_struct *p;
	unsigned long flags;
	int n = 0;

	local_irq_save(flags);
	list_for_each_entry(p, &task_list, tasks) {
		if (n == max)
			break;
		out[n].id = p->id;
		out[n].state = state_letter(p);
		memcpy(out[n].name, p->name, TASK_NAME_LEN);
		out[n].wake_in_ms = -1;
		if (!list_empty(&p->timer_list))
			out[n].wake_in_ms = p->wake_at > now ?
						    (s64)((p->wake_at - now) /
							  NSEC_PER_MSEC) :
						    0;
		n++;
	}
	local_irq_restore(flags);
	return n;
}

static int cmd_ps(int argc, char **argv)
{
	static struct ps_line lines[PS_MAX];
	int n;

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	n = ps_snapshot(lines, PS_MAX);
	printk("  ID S NAME             TIMER\n");
	for (int i = 0; i < n; i++) {
		printk("%4d %c %-16s", lines[i].id, lines[i].state,
		       lines[i].name);
		if (lines[i].wake_in_ms >= 0)
			printk(" wakes in %lld ms",
			       (long long)lines[i].wake_in_ms);
		printk("\n");
	}
	return 0;
}
SHELL_COMMAND("ps", cmd_ps, "ps",
	      "list kernel threads: id, state (R/S/D), name");
