/*
 * The 8254 PIT is the one clock whose rate we know (1.193182 MHz), so
 * the TSC and the LAPIC timer are measured against it once at boot.
 * Channel 2 is used because its gate and output are visible in port
 * 0x61: we can start it and watch it finish by polling, no interrupts.
 */
#include "asm/cpu.h"
#include "asm/io.h"
#include "asm/time.h"

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_61 0x61
#define P61_GATE2 0x01
#define P61_SPEAKER 0x02
#define P61_OUT2 0x20
#define PIT_CH2_MODE0_LOHI 0xb0 /* channel 2, lo/hi byte, mode 0, binary */

void pit_wait_ms(unsigned int ms, void (*sample)(int edge))
{
	u32 count = PIT_HZ / 1000 * ms;
	u8 p61 = inb(PORT_61) & ~(P61_GATE2 | P61_SPEAKER);

	if (count > 0xffff)
		count = 0xffff;
	outb(p61, PORT_61); /* gate low: hold the count */
	outb(PIT_CH2_MODE0_LOHI, PIT_CMD);
	outb(count & 0xff, PIT_CH2);
	outb(count >> 8, PIT_CH2);
	outb(p61 | P61_GATE2, PORT_61); /* gate high: count down */
	sample(0);
	while (!(inb(PORT_61) & P61_OUT2)) /* OUT2 rises at zero */
		cpu_relax();
	sample(1);
	outb(p61, PORT_61);
}
