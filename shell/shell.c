/*
 * The serial shell: reads a line, splits it into words, runs the
 * command registered under the first word. Every failure is one line
 * "error: <what>: <reason> (<ERRNO>)" so scripts can grep for it, and
 * it makes the session's power-off status "fail".
 *
 * Ctrl-C while a command runs reaches us in the serial interrupt
 * (shell_intr): the shell thread gets SIGINT, the command's long loops
 * see signal_pending(current) and return -EINTR, and the shell prints
 * "^C" where the error line would be.
 */
#include "shell.h"
#include "errno.h"
#include "printk.h"
#include "sched.h"
#include "serial.h"
#include "sprintf.h"
#include "string.h"

#define PROMPT "$ "

extern const struct shell_command __shell_commands_start[];
extern const struct shell_command __shell_commands_end[];

static const struct shell_command *running; /* for shell_usage_error() */
static char reason[160]; /* set by shell_error() */
static bool session_failed;
static struct task_struct *shell_task;
static bool in_command; /* Ctrl-C is the command's, not the line's */
static struct shell_history history;
static struct shell_line line;

const struct shell_command *shell_find_command(const char *name)
{
	const struct shell_command *cmd;

	for (cmd = __shell_commands_start; cmd < __shell_commands_end; cmd++) {
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	}
	return NULL;
}

void shell_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
}

int shell_usage_error(void)
{
	if (running)
		shell_error("usage: %s", running->usage);
	return -EINVAL;
}

int shell_number_error(const char *word, bool size)
{
	shell_error("%s: not a number (decimal or 0x hex%s)", word,
		    size ? ", with an optional k, M or G" : "");
	return -EINVAL;
}

void shell_set_failed(void)
{
	session_failed = true;
}

bool shell_failed(void)
{
	return session_failed;
}

static void report(const char *what, int err)
{
	const char *why = reason[0] ? reason : errno_reason(err);

	console_start_line();
	if (what)
		printk("error: %s: %s (%s)\n", what, why, errno_name(err));
	else
		printk("error: %s (%s)\n", why, errno_name(err));
	shell_set_failed();
}

int shell_run_line(char *line)
{
	char *argv[SHELL_ARGS_MAX + 1];
	const struct shell_command *cmd;
	int argc, ret;

	reason[0] = '\0';
	argc = shell_split(line, argv, SHELL_ARGS_MAX);
	if (argc == 0)
		return 0;
	if (argc < 0) {
		shell_error("too many arguments (at most %d words)",
			    SHELL_ARGS_MAX);
		report(argv[0], argc);
		return argc;
	}
	argv[argc] = NULL;
	cmd = shell_find_command(argv[0]);
	if (!cmd) {
		shell_error("unknown command");
		report(argv[0], -ENOENT);
		return -ENOENT;
	}
	running = cmd;
	ret = cmd->fn(argc, argv);
	running = NULL;
	if (ret == -EINTR && signal_pending(current)) {
		console_start_line();
		printk("^C\n");
		shell_set_failed();
		return ret;
	}
	if (ret < 0) {
		report(argv[0], ret);
		return ret;
	}
	return 0;
}

/* Serial interrupt, for each Ctrl-C: true if a command takes it. */
static bool shell_intr(void)
{
	if (!READ_ONCE(in_command))
		return false; /* at the prompt: the line editor drops the line */
	send_sig(SIGINT, shell_task);
	return true;
}

static void echo_console(const char *s)
{
	printk("%s", s);
}

static void run_typed(struct shell_line *l)
{
	if (l->overflow) {
		shell_error("line too long");
		report(NULL, -E2BIG);
		return;
	}
	flush_signals(shell_task);
	WRITE_ONCE(in_command, true);
	shell_run_line(l->buf);
	WRITE_ONCE(in_command, false);
	flush_signals(shell_task);
}

void shell_main(void)
{
	enum shell_line_event ev;

	shell_task = current;
	shell_line_init(&line, echo_console, &history, PROMPT);
	serial_set_intr_handler(shell_intr);
	printk("shell: ready\n");
	for (;;) {
		printk(PROMPT);
		do {
			int c = serial_getc();

			ev = c < 0 ? SHELL_LINE_EOF : shell_line_feed(&line, c);
		} while (ev == SHELL_LINE_MORE);
		if (ev != SHELL_LINE_CANCEL)
			run_typed(&line);
		if (ev == SHELL_LINE_EOF)
			shell_poweroff();
		shell_line_clear(&line);
	}
}
