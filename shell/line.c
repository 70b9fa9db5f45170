/*
 * Line editing for the serial shell. The shell echoes what it reads so
 * a transcript of piped input reads like a terminal session.
 */
#include "shell.h"
#include "string.h"

#define CTRL_C 0x03
#define CTRL_D 0x04
#define BACKSPACE 0x08
#define DELETE 0x7f

void shell_line_clear(struct shell_line *l)
{
	l->len = 0;
	l->overflow = false;
	l->buf[0] = '\0';
}

void shell_line_init(struct shell_line *l, void (*echo)(const char *s))
{
	l->echo = echo;
	l->last_cr = false;
	shell_line_clear(l);
}

static void line_add(struct shell_line *l, char c)
{
	char s[2] = { c, '\0' };

	l->echo(s);
	if (l->len == SHELL_LINE_MAX) {
		l->overflow = true;
		return;
	}
	l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

static void line_erase(struct shell_line *l)
{
	if (l->len == 0)
		return;
	l->buf[--l->len] = '\0';
	l->echo("\b \b");
}

enum shell_line_event shell_line_feed(struct shell_line *l, int c)
{
	bool after_cr = l->last_cr;

	l->last_cr = c == '\r';
	switch (c) {
	case '\n':
		if (after_cr)
			return SHELL_LINE_MORE;
		/* fall through */
	case '\r':
		l->echo("\n");
		return SHELL_LINE_DONE;
	case BACKSPACE:
	case DELETE:
		line_erase(l);
		return SHELL_LINE_MORE;
	case CTRL_C:
		l->echo("^C\n");
		shell_line_clear(l);
		return SHELL_LINE_CANCEL;
	case CTRL_D:
		l->echo("\n");
		return SHELL_LINE_EOF;
	case '\t':
		c = ' ';
		break;
	}
	if (c >= ' ' && c < DELETE)
		line_add(l, (char)c);
	return SHELL_LINE_MORE;
}
