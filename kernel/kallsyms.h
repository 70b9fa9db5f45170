/*
 * The kernel's own symbol table, as Linux's kallsyms: scripts/kallsyms
 * makes it from the first link's `nm` and the second link carries it,
 * so a backtrace prints `function+0xoff/0xlen` with no host tool.
 * scripts/decode-backtrace adds file:line from build/kernel.elf.
 */
#ifndef _KERNEL_KALLSYMS_H
#define _KERNEL_KALLSYMS_H

#include "types.h"

struct kallsym {
	unsigned long addr;
	unsigned int size;
	unsigned int name; /* offset in kallsyms_names */
};

/* Generated ($(BUILD)/kallsyms.c): sorted by address. */
extern const unsigned int kallsyms_num;
extern const struct kallsym kallsyms[];
extern const char kallsyms_names[];

#define KSYM_NAME_LEN 128
#define KSYM_SYMBOL_LEN (KSYM_NAME_LEN + 2 * 19 + 3)

/*
 * The function addr is in: its name, addr's offset in it and its size.
 * false if addr is in none (data, a hole, or an empty table).
 */
bool kallsyms_lookup(unsigned long addr, const char **name,
		     unsigned long *offset, unsigned long *size);

/* "name+0xoff/0xsize", or the bare address "0x..." if none; as snprintf. */
int sprint_symbol(char *buf, size_t len, unsigned long addr);
/*
 * The same for a return address on the stack: looked up one byte
 * earlier, in the call, since a call to a noreturn function can be the
 * last instruction of its function (Linux's %pB).
 */
int sprint_backtrace(char *buf, size_t len, unsigned long addr);

#endif
