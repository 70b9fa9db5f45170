/*
 * Host platform layer (see platform.h). Only this file and the tests
 * know they run in a process; the portable core sees the same
 * functions the kernel's arch code gives it.
 */
/* ISO C only: glibc's POSIX types (blkcnt_t ...) clash with types.h. */
#define _ISOC11_SOURCE 1
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#include "irq.h"
#include "kasan.h"
#include "ktime.h"
#include "mm.h"
#include "platform.h"
#include "printk.h"
#include "sched.h"
#include "spinlock.h"

/* The block layer defines it; suites that never plug link without it. */
#pragma weak blk_flush_plug

/* ---- interrupt flags ---- */

static unsigned long irqs_off;
static int irq_depth;

unsigned long arch_local_irq_save(void)
{
	unsigned long flags = irqs_off;

	irqs_off = 1;
	return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
	irqs_off = flags;
}

void arch_local_irq_enable(void)
{
	irqs_off = 0;
}

void arch_local_irq_disable(void)
{
	irqs_off = 1;
}

bool arch_irqs_disabled(void)
{
	return irqs_off != 0;
}

bool in_interrupt(void)
{
	return irq_depth > 0;
}

void spin_bug(spinlock_t *lock, const char *what)
{
	fprintf(stderr, "spin_bug: %s (lock %p)\n", what, (void *)lock);
	abort();
}

/* ---- console ---- */

#define LOG_SIZE 65536

static char log_buf[LOG_SIZE];
static size_t log_len;

static void log_append(const char *s, size_t n)
{
	if (n >= LOG_SIZE) {
		s += n - (LOG_SIZE - 1);
		n = LOG_SIZE - 1;
	}
	if (log_len + n >= LOG_SIZE) {
		size_t drop = log_len + n - (LOG_SIZE - 1);

		memmove(log_buf, log_buf + drop, log_len - drop);
		log_len -= drop;
	}
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	log_buf[log_len] = '\0';
}

const char *host_printk_log(void)
{
	return log_buf;
}

