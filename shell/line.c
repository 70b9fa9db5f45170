/*
 * Line editing for the serial shell (the keys are listed in shell.h).
 * Pure logic, no UART: the shell feeds it bytes and it echoes through a
 * callback, so the host unit tests drive it byte by byte.
 *
 * The screen is redrawn with nothing but printable characters, spaces
 * and backspaces (plus ESC [H ESC [2J for Ctrl-L), so it works on any
 * terminal, and typing at the end of a line echoes just what was typed:
 * a transcript of piped input reads as it always has.
 */
#include "shell.h"
#include "string.h"

#define CTRL(c) ((c)&0x1f)
#define ESC 0x1b
#define BACKSPACE 0x08
#define DELETE 0x7f

void shell_history_add(struct shell_history *h, const char *line)
{
	const char *newest = shell_history_get(h, 1);

	if (!*line || (newest && strcmp(newest, line) == 0))
		return;
	strscpy(h->lines[h->count % SHELL_HISTORY_MAX], line,
		sizeof(h->lines[0]));
	h->count++;
}

const char *shell_history_get(const struct shell_history *h, unsigned int n)
{
	unsigned int held = h->count < SHELL_HISTORY_MAX ? h->count :
							   SHELL_HISTORY_MAX;

	if (n == 0 || n > held)
		return NULL;
	return h->lines[(h->count - n) % SHELL_HISTORY_MAX];
}

void shell_line_clear(struct shell_line *l)
{
	l->len = 0;
	l->pos = 0;
	l->overflow = false;
	l->buf[0] = '\0';
	l->esc_len = 0;
	l->hist_at = 0;
}

void shell_line_init(struct shell_line *l, void (*echo)(const char *s),
		     struct shell_history *history, const char *prompt)
{
	l->echo = echo;
	l->history = history;
	l->prompt = prompt;
	l->last_cr = false;
	shell_line_clear(l);
}

static void echo_n(struct shell_line *l, const char *s, int n)
{
	char chunk[32];

	while (n > 0) {
		int k = n < (int)sizeof(chunk) - 1 ? n : (int)sizeof(chunk) - 1;

		memcpy(chunk, s, (size_t)k);
		chunk[k] = '\0';
		l->echo(chunk);
		s += k;
		n -= k;
	}
}

static void echo_repeat(struct shell_line *l, char c, int n)
{
	char chunk[32];

	while (n > 0) {
		int k = n < (int)sizeof(chunk) - 1 ? n : (int)sizeof(chunk) - 1;

		memset(chunk, c, (size_t)k);
		chunk[k] = '\0';
		l->echo(chunk);
		n -= k;
	}
}

static void cursor_to(struct shell_line *l, int pos)
{
	if (pos < l->pos)
		echo_repeat(l, '\b', l->pos - pos);
	else
		echo_n(l, l->buf + l->pos, pos - l->pos);
	l->pos = pos;
}

/*
 * The text from the cursor on changed and was old_len - pos characters
 * long on the screen: write it again, blank what is left of the old one,
 * and come back to the cursor.
 */
static void redraw_tail(struct shell_line *l, int old_len)
{
	int tail = l->len - l->pos, gone = old_len - l->len;

	echo_n(l, l->buf + l->pos, tail);
	echo_repeat(l, ' ', gone);
	echo_repeat(l, '\b', tail + (gone > 0 ? gone : 0));
}

static void insert_char(struct shell_line *l, char c)
{
	if (l->len == SHELL_LINE_MAX) {
		/* Echoed all the same, as typed: the line will be refused. */
		l->overflow = true;
		if (l->pos == l->len)
			echo_n(l, &c, 1);
		return;
	}
	memmove(l->buf + l->pos + 1, l->buf + l->pos,
		(size_t)(l->len - l->pos + 1));
	l->buf[l->pos] = c;
	l->len++;
	echo_n(l, &c, 1);
	l->pos++;
	if (l->pos < l->len)
		redraw_tail(l, l->len);
}

