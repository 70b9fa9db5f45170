/*
 * The time profile behind `bench ... --profile`: a clock read at each
 * change of stage, the time since the last change charged to the stage
 * being left. Portable: the clock is ktime_get_ns() (the TSC in the
 * kernel, the fake clock on the host), and the counters are updated with
 * interrupts off, since an interrupt is itself a change of stage.
 */
#include "ktime.h"
#include "spinlock.h"
#include "string.h"

struct prof_state prof_state;

static const char *const stage_names[NR_PROF_STAGES] = {
	[PROF_OTHER] = "other",
	[PROF_COPY] = "copy",
	[PROF_PAGECACHE] = "pagecache",
	[PROF_GET_BLOCK] = "get_block",
	[PROF_BIO] = "bio",
	[PROF_SUBMIT] = "submit",
	[PROF_IRQ] = "irq",
	[PROF_WAIT] = "wait",
};

void prof_switch(unsigned int stage)
{
	unsigned long flags;
	u64 now;

	local_irq_save(flags);
	now = ktime_get_ns();
	if (prof_state.on)
		prof_state.ns[prof_state.stage] += now - prof_state.since;
	prof_state.since = now;
	prof_state.stage = stage;
	local_irq_restore(flags);
}

void prof_reset(void)
{
	unsigned long flags;

	local_irq_save(flags);
	memset(prof_state.ns, 0, sizeof(prof_state.ns));
	local_irq_restore(flags);
}

void prof_resume(void)
{
	unsigned long flags;

	local_irq_save(flags);
	prof_state.stage = PROF_OTHER;
	prof_state.since = ktime_get_ns();
	prof_state.on = true;
	local_irq_restore(flags);
}

void prof_pause(void)
{
	unsigned long flags;

	local_irq_save(flags);
	prof_switch(PROF_OTHER);
	prof_state.on = false;
	local_irq_restore(flags);
}

void prof_read(u64 ns[NR_PROF_STAGES])
{
	unsigned long flags;

	local_irq_save(flags);
	memcpy(ns, prof_state.ns, sizeof(prof_state.ns));
	local_irq_restore(flags);
}

const char *prof_stage_name(unsigned int stage)
{
	return stage < NR_PROF_STAGES ? stage_names[stage] : "?";
}
