/*
 * MSI and MSI-X: the device raises an interrupt by writing a message
 * (address, data) that the local APIC decodes as a vector. arch code
 * composes the message for a vector (msi_address/msi_data); here we only
 * program it into the capability (MSI) or the table in a BAR (MSI-X).
 */
#include "errno.h"
#include "asm/io.h"
#include "irq.h"
#include "pci.h"

static void pci_intx_disable(struct pci_dev *d)
{
	u16 cmd = pci_read_config_word(d, PCI_COMMAND);

	pci_write_config_word(d, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE);
}

int pci_enable_msi(struct pci_dev *d, int vector)
{
	u8 pos = d->msi_cap;
	u64 addr = msi_address(vector);
	u16 ctrl;

	if (!pos)
		return -ENODEV;
	ctrl = pci_read_config_word(d, pos + PCI_MSI_FLAGS);
	/* One message: Multiple Message Enable = 0. */
	ctrl &= ~(PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);
	pci_write_config_word(d, pos + PCI_MSI_FLAGS, ctrl);
	pci_write_config_dword(d, pos + PCI_MSI_ADDRESS_LO, (u32)addr);
	if (ctrl & PCI_MSI_FLAGS_64BIT) {
		pci_write_config_dword(d, pos + PCI_MSI_ADDRESS_HI,
				       (u32)(addr >> 32));
		pci_write_config_word(d, pos + PCI_MSI_DATA_64,
				      (u16)msi_data(vector));
		if (ctrl & PCI_MSI_FLAGS_MASKBIT)
			pci_write_config_dword(d, pos + PCI_MSI_MASK_64, 0);
	} else {
		if (addr >> 32)
			return -EINVAL;
		pci_write_config_word(d, pos + PCI_MSI_DATA_32,
				      (u16)msi_data(vector));
		if (ctrl & PCI_MSI_FLAGS_MASKBIT)
			pci_write_config_dword(d, pos + PCI_MSI_MASK_32, 0);
	}
	pci_intx_disable(d);
	pci_write_config_word(d, pos + PCI_MSI_FLAGS,
			      ctrl | PCI_MSI_FLAGS_ENABLE);
	return 0;
}

int pci_msix_vec_count(struct pci_dev *d)
{
	if (!d->msix_cap)
		return -ENODEV;
	return (pci_read_config_word(d, d->msix_cap + PCI_MSIX_FLAGS) &
		PCI_MSIX_FLAGS_QSIZE) +
	       1;
}

static volatile u8 *msix_entry(struct pci_dev *d, int entry)
{
	return d->msix_table + entry * PCI_MSIX_ENTRY_SIZE;
}

static int pci_msix_map_table(struct pci_dev *d)
{
	u32 table = pci_read_config_dword(d, d->msix_cap + PCI_MSIX_TABLE);
	int bir = table & PCI_MSIX_TABLE_BIR;
	u8 *base;

	if (d->msix_table)
		return 0;
	if (bir >= PCI_NUM_BARS || !(d->bar[bir].flags & PCI_BAR_MEM))
		return -EINVAL;
	if ((u64)(table & ~7u) + (u64)d->msix_nr * PCI_MSIX_ENTRY_SIZE >
	    d->bar[bir].size)
		return -EINVAL;
	base = pci_ioremap_bar(d, bir);
	if (!base)
		return -ENOMEM;
	d->msix_table = base + (table & ~7u);
	return 0;
}

/*
 * The function-mask bit holds every entry masked while the table is
 * written, so the device never fires a half-programmed message; each
 * entry is then unmasked and the function mask dropped.
 */
int pci_enable_msix(struct pci_dev *d, const int *vectors, int nvec)
{
	u8 pos = d->msix_cap;
	int n = pci_msix_vec_count(d), i, err;
	u16 ctrl;

	if (n < 0)
		return n;
	if (nvec < 1 || nvec > n)
		return -EINVAL;
	d->msix_nr = (u16)n;
	err = pci_msix_map_table(d);
	if (err)
		return err;
	ctrl = pci_read_config_word(d, pos + PCI_MSIX_FLAGS);
	pci_write_config_word(d, pos + PCI_MSIX_FLAGS,
			      ctrl | PCI_MSIX_FLAGS_ENABLE |
				      PCI_MSIX_FLAGS_MASKALL);
	for (i = 0; i < n; i++) {
		volatile u8 *e = msix_entry(d, i);

		writel(PCI_MSIX_ENTRY_CTRL_MASKBIT,
		       e + PCI_MSIX_ENTRY_VECTOR_CTRL);
		if (i >= nvec)
			continue;
		writel((u32)msi_address(vectors[i]),
		       e + PCI_MSIX_ENTRY_ADDR_LO);
		writel((u32)(msi_address(vectors[i]) >> 32),
		       e + PCI_MSIX_ENTRY_ADDR_HI);
		writel(msi_data(vectors[i]), e + PCI_MSIX_ENTRY_DATA);
		writel(0, e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	}
	pci_intx_disable(d);
	ctrl = pci_read_config_word(d, pos + PCI_MSIX_FLAGS);
	pci_write_config_word(d, pos + PCI_MSIX_FLAGS,
			      (ctrl | PCI_MSIX_FLAGS_ENABLE) &
				      ~PCI_MSIX_FLAGS_MASKALL);
	return 0;
}
