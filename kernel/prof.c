/*
 * The time profile behind `bench ... --profile` (include/ktime.h): a
 * clock read at each change of stage, the time since the last change
 * charged to the stage being left; an interrupt charged whole to
 * PROF_IRQ and left out of the stage it came in. Portable: the clock is
 * the clocksource's count (the TSC in the kernel, the fake clock on the
 * host).
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

u64 prof_irq_enter(void)
{
	if (!prof_state.on)
		return 0;
	prof_state.in_irq = true;
	return get_cycles();
}

void prof_irq_exit(u64 start)
{
	u64 d;

	if (!start || !prof_state.in_irq)
		return;
	d = get_cycles() - start;
	prof_state.cycles[PROF_IRQ] += d;
	prof_state.irq_in[prof_state.stage] += d;
	prof_state.in_irq = false;
}

void prof_reset(void)
{
	unsigned long flags;

	local_irq_save(flags);
	memset(prof_state.cycles, 0, sizeof(prof_state.cycles));
	memset(prof_state.irq_in, 0, sizeof(prof_state.irq_in));
	local_irq_restore(flags);
}

void prof_resume(void)
{
	unsigned long flags;

	local_irq_save(flags);
	prof_state.stage = PROF_OTHER;
	prof_state.since = get_cycles();
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
	for (unsigned int s = 0; s < NR_PROF_STAGES; s++) {
		u64 c = prof_state.cycles[s];

		/* A stage's own time: the interrupts inside it left out. */
		if (s != PROF_IRQ)
			c = c > prof_state.irq_in[s] ?
				    c - prof_state.irq_in[s] :
				    0;
		ns[s] = ktime_cycles_to_ns(c);
	}
	local_irq_restore(flags);
}

const char *prof_stage_name(unsigned int stage)
{
	return stage < NR_PROF_STAGES ? stage_names[stage] : "?";
}
