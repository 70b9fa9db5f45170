/*
 * errno_name: every error number include/errno.h defines has its name.
 * The header itself is read at run time, so a number added there without
 * a name in lib/errno.c fails this test.
 */
/* ISO C only: glibc's POSIX types (blkcnt_t ...) clash with types.h. */
#define _ISOC11_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errno.h"
#include "unit.h"

/* The repository root, from this file's own path. */
static FILE *open_errno_header(void)
{
	char path[512];
	const char *tail = strstr(__FILE__, "tests/unit/");
	int root = tail ? (int)(tail - __FILE__) : 0;

	snprintf(path, sizeof(path), "%.*sinclude/errno.h", root, __FILE__);
	return fopen(path, "r");
}

START_TEST(every_header_errno_has_its_name)
{
	FILE *f = open_errno_header();
	char line[256], name[64];
	int value, seen = 0;

	ck_assert_msg(f != NULL, "cannot open include/errno.h (run from root)");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "#define %63s %d", name, &value) != 2)
			continue;
		if (name[0] != 'E' || !strcmp(name, "MAX_ERRNO"))
			continue;
		ck_assert_msg(!strcmp(errno_name(value), name),
			      "errno_name(%d) = %s, want %s", value,
			      errno_name(value), name);
		ck_assert_str_eq(errno_name(-value), name);
		seen++;
	}
	fclose(f);
	ck_assert_int_ge(seen, 30);
}
END_TEST

START_TEST(known_values_and_unknown)
{
	ck_assert_str_eq(errno_name(ENOENT), "ENOENT");
	ck_assert_str_eq(errno_name(-EIO), "EIO");
	ck_assert_str_eq(errno_name(-ENOSPC), "ENOSPC");
	ck_assert_str_eq(errno_name(EUCLEAN), "EUCLEAN");
	ck_assert_str_eq(errno_name(0), "E?");
	ck_assert_str_eq(errno_name(3), "E?"); /* ESRCH: not ours */
	ck_assert_str_eq(errno_name(4095), "E?");
	ck_assert_str_eq(errno_name(-100000), "E?");
	ck_assert_str_eq(errno_name(-2147483647 - 1), "E?");
	ck_assert_str_eq(errno_name(2147483647), "E?");
}
END_TEST

static Suite *errno_suite(void)
{
	Suite *s = suite_create("lib_errno");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_header_errno_has_its_name);
	tcase_add_test(tc, known_values_and_unknown);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(errno_suite)
