/*
 * The interrupt descriptor table and the vector map. Vectors 0..31 are
 * CPU exceptions, 32..47 the (masked) 8259 PICs, so their spurious
 * interrupts never look like exceptions; 48..0xef are handed out by
 * irq_alloc_vector() (include/irq.h); the top ones are the LAPIC's own.
 */
#ifndef _IDT_H
#define _IDT_H

#include "irq.h"

#define PIC_VECTOR_BASE 0x20
#define FIRST_DEVICE_VECTOR 0x30
#define LAST_DEVICE_VECTOR 0xef
#define TIMER_VECTOR 0xf0
#define LAPIC_ERROR_VECTOR 0xfe
#define SPURIOUS_VECTOR 0xff

void idt_init(void);
/* Bind a fixed vector (timer, ...) to a handler. */
void irq_set_handler(int vector, irq_handler_t handler, void *data);

#endif
