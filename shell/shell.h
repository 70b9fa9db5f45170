/*
 * The serial shell. A command is a function registered in the
 * .shell_commands linker section, so any file can add one:
 *
 *	static int cmd_lsblk(int argc, char **argv)
 *	{
 *		...
 *		return 0;		// or -errno
 *	}
 *	SHELL_COMMAND("lsblk", cmd_lsblk, "lsblk", "list block devices");
 *
 * A command that returns -errno makes the shell print one line
 * "error: <name>: <reason> (<ERRNO>)" and marks the session failed; the
 * reason is what the command passed to shell_error(), or a generic text
 * for the errno. Commands print their output with printk().
 */
#ifndef _SHELL_H
#define _SHELL_H

#include "compiler.h"
#include "types.h"

#define SHELL_LINE_MAX 256 /* characters a line, without the newline */
#define SHELL_ARGS_MAX 32

struct shell_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage; /* "write PATH OFF LEN SEED" */
	const char *help; /* one line */
};

#define SHELL_COMMAND(cname, func, cusage, chelp)                              \
	static const struct shell_command __shell_command_##func __used        \
		__section(".shell_commands") __aligned(8) = { .name = cname,   \
							      .fn = func,      \
							      .usage = cusage, \
							      .help = chelp }

/*
 * Line editing (shell/line.c), separate from the UART so it can be
 * tested on the host: feed it bytes, it echoes through echo() and says
 * when a line is complete. Keys, as a terminal sends them:
 *
 *	CR, LF, CR LF	end the line (the LF of a CR LF pair is not a second one)
 *	Left, Right, Home, End, Ctrl-B/F/A/E	move the cursor
 *	Backspace/DEL, Delete	erase before / at the cursor
 *	Ctrl-U, Ctrl-K, Ctrl-W	erase to the start, to the end, the word before
 *	Up, Down (Ctrl-P/N)	walk the history
 *	Ctrl-L	clear the screen and redraw the prompt and the line
 *	Ctrl-C	drop the line; Ctrl-D: end of input
 *
 * Any other escape sequence and control byte, and bytes >= 0x80, are
 * swallowed: they never become text. Typing at the end of the line
 * echoes exactly the bytes typed, so the transcript of piped input reads
 * as before; editing in the middle redraws the rest of the line with
 * plain characters and backspaces, which any terminal understands.
 */
enum shell_line_event {
	SHELL_LINE_MORE, /* keep feeding */
	SHELL_LINE_DONE, /* buf holds a line (or overflow is set) */
	SHELL_LINE_CANCEL, /* Ctrl-C: the line was dropped */
	SHELL_LINE_EOF, /* Ctrl-D: buf holds the line so far */
};

#define SHELL_HISTORY_MAX 32 /* lines remembered */
#define SHELL_ESC_MAX 16 /* bytes of an escape sequence we keep */

/* The last lines entered, newest last; a ring of fixed slots. */
struct shell_history {
	char lines[SHELL_HISTORY_MAX][SHELL_LINE_MAX + 1];
	unsigned int count; /* lines ever added (the ring holds the last MAX) */
};

/* Add a line, unless it is empty or the same as the newest one. */
void shell_history_add(struct shell_history *h, const char *line);
/* The n-th newest line (1 = the newest), or NULL. */
const char *shell_history_get(const struct shell_history *h, unsigned int n);

struct shell_line {
	char buf[SHELL_LINE_MAX + 1];
	int len; /* characters in buf */
	int pos; /* the cursor: 0..len */
	bool overflow; /* more than SHELL_LINE_MAX characters */
	bool last_cr; /* swallow the LF of a CR LF pair */
	/* An escape sequence being read: ESC, then '[' or 'O', then more. */
	char esc[SHELL_ESC_MAX];
	int esc_len; /* 0: not in one */
	struct shell_history *history; /* NULL: none */
	unsigned int hist_at; /* 0: editing a new line; n: history line n */
	char saved[SHELL_LINE_MAX + 1]; /* the new line, while browsing */
	const char *prompt; /* redrawn by Ctrl-L */
	void (*echo)(const char *s);
};

