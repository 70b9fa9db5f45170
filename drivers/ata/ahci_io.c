/*
 * AHCI request path: a request's tag is its command slot, so up to 32
 * commands are on the port at once. Commands are READ/WRITE DMA EXT and
 * FLUSH CACHE EXT; completion is PxCI bits clearing, reported through
 * MSI.
 *
 * Errors. A task-file error (PxIS.TFES) means one command failed. The
 * AHCI spec says the HBA then stops and PxCMD.CCS names the failing
 * slot, still set in PxCI. QEMU instead goes on starting commands for a
 * moment, so after stopping the port we look at what each command
 * moved: a data command whose byte count (PRDBC) falls short of its
 * length failed (ahci_error()). Only the failing commands end with
 * -EIO; every command never started is re-issued after the port
 * restarts (reads and writes are idempotent). Host bus and interface
 * errors (fatal) fail every outstanding command.
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
	if ((pp->issued | pp->pending) & (1u << slot)) {
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
		pp->pending |= 1u << slot; /* ahci_commit_rqs issues it */
	}
	spin_unlock_irqrestore(&pp->lock, flags);
	if (err)
		blk_end_request(rq, err);
	return 0;
}

/*
 * The batch the block layer dispatched, in one write of PxCI: under
 * emulation each register write is an exit to the hypervisor, and the
 * HBA takes the slots in order whichever way they were announced.
 */