void host_printk_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return n;
	log_append(line, strlen(line));
	if (getenv("UNIT_VERBOSE"))
		fputs(line, stderr);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fputs("panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ---- the clock ---- */

u64 host_clock_ns;

u64 ktime_get_ns(void)
{
	return host_clock_ns;
}

void host_advance_clock(u64 ns)
{
	host_clock_ns += ns;
}

/* ---- pollers: the host's interrupts ---- */

#define MAX_POLLERS 16

static host_poller_fn pollers[MAX_POLLERS];
static int nr_pollers;

void host_register_poller(host_poller_fn poll)
{
	for (int i = 0; i < nr_pollers; i++)
		if (pollers[i] == poll)
			return;
	if (nr_pollers == MAX_POLLERS)
		panic("host_register_poller: more than %d pollers",
		      MAX_POLLERS);
	pollers[nr_pollers++] = poll;
}

void host_unregister_poller(host_poller_fn poll)
{
	for (int i = 0; i < nr_pollers; i++) {
		if (pollers[i] != poll)
			continue;
		memmove(&pollers[i], &pollers[i + 1],
			(size_t)(nr_pollers - i - 1) * sizeof(pollers[0]));
		nr_pollers--;
		return;
	}
}

/* One "interrupt": the first poller, in order, that has work does it. */
static bool run_one_poller(void)
{
	for (int i = 0; i < nr_pollers; i++) {
		unsigned long flags = arch_local_irq_save();
		bool progress;

		irq_depth++;
		progress = pollers[i]();
		irq_depth--;
		arch_local_irq_restore(flags);
		if (progress)
			return true;
	}
	return false;
}

bool host_run_pending(void)
{
	bool any = false;

	while (run_one_poller())
		any = true;
	return any;
}

/* ---- the one task ---- */

struct task_struct {
	const char *name;
	long state;
	struct blk_plug *plug;
};

static struct task_struct test_task = { "unit-test", TASK_RUNNING, NULL };

struct task_struct *get_current(void)
{
	return &test_task;
}

const char *task_name(struct task_struct *p)
{
	return p->name;
}

void set_current_state(long state)
{
	test_task.state = state;
}

int wake_up_process(struct task_struct *p)
{
	if (p->state == TASK_RUNNING)
		return 0;
	p->state = TASK_RUNNING;
	return 1;
}

struct blk_plug *current_plug(void)
{
	return test_task.plug;
}

void set_current_plug(struct blk_plug *plug)
{
	test_task.plug = plug;
}

static void sleep_checks(void)
{
	if (irq_depth)
		panic("schedule() in interrupt context (a poller slept)");
	if (irqs_off)
		panic("schedule() with interrupts disabled");
	/* As Linux does: plugged bios must not wait on their submitter. */
	if (test_task.plug && blk_flush_plug)
		blk_flush_plug(test_task.plug);
}

/*
 * A sleeping task waits for a wake_up_process(); only a poller can
 * deliver it. If every poller is idle nobody ever will: a deadlock that
 * would hang the kernel, so the test fails loudly instead.
 */
void schedule(void)
{
	static unsigned long idle_yields;

	sleep_checks();
	if (test_task.state == TASK_RUNNING) {
		/* A yield: let one interrupt in, but a spin must still end. */
		if (run_one_poller())
			idle_yields = 0;
		else if (++idle_yields > 1000000)
			panic("deadlock: schedule() spins with nothing "
			      "pending");
		return;
	}
	while (test_task.state != TASK_RUNNING) {
		if (!run_one_poller()) {
			fprintf(stderr,
				"deadlock: schedule() with nothing pending\n");
			abort();
		}
	}
	idle_yields = 0;
}

/* Time passes, and with it every pending interrupt is delivered. */
void schedule_timeout_ns(u64 ns)
{
	sleep_checks();
	host_advance_clock(ns);
	host_run_pending();
	test_task.state = TASK_RUNNING;
}

void msleep(unsigned int ms)
{
	schedule_timeout_ns((u64)ms * NSEC_PER_MSEC);
}

/* ---- physical memory ---- */

#define ARENA_ALIGN (2UL << 20)

/* Kept in globals so LeakSanitizer sees them as reachable. */
void *host_arena;
struct page *host_mem_map;

void host_mm_init(size_t bytes)
{
	static bool done;
	unsigned long first_pfn, nr;
	struct page *map;

	if (done)
		return;
	bytes = ALIGN(bytes ? bytes : ARENA_ALIGN, ARENA_ALIGN);
	host_arena = aligned_alloc(ARENA_ALIGN, bytes);
	nr = bytes >> PAGE_SHIFT;
	host_mem_map = map = calloc(nr, sizeof(*map));
	if (!host_arena || !map) {
		fprintf(stderr, "host_mm_init: no memory for %zu bytes\n",
			bytes);
		abort();
	}
	first_pfn = (unsigned long)host_arena >> PAGE_SHIFT;
	mem_map_init(map, first_pfn, nr);
	free_pfn_range(first_pfn, first_pfn + nr);
	done = true;
}

void kasan_poison(const void *addr, size_t size)
{
#ifdef __SANITIZE_ADDRESS__
	ASAN_POISON_MEMORY_REGION(addr, size);
#else
	(void)addr;
	(void)size;
#endif
}

bool host_is_poisoned(const void *addr)
{
#ifdef __SANITIZE_ADDRESS__
	return __asan_address_is_poisoned(addr);
#else
	(void)addr;
	return false;
#endif
}

void kasan_unpoison(const void *addr, size_t size)
{
#ifdef __SANITIZE_ADDRESS__
	ASAN_UNPOISON_MEMORY_REGION(addr, size);
#else
	(void)addr;
	(void)size;
#endif
}