/* Remove [from, to) of the line; the cursor ends at from. */
static void erase_range(struct shell_line *l, int from, int to)
{
	int old_len = l->len;

	if (from >= to)
		return;
	cursor_to(l, from);
	memmove(l->buf + from, l->buf + to, (size_t)(l->len - to + 1));
	l->len -= to - from;
	redraw_tail(l, old_len);
}

/* Put text in place of the whole line, the cursor at its end. */
static void replace_line(struct shell_line *l, const char *text)
{
	int old_len = l->len;

	cursor_to(l, 0);
	strscpy(l->buf, text, sizeof(l->buf));
	l->len = (int)strlen(l->buf);
	redraw_tail(l, old_len);
	cursor_to(l, l->len);
}

static void history_step(struct shell_line *l, int dir)
{
	unsigned int want = l->hist_at + (unsigned int)dir;
	const char *text;

	if (!l->history || (dir < 0 && l->hist_at == 0))
		return;
	if (want == 0) {
		text = l->saved;
	} else {
		text = shell_history_get(l->history, want);
		if (!text)
			return;
	}
	if (l->hist_at == 0)
		strscpy(l->saved, l->buf, sizeof(l->saved));
	l->hist_at = want;
	replace_line(l, text);
}

static bool is_word_char(char c)
{
	return c != ' ';
}

static void erase_word_before(struct shell_line *l)
{
	int from = l->pos;

	while (from > 0 && !is_word_char(l->buf[from - 1]))
		from--;
	while (from > 0 && is_word_char(l->buf[from - 1]))
		from--;
	erase_range(l, from, l->pos);
}

static void redraw_all(struct shell_line *l)
{
	int pos = l->pos;

	l->echo("\x1b[H\x1b[2J");
	if (l->prompt)
		l->echo(l->prompt);
	echo_n(l, l->buf, l->len);
	l->pos = l->len;
	cursor_to(l, pos);
}

/* A key: a control byte, or the final byte of an escape sequence. */
enum key {
	KEY_NONE,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_UP,
	KEY_DOWN,
	KEY_HOME,
	KEY_END,
	KEY_DELETE,
};

/*
 * The key an escape sequence names: ESC [ A..D, H, F; ESC O A..D, H, F
 * (application mode); ESC [ 1~ 7~ (Home), 4~ 8~ (End), 3~ (Delete). The
 * rest (function keys, Alt-x, modifiers) is swallowed.
 */
static enum key esc_key(const char *seq, int len)
{
	char final = seq[len - 1];

	if (len < 3 || (seq[1] != '[' && seq[1] != 'O'))
		return KEY_NONE;
	if (len == 3) {
		switch (final) {
		case 'A':
			return KEY_UP;
		case 'B':
			return KEY_DOWN;
		case 'C':
			return KEY_RIGHT;
		case 'D':
			return KEY_LEFT;
		case 'H':
			return KEY_HOME;
		case 'F':
			return KEY_END;
		}
		return KEY_NONE;
	}
	if (len == 4 && seq[1] == '[' && final == '~') {
		switch (seq[2]) {
		case '1':
		case '7':
			return KEY_HOME;
		case '4':
		case '8':
			return KEY_END;
		case '3':
			return KEY_DELETE;
		}
	}
	return KEY_NONE;
}

/*
 * Collect an escape sequence: ESC, then '[' or 'O' and parameter bytes
 * up to a final byte in 0x40..0x7e, or ESC and one other byte (Alt-x).
 * Returns the key once the sequence is complete, KEY_NONE meanwhile.
 */
static enum key esc_feed(struct shell_line *l, int c, bool *done)
{
	enum key k;

