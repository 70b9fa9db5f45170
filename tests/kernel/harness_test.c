/*
 * Self-tests of the harness itself: case selection, the shell's word
 * splitting, line editing and command table, and one case that fails on
 * purpose so the whole path to a failing exit status can be checked.
 */
#include "errno.h"
#include "ktest.h"
#include "shell/shell.h"
#include "string.h"

static void must_fail(struct kunit *test)
{
	kunit_fail(test, __FILE__, __LINE__, "this case fails on purpose");
}
KUNIT_CASE_EXPLICIT(must_fail, "harness.must_fail");

static void dummy(struct kunit *test)
{
	(void)test;
}

static void select_test(struct kunit *test)
{
	struct kunit_case plain = { "block.bio_merge", dummy, false };
	struct kunit_case hidden = { "harness.crash", dummy, true };

	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, NULL));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, ""));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, "block.*"));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, "*merge"));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, "block.bio_merge"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&plain, "mm.*"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&plain, "block"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, NULL));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, ""));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, "*"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, "harness.*"));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&hidden, "harness.crash"));
}
KUNIT_CASE(select_test, "harness.select");

static void split_test(struct kunit *test)
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
KUNIT_CASE(split_test, "shell.split");

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

static void line_edit_test(struct kunit *test)
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
KUNIT_CASE(line_edit_test, "shell.line_edit");

static void line_overflow_test(struct kunit *test)
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
KUNIT_CASE(line_overflow_test, "shell.line_overflow");

extern const struct shell_command __shell_commands_start[];
extern const struct shell_command __shell_commands_end[];

/* Every helper adds commands from its own file: catch clashes here. */
static void commands_test(struct kunit *test)
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
KUNIT_CASE(commands_test, "shell.commands");

static void reason_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, shell_errno_reason(-ENOENT),
			   "no such file or directory");
	KUNIT_EXPECT_STREQ(test, shell_errno_reason(EIO), "input/output error");
	KUNIT_EXPECT_STREQ(test, shell_errno_reason(-9999), "failed");
	KUNIT_EXPECT_STREQ(test, shell_errno_reason(0), "failed");
}
KUNIT_CASE(reason_test, "shell.errno_reason");
