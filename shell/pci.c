/*
 * lspci: a header, then one line a function, "BB:DD.F vvvv:dddd cccccc"
 * (class as base, subclass and programming interface), in
 * bus/device/function order.
 */
#include "pci.h"
#include "printk.h"
#include "shell.h"

static int cmd_lspci(int argc, char **argv)
{
	struct pci_dev *d = NULL;

	(void)argc;
	(void)argv;
	pci_scan_all();
	printk("BDF VENDOR:DEVICE CLASS\n");
	while ((d = pci_dev_next(d)))
		printk("%02x:%02x.%x %04x:%04x %06x\n", d->bus, d->slot,
		       d->func, d->vendor, d->device, (unsigned int)d->class);
	return 0;
}
SHELL_COMMAND("lspci", cmd_lspci, "lspci",
	      "PCI functions: address, vendor:device, class");