void ahci_commit_rqs(struct request_queue *q)
{
	struct ahci_port *pp = q->queuedata;
	unsigned long flags;

	spin_lock_irqsave(&pp->lock, flags);
	if (pp->pending) {
		ahci_issue(pp, pp->pending);
		pp->pending = 0;
	}
	spin_unlock_irqrestore(&pp->lock, flags);
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

/* PRDBC: what the HBA says a command moved, or our never-started marker. */
static u32 ahci_prdbc(struct ahci_port *pp, int slot)
{
	return READ_ONCE(pp->cmd_list[slot].prdbc);
}

/* A data command that started and moved less than its length. */
static bool ahci_slot_short(struct ahci_port *pp, int slot)
{
	return pp->slot_bytes[slot] &&
	       ahci_prdbc(pp, slot) < pp->slot_bytes[slot];
}

static bool ahci_slot_full(struct ahci_port *pp, int slot)
{
	return pp->slot_bytes[slot] &&
	       ahci_prdbc(pp, slot) == pp->slot_bytes[slot];
}

/* A FLUSH moves no data: started is all its PRDBC can say. */
static bool ahci_slot_flush(struct ahci_port *pp, int slot)
{
	return !pp->slot_bytes[slot];
}

static bool ahci_slot_flush_started(struct ahci_port *pp, int slot)
{
	return !pp->slot_bytes[slot] &&
	       ahci_prdbc(pp, slot) != AHCI_PRDBC_UNSTARTED;
}

/* The slots among slots for which test() holds. */
static u32 ahci_slots_where(struct ahci_port *pp, u32 slots,
			    bool (*test)(struct ahci_port *pp, int slot))
{
	u32 found = 0;
	int slot;

	for (slot = 0; slot < AHCI_MAX_SLOTS; slot++)
		if ((slots & (1u << slot)) && test(pp, slot))
			found |= 1u << slot;
	return found;
}

/*
 * More than one command looks short: one of them may be the command
 * the HBA was still running when the engine stopped, which ends soon
 * with its full count. A failed command stays short. Wait for the
 * running one to end, or for the time a stop may take.
 */
static u32 ahci_settle(struct ahci_port *pp, u32 suspects)
{
	u64 end = ktime_get_ns() + AHCI_STOP_NS;

	while ((suspects & (suspects - 1)) && ktime_get_ns() < end)
		suspects = ahci_slots_where(pp, suspects, ahci_slot_short);
	return suspects;
}

/*
 * The port failed a command. Stop the engine first: QEMU goes on
 * starting commands for a moment after a task-file error (and keeps
 * the failed slot's PxCI bit set, or clears it, by version), so PxCI
 * cannot say which one failed, and only a stopped port holds still.
 * Each command is then judged by what it moved (PRDBC, which QEMU
 * zeroes when it starts a command and our marker means never
 * started): a data command that moved less than asked failed, one
 * that moved it all is done, and one never started is re-issued once
 * the engine is restarted with a clean error state. A FLUSH moves
 * nothing, so if no data command is short, a started FLUSH that PxCI
 * still showed, else the slot in PxCMD.CCS (the spec's halted HBA),
 * else a finished FLUSH is blamed. If nothing can be blamed, every
 * outstanding command fails, so a bad sector never turns into an
 * endless retry loop.
 */
static void ahci_error(struct ahci_port *pp, u32 irq, u32 done,
		       struct ahci_done *d)
{
	u32 tfd = pread(pp, PORT_TFDATA), failed, finished, rest;
	int slot, ccs;

	pp->errors++;
	ahci_port_stop(pp);
	ccs = (pread(pp, PORT_CMD) & PORT_CMD_CCS_MASK) >> PORT_CMD_CCS_SHIFT;
	failed = ahci_slots_where(pp, pp->issued, ahci_slot_short);
	if (irq & PORT_IRQ_TF_ERR)
		failed = ahci_settle(pp, failed);
	finished = (done | ahci_slots_where(pp, pp->issued, ahci_slot_full)) &
		   ~failed;
	rest = pp->issued & ~finished & ~failed;
	if (!failed && (irq & PORT_IRQ_TF_ERR))
		failed = ahci_slots_where(pp, rest, ahci_slot_flush_started);
	if (!failed && (irq & PORT_IRQ_TF_ERR) && (rest & (1u << ccs)))
		failed = 1u << ccs;
	if (!failed && (irq & PORT_IRQ_TF_ERR))
		failed = ahci_slots_where(pp, done, ahci_slot_flush);
	if (!failed || (irq & PORT_IRQ_FATAL))
		failed |= rest;
	finished &= ~failed;
	rest &= ~failed;
	printk("ahci: port %d: error irq %08x tfd %04x failed %08x retry %08x\n",
	       pp->index, irq, tfd & 0xffff, failed, rest);
	pwrite(pp, PORT_SCR_ERR, 0xffffffff);
	pwrite(pp, PORT_IRQ_STAT, 0xffffffff);
	/*
	 * QEMU may still be running a command it started after the error
	 * (the failed slot again, while its PxCI bit was set). Ending after
	 * the engine restarts, it would write its byte count through a
	 * command list QEMU dropped at the restart, and QEMU crashes. A
	 * COMRESET waits for it; its BSY is not visible in PxTFD.
	 */
	if (((irq & PORT_IRQ_TF_ERR) ||
	     !wait_clear(pp, PORT_TFDATA, ATA_BUSY | ATA_DRQ, AHCI_STOP_NS)) &&
	    ahci_comreset(pp))
		printk("ahci: port %d: COMRESET failed\n", pp->index);
	pp->recoveries++;
	ahci_port_start(pp);
	for (slot = 0; slot < AHCI_MAX_SLOTS; slot++) {
		if (failed & (1u << slot))
			ahci_done_add(d, pp, slot, -EIO);
		else if (finished & (1u << slot))
			ahci_done_add(d, pp, slot, 0);
	}
	if (rest)
		ahci_issue(pp, rest);
}

/*
 * One round of completions. PxCI before PxIS: a command seen finished
 * here has already posted its status, so its error (TFES) is in the
 * PxIS read next.
 */
static void ahci_port_round(struct ahci_port *pp, struct ahci_done *d)
{
	u32 ci = pread(pp, PORT_CMD_ISSUE);
	u32 irq = pread(pp, PORT_IRQ_STAT);
	u32 done = pp->issued & ~ci;
	int slot;

	pwrite(pp, PORT_IRQ_STAT, irq);
	if (irq & PORT_IRQ_ERROR & ~PORT_IRQ_IF_NONFATAL & ~PORT_IRQ_UNK_FIS) {
		ahci_error(pp, irq, done, d);
		return;
	}
	for (slot = 0; slot < AHCI_MAX_SLOTS; slot++)
		if (done & (1u << slot))
			ahci_done_add(d, pp, slot,
				      ahci_slot_short(pp, slot) ? -EIO : 0);
}

/*
 * Writing PxIS back also clears the DHRS of a command that finished
 * after the round read PxCI, and no interrupt comes for it: while
 * PxCI shows such a command, another round takes it.
 */
void ahci_port_irq(struct ahci_port *pp)
{
	struct ahci_done d;
	unsigned long flags;
	int i;

	d.n = 0;
	spin_lock_irqsave(&pp->lock, flags);
	do
		ahci_port_round(pp, &d);
	while (pp->issued & ~pread(pp, PORT_CMD_ISSUE));
	spin_unlock_irqrestore(&pp->lock, flags);
	for (i = 0; i < d.n; i++)
		blk_end_request(d.rq[i], d.err[i]);
}
