/*
 * PCI: configuration space through mechanism #1 (ports 0xCF8/0xCFC),
 * enumeration of every bus/device/function, BARs, capabilities, MSI and
 * MSI-X aimed at the local APIC, and a small driver registration API:
 * a driver lists the vendor:device pairs it handles and its probe() is
 * called for each matching function.
 */
#ifndef _PCI_H
#define _PCI_H

#include "list.h"
#include "types.h"

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_HEADER_TYPE 0x0e
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_SECONDARY_BUS 0x19
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_CAP_LIST 0x0010

#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_TYPE_BRIDGE 0x01
#define PCI_HEADER_MULTIFUNC 0x80

#define PCI_BASE_ADDRESS_SPACE_IO 0x01
#define PCI_BASE_ADDRESS_MEM_TYPE_64 0x04
#define PCI_BASE_ADDRESS_MEM_PREFETCH 0x08

#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_MSIX 0x11

/* MSI capability registers, offsets from the capability. */
#define PCI_MSI_FLAGS 0x02
#define PCI_MSI_FLAGS_ENABLE 0x0001
#define PCI_MSI_FLAGS_QSIZE 0x0070
#define PCI_MSI_FLAGS_64BIT 0x0080
#define PCI_MSI_FLAGS_MASKBIT 0x0100
#define PCI_MSI_ADDRESS_LO 0x04
#define PCI_MSI_ADDRESS_HI 0x08
#define PCI_MSI_DATA_32 0x08
#define PCI_MSI_DATA_64 0x0c
#define PCI_MSI_MASK_32 0x0c
#define PCI_MSI_MASK_64 0x10

/* MSI-X capability registers and table entries. */
#define PCI_MSIX_FLAGS 0x02
#define PCI_MSIX_FLAGS_QSIZE 0x07ff
#define PCI_MSIX_FLAGS_MASKALL 0x4000
#define PCI_MSIX_FLAGS_ENABLE 0x8000
#define PCI_MSIX_TABLE 0x04
#define PCI_MSIX_TABLE_BIR 0x7
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_MSIX_ENTRY_ADDR_LO 0x0
#define PCI_MSIX_ENTRY_ADDR_HI 0x4
#define PCI_MSIX_ENTRY_DATA 0x8
#define PCI_MSIX_ENTRY_VECTOR_CTRL 0xc
#define PCI_MSIX_ENTRY_CTRL_MASKBIT 0x1

#define PCI_NUM_BARS 6

/* A decoded BAR; flags are IORESOURCE-like bits below. */
struct pci_bar {
	u64 start;
	u64 size;
	unsigned int flags;
};
#define PCI_BAR_IO 0x1
#define PCI_BAR_MEM 0x2
#define PCI_BAR_64 0x4
#define PCI_BAR_PREFETCH 0x8

struct pci_driver;

struct pci_dev {
	u8 bus, slot, func;
	u16 vendor, device;
	u32 class; /* base << 16 | sub << 8 | prog-if */
	u8 revision;
	u8 hdr_type;
	struct pci_bar bar[PCI_NUM_BARS];
	u8 msi_cap; /* 0 if none */
	u8 msix_cap;
	volatile u8 *msix_table; /* mapped once MSI-X is enabled */
	u16 msix_nr; /* table entries */
	struct pci_driver *driver;
	void *driver_data;
	struct list_head list;
};

struct pci_device_id {
	u16 vendor, device; /* {0, 0} ends a table */
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	struct list_head node;
};

/* Raw configuration access by address (bus, device, function, offset). */
u32 pci_conf_read32(u8 bus, u8 slot, u8 func, u16 off);
void pci_conf_write32(u8 bus, u8 slot, u8 func, u16 off, u32 val);

u8 pci_read_config_byte(struct pci_dev *dev, u16 off);
u16 pci_read_config_word(struct pci_dev *dev, u16 off);
u32 pci_read_config_dword(struct pci_dev *dev, u16 off);
void pci_write_config_word(struct pci_dev *dev, u16 off, u16 val);
void pci_write_config_dword(struct pci_dev *dev, u16 off, u32 val);

/* Scan every bus once (idempotent); returns the number of functions. */
int pci_scan_all(void);
/* Iterate the functions found, in bus/device/function order. */
struct pci_dev *pci_dev_next(struct pci_dev *prev);

/* Enable memory and I/O decoding for the BARs the function has. */
int pci_enable_device(struct pci_dev *dev);
void pci_set_master(struct pci_dev *dev);
/* Offset of the first capability with this id (after pos if pos != 0), or 0. */
u8 pci_find_capability(struct pci_dev *dev, u8 cap_id);
u8 pci_find_next_capability(struct pci_dev *dev, u8 pos, u8 cap_id);
/* Map a memory BAR uncached; NULL if it is absent or an I/O BAR. */
void *pci_ioremap_bar(struct pci_dev *dev, int bar);

/* MSI with a single message for vector (from irq_alloc_vector). */
int pci_enable_msi(struct pci_dev *dev, int vector);
/* MSI-X: entry i raises vectors[i]; -EINVAL if nvec exceeds the table. */
int pci_msix_vec_count(struct pci_dev *dev);
int pci_enable_msix(struct pci_dev *dev, const int *vectors, int nvec);

/* Probe every scanned function that matches; 0 or -errno. */
int pci_register_driver(struct pci_driver *drv);

/* DMA address of kernel memory: RAM is identity-mapped. */
static inline u64 pci_dma_addr(const volatile void *p)
{
	return (u64)(unsigned long)p;
}

#endif
