/*
 * Self-tests of the arch core: threads, wait queues, interrupts, time,
 * memory, page tables, the command line, and (explicit only) the
 * exception report for a page fault.
 */
#include "asm/apic.h"
#include "cmdline.h"
#include "errno.h"
#include "asm/idt.h"
#include "asm/io.h"
#include "irq.h"
#include "ktime.h"
#include "kunit.h"
#include "mm.h"
#include "asm/multiboot2.h"
#include "asm/paging.h"
#include "printk.h"
#include "slab.h"
#include "string.h"
#include "task.h"
#include "asm/time.h"
#include "wait.h"

#define PINGPONG_ROUNDS 50
#define WAIT_LIMIT_MS 2000

/*
 * Sleep on wq until cond holds or ms pass (so a broken wake-up fails the
 * case instead of hanging the run). Evaluates to cond.
 */
#define wait_event_ms(wq, cond, ms)                                         \
	({                                                                  \
		struct wait_queue_entry __w;                                \
		u64 __left = (u64)(ms)*NSEC_PER_MSEC;                       \
		init_wait_entry(&__w);                                      \
		for (;;) {                                                  \
			prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE); \
			if ((cond) || !__left)                              \
				break;                                      \
			__left = schedule_timeout(__left);                  \
		}                                                           \
		finish_wait(&(wq), &__w);                                   \
		(cond);                                                     \
	})

struct pingpong {
	wait_queue_head_t wq;
	int turn;
	int log[2 * PINGPONG_ROUNDS];
	int n;
	int done;
};

struct player {
	struct pingpong *pp;
	int id;
};

static int player_thread(void *data)
{
	struct player *me = data;
	struct pingpong *pp = me->pp;

	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		if (!wait_event_ms(pp->wq, pp->turn == me->id, WAIT_LIMIT_MS))
			break;
		pp->log[pp->n++] = me->id;
		pp->turn = !me->id;
		wake_up(&pp->wq);
	}
	pp->done++;
	wake_up(&pp->wq);
	return 0;
}

static void sched_pingpong_test(struct kunit *test)
{
	static struct pingpong pp;
	static struct player players[2];

	memset(&pp, 0, sizeof(pp));
	init_waitqueue_head(&pp.wq);
	for (int i = 0; i < 2; i++) {
		players[i].pp = &pp;
		players[i].id = i;
	}
	/* Start player 1 first: it must wait for player 0's turn. */
	KUNIT_ASSERT_TRUE(test,
			  kthread_run(player_thread, &players[1], "ping1"));
	KUNIT_ASSERT_TRUE(test,
			  kthread_run(player_thread, &players[0], "ping0"));
	KUNIT_ASSERT_TRUE(test, wait_event_ms(pp.wq, pp.done == 2, 4000));
	KUNIT_ASSERT_EQ(test, pp.n, 2 * PINGPONG_ROUNDS);
	for (int i = 0; i < pp.n; i++)
		KUNIT_EXPECT_EQ(test, pp.log[i], i % 2);
}
KUNIT_CASE(sched_pingpong_test, "sched.pingpong");

static int exit_thread(void *data)
{
	(*(int *)data)++;
	return 0;
}

/* Threads that exit give back their stacks and task structs. */
static void sched_exit_reaps_test(struct kunit *test)
{
	static int ran;
	unsigned long before;

	ran = 0;
	KUNIT_ASSERT_TRUE(test, kthread_run(exit_thread, &ran, "exit"));
	msleep(2); /* warm caches: the slab may keep a page */
	before = nr_free_pages();
	for (int i = 0; i < 20; i++)
		KUNIT_ASSERT_TRUE(test, kthread_run(exit_thread, &ran, "exit"));
	msleep(2);
	KUNIT_EXPECT_EQ(test, ran, 21);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), before);
}
KUNIT_CASE(sched_exit_reaps_test, "sched.exit_reaps");

struct sleeper {
	wait_queue_head_t wq;
	bool go;
	bool done;
};

static int sleeper_thread(void *data)
{
	struct sleeper *s = data;

	wait_event(s->wq, s->go);
	s->done = true;
	wake_up(&s->wq);
	return 0;
}

/* The thread list shows a sleeping thread, and forgets it once it exits. */
static void sched_task_list_test(struct kunit *test)
{
	static struct sleeper s;
	struct task_struct *p;

	memset(&s, 0, sizeof(s));
	init_waitqueue_head(&s.wq);
	KUNIT_ASSERT_TRUE(test,
			  kthread_run(sleeper_thread, &s, "arch-sleeper"));
	msleep(2);
	p = find_task_by_name("arch-sleeper");
	KUNIT_ASSERT_TRUE(test, p != NULL);
	KUNIT_EXPECT_EQ(test, p->state, TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_FALSE(test, s.done);
	s.go = true;
	wake_up(&s.wq);
	KUNIT_EXPECT_TRUE(test, wait_event_ms(s.wq, s.done, WAIT_LIMIT_MS));
	msleep(2);
	KUNIT_EXPECT_TRUE(test, find_task_by_name("arch-sleeper") == NULL);
	KUNIT_EXPECT_TRUE(test, find_task_by_name("idle") != NULL);
}
KUNIT_CASE(sched_task_list_test, "sched.task_list");

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
	KUNIT_EXPECT_TRUE(test, wait_event_ms(w.wq, w.fired, WAIT_LIMIT_MS));
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

static void mm_kmalloc_smoke_test(struct kunit *test)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 512, 2048 };
	void *p[ARRAY_SIZE(sizes)];
	struct page *pages;

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, p[i] != NULL);
		KUNIT_EXPECT_TRUE(test, ksize(p[i]) >= sizes[i]);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	/* No allocation overwrote another. */
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		const u8 *b = p[i];

		for (size_t k = 0; k < sizes[i]; k++)
			KUNIT_ASSERT_EQ(test, b[k], i + 1);
		kfree(p[i]);
	}
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	KUNIT_ASSERT_TRUE(test, pages != NULL);
	KUNIT_EXPECT_TRUE(test,
			  IS_ALIGNED((u64)page_address(pages), 8 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, ((u64 *)page_address(pages))[1000], 0);
	__free_pages(pages, 3);
}
KUNIT_CASE(mm_kmalloc_smoke_test, "mm.kmalloc_smoke");

