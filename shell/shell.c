/*
 * The serial shell: reads a line, splits it into words, runs the
 * command registered under the first word. Every failure is one line
 * "error: <what>: <reason> (<ERRNO>)" so scripts can grep for it, and
 * it makes the session's power-off status "fail".
 */
#include "shell.h"
#include "errno.h"
#include "printk.h"
#include "serial.h"
#include "sprintf.h"
#include "string.h"

extern const struct shell_command __shell_commands_start[];
extern const struct shell_command __shell_commands_end[];

static const struct shell_command *running; /* for shell_usage_error() */
static char reason[160]; /* set by shell_error() */
static bool session_failed;

const struct shell_command *shell_find_command(const char *name)
{
	const struct shell_command *cmd;

	for (cmd = __shell_commands_start; cmd < __shell_commands_end; cmd++) {
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	}
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int shell_split(char *line, char **argv, int max)
{
	int argc = 0;

	for (;;) {
		while (is_space(*line))
			*line++ = '\0';
		if (!*line)
			return argc;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = line;
		while (*line && !is_space(*line))
			line++;
	}
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
	if (ret < 0) {
		report(argv[0], ret);
		return ret;
	}
	return 0;
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
	shell_run_line(l->buf);
}

void shell_main(void)
{
	struct shell_line line;
	enum shell_line_event ev;

	shell_line_init(&line, echo_console);
	printk("shell: ready\n");
	for (;;) {
		printk("$ ");
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
