/* The host platform layer: sleeping runs pollers, as interrupts would. */
#include <signal.h>

#include "irq.h"
#include "ktime.h"
#include "fixtures/platform.h"
#include "printk.h"
#include "sched.h"
#include "spinlock.h"
#include "unit.h"
#include "wait.h"

static DECLARE_WAIT_QUEUE_HEAD(wq);
static int poll_calls, done_after;
static bool done, saw_irq_context = true;

/* Completes "the I/O" on its done_after-th call, like a slow device. */
static bool slow_device(void)
{
	if (done || poll_calls >= done_after)
		return false;
	saw_irq_context &= in_interrupt() && irqs_disabled();
	if (++poll_calls == done_after) {
		done = true;
		wake_up(&wq);
	}
	return true;
}

static void reset(void)
{
	poll_calls = 0;
	done = false;
	saw_irq_context = true;
	host_unregister_poller(slow_device);
}

START_TEST(wait_event_runs_pollers_until_woken)
{
	reset();
	done_after = 3;
	host_register_poller(slow_device);
	host_register_poller(slow_device); /* once is enough */
	wait_event(wq, done);
	ck_assert(done);
	ck_assert_int_eq(poll_calls, 3);
	ck_assert(saw_irq_context);
	ck_assert(!in_interrupt());
	ck_assert(!irqs_disabled());
	ck_assert(!host_run_pending());
	host_unregister_poller(slow_device);
}
END_TEST

START_TEST(condition_already_true_does_not_sleep)
{
	reset();
	done = true;
	wait_event(wq, done);
	ck_assert_int_eq(poll_calls, 0);
}
END_TEST

START_TEST(run_pending_drains)
{
	reset();
	done_after = 5;
	ck_assert(!host_run_pending());
	host_register_poller(slow_device);
	ck_assert(host_run_pending());
	ck_assert_int_eq(poll_calls, 5);
	ck_assert(!host_run_pending());
	host_unregister_poller(slow_device);
}
END_TEST

START_TEST(msleep_advances_the_clock)
{
	u64 t0 = ktime_get_ns();

	reset();
	done_after = 2;
	host_register_poller(slow_device);
	msleep(15);
	ck_assert_uint_eq(ktime_get_ns() - t0, 15 * NSEC_PER_MSEC);
	ck_assert(done); /* time passing lets pending "interrupts" in */
	host_advance_clock(7);
	ck_assert_uint_eq(ktime_get_ns() - t0, 15 * NSEC_PER_MSEC + 7);
	host_unregister_poller(slow_device);
}
END_TEST

START_TEST(printk_is_logged)
{
	host_printk_log_clear();
	printk("hello %d\n", 42);
	printk("world\n");
	ck_assert_str_eq(host_printk_log(), "hello 42\nworld\n");
	host_printk_log_clear();
	ck_assert_str_eq(host_printk_log(), "");
}
END_TEST

START_TEST(irq_flags_nest)
{
	unsigned long a, b;

	ck_assert(!irqs_disabled());
	local_irq_save(a);
	local_irq_save(b);
	ck_assert(irqs_disabled());
	local_irq_restore(b);
	ck_assert(irqs_disabled());
	local_irq_restore(a);
	ck_assert(!irqs_disabled());
}
END_TEST

START_TEST(sleep_with_nothing_pending_aborts)
{
	host_expect_bug("deadlock: schedule() with nothing pending");
	reset();
	wait_event(wq, done);
}
END_TEST

START_TEST(sleep_with_irqs_off_aborts)
{
	host_expect_bug("panic: schedule() with interrupts disabled");
	local_irq_disable();
	msleep(1);
}
END_TEST

START_TEST(recursive_spinlock_aborts)
{
	DEFINE_SPINLOCK(lock);

	host_expect_bug("spin_bug: recursive spin_lock");
	spin_lock(&lock);
	spin_lock(&lock);
}
END_TEST

static Suite *platform_suite(void)
{
	Suite *s = suite_create("platform");
	TCase *tc = tcase_create("host");

	tcase_add_test(tc, wait_event_runs_pollers_until_woken);
	tcase_add_test(tc, condition_already_true_does_not_sleep);
	tcase_add_test(tc, run_pending_drains);
	tcase_add_test(tc, msleep_advances_the_clock);
	tcase_add_test(tc, printk_is_logged);
	tcase_add_test(tc, irq_flags_nest);
	tcase_add_test_raise_signal(tc, sleep_with_nothing_pending_aborts,
				    SIGABRT);
	tcase_add_test_raise_signal(tc, sleep_with_irqs_off_aborts, SIGABRT);
	tcase_add_test_raise_signal(tc, recursive_spinlock_aborts, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(platform_suite)