extern char _kernel_start[], _kernel_end[];

static void paging_map_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kernel_addr_mapped((u64)_kernel_start));
	KUNIT_EXPECT_TRUE(test, kernel_addr_mapped((u64)test));
	KUNIT_EXPECT_FALSE(test, kernel_addr_mapped(0xdead0000000ULL));
	KUNIT_EXPECT_FALSE(test, kernel_addr_mapped(1ULL << 47));
	KUNIT_EXPECT_TRUE(test,
			  ioremap(0xfee00000, 4096) == (void *)0xfee00000);
	KUNIT_EXPECT_TRUE(test, ioremap(0, 0) == NULL);
	KUNIT_EXPECT_TRUE(test, ioremap(~0ULL - 10, 4096) == NULL);
}
KUNIT_CASE(paging_map_test, "paging.map");

/* Every byte of RAM the firmware reported is mapped (above 4 GiB too). */
static void paging_ram_mapped_test(struct kunit *test)
{
	unsigned int checked = 0;

	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		u64 last = r->base + r->len - 1;

		if (r->type != MB2_MEMORY_AVAILABLE || !r->len ||
		    last >= (u64)mem_map_nr_pages << PAGE_SHIFT)
			continue;
		KUNIT_EXPECT_TRUE(test, kernel_addr_mapped(r->base));
		KUNIT_EXPECT_TRUE(test, kernel_addr_mapped(last));
		checked++;
	}
	KUNIT_EXPECT_TRUE(test, checked > 0);
	KUNIT_EXPECT_TRUE(
		test,
		kernel_addr_mapped(((u64)mem_map_nr_pages << PAGE_SHIFT) - 1));
}
KUNIT_CASE(paging_ram_mapped_test, "paging.ram_mapped");

static void cmdline_parse_test(struct kunit *test)
{
	static char saved[1024];

	strscpy(saved, cmdline_raw(), sizeof(saved));
	cmdline_init("  a=1 flag\tb=x=y a=2 empty= ");
	KUNIT_EXPECT_STREQ(test, cmdline_get("a"), "2");
	KUNIT_EXPECT_STREQ(test, cmdline_get("b"), "x=y");
	KUNIT_EXPECT_STREQ(test, cmdline_get("empty"), "");
	KUNIT_EXPECT_TRUE(test, cmdline_get("flag") == NULL);
	KUNIT_EXPECT_TRUE(test, cmdline_has("flag"));
	KUNIT_EXPECT_TRUE(test, cmdline_has("a"));
	KUNIT_EXPECT_FALSE(test, cmdline_has("fla"));
	KUNIT_EXPECT_FALSE(test, cmdline_has(""));
	KUNIT_EXPECT_TRUE(test, cmdline_get("c") == NULL);
	cmdline_init(saved);
}
KUNIT_CASE(cmdline_parse_test, "cmdline.parse");

/* Must end the run with a page-fault report: checked by the harness. */
static void page_fault_test(struct kunit *test)
{
	volatile int *bad = (volatile int *)0xdead0000000ULL;

	*bad = 1;
	kunit_fail(test, __FILE__, __LINE__, "write to %p did not fault",
		   (void *)bad);
}
KUNIT_CASE_EXPLICIT(page_fault_test, "harness.page_fault");

/* Must end the run with a "Kernel panic: ..." report. */
static void panic_test(struct kunit *test)
{
	panic("deliberate panic from the %s self-test", test->name);
}
KUNIT_CASE_EXPLICIT(panic_test, "harness.panic");

/*
 * With no usable stack the page fault cannot be delivered, so the CPU
 * raises a double fault, which runs on its own stack (IST1) and must
 * still be reported.
 */
static void double_fault_test(struct kunit *test)
{
	__asm__ __volatile__("movq $0xdead0000000, %%rsp; pushq $0" ::
				     : "memory");
	kunit_fail(test, __FILE__, __LINE__, "bad stack did not fault");
}
KUNIT_CASE_EXPLICIT(double_fault_test, "harness.double_fault");

/*
 * Overwriting the stack canary (what a real overflow does first) must be
 * caught at the next tick or switch with a "stack overflow" panic.
 */
static void stack_overflow_test(struct kunit *test)
{
	*current->canary = 0;
	msleep(2);
	kunit_fail(test, __FILE__, __LINE__, "overflow not detected");
}
KUNIT_CASE_EXPLICIT(stack_overflow_test, "harness.stack_overflow");
