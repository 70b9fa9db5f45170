/* The shell's own commands: help, echo, mem, uptime, selftest. */
#include "shell.h"
#include "errno.h"
#include "kunit.h"
#include "ktime.h"
#include "mm.h"
#include "printk.h"
#include "string.h"

extern const struct shell_command __shell_commands_start[];
extern const struct shell_command __shell_commands_end[];

/* The command after prev in name order (NULL = the first), or NULL. */
static const struct shell_command *next_by_name(const char *prev)
{
	const struct shell_command *cmd, *best = NULL;

	for (cmd = __shell_commands_start; cmd < __shell_commands_end; cmd++) {
		if (prev && strcmp(cmd->name, prev) <= 0)
			continue;
		if (!best || strcmp(cmd->name, best->name) < 0)
			best = cmd;
	}
	return best;
}

#define HELP_WIDTH 80 /* a terminal's columns */
#define HELP_COLUMN 25 /* where the help text starts */

/*
 * The help text from column HELP_COLUMN, wrapped at word boundaries to
 * stay within HELP_WIDTH; a usage too long for its column gets a line of
 * its own.
 */
static void print_help(const struct shell_command *cmd)
{
	const char *s = cmd->help;
	int col = printk("%s", cmd->usage);

	while (*s) {
		int room = HELP_WIDTH - HELP_COLUMN, n = (int)strlen(s);

		if (n > room) {
			n = room;
			while (n > 0 && s[n] != ' ')
				n--;
			if (n == 0)
				n = room;
		}
		if (col >= HELP_COLUMN) {
			printk("\n");
			col = 0;
		}
		printk("%*s%.*s", HELP_COLUMN - col, "", n, s);
		col = HELP_WIDTH;
		s += n;
		while (*s == ' ')
			s++;
	}
	printk("\n");
}

static int cmd_help(int argc, char **argv)
{
	const struct shell_command *cmd;

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	for (cmd = next_by_name(NULL); cmd; cmd = next_by_name(cmd->name))
		print_help(cmd);
	return 0;
}
SHELL_COMMAND("help", cmd_help, "help", "list the commands");

static int cmd_echo(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		printk("%s%s", argv[i], i + 1 < argc ? " " : "");
	printk("\n");
	return 0;
}
SHELL_COMMAND("echo", cmd_echo, "echo [WORD]...",
	      "print the words, separated by one space");

static unsigned long pages_to_mib(unsigned long pages)
{
	return pages >> (20 - PAGE_SHIFT);
}

static int cmd_mem(int argc, char **argv)
{
	unsigned long total = totalram_pages(), free = nr_free_pages();

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	printk("total: %lu pages, %lu MiB\n", total, pages_to_mib(total));
	printk("free: %lu pages, %lu MiB\n", free, pages_to_mib(free));
	return 0;
}
SHELL_COMMAND("mem", cmd_mem, "mem", "total and free memory");

static int cmd_uptime(int argc, char **argv)
{
	u64 ms = ktime_get_ns() / NSEC_PER_MSEC;

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	printk("uptime: %llu.%03llu s\n", (unsigned long long)(ms / 1000),
	       (unsigned long long)(ms % 1000));
	return 0;
}
SHELL_COMMAND("uptime", cmd_uptime, "uptime", "seconds since boot");

static int cmd_selftest(int argc, char **argv)
{
	const char *glob;
	bool list = argc > 1 && strcmp(argv[1], "-l") == 0;
	int failed;

	if (list) {
		argv++;
		argc--;
	}
	if (argc > 2)
		return shell_usage_error();
	glob = argc > 1 ? argv[1] : NULL;
	failed = list ? ktest_list(glob) : ktest_run(glob);
	if (failed == -ENOENT) {
		shell_error("no case matches '%s'", glob ? glob : "");
		return -ENOENT;
	}
	if (failed < 0)
		return failed; /* -EINTR: Ctrl-C */
	if (failed > 0) {
		shell_error("%d case%s failed", failed, failed == 1 ? "" : "s");
		return -EIO;
	}
	return 0;
}
SHELL_COMMAND("selftest", cmd_selftest, "selftest [-l] [GLOB]",
	      "run the in-kernel tests matching GLOB (KTAP); -l: list them");
