/*
 * Time, after Linux's timekeeping: a clocksource registered by the arch
 * (the TSC, calibrated against the PIT) gives ktime_get_ns(), nanoseconds
 * since boot; the arch's periodic interrupt calls tick_periodic() HZ
 * times a second, which counts jiffies, runs expired timers (timer.h)
 * and wakes sleepers.
 */
#ifndef _KTIME_H
#define _KTIME_H

#include "asm/timex.h"
#include "types.h"

#define HZ 1000

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL

/* Nanoseconds since the clocksource was registered (0 before). */
u64 ktime_get_ns(void);

/* Ticks since the first tick_periodic(). */
extern volatile u64 jiffies;

/* A free-running counter of known rate. */
struct clocksource {
	const char *name;
	u64 (*read)(void);
};

/* Kernel only: make cs (counting hz a second) the clock, from now on time 0. */
void clocksource_register_hz(struct clocksource *cs, u64 hz);

/* Kernel only: the arch's timer interrupt, HZ times a second. */
void tick_periodic(void);

/* Nanoseconds from a count of get_cycles() (asm/timex.h: the clocksource's). */
u64 ktime_cycles_to_ns(u64 cycles);

/*
 * The time profile (`bench ... --profile`): while it is on, every
 * moment of the CPU is charged to exactly one stage of the I/O path.
 * Code that enters a stage calls prof_enter(), which returns the stage
 * it interrupts, and hands that back to prof_exit() when done, so
 * stages nest like the calls they wrap. An interrupt is charged to
 * PROF_IRQ whole (what its handler does, completion or submission, is
 * interrupt time), and noted against the stage it interrupted so that
 * stage's share leaves it out. A switch is a clock read and a few
 * stores, with interrupts left on (enabling them again costs a trip
 * through QEMU's main loop under TCG), and nothing while the profile is
 * off. An interrupt in the middle of a switch may be counted against
 * the stage before it rather than after it: a profile, not an audit.
 */
enum prof_stage {
	PROF_OTHER, /* the caller itself, the shell, other threads */
	PROF_COPY, /* copying between page-cache pages and the caller */
	PROF_PAGECACHE, /* allocating, inserting and finding pages */
	PROF_GET_BLOCK, /* the file system's block map (and allocation) */
	PROF_BIO, /* building bios and merging them into requests */
	PROF_SUBMIT, /* the driver's submit path */
	PROF_IRQ, /* interrupt handlers and I/O completion */
	PROF_WAIT, /* the CPU idle: waiting for the device */
	NR_PROF_STAGES
};

struct prof_state {
	bool on;
	bool in_irq; /* charging an interrupt: the stages stand still */
	unsigned int stage; /* what the CPU is doing now */
	u64 since; /* when it started doing it (cycles) */
	u64 cycles[NR_PROF_STAGES]; /* charged to each stage */
	u64 irq_in[NR_PROF_STAGES]; /* interrupt cycles inside each stage */
};

extern struct prof_state prof_state;

/* Charge the time until now to the current stage, then go to stage. */
static inline void prof_switch(unsigned int stage)
{
	u64 now = get_cycles();

	prof_state.cycles[prof_state.stage] += now - prof_state.since;
	prof_state.since = now;
	prof_state.stage = stage;
}

static inline unsigned int prof_enter(unsigned int stage)
{
	unsigned int prev = prof_state.stage;

	if (prof_state.on && !prof_state.in_irq && stage != prev)
		prof_switch(stage);
	return prev;
}

static inline void prof_exit(unsigned int prev)
{
	if (prof_state.on && !prof_state.in_irq && prof_state.stage != prev)
		prof_switch(prev);
}

/* Around an interrupt handler: prof_irq_exit(prof_irq_enter()). */
u64 prof_irq_enter(void);
void prof_irq_exit(u64 start);

/* Zero the counters. */
void prof_reset(void);
/* Start charging; the caller is in PROF_OTHER, at the top of its call. */
void prof_resume(void);
/* Stop charging; the counters keep what they have. */
void prof_pause(void);
/* Nanoseconds each stage was charged since prof_reset(). */
void prof_read(u64 ns[NR_PROF_STAGES]);
/* "copy", "pagecache", ...: the names `bench --profile` prints. */
const char *prof_stage_name(unsigned int stage);

#endif
