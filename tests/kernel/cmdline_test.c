/*
 * Self-test of the kernel command line parser.
 */
#include "cmdline.h"
#include "kunit.h"
#include "string.h"

static void cmdline_parse_test(struct kunit *test)
{
	static char saved[1024];

	strscpy(saved, cmdline_raw(), sizeof(saved));
	cmdline_init("  a=1 flag\tb=x=y a=2 empty= ");
	KUNIT_EXPECT_STREQ(test, cmdline_get("a"), "2");
	KUNIT_EXPECT_STREQ(test, cmdline_get("b"), "x=y");
	KUNIT_EXPECT_STREQ(test, cmdline_get("empty"), "");
	KUNIT_EXPECT_TRUE(test, cmdline_get("flag") == NULL);
	KUNIT_EXPECT_TRUE(test, cmdline_has("flag"));
	KUNIT_EXPECT_TRUE(test, cmdline_has("a"));
	KUNIT_EXPECT_FALSE(test, cmdline_has("fla"));
	KUNIT_EXPECT_FALSE(test, cmdline_has(""));
	KUNIT_EXPECT_TRUE(test, cmdline_get("c") == NULL);
	cmdline_init(saved);
}
KUNIT_CASE(cmdline_parse_test, "cmdline.parse");
