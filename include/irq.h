/*
 * Interrupt vectors. Devices here interrupt through MSI or MSI-X aimed at
 * the local APIC; a driver asks for a vector with a handler and programs
 * the message the PCI layer composes for it.
 */
#ifndef _IRQ_H
#define _IRQ_H

#include "types.h"

typedef void (*irq_handler_t)(void *data);

/* A free vector (>= 48) bound to handler; -ENOSPC when none is left. */
int irq_alloc_vector(irq_handler_t handler, void *data);
void irq_free_vector(int vector);

/* MSI message for a vector on this CPU's local APIC (fixed, edge). */
u64 msi_address(int vector);
u32 msi_data(int vector);

/* True while running an interrupt handler. */
bool in_interrupt(void);

#endif
