/*
 * The shell's line editor (shell/line.c) and history, fed byte by byte
 * as a terminal or a pipe would send them. Two kinds of checks: the
 * exact bytes echoed where they are part of the interface (piped input
 * must read as a transcript, as it always has), and, for editing, a
 * small terminal model that plays the echo back: after every key the
 * screen must show exactly the line, with the cursor where the editor
 * thinks it is.
 */
#define _ISOC11_SOURCE 1
#include <stdio.h>
#include <string.h>

#include "shell/shell.h"
#include "unit.h"

/* ---- a terminal: one row, printable characters, BS, CR/LF ---- */

#define COLS 600

static struct terminal {
	char row[COLS + 1]; /* what the current row shows */
	int col; /* the cursor */
	int newlines;
	int clears; /* ESC [H ESC [2J seen */
	char raw[8192]; /* every byte echoed since the last reset */
	size_t raw_len;
} term;

static void term_reset(void)
{
	memset(&term, 0, sizeof(term));
	memset(term.row, ' ', COLS);
}

static void term_put(const char *s)
{
	size_t n = strlen(s);

	unit_check(term.raw_len + n < sizeof(term.raw));
	memcpy(term.raw + term.raw_len, s, n + 1);
	term.raw_len += n;
	for (; *s; s++) {
		if (strncmp(s, "\x1b[H\x1b[2J", 7) == 0) {
			memset(term.row, ' ', COLS);
			term.col = 0;
			term.clears++;
			s += 6;
		} else if (*s == '\b') {
			unit_check_msg(term.col > 0, "backspace at column 0");
			term.col--;
		} else if (*s == '\n') {
			memset(term.row, ' ', COLS);
			term.col = 0;
			term.newlines++;
		} else {
			unit_check_msg(*s >= ' ' && *s < 0x7f,
				       "echoed control byte 0x%02x", *s);
			unit_check(term.col < COLS);
			term.row[term.col++] = *s;
		}
	}
}

/* The row as text from column from: trailing blanks dropped. */
static const char *term_text(int from)
{
	static char text[COLS + 1];
	int n = COLS - from;

	memcpy(text, term.row + from, (size_t)n);
	while (n > 0 && text[n - 1] == ' ')
		n--;
	text[n] = '\0';
	return text;
}

static struct shell_history hist;
static struct shell_line l;

static void setup(void)
{
	term_reset();
	memset(&hist, 0, sizeof(hist));
	shell_line_init(&l, term_put, &hist, "$ ");
}

/*
 * The row shows the line and nothing after it (from where the line
 * starts: after the prompt once Ctrl-L redrew it), the cursor at pos.
 */
static void check_screen(void)
{
	int origin = term.clears ? 2 : 0;

	unit_check_msg(memcmp(term.row + origin, l.buf, (size_t)l.len) == 0,
		       "screen '%s', line '%s'", term_text(origin), l.buf);
	for (int i = origin + l.len; i < COLS; i++)
		unit_check_msg(term.row[i] == ' ', "screen '%s', line '%s'",
			       term_text(origin), l.buf);
	unit_check_msg(term.col == origin + l.pos, "cursor %d, pos %d",
		       term.col - origin, l.pos);
}

/* Feed s; returns the last event. The screen must match the line. */
static enum shell_line_event feed(const char *s)
{
	enum shell_line_event ev = SHELL_LINE_MORE;

	while (*s) {
		ev = shell_line_feed(&l, (unsigned char)*s++);
		if (ev != SHELL_LINE_MORE || l.esc_len || l.overflow)
			continue;
		check_screen();
	}
	return ev;
}

#define LEFT "\x1b[D"
#define RIGHT "\x1b[C"
#define UP "\x1b[A"
#define DOWN "\x1b[B"
#define HOME "\x1b[H"
#define END "\x1b[F"
#define DEL "\x1b[3~"

