/*
 * AHCI request path: a request's tag is its command slot, so up to 32
 * commands are on the port at once. Commands are READ/WRITE DMA EXT and
 * FLUSH CACHE EXT; completion is PxCI bits clearing, reported through
 * MSI.
 *
 * Errors. A task-file error (PxIS.TFES) means one command failed. The
 * AHCI spec says the HBA then stops and PxCMD.CCS names the failing
 * slot, still set in PxCI. QEMU instead clears the failing slot's PxCI
 * bit and goes on with the others, so we also look at what each
 * finished data command moved: a finished command whose byte count
 * (PRDBC) falls short of its length failed. Only the failing commands
 * end with -EIO; every other command still outstanding is re-issued
 * after the port restarts (reads and writes are idempotent). Host bus
 * and interface errors (fatal) fail every outstanding command.
 */
#include "ahci.h"
#include "ata.h"
#include "blkdev.h"
#include "errno.h"
#include "asm/io.h"
#include "ktime.h"
#include "pci.h"
#include "printk.h"
#include "string.h"

#define AHCI_STOP_NS (500 * NSEC_PER_MSEC)

static u32 pread(struct ahci_port *pp, unsigned int reg)
{
	return readl(pp->mmio + reg);
}

static void pwrite(struct ahci_port *pp, unsigned int reg, u32 v)
{
	writel(v, pp->mmio + reg);
}

static bool wait_clear(struct ahci_port *pp, unsigned int reg, u32 bits, u64 ns)
{
	u64 end = ktime_get_ns() + ns;

	while (pread(pp, reg) & bits)
		if (ktime_get_ns() > end)
			return false;
	return true;
}

/* Stop the command engine: clear ST, then wait for CR to drop. */
int ahci_port_stop(struct ahci_port *pp)
{
	u32 cmd = pread(pp, PORT_CMD);

	if (!(cmd & (PORT_CMD_START | PORT_CMD_LIST_ON)))
		return 0;
	pwrite(pp, PORT_CMD, cmd & ~PORT_CMD_START);
	return wait_clear(pp, PORT_CMD, PORT_CMD_LIST_ON, AHCI_STOP_NS) ?
		       0 :
		       -ETIMEDOUT;
}

static void ahci_delay_ns(u64 ns)
{
	u64 end = ktime_get_ns() + ns;

	while (ktime_get_ns() < end)
		barrier();
}

/*
 * COMRESET: hold the link in reset (SCTL.DET = 1) for at least 1 ms,
 * release it and wait for the device to come back (SSTS.DET = 3, not
 * busy). The engine must be stopped.
 */
int ahci_comreset(struct ahci_port *pp)
{
	u32 sctl = pread(pp, PORT_SCR_CTL) & ~0xfu;
	u64 end;

	printk("ahci: port %d: COMRESET\n", pp->index);
	pwrite(pp, PORT_SCR_CTL, sctl | SCTL_DET_COMRESET);
	ahci_delay_ns(2 * NSEC_PER_MSEC);
	pwrite(pp, PORT_SCR_CTL, sctl);
	end = ktime_get_ns() + NSEC_PER_SEC;
	while ((pread(pp, PORT_SCR_STAT) & SSTS_DET_MASK) != SSTS_DET_PRESENT)
		if (ktime_get_ns() > end)
			return -ETIMEDOUT;
	pwrite(pp, PORT_SCR_ERR, 0xffffffff);
	if (!wait_clear(pp, PORT_TFDATA, ATA_BUSY | ATA_DRQ, NSEC_PER_SEC))
		return -ETIMEDOUT;
	pwrite(pp, PORT_IRQ_STAT, 0xffffffff);
	return 0;
}

void ahci_port_start(struct ahci_port *pp)
{
	pwrite(pp, PORT_CMD,
	       pread(pp, PORT_CMD) | PORT_CMD_FIS_RX | PORT_CMD_START);
}

void ahci_fill_fis(struct ahci_cmd_table *t, u8 cmd, u64 lba, u32 count)
{
	struct fis_reg_h2d *fis = (struct fis_reg_h2d *)t->cfis;

	memset(fis, 0, sizeof(*fis));
	fis->type = FIS_TYPE_REG_H2D;
	fis->flags = FIS_H2D_COMMAND;
	fis->command = cmd;
	fis->device = ATA_LBA;
	fis->lba0 = (u8)lba;
	fis->lba1 = (u8)(lba >> 8);
	fis->lba2 = (u8)(lba >> 16);
	fis->lba3 = (u8)(lba >> 24);
	fis->lba4 = (u8)(lba >> 32);
	fis->lba5 = (u8)(lba >> 40);
	fis->count_lo = (u8)count;
	fis->count_hi = (u8)(count >> 8);
}

