/*
 * kmain: bring the machine up in dependency order, run every
 * subsystem's initcalls, then hand the console to the shell thread.
 *
 * Order matters: printk needs only the UART; exceptions are reported
 * from then on; memory needs the boot map; kmalloc needs memory; the
 * timer needs the APIC; sleeping needs the timer and the scheduler; and
 * initcalls (drivers probing disks) may sleep.
 */
#include "asm/apic.h"
#include "cmdline.h"
#include "asm/cpu.h"
#include "errno.h"
#include "asm/idt.h"
#include "init.h"
#include "ktime.h"
#include "asm/meminit.h"
#include "asm/multiboot2.h"
#include "printk.h"
#include "serial.h"
#include "shell/shell.h"
#include "slab.h"
#include "spinlock.h"
#include "string.h"
#include "sched.h"
#include "asm/time.h"

extern const initcall_t __initcall1_start[], __initcall2_start[],
	__initcall3_start[], __initcall4_start[], __initcall5_start[],
	__initcall_end[];

static void kmalloc_smoke(void)
{
	char *a = kmalloc(100, GFP_KERNEL);
	char *b = kzalloc(4000, GFP_KERNEL);

	if (!a || !b || a == b)
		panic("kmalloc does not work (%p, %p)", a, b);
	memset(a, 0x5a, 100);
	for (int i = 0; i < 4000; i++)
		if (b[i])
			panic("kzalloc returned dirty memory at %d", i);
	kfree(a);
	kfree(b);
}

static void run_initcalls(void)
{
	const initcall_t *levels[] = { __initcall1_start, __initcall2_start,
				       __initcall3_start, __initcall4_start,
				       __initcall5_start, __initcall_end };

	for (int level = 0; level < 5; level++) {
		for (const initcall_t *fn = levels[level];
		     fn < levels[level + 1]; fn++) {
			int ret = (*fn)();

			if (ret)
				printk("initcall %p (level %d) failed: %d "
				       "(%s)\n",
				       (void *)*fn, level + 1, ret,
				       errno_name(-ret));
		}
	}
}

static int shell_thread(void *data)
{
	(void)data;
	shell_main();
	return 0;
}

void kmain(u32 magic, u64 mbi_phys);
void kmain(u32 magic, u64 mbi_phys)
{
	serial_init();
	printk("\nkernel: booting\n");
	idt_init();
	if (multiboot_parse(magic, mbi_phys))
		panic("not started by a Multiboot2 loader (magic 0x%x)", magic);
	cmdline_init(boot_info.cmdline);
	printk("cmdline: %s\n", cmdline_raw());
	meminit();
	kmalloc_smoke();
	apic_init();
	time_init();
	sched_init();
	local_irq_enable();
	serial_irq_init();
	run_initcalls();
	if (!kthread_run(shell_thread, NULL, "shell"))
		panic("kmain: cannot start the shell thread");
	/* The TSC counts from power-on: firmware and GRUB included. */
	printk("kmain: boot done %lu ms after power-on; starting the shell\n",
	       (unsigned long)(rdtsc() / (tsc_hz() / 1000 + 1)));
	kthread_exit();
}
