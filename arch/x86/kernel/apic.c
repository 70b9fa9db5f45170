/*
 * Interrupt controllers. The legacy 8259 PICs are remapped to vectors
 * 0x20..0x2f (so a spurious IRQ7 is not mistaken for a #DF-range
 * exception) and masked. The local APIC takes everything else: MSI from
 * PCI devices, its own timer, and ISA IRQs routed through the IO-APIC.
 */
#include "asm/apic.h"
#include "asm/cpu.h"
#include "errno.h"
#include "asm/idt.h"
#include "asm/io.h"
#include "printk.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_BASE_MASK 0xffffff000ULL

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0

#define SVR_ENABLE 0x100
#define ICR_SELF (1u << 18) /* destination shorthand: self */
#define ICR_PENDING (1u << 12)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define TIMER_DIV_16 0x3

/* The IO-APIC lives here on PC-compatible machines (QEMU's pc and q35). */
#define IOAPIC_PHYS 0xfec00000ULL
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

#define MSI_ADDR_BASE 0xfee00000ULL

static volatile u8 *lapic;
static volatile u8 *ioapic;

static u32 lapic_read(u32 reg)
{
	return readl(lapic + reg);
}

static void lapic_write(u32 reg, u32 v)
{
	writel(v, lapic + reg);
}

static void pic_remap_and_mask(void)
{
	outb(0x11, PIC1_CMD); /* ICW1: init, expect ICW4 */
	outb(0x11, PIC2_CMD);
	outb(PIC_VECTOR_BASE, PIC1_DATA);
	outb(PIC_VECTOR_BASE + 8, PIC2_DATA);
	outb(4, PIC1_DATA); /* slave on IRQ2 */
	outb(2, PIC2_DATA);
	outb(1, PIC1_DATA); /* 8086 mode */
	outb(1, PIC2_DATA);
	outb(0xff, PIC1_DATA);
	outb(0xff, PIC2_DATA);
}

void apic_init(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);
	u64 phys = base & APIC_BASE_MASK;

	pic_remap_and_mask();
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = ioremap(phys, 4096);
	ioapic = ioremap(IOAPIC_PHYS, 4096);
	if (!lapic || !ioapic)
		panic("apic: cannot map LAPIC %lx / IO-APIC",
		      (unsigned long)phys);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_ERROR_VECTOR | LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR | LVT_MASKED);
	lapic_write(LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_eoi();
	printk("apic: LAPIC id %u at 0x%lx, IO-APIC at 0x%lx\n", lapic_id(),
	       (unsigned long)phys, (unsigned long)IOAPIC_PHYS);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

u32 lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

static u32 ioapic_read(u32 reg)
{
	writel(reg, ioapic + IOAPIC_REGSEL);
	return readl(ioapic + IOAPIC_WIN);
}

static void ioapic_write(u32 reg, u32 v)
{
	writel(reg, ioapic + IOAPIC_REGSEL);
	writel(v, ioapic + IOAPIC_WIN);
}

/*
 * ISA IRQs 1..15 other than 0 are identity-mapped to IO-APIC pins on
 * QEMU (the MADT only overrides IRQ0 and the PCI INTx lines), so the pin
 * is the IRQ number: fixed delivery, physical destination, edge, high.
 */
int ioapic_route_isa_irq(unsigned int irq, int vector)
{
	unsigned int pins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;

	if (irq == 0 || irq >= 16 || irq >= pins || vector < 0 || vector > 255)
		return -EINVAL;
	ioapic_write(IOAPIC_REDTBL(irq) + 1, lapic_id() << 24);
	ioapic_write(IOAPIC_REDTBL(irq), (u32)vector);
	return 0;
}

void lapic_timer_oneshot(u32 count)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR | LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, count);
}

u32 lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}

void lapic_timer_periodic(u32 count, int vector)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, (u32)vector | LVT_PERIODIC);
	lapic_write(LAPIC_TIMER_INIT, count);
}

void lapic_send_self_ipi(int vector)
{
	lapic_write(LAPIC_ICR_HIGH, 0);
	lapic_write(LAPIC_ICR_LOW, ICR_SELF | ((u32)vector & 0xff));
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
}

/* Fixed delivery, edge, to this CPU's APIC id, physical destination. */
u64 msi_address(int vector)
{
	(void)vector;
	return MSI_ADDR_BASE | ((u64)lapic_id() << 12);
}

u32 msi_data(int vector)
{
	return (u32)vector & 0xff;
}
