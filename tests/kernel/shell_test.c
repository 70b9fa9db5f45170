/*
 * Self-tests of the shell: word splitting, line editing, the command
 * table and the errno reasons of its error lines.
 */
#include "errno.h"
#include "kunit.h"
#include "shell/shell.h"
#include "string.h"

static void shell_split_test(struct kunit *test)
{
	char line[128], *argv[4];

	strscpy(line, "  ls \t /a/b   x ", sizeof(line));
	KUNIT_ASSERT_EQ(test, shell_split(line, argv, 4), 3);
	KUNIT_EXPECT_STREQ(test, argv[0], "ls");
	KUNIT_EXPECT_STREQ(test, argv[1], "/a/b");
	KUNIT_EXPECT_STREQ(test, argv[2], "x");

	strscpy(line, " \t ", sizeof(line));
	KUNIT_EXPECT_EQ(test, shell_split(line, argv, 4), 0);
	strscpy(line, "a b c d", sizeof(line));
	KUNIT_EXPECT_EQ(test, shell_split(line, argv, 4), 4);
	strscpy(line, "a b c d e", sizeof(line));
	KUNIT_EXPECT_EQ(test, shell_split(line, argv, 4), -E2BIG);
}
KUNIT_CASE(shell_split_test, "shell.split");

static char echoed[SHELL_LINE_MAX * 2];

static void echo_to_buffer(const char *s)
{
	size_t used = strlen(echoed);

	strscpy(echoed + used, s, sizeof(echoed) - used);
}

/* Feed s; returns the last event. */
static enum shell_line_event feed(struct shell_line *l, const char *s)
{
	enum shell_line_event ev = SHELL_LINE_MORE;

	while (*s)
		ev = shell_line_feed(l, (unsigned char)*s++);
	return ev;
}

static void shell_line_edit_test(struct kunit *test)
{
	struct shell_line l;

	echoed[0] = '\0';
	shell_line_init(&l, echo_to_buffer);
	KUNIT_EXPECT_EQ(test, feed(&l, "ecx\bho\thi"), SHELL_LINE_MORE);
	KUNIT_EXPECT_EQ(test, feed(&l, "\r"), SHELL_LINE_DONE);
	KUNIT_EXPECT_STREQ(test, l.buf, "echo hi");
	KUNIT_EXPECT_STREQ(test, echoed, "ecx\b \bho hi\n");
	KUNIT_EXPECT_FALSE(test, l.overflow);

	/* The LF of CR LF is not a second, empty line; a lone LF is. */
	shell_line_clear(&l);
	KUNIT_EXPECT_EQ(test, feed(&l, "\n"), SHELL_LINE_MORE);
	KUNIT_EXPECT_EQ(test, feed(&l, "\n"), SHELL_LINE_DONE);
	KUNIT_EXPECT_EQ(test, l.len, 0);

	/* Backspace on an empty line and control bytes change nothing. */
	shell_line_clear(&l);
	KUNIT_EXPECT_EQ(test, feed(&l, "\b\x7f\x01\x1bx\x7f"), SHELL_LINE_MORE);
	KUNIT_EXPECT_EQ(test, feed(&l, "ab\x7f"), SHELL_LINE_MORE);
	KUNIT_EXPECT_STREQ(test, l.buf, "a");
	KUNIT_EXPECT_EQ(test, feed(&l, "\x03"), SHELL_LINE_CANCEL);
	KUNIT_EXPECT_EQ(test, l.len, 0);
	KUNIT_EXPECT_EQ(test, feed(&l, "pw\x04"), SHELL_LINE_EOF);
	KUNIT_EXPECT_STREQ(test, l.buf, "pw");
}
KUNIT_CASE(shell_line_edit_test, "shell.line_edit");

static void shell_line_overflow_test(struct kunit *test)
{
	struct shell_line l;
	int i;

	echoed[0] = '\0';
	shell_line_init(&l, echo_to_buffer);
	for (i = 0; i < SHELL_LINE_MAX; i++)
		shell_line_feed(&l, 'x');
	KUNIT_EXPECT_FALSE(test, l.overflow);
	KUNIT_EXPECT_EQ(test, l.len, SHELL_LINE_MAX);
	shell_line_feed(&l, 'y');
	KUNIT_EXPECT_TRUE(test, l.overflow);
	KUNIT_EXPECT_EQ(test, l.len, SHELL_LINE_MAX);
	KUNIT_EXPECT_EQ(test, l.buf[SHELL_LINE_MAX], '\0');
	KUNIT_EXPECT_EQ(test, shell_line_feed(&l, '\n'), SHELL_LINE_DONE);
	shell_line_clear(&l);
	KUNIT_EXPECT_FALSE(test, l.overflow);
}
KUNIT_CASE(shell_line_overflow_test, "shell.line_overflow");

extern const struct shell_command __shell_commands_start[];
extern const struct shell_command __shell_commands_end[];

/* Every helper adds commands from its own file: catch clashes here. */
static void shell_commands_test(struct kunit *test)
{
	const struct shell_command *a, *b;

	for (a = __shell_commands_start; a < __shell_commands_end; a++) {
		KUNIT_ASSERT_TRUE(test, a->name && a->fn && a->usage);
		KUNIT_EXPECT_TRUE(test, a->help != NULL);
		KUNIT_EXPECT_TRUE(test, shell_find_command(a->name) == a);
		for (b = a + 1; b < __shell_commands_end; b++)
			KUNIT_EXPECT_TRUE(test, strcmp(a->name, b->name) != 0);
	}
	KUNIT_EXPECT_TRUE(test, shell_find_command("selftest") != NULL);
	KUNIT_EXPECT_TRUE(test, shell_find_command("nonsense") == NULL);
	KUNIT_EXPECT_TRUE(test, shell_find_command("") == NULL);
}
KUNIT_CASE(shell_commands_test, "shell.commands");

static void shell_errno_reason_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, errno_reason(-ENOENT),
			   "no such file or directory");
	KUNIT_EXPECT_STREQ(test, errno_reason(EIO), "input/output error");
	KUNIT_EXPECT_STREQ(test, errno_reason(-9999), "failed");
	KUNIT_EXPECT_STREQ(test, errno_reason(0), "failed");
}
KUNIT_CASE(shell_errno_reason_test, "shell.errno_reason");