/* Piped input echoes just what was typed, as it always has. */
START_TEST(piped_input_echo_is_unchanged)
{
	ck_assert_int_eq(feed("ecx\bho\thi"), SHELL_LINE_MORE);
	ck_assert_int_eq(feed("\r"), SHELL_LINE_DONE);
	ck_assert_str_eq(l.buf, "echo hi");
	ck_assert_str_eq(term.raw, "ecx\b \bho hi\n");
	ck_assert(!l.overflow);

	/* The LF of CR LF is not a second, empty line; a lone LF is. */
	shell_line_clear(&l);
	ck_assert_int_eq(feed("\n"), SHELL_LINE_MORE);
	ck_assert_int_eq(feed("\n"), SHELL_LINE_DONE);
	ck_assert_int_eq(l.len, 0);

	/* Ctrl-C drops the line, Ctrl-D ends the input with what is there. */
	shell_line_clear(&l);
	term_reset();
	ck_assert_int_eq(feed("ab\x03"), SHELL_LINE_CANCEL);
	ck_assert_int_eq(l.len, 0);
	ck_assert_str_eq(term.raw, "ab^C\n");
	ck_assert_int_eq(feed("pw\x04"), SHELL_LINE_EOF);
	ck_assert_str_eq(l.buf, "pw");
}
END_TEST

/* Arrow keys move the cursor; they never become text (abc[D[DZ). */
START_TEST(arrows_move_never_type)
{
	feed("abc" LEFT LEFT "Z");
	ck_assert_str_eq(l.buf, "aZbc");
	ck_assert_int_eq(l.pos, 2);
	feed(RIGHT RIGHT RIGHT RIGHT "!");
	ck_assert_str_eq(l.buf, "aZbc!");
	feed(LEFT LEFT LEFT LEFT LEFT LEFT LEFT ">");
	ck_assert_str_eq(l.buf, ">aZbc!");
	ck_assert_int_eq(feed("\r"), SHELL_LINE_DONE);
	ck_assert_str_eq(l.buf, ">aZbc!");
	ck_assert_int_eq(term.newlines, 1);
}
END_TEST

START_TEST(home_end_in_every_spelling)
{
	static const char *const home[] = { HOME, "\x1b[1~", "\x1b[7~",
					    "\x1bOH", "\x01" };
	static const char *const end[] = { END, "\x1b[4~", "\x1b[8~", "\x1bOF",
					   "\x05" };

	for (size_t i = 0; i < sizeof(home) / sizeof(home[0]); i++) {
		setup();
		feed("world");
		feed(home[i]);
		ck_assert_int_eq(l.pos, 0);
		feed("hello ");
		feed(end[i]);
		ck_assert_int_eq(l.pos, l.len);
		feed("!");
		ck_assert_str_eq(l.buf, "hello world!");
	}
	/* Ctrl-B and Ctrl-F are Left and Right. */
	setup();
	feed("ac\x02"
	     "b\x06"
	     "d");
	ck_assert_str_eq(l.buf, "abcd");
}
END_TEST

START_TEST(erasing)
{
	feed("abcdef" LEFT LEFT "\x7f");
	ck_assert_str_eq(l.buf, "abcef");
	feed(DEL);
	ck_assert_str_eq(l.buf, "abcf");
	feed(END DEL);
	ck_assert_str_eq(l.buf, "abcf");
	feed(HOME "\b" DEL);
	ck_assert_str_eq(l.buf, "bcf");

	setup();
	feed("one two  three" LEFT LEFT "\x17");
	ck_assert_str_eq(l.buf, "one two  ee");
	feed("\x17");
	ck_assert_str_eq(l.buf, "one ee");
	feed("\x0b");
	ck_assert_str_eq(l.buf, "one ");
	feed("x" LEFT "\x15");
	ck_assert_str_eq(l.buf, "x");
	ck_assert_int_eq(l.pos, 0);
}
END_TEST

/* Sequences we do not know are swallowed whole, never typed. */
START_TEST(unknown_sequences_are_swallowed)
{
	feed("a"
	     "\x1b[15~"
	     "\x1b[1;5C"
	     "\x1bOP"
	     "\x1b"
	     "b"
	     "\x1b[200~"
	     "\x07\x1f\x80\xff"
	     "c");
	ck_assert_str_eq(l.buf, "ac");
	ck_assert_int_eq(l.esc_len, 0);
}
END_TEST

