/*
 * printk: format into a buffer on the stack, then write it to every
 * registered console with interrupts off, so a line printed by a
 * handler never lands inside another.
 */
#include "printk.h"
#include "spinlock.h"
#include "sprintf.h"

#define PRINTK_BUF 1024

static struct console *console_drivers;
static bool console_mid_line;

void register_console(struct console *con)
{
	unsigned long flags;

	local_irq_save(flags);
	con->next = console_drivers;
	console_drivers = con;
	local_irq_restore(flags);
}

void console_write(const char *s, size_t n)
{
	for (struct console *con = console_drivers; con; con = con->next)
		con->write(con, s, n);
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
