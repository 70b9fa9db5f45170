/*
 * Self-tests of interrupt vectors: a real interrupt handler wakes a
 * sleeper, and the device vector range is handed out and taken back.
 */
#include "asm/apic.h"
#include "asm/idt.h"
#include "errno.h"
#include "irq.h"
#include "kunit.h"
#include "ktime.h"
#include "sched.h"
#include "string.h"
#include "wait.h"

#define WAIT_LIMIT_MS 2000

struct irq_wake {
	wait_queue_head_t wq;
	int fired;
	bool was_in_interrupt;
};

static void test_irq_handler(void *data)
{
	struct irq_wake *w = data;

	w->was_in_interrupt = in_interrupt();
	w->fired++;
	wake_up(&w->wq);
}

static int ipi_thread(void *data)
{
	msleep(5); /* let the test go to sleep first */
	lapic_send_self_ipi(*(int *)data);
	return 0;
}

/* A sleeper is woken by wake_up() from a real interrupt handler. */
static void irq_wakeup_test(struct kunit *test)
{
	static struct irq_wake w;
	static int vector;

	memset(&w, 0, sizeof(w));
	init_waitqueue_head(&w.wq);
	vector = irq_alloc_vector(test_irq_handler, &w);
	KUNIT_ASSERT_TRUE(test, vector >= FIRST_DEVICE_VECTOR);
	KUNIT_EXPECT_FALSE(test, in_interrupt());
	KUNIT_ASSERT_TRUE(test, kthread_run(ipi_thread, &vector, "ipi"));
	KUNIT_EXPECT_TRUE(test,
			  wait_event_timeout(w.wq, w.fired, WAIT_LIMIT_MS));
	KUNIT_EXPECT_EQ(test, w.fired, 1);
	KUNIT_EXPECT_TRUE(test, w.was_in_interrupt);
	irq_free_vector(vector);
}
KUNIT_CASE(irq_wakeup_test, "irq.wakeup");

static void dummy_handler(void *data)
{
	(void)data;
}

static void irq_vectors_test(struct kunit *test)
{
	static int got[LAST_DEVICE_VECTOR + 1];
	int n = 0, v;

	KUNIT_EXPECT_EQ(test, irq_alloc_vector(NULL, NULL), -EINVAL);
	while ((v = irq_alloc_vector(dummy_handler, NULL)) >= 0) {
		KUNIT_EXPECT_TRUE(test, v >= FIRST_DEVICE_VECTOR &&
						v <= LAST_DEVICE_VECTOR);
		if (n < (int)ARRAY_SIZE(got))
			got[n++] = v;
	}
	KUNIT_EXPECT_EQ(test, v, -ENOSPC);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			KUNIT_EXPECT_NE(test, got[i], got[j]);
	for (int i = 0; i < n; i++)
		irq_free_vector(got[i]);
	v = irq_alloc_vector(dummy_handler, NULL);
	KUNIT_EXPECT_TRUE(test, v >= FIRST_DEVICE_VECTOR);
	irq_free_vector(v);
	KUNIT_EXPECT_EQ(test, msi_data(v), v);
	KUNIT_EXPECT_EQ(test, msi_address(v) & 0xfff00000ULL, 0xfee00000ULL);
}
KUNIT_CASE(irq_vectors_test, "irq.vectors");
