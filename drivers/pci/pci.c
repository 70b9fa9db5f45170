/*
 * PCI configuration space (mechanism #1) and bus enumeration.
 *
 * Mechanism #1: write the bus/device/function/register address to 0xCF8
 * with bit 31 set, then move a dword through 0xCFC. The scan starts at
 * bus 0 and descends through every PCI-PCI bridge's secondary bus, so
 * only buses that exist are probed.
 */
#include "bitops.h"
#include "errno.h"
#include "init.h"
#include "asm/io.h"
#include "pci.h"
#include "printk.h"
#include "slab.h"
#include "spinlock.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

static DEFINE_SPINLOCK(pci_config_lock);
static LIST_HEAD(pci_devices);
static bool pci_scanned;
static unsigned long bus_seen[256 / BITS_PER_LONG];

static u32 pci_conf_addr(u8 bus, u8 slot, u8 func, u16 off)
{
	return 0x80000000u | (u32)bus << 16 | (u32)(slot & 0x1f) << 11 |
	       (u32)(func & 7) << 8 | (off & 0xfc);
}

u32 pci_conf_read32(u8 bus, u8 slot, u8 func, u16 off)
{
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(pci_conf_addr(bus, slot, func, off), PCI_CONFIG_ADDRESS);
	v = inl(PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return v;
}

void pci_conf_write32(u8 bus, u8 slot, u8 func, u16 off, u32 val)
{
	unsigned long flags;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(pci_conf_addr(bus, slot, func, off), PCI_CONFIG_ADDRESS);
	outl(val, PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_config_lock, flags);
}

/*
 * Byte and word accesses read the containing dword and, for writes,
 * merge into it: the 16-bit STATUS register next to COMMAND is
 * write-1-to-clear, so a merged write must not set its bits back.
 */
u32 pci_read_config_dword(struct pci_dev *d, u16 off)
{
	return pci_conf_read32(d->bus, d->slot, d->func, off);
}

u16 pci_read_config_word(struct pci_dev *d, u16 off)
{
	return (u16)(pci_read_config_dword(d, off & ~3) >> ((off & 2) * 8));
}

u8 pci_read_config_byte(struct pci_dev *d, u16 off)
{
	return (u8)(pci_read_config_dword(d, off & ~3) >> ((off & 3) * 8));
}

void pci_write_config_dword(struct pci_dev *d, u16 off, u32 val)
{
	pci_conf_write32(d->bus, d->slot, d->func, off, val);
}

static u32 pci_rw1c_mask(u16 dword_off)
{
	/* STATUS (upper half of 0x04) clears on write of 1: write zeros. */
	return dword_off == PCI_COMMAND ? 0xffff0000u : 0;
}

void pci_write_config_word(struct pci_dev *d, u16 off, u16 val)
{
	u16 base = off & ~3;
	unsigned int shift = (off & 2) * 8;
	u32 v = pci_read_config_dword(d, base) & ~pci_rw1c_mask(base);

	v &= ~(0xffffu << shift);
	v |= (u32)val << shift;
	pci_write_config_dword(d, base, v);
}

/*
 * Size a BAR: write all ones, read back which address bits stick, then
 * restore. Decoding is off meanwhile so the device never answers at the
 * bogus all-ones address. Returns how many BAR slots it used (2 for a
 * 64-bit memory BAR).
 */
static int pci_decode_bar(struct pci_dev *d, int i)
{
	u16 off = PCI_BASE_ADDRESS_0 + 4 * i;
	u32 lo = pci_read_config_dword(d, off), hi = 0, szlo, szhi = 0xffffffff;
	struct pci_bar *bar = &d->bar[i];
	u64 mask;

	pci_write_config_dword(d, off, 0xffffffff);
	szlo = pci_read_config_dword(d, off);
	pci_write_config_dword(d, off, lo);

	if (lo & PCI_BASE_ADDRESS_SPACE_IO) {
		mask = szlo & ~3u & 0xffff;
		if (!mask)
			return 1;
		bar->start = lo & ~3u;
		bar->size = (~mask + 1) & 0xffff;
		bar->flags = PCI_BAR_IO;
		return 1;
	}
	if ((lo & 6) == PCI_BASE_ADDRESS_MEM_TYPE_64 && i < PCI_NUM_BARS - 1) {
		hi = pci_read_config_dword(d, off + 4);
		pci_write_config_dword(d, off + 4, 0xffffffff);
		szhi = pci_read_config_dword(d, off + 4);
		pci_write_config_dword(d, off + 4, hi);
		bar->flags = PCI_BAR_64;
	}
	mask = ((u64)szhi << 32 | (szlo & ~0xfu));
	if (!(bar->flags & PCI_BAR_64))
		mask |= 0xffffffff00000000ull;
	if (!(szlo & ~0xfu) && !(bar->flags & PCI_BAR_64 && szhi))
		return bar->flags & PCI_BAR_64 ? 2 : 1;
	bar->start = ((u64)hi << 32) | (lo & ~0xfu);
	bar->size = ~mask + 1;
	bar->flags |= PCI_BAR_MEM;
	if (lo & PCI_BASE_ADDRESS_MEM_PREFETCH)
		bar->flags |= PCI_BAR_PREFETCH;
	return bar->flags & PCI_BAR_64 ? 2 : 1;
}

static void pci_read_bars(struct pci_dev *d)
{
	u16 cmd = pci_read_config_word(d, PCI_COMMAND);
	int i = 0;

	pci_write_config_word(d, PCI_COMMAND,
			      cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	while (i < PCI_NUM_BARS)
		i += pci_decode_bar(d, i);
	pci_write_config_word(d, PCI_COMMAND, cmd);
}

static void pci_scan_bus(u8 bus);

static void pci_add_function(u8 bus, u8 slot, u8 func, u32 id)
{
	struct pci_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);
	u32 class_rev;

	if (!d) {
		printk("pci: out of memory at %02x:%02x.%x\n", bus, slot, func);
		return;
	}
	d->bus = bus;
	d->slot = slot;
	d->func = func;
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	class_rev = pci_read_config_dword(d, PCI_REVISION_ID);
	d->class = class_rev >> 8;
	d->revision = class_rev & 0xff;
	d->hdr_type = pci_read_config_byte(d, PCI_HEADER_TYPE);
	if ((d->hdr_type & PCI_HEADER_TYPE_MASK) == 0)
		pci_read_bars(d);
	if (pci_read_config_word(d, PCI_STATUS) & PCI_STATUS_CAP_LIST) {
		d->msi_cap = pci_find_capability(d, PCI_CAP_ID_MSI);
		d->msix_cap = pci_find_capability(d, PCI_CAP_ID_MSIX);
	}
	list_add_tail(&d->list, &pci_devices);

	if ((d->hdr_type & PCI_HEADER_TYPE_MASK) == PCI_HEADER_TYPE_BRIDGE) {
		u8 secondary = pci_read_config_byte(d, PCI_SECONDARY_BUS);

		if (secondary)
			pci_scan_bus(secondary);
	}
}

static void pci_scan_slot(u8 bus, u8 slot)
{
	u32 id = pci_conf_read32(bus, slot, 0, PCI_VENDOR_ID);
	u8 hdr, nfunc, f;

	if ((id & 0xffff) == 0xffff)
		return;
	hdr = (pci_conf_read32(bus, slot, 0, PCI_HEADER_TYPE & ~3) >> 16) &
	      0xff;
	nfunc = hdr & PCI_HEADER_MULTIFUNC ? 8 : 1;
	for (f = 0; f < nfunc; f++) {
		id = pci_conf_read32(bus, slot, f, PCI_VENDOR_ID);
		if ((id & 0xffff) != 0xffff)
			pci_add_function(bus, slot, f, id);
	}
}

static void pci_scan_bus(u8 bus)
{
	u8 slot;

	/* A misconfigured bridge loop must not recurse forever. */
	if (test_and_set_bit(bus, bus_seen))
		return;
	for (slot = 0; slot < 32; slot++)
		pci_scan_slot(bus, slot);
}

int pci_scan_all(void)
{
	struct pci_dev *d;
	int n = 0;
	u8 f;

	if (!pci_scanned) {
		pci_scanned = true;
		pci_scan_bus(0);
		/* A multifunction host bridge: function f roots bus f. */
		if (pci_conf_read32(0, 0, 0, PCI_HEADER_TYPE & ~3) &
		    (PCI_HEADER_MULTIFUNC << 16))
			for (f = 1; f < 8; f++)
				if ((pci_conf_read32(0, 0, f, 0) & 0xffff) !=
				    0xffff)
					pci_scan_bus(f);
	}
	list_for_each_entry(d, &pci_devices, list)
		n++;
	return n;
}

struct pci_dev *pci_dev_next(struct pci_dev *prev)
{
	struct list_head *next = prev ? prev->list.next : pci_devices.next;

	if (next == &pci_devices)
		return NULL;
	return list_entry(next, struct pci_dev, list);
}

int pci_enable_device(struct pci_dev *d)
{
	u16 cmd = pci_read_config_word(d, PCI_COMMAND), want = 0;
	int i;

	for (i = 0; i < PCI_NUM_BARS; i++) {
		if (d->bar[i].flags & PCI_BAR_IO)
			want |= PCI_COMMAND_IO;
		if (d->bar[i].flags & PCI_BAR_MEM)
			want |= PCI_COMMAND_MEMORY;
	}
	if ((cmd & want) != want)
		pci_write_config_word(d, PCI_COMMAND, cmd | want);
	return 0;
}

void pci_set_master(struct pci_dev *d)
{
	u16 cmd = pci_read_config_word(d, PCI_COMMAND);

	if (!(cmd & PCI_COMMAND_MASTER))
		pci_write_config_word(d, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
}

/*
 * Walk the capability list. A broken list could loop, so the walk stops
 * after as many steps as 256 bytes of config space can hold.
 */
u8 pci_find_next_capability(struct pci_dev *d, u8 pos, u8 cap_id)
{
	int ttl = 48;

	if (!(pci_read_config_word(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pos ? pci_read_config_byte(d, pos + 1) :
		    pci_read_config_byte(d, PCI_CAPABILITY_LIST);
	while (ttl-- && pos >= 0x40) {
		pos &= ~3;
		if (pci_read_config_byte(d, pos) == cap_id)
			return pos;
		pos = pci_read_config_byte(d, pos + 1);
	}
	return 0;
}

u8 pci_find_capability(struct pci_dev *d, u8 cap_id)
{
	return pci_find_next_capability(d, 0, cap_id);
}

void *pci_ioremap_bar(struct pci_dev *d, int bar)
{
	if (bar < 0 || bar >= PCI_NUM_BARS ||
	    !(d->bar[bar].flags & PCI_BAR_MEM))
		return NULL;
	return ioremap(d->bar[bar].start, d->bar[bar].size);
}

static int pci_init(void)
{
	int n = pci_scan_all();

	printk("pci: %d functions\n", n);
	return 0;
}
subsys_initcall(pci_init);