/* Returns the entries written, or -EINVAL for a segment AHCI can't take. */
int ahci_fill_prdt(struct ahci_cmd_table *t, const struct blk_sg *sg, int n)
{
	int i;

	if (n < 0 || n > AHCI_MAX_PRDT)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		/* Byte counts are even and at most 4 MiB; the address even. */
		if (!sg[i].len || sg[i].len > AHCI_PRD_MAX_BYTES ||
		    (sg[i].len & 1) || (sg[i].addr & 1))
			return -EINVAL;
		t->prdt[i].dba = sg[i].addr;
		t->prdt[i].rsvd = 0;
		t->prdt[i].dbc = sg[i].len - 1;
	}
	return n;
}

static void ahci_set_header(struct ahci_port *pp, int slot, int nprd,
			    bool write)
{
	struct ahci_cmd_hdr *h = &pp->cmd_list[slot];

	h->opts = AHCI_CMD_CFL(sizeof(struct fis_reg_h2d) / 4) |
		  AHCI_CMD_PRDTL(nprd) | (write ? AHCI_CMD_WRITE : 0);
	/* QEMU zeroes PRDBC when it starts a command: see ahci_error(). */
	h->prdbc = AHCI_PRDBC_UNSTARTED;
	h->ctba = pci_dma_addr(pp->table[slot]);
}

static int ahci_prep_data(struct ahci_port *pp, struct request *rq, int slot)
{
	struct ahci_cmd_table *t = pp->table[slot];
	bool write = rq_data_dir(rq) == WRITE;
	u32 count = rq->data_len >> SECTOR_SHIFT;
	int n;

	if (!count || count > 0xffff || rq->sector + count > pp->sectors)
		return -EIO;
	n = blk_rq_map_sg(pp->q, rq, pp->sg);
	n = ahci_fill_prdt(t, pp->sg, n);
	if (n <= 0)
		return -EINVAL;
	ahci_fill_fis(t, write ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT,
		      rq->sector, count);
	ahci_set_header(pp, slot, n, write);
	pp->slot_bytes[slot] = rq->data_len;
	pp->slot_stage[slot] = AHCI_STAGE_DATA;
	return 0;
}

static void ahci_prep_flush(struct ahci_port *pp, int slot, u8 stage)
{
	ahci_fill_fis(pp->table[slot], pp->flush_cmd, 0, 0);
	ahci_set_header(pp, slot, 0, false);
	pp->slot_bytes[slot] = 0;
	pp->slot_stage[slot] = stage;
}

/* Hand prepared slots to the HBA; caller holds pp->lock. */
static void ahci_issue(struct ahci_port *pp, u32 slots)
{
	pp->issued |= slots;
	/* The command header and table must be in memory before PxCI. */
	wmb();
	pwrite(pp, PORT_CMD_ISSUE, slots);
}

int ahci_queue_rq(struct request_queue *q, struct request *rq)
{
	struct ahci_port *pp = q->queuedata;
	int slot = rq->tag, err = 0;
	bool flush = rq->cmd_flags & REQ_FLUSH;
	unsigned long flags;

	if (slot < 0 || slot >= pp->host->nr_slots)
		return -EBUSY;
	spin_lock_irqsave(&pp->lock, flags);
	if (pp->issued & (1u << slot)) {
		spin_unlock_irqrestore(&pp->lock, flags);
		return -EBUSY;
	}
	if (flush)
		ahci_prep_flush(pp, slot,
				rq->data_len ? AHCI_STAGE_PREFLUSH :
					       AHCI_STAGE_DATA);
	else
		err = ahci_prep_data(pp, rq, slot);
	if (!err) {
		pp->slot_rq[slot] = rq;
		ahci_issue(pp, 1u << slot);
	}
	spin_unlock_irqrestore(&pp->lock, flags);
	if (err)
		blk_end_request(rq, err);
	return 0;
}

struct ahci_done {
	struct request *rq[AHCI_MAX_SLOTS];
	int err[AHCI_MAX_SLOTS];
	int n;
};

static void ahci_done_add(struct ahci_done *d, struct ahci_port *pp, int slot,
			  int err)
{
	struct request *rq = pp->slot_rq[slot];

	pp->issued &= ~(1u << slot);
	pp->slot_rq[slot] = NULL;
	if (!rq)
		return;
	/* A successful pre-flush goes on with the data in the same slot. */
	if (!err && pp->slot_stage[slot] == AHCI_STAGE_PREFLUSH) {
		err = ahci_prep_data(pp, rq, slot);
		if (!err) {
			pp->slot_rq[slot] = rq;
			ahci_issue(pp, 1u << slot);
			return;
		}
	}
	d->rq[d->n] = rq;
	d->err[d->n++] = err;
}

