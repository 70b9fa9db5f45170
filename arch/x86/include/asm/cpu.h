/* x86-64 CPU registers and instructions the arch code needs (kernel only). */
#ifndef _CPU_H
#define _CPU_H

#include "asm/irqflags.h"
#include "compiler.h"

/* What the interrupt entry points push, lowest address first. */
struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(0));
}

#define __read_cr(n)                                                  \
	static inline u64 read_cr##n(void)                            \
	{                                                             \
		u64 v;                                                \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v)); \
		return v;                                             \
	}                                                             \
	_Static_assert(n >= 0, "a control register number")
__read_cr(0);
__read_cr(2);
__read_cr(3);
__read_cr(4);

static inline void write_cr3(u64 v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(const void *addr)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/* Frame-pointer backtrace: rip, then each saved return address. */
void dump_backtrace(u64 rip, u64 rbp);
void dump_regs(const struct pt_regs *regs);
/*
 * A fatal report: panic_begin() turns interrupts off and catches a fault
 * inside the report itself; panic_end() prints the trailer and leaves
 * QEMU with the panic status.
 */
void panic_begin(void);
__noreturn void panic_end(void);

#endif
