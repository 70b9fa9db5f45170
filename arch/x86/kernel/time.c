/*
 * The x86 clocks: the TSC is the clocksource behind ktime_get_ns(), and
 * the LAPIC timer interrupts HZ times a second to drive tick_periodic().
 * Both rates are measured against the PIT at boot, in the same window,
 * so they agree with each other.
 */
#include "asm/apic.h"
#include "asm/cpu.h"
#include "asm/idt.h"
#include "ktime.h"
#include "printk.h"
#include "asm/time.h"

#define CALIBRATE_MS 20

static u64 tsc_rate; /* Hz */
static u64 cal_tsc[2];
static u32 cal_lapic[2];

static void calibrate_sample(int edge)
{
	cal_tsc[edge] = rdtsc();
	cal_lapic[edge] = lapic_timer_current();
}

static u64 tsc_read(void)
{
	return rdtsc();
}

static struct clocksource tsc_clocksource = { .name = "tsc", .read = tsc_read };

u64 tsc_hz(void)
{
	return tsc_rate;
}

static void timer_interrupt(void *data)
{
	(void)data;
	tick_periodic();
}

void time_init(void)
{
	u64 lapic_rate;

	lapic_timer_oneshot(0xffffffffu);
	pit_wait_ms(CALIBRATE_MS, calibrate_sample);
	tsc_rate = (cal_tsc[1] - cal_tsc[0]) * 1000 / CALIBRATE_MS;
	lapic_rate = (u64)(cal_lapic[0] - cal_lapic[1]) * 1000 / CALIBRATE_MS;
	if (lapic_rate / HZ == 0)
		panic("timer: LAPIC timer does not count");
	if (tsc_rate < 1000000)
		panic("timer: TSC does not count (%lu Hz)",
		      (unsigned long)tsc_rate);
	clocksource_register_hz(&tsc_clocksource, tsc_rate);
	irq_set_handler(TIMER_VECTOR, timer_interrupt, NULL);
	lapic_timer_periodic((u32)(lapic_rate / HZ), TIMER_VECTOR);
	printk("timer: LAPIC %lu Hz (divided by 16), TSC %lu MHz, tick %u Hz\n",
	       (unsigned long)lapic_rate, (unsigned long)(tsc_rate / 1000000),
	       HZ);
}
