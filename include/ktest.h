/*
 * The in-kernel self-test runner (kernel/ktest.c) over the cases that
 * include/kunit.h registers. It prints KTAP version 1 on the console.
 */
#ifndef _KTEST_H
#define _KTEST_H

#include "kunit.h"

/*
 * Run every case whose name matches glob (NULL or "" = every case).
 * An explicit-only case runs only when glob is exactly its name.
 * Returns the number of failed cases, or -ENOENT if none matched.
 */
int ktest_run(const char *glob);

/* Would ktest_run(glob) run this case? */
bool ktest_selected(const struct kunit_case *c, const char *glob);

#endif
