/*
 * AHCI host and port bring-up: reset the HBA, find ports with an ATA
 * disk (signature 0x101; ATAPI and empty ports are skipped), give each
 * its command list, received-FIS area and 32 command tables, IDENTIFY
 * the disk, then register it as sdX with a 32-deep queue. One MSI
 * vector serves the whole HBA.
 */
#include "ahci.h"
#include "ata.h"
#include "blkdev.h"
#include "errno.h"
#include "init.h"
#include "asm/io.h"
#include "irq.h"
#include "ktime.h"
#include "mm.h"
#include "pci.h"
#include "printk.h"
#include "slab.h"
#include "string.h"

#define AHCI_RESET_NS NSEC_PER_SEC
#define AHCI_CMD_NS (5 * NSEC_PER_SEC)

static u32 hread(struct ahci_host *h, unsigned int reg)
{
	return readl(h->mmio + reg);
}

static void hwrite(struct ahci_host *h, unsigned int reg, u32 v)
{
	writel(v, h->mmio + reg);
}

static u32 pread(struct ahci_port *pp, unsigned int reg)
{
	return readl(pp->mmio + reg);
}

static void pwrite(struct ahci_port *pp, unsigned int reg, u32 v)
{
	writel(v, pp->mmio + reg);
}

static int ahci_hba_reset(struct ahci_host *h)
{
	u64 end;

	hwrite(h, HOST_CTL, hread(h, HOST_CTL) | HOST_CTL_AHCI_EN);
	hwrite(h, HOST_CTL, HOST_CTL_AHCI_EN | HOST_CTL_RESET);
	end = ktime_get_ns() + AHCI_RESET_NS;
	while (hread(h, HOST_CTL) & HOST_CTL_RESET)
		if (ktime_get_ns() > end)
			return -ETIMEDOUT;
	/* The reset clears AE on some HBAs: set it again. */
	hwrite(h, HOST_CTL, HOST_CTL_AHCI_EN);
	return 0;
}

static int ahci_port_alloc(struct ahci_port *pp)
{
	unsigned long page = __get_free_pages(GFP_KERNEL, 0);
	int i;

	if (!page)
		return -ENOMEM;
	memset((void *)page, 0, PAGE_SIZE);
	/* Command list (1 KiB aligned) then received FIS (256 aligned). */
	pp->cmd_list = (struct ahci_cmd_hdr *)page;
	pp->rx_fis = (u8 *)page + 1024;
	pp->identify = (u16 *)((u8 *)page + 2048);
	for (i = 0; i < AHCI_MAX_SLOTS; i++) {
		page = __get_free_pages(GFP_KERNEL, 0);
		if (!page)
			return -ENOMEM;
		memset((void *)page, 0, PAGE_SIZE);
		pp->table[i] = (struct ahci_cmd_table *)page;
	}
	pp->sg = kcalloc(AHCI_MAX_PRDT, sizeof(*pp->sg), GFP_KERNEL);
	return pp->sg ? 0 : -ENOMEM;
}

static void ahci_port_free(struct ahci_port *pp)
{
	for (int i = 0; i < AHCI_MAX_SLOTS; i++)
		if (pp->table[i])
			free_pages((unsigned long)pp->table[i], 0);
	if (pp->cmd_list)
		free_pages((unsigned long)pp->cmd_list, 0);
	kfree(pp->sg);
	kfree(pp);
}

/* Stop both engines and FIS receive: the port no longer DMAs into memory. */
static int ahci_port_quiesce(struct ahci_port *pp)
{
	u64 end;

	if (ahci_port_stop(pp))
		return -ETIMEDOUT;
	pwrite(pp, PORT_CMD, pread(pp, PORT_CMD) & ~PORT_CMD_FIS_RX);
	end = ktime_get_ns() + AHCI_RESET_NS;
	while (pread(pp, PORT_CMD) & PORT_CMD_FIS_ON)
		if (ktime_get_ns() > end)
			return -ETIMEDOUT;
	return 0;
}

/* Quiesce the port and point it at our memory. */
static int ahci_port_setup(struct ahci_port *pp)
{
	u64 clb = pci_dma_addr(pp->cmd_list), fb = pci_dma_addr(pp->rx_fis);
	int err = ahci_port_quiesce(pp);

	if (err)
		return err;
	pwrite(pp, PORT_LST_ADDR, (u32)clb);
	pwrite(pp, PORT_LST_ADDR_HI, (u32)(clb >> 32));
	pwrite(pp, PORT_FIS_ADDR, (u32)fb);
	pwrite(pp, PORT_FIS_ADDR_HI, (u32)(fb >> 32));
	pwrite(pp, PORT_SCR_ERR, 0xffffffff);
	pwrite(pp, PORT_IRQ_STAT, 0xffffffff);
	pwrite(pp, PORT_CMD,
	       pread(pp, PORT_CMD) | PORT_CMD_SPIN_UP | PORT_CMD_POWER_ON |
		       PORT_CMD_FIS_RX);
	return 0;
}

