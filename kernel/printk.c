/*
 * printk: format into a buffer on the stack, then write it to the UART
 * with interrupts off so a line printed by a handler never lands inside
 * another. The serial line wants CR LF, so '\n' becomes "\r\n" here.
 */
#include "printk.h"
#include "serial.h"
#include "spinlock.h"
#include "sprintf.h"

#define PRINTK_BUF 1024

static bool console_mid_line;

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
	if (n)
		console_mid_line = s[n - 1] != '\n';
}

void console_start_line(void)
{
	if (console_mid_line)
		console_write("\n", 1);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	unsigned long flags;
	int n;

	n = vscnprintf(buf, sizeof(buf), fmt, ap);
	local_irq_save(flags);
	console_write(buf, (size_t)n);
	local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
