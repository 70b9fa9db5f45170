/*
 * Power-off: the shell's `poweroff` command and end of input (Ctrl-D).
 * Subsystems register hooks (sync, unmount, ...) that run first, newest
 * first, so what was set up last is torn down first.
 */
#include "shell.h"
#include "errno.h"
#include "asm/power.h"
#include "printk.h"

#define MAX_POWEROFF_HOOKS 16

struct poweroff_hook {
	int (*fn)(void);
	const char *name;
};

static struct poweroff_hook hooks[MAX_POWEROFF_HOOKS];
static int nr_hooks;

int register_poweroff_hook(int (*fn)(void), const char *name)
{
	if (!fn || nr_hooks == MAX_POWEROFF_HOOKS)
		return -ENOSPC;
	hooks[nr_hooks].fn = fn;
	hooks[nr_hooks].name = name ? name : "hook";
	nr_hooks++;
	return 0;
}

static void run_hooks(void)
{
	while (nr_hooks > 0) {
		struct poweroff_hook *h = &hooks[--nr_hooks];
		int err = h->fn();

		if (err < 0) {
			printk("error: poweroff: %s: %s (%s)\n", h->name,
			       shell_errno_reason(err), errno_name(err));
			shell_set_failed();
		}
	}
}

__noreturn void shell_poweroff(void)
{
	run_hooks();
	if (shell_failed()) {
		printk("poweroff: fail\n");
		kernel_exit(EXIT_FAILURE_CODE);
	}
	printk("poweroff: pass\n");
	kernel_exit(EXIT_SUCCESS_CODE);
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	shell_poweroff();
}
SHELL_COMMAND("poweroff", cmd_poweroff, "poweroff",
	      "run the power-off hooks (sync, unmount), then exit QEMU");