START_TEST(history_walks_and_restores)
{
	feed("one\r");
	shell_line_clear(&l);
	feed("two\r");
	shell_line_clear(&l);
	feed("two\r"); /* the same again: kept once */
	shell_line_clear(&l);
	feed("\r"); /* empty lines are not kept */
	shell_line_clear(&l);
	feed("new");
	feed(UP);
	ck_assert_str_eq(l.buf, "two");
	feed(UP);
	ck_assert_str_eq(l.buf, "one");
	feed(UP);
	ck_assert_str_eq(l.buf, "one");
	feed(DOWN);
	ck_assert_str_eq(l.buf, "two");
	feed(DOWN);
	ck_assert_str_eq(l.buf, "new");
	feed(DOWN);
	ck_assert_str_eq(l.buf, "new");
	/* Ctrl-P / Ctrl-N, and a history line edited then run. */
	feed("\x10"
	     "\x10" LEFT "x\r");
	ck_assert_str_eq(l.buf, "onxe");
	ck_assert_str_eq(shell_history_get(&hist, 1), "onxe");
	ck_assert_str_eq(shell_history_get(&hist, 2), "two");
}
END_TEST

START_TEST(history_keeps_the_last_lines)
{
	char line[16];

	for (int i = 0; i < SHELL_HISTORY_MAX + 8; i++) {
		snprintf(line, sizeof(line), "cmd %d", i);
		shell_history_add(&hist, line);
	}
	snprintf(line, sizeof(line), "cmd %d", SHELL_HISTORY_MAX + 7);
	ck_assert_str_eq(shell_history_get(&hist, 1), line);
	snprintf(line, sizeof(line), "cmd %d", 8);
	ck_assert_str_eq(shell_history_get(&hist, SHELL_HISTORY_MAX), line);
	ck_assert_ptr_null(shell_history_get(&hist, SHELL_HISTORY_MAX + 1));
	ck_assert_ptr_null(shell_history_get(&hist, 0));
}
END_TEST

START_TEST(ctrl_l_redraws_prompt_and_line)
{
	feed("abc" LEFT "\x0c");
	ck_assert_int_eq(term.clears, 1);
	ck_assert_str_eq(term_text(0), "$ abc");
	ck_assert_int_eq(term.col, 2 + 2);
}
END_TEST

/* A long line is refused whole; what is typed is still echoed. */
START_TEST(overflow_is_flagged)
{
	for (int i = 0; i < SHELL_LINE_MAX; i++)
		shell_line_feed(&l, 'x');
	ck_assert(!l.overflow);
	ck_assert_int_eq(l.len, SHELL_LINE_MAX);
	shell_line_feed(&l, 'y');
	ck_assert(l.overflow);
	ck_assert_int_eq(l.len, SHELL_LINE_MAX);
	ck_assert_int_eq(l.buf[SHELL_LINE_MAX], '\0');
	ck_assert_uint_eq(term.raw_len, SHELL_LINE_MAX + 1);
	ck_assert_int_eq(shell_line_feed(&l, '\n'), SHELL_LINE_DONE);
	ck_assert_ptr_null(shell_history_get(&hist, 1));
	shell_line_clear(&l);
	ck_assert(!l.overflow);
}
END_TEST

/* Random keys: the screen always shows the line, the cursor in place. */
START_TEST(random_editing_keeps_screen_and_line_equal)
{
	static const char *const keys[] = {
		"a",	"b",	" ",	   LEFT,   RIGHT,  HOME,   END,
		DEL,	"\x7f", "\x15",	   "\x0b", "\x17", UP,	   DOWN,
		"\x01", "\x05", "\x1b[5~", "xyz",  "\x02", "\x06",
	};
	unsigned int seed = 12345;

	for (int round = 0; round < 40; round++) {
		for (int k = 0; k < 60; k++) {
			seed = seed * 1103515245u + 12345u;
			feed(keys[(seed >> 16) %
				  (sizeof(keys) / sizeof(keys[0]))]);
		}
		ck_assert_int_eq(feed("\r"), SHELL_LINE_DONE);
		shell_line_clear(&l);
		term_reset();
	}
}
END_TEST

static Suite *shell_line_suite(void)
{
	Suite *s = suite_create("shell_line");
	TCase *tc = tcase_create("edit");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, piped_input_echo_is_unchanged);
	tcase_add_test(tc, arrows_move_never_type);
	tcase_add_test(tc, home_end_in_every_spelling);
	tcase_add_test(tc, erasing);
	tcase_add_test(tc, unknown_sequences_are_swallowed);
	tcase_add_test(tc, history_walks_and_restores);
	tcase_add_test(tc, history_keeps_the_last_lines);
	tcase_add_test(tc, ctrl_l_redraws_prompt_and_line);
	tcase_add_test(tc, overflow_is_flagged);
	tcase_add_test(tc, random_editing_keeps_screen_and_line_equal);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(shell_line_suite)
