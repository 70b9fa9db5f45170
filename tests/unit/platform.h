/*
 * Host platform layer: what the kernel's arch code supplies (interrupt
 * flags, printk, panic, current, schedule, the clock, physical memory),
 * supplied instead for the portable core running in a test process.
 *
 * The test runs on one thread. "Interrupts" are pollers: functions a
 * simulated device registers; schedule() runs them when the test thread
 * sleeps, so I/O completes inside waits as it does on real hardware.
 */
#ifndef _PLATFORM_H
#define _PLATFORM_H

#include "ktime.h"
#include "types.h"

/*
 * Give the page allocator an arena of at least bytes (rounded up to
 * 2 MiB), identity-"mapped": a page's address is pfn << PAGE_SHIFT.
 * Idempotent within a process: later calls keep the first arena.
 */
void host_mm_init(size_t bytes);

/*
 * Whether AddressSanitizer would report an access to addr: the
 * allocators poison free pages and free kmalloc objects. Always false
 * in a build without ASan.
 */
bool host_is_poisoned(const void *addr);

/* The fake monotonic clock behind ktime_get_ns(). */
extern u64 host_clock_ns;
void host_advance_clock(u64 ns);

/*
 * A poller completes at most a bounded piece of deferred work (one bio,
 * one request) and returns true if it did anything. It runs as an
 * interrupt handler would: irqs_disabled() and in_interrupt() are true.
 */
typedef bool (*host_poller_fn)(void);
void host_register_poller(host_poller_fn poll);
void host_unregister_poller(host_poller_fn poll);
/* Run pollers until none makes progress; true if any work was done. */
bool host_run_pending(void);

/*
 * Everything printk() printed since the last clear (the tail, if it
 * overflowed). printk output goes to stderr only when UNIT_VERBOSE is
 * set in the environment.
 */
const char *host_printk_log(void);
void host_printk_log_clear(void);

#endif
