/*
 * The local APIC (interrupt delivery, EOI, the timer) and the IO-APIC
 * (legacy ISA interrupts such as the UART's IRQ4). The 8259 PICs are
 * remapped and masked: everything arrives through the APICs.
 */
#ifndef _APIC_H
#define _APIC_H

#include "types.h"

void apic_init(void);
void lapic_eoi(void);
u32 lapic_id(void);

/* Route ISA interrupt irq (edge, active high) to vector on this CPU. */
int ioapic_route_isa_irq(unsigned int irq, int vector);

/* Interrupt ourselves on vector (fixed, edge), as a device would. */
void lapic_send_self_ipi(int vector);

/* LAPIC timer: one-shot count for calibration, then periodic. */
void lapic_timer_oneshot(u32 count);
u32 lapic_timer_current(void);
void lapic_timer_periodic(u32 count, int vector);

#endif
