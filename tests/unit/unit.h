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

typedef Suite *(*unit_suite_fn)(void);
void unit_register_suite(unit_suite_fn fn);

#define UNIT_SUITE(fn)                                                      \
	static void __attribute__((constructor)) __unit_register_##fn(void) \
	{                                                                   \
		unit_register_suite(fn);                                    \
	}

#endif