static bool ahci_slot_short(struct ahci_port *pp, int slot)
{
	return pp->slot_bytes[slot] &&
	       READ_ONCE(pp->cmd_list[slot].prdbc) < pp->slot_bytes[slot];
}

static u32 ahci_started(struct ahci_port *pp, u32 slots)
{
	u32 started = 0;
	int slot;

	for (slot = 0; slot < AHCI_MAX_SLOTS; slot++)
		if ((slots & (1u << slot)) &&
		    READ_ONCE(pp->cmd_list[slot].prdbc) != AHCI_PRDBC_UNSTARTED)
			started |= 1u << slot;
	return started;
}

/*
 * The port failed a command. Which one: a finished data command that
 * moved fewer bytes than asked; else an unfinished command the HBA has
 * started (PRDBC no longer our marker: QEMU keeps the failed slot's
 * PxCI bit set and zeroes PRDBC when it starts a command); else the
 * slot in PxCMD.CCS (the spec's halted HBA); else a finished FLUSH. If
 * nothing can be blamed, every outstanding command fails, so a bad
 * sector never turns into an endless retry loop. The rest are
 * re-issued once the engine is restarted with a clean error state.
 */
static void ahci_error(struct ahci_port *pp, u32 irq, u32 done,
		       struct ahci_done *d)
{
	u32 tfd = pread(pp, PORT_TFDATA), rest, failed = 0, flushes = 0;
	int slot, ccs;

	pp->errors++;
	for (slot = 0; slot < AHCI_MAX_SLOTS; slot++) {
		if (!(done & (1u << slot)))
			continue;
		if (ahci_slot_short(pp, slot))
			failed |= 1u << slot;
		else if (!pp->slot_bytes[slot])
			flushes |= 1u << slot;
	}
	ahci_port_stop(pp);
	rest = pp->issued & ~done;
	ccs = (pread(pp, PORT_CMD) & PORT_CMD_CCS_MASK) >> PORT_CMD_CCS_SHIFT;
	if (!failed && (irq & PORT_IRQ_TF_ERR))
		failed = ahci_started(pp, rest);
	if (!failed && (irq & PORT_IRQ_TF_ERR) && (rest & (1u << ccs)))
		failed = 1u << ccs;
	if (!failed && (irq & PORT_IRQ_TF_ERR))
		failed = flushes;
	if (!failed || (irq & PORT_IRQ_FATAL))
		failed |= rest;
	rest &= ~failed;
	printk("ahci: port %d: error irq %08x tfd %04x failed %08x retry %08x\n",
	       pp->index, irq, tfd & 0xffff, failed, rest);
	pwrite(pp, PORT_SCR_ERR, 0xffffffff);
	pwrite(pp, PORT_IRQ_STAT, 0xffffffff);
	if (!wait_clear(pp, PORT_TFDATA, ATA_BUSY | ATA_DRQ, AHCI_STOP_NS))
		ahci_comreset(pp);
	pp->recoveries++;
	ahci_port_start(pp);
	for (slot = 0; slot < AHCI_MAX_SLOTS; slot++) {
		if (failed & (1u << slot))
			ahci_done_add(d, pp, slot, -EIO);
		else if (done & (1u << slot))
			ahci_done_add(d, pp, slot, 0);
	}
	if (rest)
		ahci_issue(pp, rest);
}

void ahci_port_irq(struct ahci_port *pp)
{
	struct ahci_done d;
	unsigned long flags;
	u32 ci, irq, done;
	int i, slot;

	d.n = 0;
	spin_lock_irqsave(&pp->lock, flags);
	/*
	 * PxCI before PxIS: a command seen finished here has already posted
	 * its status, so its error (TFES) is in the PxIS we read next.
	 */
	ci = pread(pp, PORT_CMD_ISSUE);
	irq = pread(pp, PORT_IRQ_STAT);
	pwrite(pp, PORT_IRQ_STAT, irq);
	done = pp->issued & ~ci;
	if (irq & PORT_IRQ_ERROR & ~PORT_IRQ_IF_NONFATAL & ~PORT_IRQ_UNK_FIS) {
		ahci_error(pp, irq, done, &d);
	} else {
		for (slot = 0; slot < AHCI_MAX_SLOTS; slot++)
			if (done & (1u << slot))
				ahci_done_add(&d, pp, slot,
					      ahci_slot_short(pp, slot) ? -EIO :
									  0);
	}
	spin_unlock_irqrestore(&pp->lock, flags);
	for (i = 0; i < d.n; i++)
		blk_end_request(d.rq[i], d.err[i]);
}
