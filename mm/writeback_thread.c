/*
 * The flusher: a kernel thread that wakes every dirty_writeback_ms (or
 * when a writer crosses the background dirty level) and writes back
 * data dirty for longer than dirty_expire_ms, plus whatever is above
 * the background level. It also hooks page-cache reclaim into the page
 * allocator.
 */
#include "init.h"
#include "pagemap.h"
#include "printk.h"
#include "sched.h"
#include "writeback.h"

#define FLUSHER_TICK_MS 50

static int flusher_thread(void *data)
{
	(void)data;
	for (;;) {
		unsigned int slept = 0;

		while (slept < dirty_writeback_ms &&
		       !flusher_test_and_clear_wanted()) {
			msleep(FLUSHER_TICK_MS);
			slept += FLUSHER_TICK_MS;
		}
		flusher_run_once();
	}
	return 0;
}

static int writeback_init(void)
{
	vmscan_init();
	if (!kthread_run(flusher_thread, NULL, "flush")) {
		printk("writeback: cannot start the flusher thread\n");
		return -1;
	}
	return 0;
}
late_initcall(writeback_init);
