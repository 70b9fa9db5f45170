/*
 * errno_name and errno_reason: every code of ERRNO_LIST (include/errno.h)
 * maps back to its own name and reason, from -errno and from errno, and
 * numbers outside the list say so without reading past a table.
 */
#include <string.h>

#include "compiler.h"
#include "errno.h"
#include "unit.h"

struct errno_entry {
	const char *name;
	int value;
	const char *reason;
};

#define ERRNO_ENTRY(n, v, r) { #n, n, r },
static const struct errno_entry entries[] = { ERRNO_LIST(ERRNO_ENTRY) };

START_TEST(every_listed_errno_has_its_name_and_reason)
{
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		const struct errno_entry *e = &entries[i];

		ck_assert_int_gt(e->value, 0);
		ck_assert_int_lt(e->value, MAX_ERRNO);
		ck_assert_str_eq(errno_name(e->value), e->name);
		ck_assert_str_eq(errno_name(-e->value), e->name);
		ck_assert_str_eq(errno_reason(-e->value), e->reason);
		ck_assert_int_gt((int)strlen(e->reason), 0);
		for (size_t j = 0; j < i; j++)
			ck_assert_int_ne(entries[j].value, e->value);
	}
	ck_assert_int_ge((int)ARRAY_SIZE(entries), 30);
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
	ck_assert_str_eq(errno_reason(-ENOENT), "no such file or directory");
	ck_assert_str_eq(errno_reason(3), "failed");
	ck_assert_str_eq(errno_reason(-2147483647 - 1), "failed");
}
END_TEST

static Suite *errno_suite(void)
{
	Suite *s = suite_create("lib_errno");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_listed_errno_has_its_name_and_reason);
	tcase_add_test(tc, known_values_and_unknown);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(errno_suite)