/* Issue slot 0 and poll; used before the port interrupts (IDENTIFY). */
static int ahci_exec_polled(struct ahci_port *pp)
{
	u64 end = ktime_get_ns() + AHCI_CMD_NS;

	pwrite(pp, PORT_IRQ_STAT, 0xffffffff);
	wmb();
	pwrite(pp, PORT_CMD_ISSUE, 1);
	while (pread(pp, PORT_CMD_ISSUE) & 1) {
		if (pread(pp, PORT_IRQ_STAT) & PORT_IRQ_TF_ERR)
			break;
		if (ktime_get_ns() > end)
			return -ETIMEDOUT;
	}
	if ((pread(pp, PORT_IRQ_STAT) & PORT_IRQ_TF_ERR) ||
	    (pread(pp, PORT_TFDATA) & ATA_ERR))
		return -EIO;
	return 0;
}

static int ahci_identify(struct ahci_port *pp)
{
	struct ahci_cmd_table *t = pp->table[0];
	struct ahci_cmd_hdr *h = &pp->cmd_list[0];
	const u16 *id = pp->identify;
	int err;

	memset(pp->identify, 0, ATA_SECT_SIZE);
	ahci_fill_fis(t, ATA_CMD_ID_ATA, 0, 0);
	t->prdt[0].dba = pci_dma_addr(pp->identify);
	t->prdt[0].rsvd = 0;
	t->prdt[0].dbc = ATA_SECT_SIZE - 1;
	h->opts = AHCI_CMD_CFL(sizeof(struct fis_reg_h2d) / 4) |
		  AHCI_CMD_PRDTL(1);
	h->prdbc = 0;
	h->ctba = pci_dma_addr(t);
	err = ahci_exec_polled(pp);
	if (err)
		return err;
	if (id[ATA_ID_COMMAND_SET_2] & (1u << 10)) /* LBA48 */
		pp->sectors = (u64)id[100] | (u64)id[101] << 16 |
			      (u64)id[102] << 32 | (u64)id[103] << 48;
	else
		pp->sectors = (u64)id[60] | (u64)id[61] << 16;
	ata_id_string(id, pp->model, ATA_ID_PROD, ATA_ID_PROD_LEN);
	pp->ncq = id[ATA_ID_SATA_CAPABILITY] & (1u << 8);
	pp->wcache = id[ATA_ID_CFS_ENABLE_1] & (1u << ATA_ID_WCACHE_BIT);
	pp->flush_cmd =
		(id[ATA_ID_COMMAND_SET_2] & (1u << ATA_ID_FLUSH_EXT_BIT)) ?
			ATA_CMD_FLUSH_EXT :
			ATA_CMD_FLUSH;
	return pp->sectors ? 0 : -ENODEV;
}

/*
 * Disks show as SCSI disks, with Linux's sd numbers: sda..sdp on major
 * 8, then 65..71 and 128..135, sixteen disks a major, 16 minors a disk.
 */
#define SCSI_DISK0_MAJOR 8
#define SCSI_DISK1_MAJOR 65
#define SCSI_DISK8_MAJOR 128

static int sd_major(int major_idx)
{
	if (major_idx == 0)
		return SCSI_DISK0_MAJOR;
	if (major_idx < 8)
		return SCSI_DISK1_MAJOR + major_idx - 1;
	return SCSI_DISK8_MAJOR + major_idx - 8;
}

static const struct blk_mq_ops ahci_mq_ops = {
	.queue_rq = ahci_queue_rq,
};

static int ahci_register_port(struct ahci_port *pp)
{
	struct blk_mq_tag_set set = { .ops = &ahci_mq_ops,
				      .queue_depth =
					      (unsigned int)pp->host->nr_slots,
				      .driver_data = pp };
	struct request_queue *q;
	struct gendisk *disk;
	int err;

	q = blk_mq_init_queue(&set);
	if (IS_ERR_OR_NULL(q))
		return -ENOMEM;
	blk_queue_logical_block_size(q, SECTOR_SIZE);
	blk_queue_max_hw_sectors(q, AHCI_MAX_SECTORS);
	blk_queue_max_segments(q, AHCI_MAX_PRDT);
	blk_queue_max_segment_size(q, AHCI_PRD_MAX_BYTES);
	blk_queue_write_cache(q, pp->wcache);
	disk = alloc_disk("sd");
	if (IS_ERR_OR_NULL(disk)) {
		err = -ENOMEM;
		goto err_cleanup_queue;
	}
	disk->bus = "ahci";
	disk->major = sd_major(disk->index / DISK_PART_MINORS);
	disk->first_minor = (disk->index % DISK_PART_MINORS) * DISK_PART_MINORS;
	disk->queue = q;
	disk->private_data = pp;
	disk->capacity = pp->sectors;
	strscpy(disk->model, pp->model, sizeof(disk->model));
	printk("ahci: port %d: %s: %llu sectors, \"%s\"%s%s, %d slots\n",
	       pp->index, disk->disk_name, (unsigned long long)pp->sectors,
	       pp->model, pp->ncq ? ", NCQ capable" : "",
	       pp->wcache ? ", write cache" : "", pp->host->nr_slots);
	pp->q = q;
	pp->disk = disk;
	err = add_disk(disk);
	if (err)
		goto err_put_disk;
	return 0;

err_put_disk:
	pp->disk = NULL;
	pp->q = NULL;
	put_disk(disk);
err_cleanup_queue:
	blk_cleanup_queue(q);
	return err;
}

