/*
 * The 16550 UART on COM1: the console. Output is polled, so printk works
 * anywhere (interrupt handlers, panic); input arrives by interrupt into a
 * ring and serial_getc() sleeps on a wait queue until a byte is there.
 */
#ifndef _SERIAL_H
#define _SERIAL_H

#include "types.h"

/* Early: line settings and output only. Keeps bytes already received. */
void serial_init(void);
/* Once the IO-APIC and scheduler are up: interrupt-driven receive. */
void serial_irq_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
/* Next received byte; sleeps until one arrives. */
int serial_getc(void);
/* Called from the timer tick: picks up bytes whose interrupt was missed. */
void serial_poll(void);

#endif
