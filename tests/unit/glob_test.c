/*
 * glob_match: a table of patterns with the answers written out, each
 * also checked against the C library's fnmatch(3), plus a pathological
 * pattern that would take exponential time with naive recursion.
 */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>
#include <string.h>

#include "glob.h"
#include "unit.h"

struct glob_case {
	const char *pattern;
	const char *str;
	bool match;
};

static const struct glob_case cases[] = {
	{ "", "", true },
	{ "", "a", false },
	{ "a", "", false },
	{ "abc", "abc", true },
	{ "abc", "abd", false },
	{ "abc", "ab", false },
	{ "ab", "abc", false },
	{ "*", "", true },
	{ "*", "anything", true },
	{ "**", "x", true },
	{ "a*", "a", true },
	{ "a*", "abc", true },
	{ "a*", "bac", false },
	{ "*c", "abc", true },
	{ "*c", "abcd", false },
	{ "a*c", "ac", true },
	{ "a*c", "abbbc", true },
	{ "a*c", "abcbc", true },
	{ "a*c", "abcb", false },
	{ "a*b*c", "aXbYc", true },
	{ "a*b*c", "aXcYb", false },
	{ "block.*", "block.bio_merge", true },
	{ "block.*", "blockX", false },
	{ "*.bio_*", "block.bio_merge", true },
	{ "?", "a", true },
	{ "?", "", false },
	{ "?", "ab", false },
	{ "a?c", "abc", true },
	{ "a?c", "ac", false },
	{ "[abc]", "b", true },
	{ "[abc]", "d", false },
	{ "[a-z]x", "qx", true },
	{ "[a-z]x", "Qx", false },
	{ "[A-Za-z0-9]", "7", true },
	{ "[!x]", "y", true },
	{ "[!x]", "x", false },
	{ "[!a-c]", "b", false },
	{ "[!a-c]", "d", true },
	{ "[]x]", "]", true },
	{ "[]x]", "x", true },
	{ "[]x]", "y", false },
	{ "[!]]", "]", false },
	{ "[!]]", "a", true },
	{ "[a-]", "-", true },
	{ "[a-]", "b", false },
	{ "[*]", "*", true },
	{ "[*]", "a", false },
	{ "[?]", "?", true },
	{ "[abc", "[abc", true }, /* unclosed: literal */
	{ "[abc", "a", false },
	{ "\\*", "*", true },
	{ "\\*", "a", false },
	{ "a\\?", "a?", true },
	{ "a\\?", "ab", false },
	{ "*[0-9]", "test42", true },
	{ "*[0-9]", "test4x", false },
	{ "mm.*.[rw]*", "mm.filemap.read", true },
	{ "mm.*.[rw]*", "mm.filemap.sync", false },
};

START_TEST(table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct glob_case *c = &cases[i];

		ck_assert_msg(glob_match(c->pattern, c->str) == c->match,
			      "'%s' vs '%s': want %d", c->pattern, c->str,
			      c->match);
		ck_assert_msg((fnmatch(c->pattern, c->str, 0) == 0) == c->match,
			      "fnmatch disagrees with table: '%s' vs '%s'",
			      c->pattern, c->str);
	}
}
END_TEST

/* "a*a*a*...b" against "aaaa...": exponential with naive recursion. */
START_TEST(pathological_is_fast)
{
	char pattern[128], str[256];
	size_t n = 0;

	for (int i = 0; i < 30; i++) {
		pattern[n++] = 'a';
		pattern[n++] = '*';
	}
	pattern[n++] = 'b';
	pattern[n] = '\0';
	memset(str, 'a', sizeof(str) - 1);
	str[sizeof(str) - 1] = '\0';
	ck_assert(!glob_match(pattern, str));
	str[sizeof(str) - 2] = 'b';
	ck_assert(glob_match(pattern, str));
}
END_TEST

static Suite *glob_suite(void)
{
	Suite *s = suite_create("lib_glob");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, table);
	tcase_add_test(tc, pathological_is_fast);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(glob_suite)
