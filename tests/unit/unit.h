/*
 * Host unit tests: each tests/unit/*_test.c builds a Check suite and
 * registers it with UNIT_SUITE(); main.c runs every registered suite.
 */
#ifndef _UNIT_H
#define _UNIT_H

#include <check.h>

typedef Suite *(*unit_suite_fn)(void);
void unit_register_suite(unit_suite_fn fn);

#define UNIT_SUITE(fn) \
	static void __attribute__((constructor)) __unit_register_##fn(void) \
	{ \
		unit_register_suite(fn); \
	}

#endif
