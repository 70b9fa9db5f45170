/*
 * In-kernel self-tests, after Linux's KUnit: each case is a function
 * registered in the .kunit_cases linker section, so adding a test is
 * adding a file. The runner (kernel/ktest.c, declared at the end)
 * prints KTAP version 1.
 *
 *	static void bio_merge_test(struct kunit *test)
 *	{
 *		KUNIT_EXPECT_EQ(test, 2, 1 + 1);
 *	}
 *	KUNIT_CASE(bio_merge_test, "block.bio_merge");
 */
#ifndef _KUNIT_H
#define _KUNIT_H

#include "compiler.h"

struct kunit {
	const char *name;
	bool failed;
	bool skipped; /* set by kunit_skip() */
};

struct kunit_case {
	const char *name; /* "subsystem.what", matched by glob */
	void (*run)(struct kunit *test);
	bool explicit_only; /* runs only when named exactly */
};

#define __KUNIT_REGISTER(fn, cname, explicit)                              \
	static const struct kunit_case __kunit_case_##fn __used __section( \
		".kunit_cases") __aligned(8) = { .name = cname,            \
						 .run = fn,                \
						 .explicit_only = explicit }

#define KUNIT_CASE(fn, cname) __KUNIT_REGISTER(fn, cname, false)
/* For cases that must fail or crash on purpose (harness checks). */
#define KUNIT_CASE_EXPLICIT(fn, cname) __KUNIT_REGISTER(fn, cname, true)

/* Records a failure with its location as a KTAP diagnostic line. */
void kunit_fail(struct kunit *test, const char *file, int line, const char *fmt,
		...) __printf(4, 5);

/*
 * Marks the case skipped (it cannot run here, e.g. no disk attached):
 * reported as "ok N name # SKIP reason". Return from the case after it.
 */
void kunit_skip(struct kunit *test, const char *fmt, ...) __printf(2, 3);

#define KUNIT_EXPECT_TRUE(test, cond)                                       \
	do {                                                                \
		if (!(cond))                                                \
			kunit_fail(test, __FILE__, __LINE__, "expected %s", \
				   #cond);                                  \
	} while (0)
#define KUNIT_EXPECT_FALSE(test, cond) KUNIT_EXPECT_TRUE(test, !(cond))
#define KUNIT_EXPECT_EQ(test, a, b)                                            \
	do {                                                                   \
		long long __a = (long long)(a), __b = (long long)(b);          \
		if (__a != __b)                                                \
			kunit_fail(test, __FILE__, __LINE__,                   \
				   "expected %s == %s (%lld vs %lld)", #a, #b, \
				   __a, __b);                                  \
	} while (0)
#define KUNIT_EXPECT_NE(test, a, b)                                         \
	do {                                                                \
		long long __a = (long long)(a), __b = (long long)(b);       \
		if (__a == __b)                                             \
			kunit_fail(test, __FILE__, __LINE__,                \
				   "expected %s != %s (both %lld)", #a, #b, \
				   __a);                                    \
	} while (0)
#define KUNIT_EXPECT_STREQ(test, a, b)                                         \
	do {                                                                   \
		const char *__a = (a), *__b = (b);                             \
		if (strcmp(__a, __b) != 0)                                     \
			kunit_fail(test, __FILE__, __LINE__,                   \
				   "expected %s == %s (\"%s\" vs \"%s\")", #a, \
				   #b, __a, __b);                              \
	} while (0)
/* The ASSERT forms also end the case: use them in the case function itself. */
#define KUNIT_ASSERT_TRUE(test, cond)                                        \
	do {                                                                 \
		if (!(cond)) {                                               \
			kunit_fail(test, __FILE__, __LINE__, "assertion %s", \
				   #cond);                                   \
			return;                                              \
		}                                                            \
	} while (0)
#define KUNIT_ASSERT_EQ(test, a, b)                                         \
	do {                                                                \
		long long __a = (long long)(a), __b = (long long)(b);       \
		if (__a != __b) {                                           \
			kunit_fail(test, __FILE__, __LINE__,                \
				   "assertion %s == %s (%lld vs %lld)", #a, \
				   #b, __a, __b);                           \
			return;                                             \
		}                                                           \
	} while (0)

/* ---- the runner (kernel/ktest.c): KTAP version 1 on the console ---- */

/*
 * Run every case whose name matches glob (NULL or "" = every case).
 * An explicit-only case runs only when glob is exactly its name.
 * Returns the number of failed cases, -ENOENT if none matched, or
 * -EINTR if Ctrl-C stopped the run between two cases.
 */
int ktest_run(const char *glob);
/* Print the names ktest_run(glob) would run, one a line; -ENOENT if none. */
int ktest_list(const char *glob);

/* Would ktest_run(glob) run this case? */
bool ktest_selected(const struct kunit_case *c, const char *glob);

#endif
