/*
 * Self-tests of the shell in the kernel: the command table and the
 * errno reasons of its error lines. The pure parts (line editing,
 * history, word splitting, numbers) are host unit tests:
 * tests/unit/shell_line_test.c and shell_args_test.c.
 */
#include "errno.h"
#include "kunit.h"
#include "shell/shell.h"
#include "string.h"

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
