/*
 * The time profile (kernel/prof.c) on the fake clock: nested stages
 * each get their own time back, an interrupt is charged to PROF_IRQ
 * and left out of the stage it came in, stages entered inside an
 * interrupt stand still, nothing is charged while paused, and a reset
 * starts from zero.
 */
#include "ktime.h"
#include "fixtures/platform.h"
#include "unit.h"

static void tick(u64 ns)
{
	host_clock_ns += ns;
}

START_TEST(stages_nest_and_interrupts_are_their_own)
{
	u64 ns[NR_PROF_STAGES];
	unsigned int copy, bio, inner;
	u64 irq;

	host_clock_ns = 1000;
	prof_reset();
	prof_resume();
	tick(5); /* other */
	copy = prof_enter(PROF_COPY);
	ck_assert_uint_eq(copy, PROF_OTHER);
	tick(100);
	bio = prof_enter(PROF_BIO);
	ck_assert_uint_eq(bio, PROF_COPY);
	tick(50);
	irq = prof_irq_enter();
	tick(10);
	/* Inside the handler: its submissions are interrupt time. */
	inner = prof_enter(PROF_SUBMIT);
	tick(20);
	prof_exit(inner);
	prof_irq_exit(irq);
	tick(20);
	prof_exit(bio);
	tick(10);
	prof_exit(copy);
	tick(7); /* other */
	prof_pause();
	tick(1000); /* paused: nobody's */
	prof_read(ns);
	ck_assert_uint_eq(ns[PROF_OTHER], 12);
	ck_assert_uint_eq(ns[PROF_COPY], 110);
	ck_assert_uint_eq(ns[PROF_BIO], 70);
	ck_assert_uint_eq(ns[PROF_IRQ], 30);
	ck_assert_uint_eq(ns[PROF_SUBMIT], 0);
	/* Resumed without a reset: the counts go on. */
	prof_resume();
	tick(3);
	prof_pause();
	prof_read(ns);
	ck_assert_uint_eq(ns[PROF_OTHER], 15);
	prof_reset();
	prof_read(ns);
	for (unsigned int s = 0; s < NR_PROF_STAGES; s++)
		ck_assert_uint_eq(ns[s], 0);
}
END_TEST

/* Off, entering a stage changes nothing and returns the stage as it is. */
START_TEST(off_costs_nothing)
{
	u64 ns[NR_PROF_STAGES];
	unsigned int prev;

	prof_reset();
	prev = prof_enter(PROF_COPY);
	tick(100);
	prof_exit(prev);
	ck_assert_uint_eq(prof_state.stage, prev);
	ck_assert_uint_eq(prof_irq_enter(), 0);
	prof_read(ns);
	for (unsigned int s = 0; s < NR_PROF_STAGES; s++)
		ck_assert_uint_eq(ns[s], 0);
}
END_TEST

static Suite *prof_suite(void)
{
	Suite *s = suite_create("prof");
	TCase *tc = tcase_create("stages");

	tcase_add_test(tc, stages_nest_and_interrupts_are_their_own);
	tcase_add_test(tc, off_costs_nothing);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(prof_suite)
