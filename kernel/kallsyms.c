/*
 * Address to function name, for backtraces (Linux's kernel/kallsyms.c in
 * small): a binary search of the table scripts/kallsyms generated. It
 * runs inside panic, so it takes no lock, allocates nothing and trusts
 * nothing but the table's bounds.
 */
#include "kernel/kallsyms.h"
#include "sprintf.h"

bool kallsyms_lookup(unsigned long addr, const char **name,
		     unsigned long *offset, unsigned long *size)
{
	unsigned int lo = 0, hi = kallsyms_num;
	const struct kallsym *s;

	/* The last entry whose address is <= addr. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (kallsyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	s = &kallsyms[lo - 1];
	if (addr - s->addr >= s->size)
		return false;
	*name = kallsyms_names + s->name;
	*offset = addr - s->addr;
	*size = s->size;
	return true;
}

static int print_symbol(char *buf, size_t len, unsigned long addr,
			unsigned long before)
{
	unsigned long offset, size;
	const char *name;

	if (!kallsyms_lookup(addr - before, &name, &offset, &size))
		return snprintf(buf, len, "0x%lx", addr);
	return snprintf(buf, len, "%s+0x%lx/0x%lx", name, offset + before,
			size);
}

int sprint_symbol(char *buf, size_t len, unsigned long addr)
{
	return print_symbol(buf, len, addr, 0);
}

int sprint_backtrace(char *buf, size_t len, unsigned long addr)
{
	return print_symbol(buf, len, addr, 1);
}