static int ahci_port_init(struct ahci_host *h, int index)
{
	struct ahci_port *pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	u32 ssts, sig;
	int err;

	if (!pp)
		return -ENOMEM;
	pp->host = h;
	pp->index = index;
	pp->mmio = ahci_port_mmio(h, index);
	spin_lock_init(&pp->lock);
	err = ahci_port_alloc(pp);
	if (err)
		goto err_free;
	err = ahci_port_setup(pp);
	if (err)
		goto err_quiesce;
	ssts = pread(pp, PORT_SCR_STAT);
	if ((ssts & SSTS_DET_MASK) != SSTS_DET_PRESENT) {
		err = -ENODEV;
		goto err_quiesce;
	}
	sig = pread(pp, PORT_SIG);
	if (sig != SATA_SIG_ATA) {
		printk("ahci: port %d: signature %08x (%s), skipped\n", index,
		       sig, sig == SATA_SIG_ATAPI ? "ATAPI" : "not a disk");
		err = -ENODEV;
		goto err_quiesce;
	}
	if (ahci_port_stop(pp) == 0)
		ahci_port_start(pp);
	err = ahci_identify(pp);
	if (err) {
		printk("ahci: port %d: IDENTIFY failed: %d\n", index, err);
		goto err_quiesce;
	}
	h->ports[index] = pp;
	return 0;

err_quiesce:
	if (ahci_port_quiesce(pp)) {
		/* A port that will not stop may still DMA: keep its memory. */
		printk("ahci: port %d: will not stop; its memory stays\n",
		       index);
		return err;
	}
err_free:
	ahci_port_free(pp);
	return err;
}

static void ahci_irq(void *data)
{
	struct ahci_host *h = data;
	u32 is = hread(h, HOST_IRQ_STAT);
	int i;

	for (i = 0; i < AHCI_MAX_PORTS; i++)
		if ((is & (1u << i)) && h->ports[i])
			ahci_port_irq(h->ports[i]);
	/* Port status first, then the HBA's summary bit (AHCI 10.7.2). */
	hwrite(h, HOST_IRQ_STAT, is);
}

static int ahci_host_init(struct ahci_host *h, struct pci_dev *pci)
{
	int err, i;

	h->mmio = pci_ioremap_bar(pci, 5);
	if (!h->mmio)
		return -ENODEV;
	pci_enable_device(pci);
	pci_set_master(pci);
	err = ahci_hba_reset(h);
	if (err)
		return err;
	h->cap = hread(h, HOST_CAP);
	h->ports_impl = hread(h, HOST_PORTS_IMPL);
	h->nr_slots = (int)((h->cap >> 8) & 0x1f) + 1;
	h->vector = irq_alloc_vector(ahci_irq, h);
	if (h->vector < 0)
		return h->vector;
	err = pci_enable_msi(pci, h->vector);
	if (err) {
		irq_free_vector(h->vector);
		return err;
	}
	for (i = 0; i < AHCI_MAX_PORTS; i++)
		if (h->ports_impl & (1u << i))
			ahci_port_init(h, i);
	return 0;
}

static int ahci_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	struct ahci_host *h = kzalloc(sizeof(*h), GFP_KERNEL);
	int err, i, n = 0;

	(void)id;
	if (!h)
		return -ENOMEM;
	pci->driver_data = h;
	err = ahci_host_init(h, pci);
	if (err)
		goto err_free;
	for (i = 0; i < AHCI_MAX_PORTS; i++) {
		struct ahci_port *pp = h->ports[i];

		if (!pp)
			continue;
		pwrite(pp, PORT_IRQ_STAT, 0xffffffff);
		pwrite(pp, PORT_IRQ_MASK, PORT_IRQ_DEFAULT);
	}
	hwrite(h, HOST_IRQ_STAT, 0xffffffff);
	hwrite(h, HOST_CTL, hread(h, HOST_CTL) | HOST_CTL_IRQ_EN);
	for (i = 0; i < AHCI_MAX_PORTS; i++) {
		if (!h->ports[i])
			continue;
		err = ahci_register_port(h->ports[i]);
		if (err)
			printk("ahci: port %d: register failed: %d\n", i, err);
		else
			n++;
	}
	printk("ahci: %02x:%02x.%x: %d slots, ports %08x, %d disk(s)\n",
	       pci->bus, pci->slot, pci->func, h->nr_slots, h->ports_impl, n);
	return 0;

err_free:
	pci->driver_data = NULL;
	kfree(h);
	return err;
}

static const struct pci_device_id ahci_ids[] = {
	{ 0x8086, 0x2922 }, /* ICH9 AHCI: QEMU's "ahci" and q35's */
	{ 0, 0 },
};

static struct pci_driver ahci_driver = {
	.name = "ahci",
	.id_table = ahci_ids,
	.probe = ahci_probe,
};

static int ahci_init(void)
{
	return pci_register_driver(&ahci_driver);
}
device_initcall(ahci_init);
