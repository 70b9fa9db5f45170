/*
 * Host unit tests: each tests/unit/NAME_test.c builds a Check suite and
 * registers it with UNIT_SUITE(); main.c runs every registered suite.
 */
#ifndef _UNIT_H
#define _UNIT_H

/*
 * check.h pulls in glibc's <sys/types.h>, whose blkcnt_t (long) clashes
 * with ours (types.h): give glibc's another name, whichever comes first.
 */
#define blkcnt_t glibc_blkcnt_t
#include <check.h>
#undef blkcnt_t

/*
 * ck_assert() and friends record their file and line on every success
 * (a message to the runner, all unpacked when the test ends): a loop of
 * a hundred thousand of them is most of a suite's time. A hot loop
 * checks with unit_check() instead, which costs nothing until it fails
 * and then fails the test as ck_assert_msg() would.
 */
#define unit_check(expr)                                              \
	do {                                                          \
		if (!(expr))                                          \
			ck_abort_msg("Assertion '%s' failed", #expr); \
	} while (0)
#define unit_check_msg(expr, ...)                  \
	do {                                       \
		if (!(expr))                       \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

typedef Suite *(*unit_suite_fn)(void);
/* name: the function's, a stable key for the runner's timings. */
void unit_register_suite(unit_suite_fn fn, const char *name);

#define UNIT_SUITE(fn)                                                      \
	static void __attribute__((constructor)) __unit_register_##fn(void) \
	{                                                                   \
		unit_register_suite(fn, #fn);                               \
	}

#endif
