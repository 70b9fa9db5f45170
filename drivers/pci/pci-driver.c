/*
 * Driver registration: a driver names the vendor:device pairs it
 * handles; every scanned function that matches and has no driver yet is
 * handed to its probe(). Drivers register from device_initcall, after
 * the bus scan (subsys_initcall), but the scan is idempotent so the
 * order does not matter.
 */
#include "errno.h"
#include "pci.h"
#include "printk.h"

static LIST_HEAD(pci_drivers);

static const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
						struct pci_dev *d)
{
	for (; ids->vendor || ids->device; ids++)
		if (ids->vendor == d->vendor && ids->device == d->device)
			return ids;
	return NULL;
}

int pci_register_driver(struct pci_driver *drv)
{
	struct pci_dev *d = NULL;
	const struct pci_device_id *id;
	int err;

	if (!drv || !drv->id_table || !drv->probe)
		return -EINVAL;
	pci_scan_all();
	list_add_tail(&drv->node, &pci_drivers);
	while ((d = pci_dev_next(d))) {
		if (d->driver)
			continue;
		id = pci_match_id(drv->id_table, d);
		if (!id)
			continue;
		d->driver = drv;
		err = drv->probe(d, id);
		if (err) {
			printk("%s: %02x:%02x.%x probe failed: %d\n", drv->name,
			       d->bus, d->slot, d->func, err);
			d->driver = NULL;
		}
	}
	return 0;
}