void shell_line_init(struct shell_line *l, void (*echo)(const char *s),
		     struct shell_history *history, const char *prompt);
/* Start the next line (keeps the CR LF state and the history). */
void shell_line_clear(struct shell_line *l);
enum shell_line_event shell_line_feed(struct shell_line *l, int c);

/* The shell thread's body: kmain starts it in a kernel thread. */
void shell_main(void);

/* Run one line as if typed; returns the command's result (0 or -errno). */
int shell_run_line(char *line);

/*
 * Split line in place at spaces and tabs. Returns argc, or -E2BIG when
 * there are more than max words.
 */
int shell_split(char *line, char **argv, int max);

/*
 * A number: decimal or 0x hex (a leading 0 is not octal: 010 is ten).
 * 0, -EINVAL (not a number) or -ERANGE (over 64 bits).
 */
int shell_parse_u64(const char *s, u64 *v);
/* A size: a number, optionally ending in k, M or G (times 2^10, 2^20, 2^30). */
int shell_parse_size(const char *s, u64 *v);
/*
 * For a command given a bad number: the reason "WORD: not a number
 * (decimal or 0x hex[, with an optional k, M or G])"; returns -EINVAL.
 */
int shell_number_error(const char *word, bool size);

/* Find a registered command by name, NULL if none. */
const struct shell_command *shell_find_command(const char *name);

/*
 * Called by a failing command before it returns -errno: the reason
 * printed in its error line (e.g. "/a/b: not a directory").
 */
void shell_error(const char *fmt, ...) __printf(1, 2);

/* For a command called with bad arguments: "usage: ..."; returns -EINVAL. */
int shell_usage_error(void);

/*
 * The shell's "bench" command (shell/block.c) runs "bench raw" itself
 * and hands every other form ("bench read PATH", "bench write PATH LEN")
 * to this function (shell/fs_bench.c).
 */
int bench_fs_command(int argc, char **argv);
/* "bench create DIR N" and "bench ls DIR" (shell/fs_bench_dir.c). */
int bench_dir_command(int argc, char **argv);

/*
 * For file commands: the reason "PATH: <text for err>" (shell/fs.c),
 * so the line reads "error: cat: /a/b: no such file or directory (ENOENT)".
 * Returns err.
 */
int shell_path_error(const char *path, int err);

struct file;
/*
 * Write len bytes of the splitmix64 stream of seed (byte i of the write
 * is byte i of the stream) at off of f, in chunks (shell/fs_write.c).
 * A short write is -ENOSPC.
 */
int shell_write_stream(struct file *f, u64 off, u64 len, u64 seed);

/* Mark the session failed: power-off will report failure (status 1). */
void shell_set_failed(void);
bool shell_failed(void);

/*
 * fn for each name in the open directory dir, in readdir order, with its
 * lstat (err is 0) or the error of looking it up; names are gathered a
 * batch per readdir call and looked up after it let go of the directory.
 * Stops at fn's first non-zero return, or -EINTR on Ctrl-C (shell/fs.c).
 */
struct kstat;
struct file;
typedef int (*shell_entry_fn)(void *arg, const char *name, unsigned int len,
			      const struct kstat *st, int err);
int shell_for_each_entry(struct file *dir, shell_entry_fn fn, void *arg);

/*
 * num/den with one decimal, without floating point: printk(TENTHS_FMT,
 * TENTHS(bytes * 1000, ns)) prints MB/s as "87.3".
 */
#define TENTHS_FMT "%llu.%llu"
#define TENTHS(num, den)                     \
	(unsigned long long)((num) / (den)), \
		(unsigned long long)((num)*10 / (den) % 10)

/* Power off (kernel_power_off) with the session's verdict. */
__noreturn void shell_poweroff(void);

#endif
