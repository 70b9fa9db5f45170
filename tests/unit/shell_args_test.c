/*
 * The shell's words and numbers (shell/args.c): splitting at spaces and
 * tabs, and numbers read as scripts/stream.py reads them (decimal or
 * 0x hex; a leading 0 is not octal), sizes with k, M, G.
 */
#define _ISOC11_SOURCE 1
#include <string.h>

#include "errno.h"
#include "shell/shell.h"
#include "unit.h"

START_TEST(split_words)
{
	char line[128], *argv[4];

	strcpy(line, "  ls \t /a/b   x ");
	ck_assert_int_eq(shell_split(line, argv, 4), 3);
	ck_assert_str_eq(argv[0], "ls");
	ck_assert_str_eq(argv[1], "/a/b");
	ck_assert_str_eq(argv[2], "x");
	strcpy(line, " \t ");
	ck_assert_int_eq(shell_split(line, argv, 4), 0);
	strcpy(line, "a b c d");
	ck_assert_int_eq(shell_split(line, argv, 4), 4);
	strcpy(line, "a b c d e");
	ck_assert_int_eq(shell_split(line, argv, 4), -E2BIG);
}
END_TEST

struct num_case {
	const char *s;
	int err;
	u64 v;
};

START_TEST(numbers_decimal_or_hex)
{
	static const struct num_case cases[] = {
		{ "0", 0, 0 },
		{ "7", 0, 7 },
		{ "010", 0, 10 }, /* never octal */
		{ "0008", 0, 8 },
		{ "0x10", 0, 16 },
		{ "0X1f", 0, 31 },
		{ "0xffffffffffffffff", 0, ~0ULL },
		{ "18446744073709551615", 0, ~0ULL },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "0x", -EINVAL, 0 },
		{ "0x0x1", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ "1a", -EINVAL, 0 },
		{ "10k", -EINVAL, 0 }, /* a size, not a number */
		{ " 1", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u64 v = 12345;

		ck_assert_msg(shell_parse_u64(cases[i].s, &v) == cases[i].err,
			      "'%s': want %d", cases[i].s, cases[i].err);
		ck_assert_msg(v == (cases[i].err ? 12345 : cases[i].v),
			      "'%s': got %llu", cases[i].s,
			      (unsigned long long)v);
	}
}
END_TEST

START_TEST(sizes_take_suffixes)
{
	static const struct num_case cases[] = {
		{ "4096", 0, 4096 },
		{ "010", 0, 10 },
		{ "10k", 0, 10240 },
		{ "10K", 0, 10240 },
		{ "3M", 0, 3 << 20 },
		{ "3m", 0, 3 << 20 },
		{ "2G", 0, 2ULL << 30 },
		{ "0x10k", 0, 16384 },
		{ "0x1b", 0, 27 }, /* b is a hex digit here, not a unit */
		{ "17179869183G", 0, 17179869183ULL << 30 },
		{ "17179869184G", -ERANGE, 0 },
		{ "k", -EINVAL, 0 },
		{ "10kk", -EINVAL, 0 },
		{ "10T", -EINVAL, 0 },
		{ "1.5M", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u64 v = 12345;

		ck_assert_msg(shell_parse_size(cases[i].s, &v) == cases[i].err,
			      "'%s': want %d", cases[i].s, cases[i].err);
		ck_assert_msg(v == (cases[i].err ? 12345 : cases[i].v),
			      "'%s': got %llu", cases[i].s,
			      (unsigned long long)v);
	}
}
END_TEST

static Suite *shell_args_suite(void)
{
	Suite *s = suite_create("shell_args");
	TCase *tc = tcase_create("args");

	tcase_add_test(tc, split_words);
	tcase_add_test(tc, numbers_decimal_or_hex);
	tcase_add_test(tc, sizes_take_suffixes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(shell_args_suite)