	*done = false;
	if (l->esc_len < SHELL_ESC_MAX)
		l->esc[l->esc_len] = (char)c;
	l->esc_len++;
	if (l->esc_len == 1)
		return KEY_NONE; /* the ESC itself */
	if (l->esc_len == 2 && c != '[' && c != 'O') {
		*done = true; /* Alt-x */
	} else if (l->esc_len > 2 && c >= 0x40 && c <= 0x7e) {
		*done = true;
	} else if (l->esc_len > 2 && (c < 0x20 || c > 0x3f)) {
		*done = true; /* not a sequence after all: drop it */
	}
	if (!*done)
		return KEY_NONE;
	k = l->esc_len <= SHELL_ESC_MAX ? esc_key(l->esc, l->esc_len) :
					  KEY_NONE;
	l->esc_len = 0;
	return k;
}

static void do_key(struct shell_line *l, enum key k)
{
	switch (k) {
	case KEY_LEFT:
		if (l->pos > 0)
			cursor_to(l, l->pos - 1);
		break;
	case KEY_RIGHT:
		if (l->pos < l->len)
			cursor_to(l, l->pos + 1);
		break;
	case KEY_HOME:
		cursor_to(l, 0);
		break;
	case KEY_END:
		cursor_to(l, l->len);
		break;
	case KEY_UP:
		history_step(l, 1);
		break;
	case KEY_DOWN:
		history_step(l, -1);
		break;
	case KEY_DELETE:
		erase_range(l, l->pos,
			    l->pos + 1 <= l->len ? l->pos + 1 : l->pos);
		break;
	case KEY_NONE:
		break;
	}
}

/* Enter: the line is done; the terminal's cursor goes past its end. */
static enum shell_line_event line_done(struct shell_line *l)
{
	cursor_to(l, l->len);
	l->echo("\n");
	if (l->history && !l->overflow)
		shell_history_add(l->history, l->buf);
	return SHELL_LINE_DONE;
}

enum shell_line_event shell_line_feed(struct shell_line *l, int c)
{
	bool after_cr = l->last_cr, done;

	l->last_cr = c == '\r';
	if (l->esc_len || c == ESC) {
		enum key k = esc_feed(l, c, &done);

		if (done)
			do_key(l, k);
		return SHELL_LINE_MORE;
	}
	switch (c) {
	case '\n':
		if (after_cr)
			return SHELL_LINE_MORE;
		return line_done(l);
	case '\r':
		return line_done(l);
	case BACKSPACE:
	case DELETE:
		erase_range(l, l->pos > 0 ? l->pos - 1 : 0, l->pos);
		return SHELL_LINE_MORE;
	case CTRL('C'):
		cursor_to(l, l->len);
		l->echo("^C\n");
		shell_line_clear(l);
		return SHELL_LINE_CANCEL;
	case CTRL('D'):
		cursor_to(l, l->len);
		l->echo("\n");
		return SHELL_LINE_EOF;
	case CTRL('A'):
		do_key(l, KEY_HOME);
		return SHELL_LINE_MORE;
	case CTRL('E'):
		do_key(l, KEY_END);
		return SHELL_LINE_MORE;
	case CTRL('B'):
		do_key(l, KEY_LEFT);
		return SHELL_LINE_MORE;
	case CTRL('F'):
		do_key(l, KEY_RIGHT);
		return SHELL_LINE_MORE;
	case CTRL('P'):
		do_key(l, KEY_UP);
		return SHELL_LINE_MORE;
	case CTRL('N'):
		do_key(l, KEY_DOWN);
		return SHELL_LINE_MORE;
	case CTRL('U'):
		erase_range(l, 0, l->pos);
		return SHELL_LINE_MORE;
	case CTRL('K'):
		erase_range(l, l->pos, l->len);
		return SHELL_LINE_MORE;
	case CTRL('W'):
		erase_word_before(l);
		return SHELL_LINE_MORE;
	case CTRL('L'):
		redraw_all(l);
		return SHELL_LINE_MORE;
	case '\t':
		c = ' ';
		break;
	}
	if (c >= ' ' && c < DELETE)
		insert_char(l, (char)c);
	return SHELL_LINE_MORE;
}
