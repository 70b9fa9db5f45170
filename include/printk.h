/* Console output, fatal errors and assertions. */
#ifndef _PRINTK_H
#define _PRINTK_H

#include <stdarg.h>
#include "compiler.h"

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/*
 * Where printk's output goes, after Linux's struct console: a driver
 * (the UART) registers one at boot. write must work in any context,
 * interrupts and panic included.
 */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t n);
	struct console *next;
};

/* Kernel only: from now on, printk writes to con too. */
void register_console(struct console *con);
/* Kernel only: raw bytes to every console, as printk writes them. */
void console_write(const char *s, size_t n);
/* End a partial line (file bytes from cat) so the next line stands alone. */
void console_start_line(void);

#define BUG() panic("BUG at %s:%d (%s)", __FILE__, __LINE__, __func__)
#define BUG_ON(cond)                                                  \
	do {                                                          \
		if (unlikely(cond))                                   \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, \
			      __LINE__);                              \
	} while (0)
#define WARN_ON(cond)                                                     \
	({                                                                \
		int __ret = !!(cond);                                     \
		if (unlikely(__ret))                                      \
			printk("WARNING: %s at %s:%d\n", #cond, __FILE__, \
			       __LINE__);                                 \
		unlikely(__ret);                                          \
	})

#endif
