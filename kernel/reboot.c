/*
 * Power-off hooks and the last words of a session. The verdict reaches
 * the host as QEMU's exit status through the arch's kernel_exit().
 */
#include "asm/power.h"
#include "errno.h"
#include "printk.h"
#include "reboot.h"

struct poweroff_hook {
	int (*fn)(void);
	const char *name;
};

static struct poweroff_hook hooks[MAX_POWEROFF_HOOKS];
static int nr_hooks;

int register_poweroff_hook(int (*fn)(void), const char *name)
{
	if (!fn)
		return -EINVAL;
	if (nr_hooks == MAX_POWEROFF_HOOKS)
		return -ENOSPC;
	hooks[nr_hooks].fn = fn;
	hooks[nr_hooks].name = name ? name : "hook";
	nr_hooks++;
	return 0;
}

/* Newest first; returns how many failed. */
static int run_poweroff_hooks(void)
{
	int failed = 0;

	while (nr_hooks > 0) {
		struct poweroff_hook *h = &hooks[--nr_hooks];
		int err = h->fn();

		if (err < 0) {
			console_start_line();
			printk("error: poweroff: %s: %s (%s)\n", h->name,
			       errno_reason(err), errno_name(err));
			failed++;
		}
	}
	return failed;
}

__noreturn void kernel_power_off(bool failed)
{
	if (run_poweroff_hooks())
		failed = true;
	printk("poweroff: %s\n", failed ? "fail" : "pass");
	kernel_exit(failed ? EXIT_FAILURE_CODE : EXIT_SUCCESS_CODE);
}
