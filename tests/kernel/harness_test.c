/*
 * Self-tests of the harness itself: case selection, one case that fails
 * on purpose so the whole path to a failing exit status can be checked,
 * and (explicit only) the reports of a page fault, a panic, a double
 * fault and a stack overflow, which the system tests check.
 */
#include "errno.h"
#include "kunit.h"
#include "printk.h"
#include "sched.h"
#include "string.h"

static void harness_must_fail_test(struct kunit *test)
{
	kunit_fail(test, __FILE__, __LINE__, "this case fails on purpose");
}
KUNIT_CASE_EXPLICIT(harness_must_fail_test, "harness.must_fail");

static void dummy(struct kunit *test)
{
	(void)test;
}

static void harness_select_test(struct kunit *test)
{
	struct kunit_case plain = { "block.bio_merge", dummy, false };
	struct kunit_case hidden = { "harness.crash", dummy, true };

	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, NULL));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, ""));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, "block.*"));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, "*merge"));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&plain, "block.bio_merge"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&plain, "mm.*"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&plain, "block"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, NULL));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, ""));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, "*"));
	KUNIT_EXPECT_FALSE(test, ktest_selected(&hidden, "harness.*"));
	KUNIT_EXPECT_TRUE(test, ktest_selected(&hidden, "harness.crash"));
}
KUNIT_CASE(harness_select_test, "harness.select");

/* Must end the run with a page-fault report: checked by the harness. */
static void harness_page_fault_test(struct kunit *test)
{
	volatile int *bad = (volatile int *)0xdead0000000ULL;

	*bad = 1;
	kunit_fail(test, __FILE__, __LINE__, "write to %p did not fault",
		   (void *)bad);
}
KUNIT_CASE_EXPLICIT(harness_page_fault_test, "harness.page_fault");

/* Must end the run with a "Kernel panic: ..." report. */
static void harness_panic_test(struct kunit *test)
{
	panic("deliberate panic from the %s self-test", test->name);
}
KUNIT_CASE_EXPLICIT(harness_panic_test, "harness.panic");

/*
 * With no usable stack the page fault cannot be delivered, so the CPU
 * raises a double fault, which runs on its own stack (IST1) and must
 * still be reported.
 */
static void harness_double_fault_test(struct kunit *test)
{
	__asm__ __volatile__("movq $0xdead0000000, %%rsp; pushq $0" ::
				     : "memory");
	kunit_fail(test, __FILE__, __LINE__, "bad stack did not fault");
}
KUNIT_CASE_EXPLICIT(harness_double_fault_test, "harness.double_fault");

/*
 * Overwriting the stack canary (what a real overflow does first) must be
 * caught at the next tick or switch with a "stack overflow" panic.
 */
static void harness_stack_overflow_test(struct kunit *test)
{
	*current->canary = 0;
	msleep(2);
	kunit_fail(test, __FILE__, __LINE__, "overflow not detected");
}
KUNIT_CASE_EXPLICIT(harness_stack_overflow_test, "harness.stack_overflow");
