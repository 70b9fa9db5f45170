/*
 * printk: format into a buffer on the stack, then write it to every
 * registered console with interrupts off, so a line printed by a
 * handler never lands inside another. Each message is also kept in
 * log_buf, a ring of the last LOG_BUF_LEN bytes (Linux's log buffer),
 * which gdb reads back after a hang or a crash: `kmsg` in
 * scripts/gdb/storage.py.
 */
#include "printk.h"
#include "spinlock.h"
#include "sprintf.h"

#define PRINTK_BUF 1024
#define LOG_BUF_SHIFT 16
#define LOG_BUF_LEN (1U << LOG_BUF_SHIFT)

static struct console *console_drivers;
static bool console_mid_line;
/*
 * Byte i of the log is log_buf[i % LOG_BUF_LEN]; log_next bytes so far.
 * Global, not static: nothing in the kernel reads them (gdb does), and a
 * static the program never reads is one the compiler may drop.
 */
char log_buf[LOG_BUF_LEN];
u64 log_next;

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_next + i) & (LOG_BUF_LEN - 1)] = s[i];
	log_next += n;
}

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
	log_store(buf, (size_t)n);
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
