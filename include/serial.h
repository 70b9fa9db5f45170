/*
 * Byte channels to the host. The 16550 UART on COM1: the console
 * (registered with printk by serial_init) and the shell's input. Output is polled, so printk works
 * anywhere (interrupt handlers, panic); input arrives by interrupt into a
 * ring and serial_getc() sleeps on a wait queue until a byte is there.
 */
#ifndef _SERIAL_H
#define _SERIAL_H

#include "types.h"

/* Early: line settings, and the console. Keeps bytes already received. */
void serial_init(void);
/* Once the IO-APIC and scheduler are up: interrupt-driven receive. */
void serial_irq_init(void);
/* Next received byte; sleeps until one arrives. */
int serial_getc(void);
/*
 * Ctrl-C: fn runs in the receive interrupt for each 0x03 that arrives;
 * if it returns true the byte is consumed, else it is queued for
 * serial_getc() like any other. NULL: no handler.
 */
void serial_set_intr_handler(bool (*fn)(void));

/*
 * QEMU's debug console (isa-debugcon), a write-only channel into a host
 * file that scripts/run-qemu --blktrace attaches: binary-safe, with no
 * line discipline and no flow control. Present only if QEMU has one at
 * our port; a write without it is lost.
 */
bool debugcon_present(void);
void debugcon_write(const void *buf, size_t len);

#endif
