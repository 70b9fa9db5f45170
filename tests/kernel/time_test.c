/*
 * Self-test of the clock: monotonic, in step with sleeping, and the tick runs.
 */
#include "ktime.h"
#include "kunit.h"
#include "ktime.h"
#include "sched.h"

static void time_monotonic_test(struct kunit *test)
{
	u64 t0 = ktime_get_ns(), j0 = jiffies, prev = t0;

	msleep(10);
	KUNIT_EXPECT_TRUE(test, ktime_get_ns() - t0 >= 10 * NSEC_PER_MSEC);
	/*
	 * The tick woke us, so it ran; under TCG late ticks are dropped,
	 * not caught up, which is why the clock is the TSC, not jiffies.
	 */
	KUNIT_EXPECT_TRUE(test, jiffies > j0);
	for (int i = 0; i < 1000; i++) {
		u64 now = ktime_get_ns();

		KUNIT_ASSERT_TRUE(test, now >= prev);
		prev = now;
	}
}
KUNIT_CASE(time_monotonic_test, "time.monotonic");
