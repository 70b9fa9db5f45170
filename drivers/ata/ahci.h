/*
 * AHCI: a SATA host bus adapter whose registers (ABAR, BAR5) describe
 * up to 32 ports; each port runs up to 32 commands, described in memory
 * by a command list (32 headers), a received-FIS area and one command
 * table per slot (the command FIS and a PRDT, the scatter-gather list).
 */
#ifndef _AHCI_H
#define _AHCI_H

#include "spinlock.h"
#include "types.h"

/* HBA (generic host control) registers. */
#define HOST_CAP 0x00
#define HOST_CTL 0x04
#define HOST_IRQ_STAT 0x08
#define HOST_PORTS_IMPL 0x0c
#define HOST_VERSION 0x10
#define HOST_CAP_NCQ (1u << 30)
#define HOST_CAP_64 (1u << 31)
#define HOST_CAP_CLO (1u << 24)
#define HOST_CTL_RESET (1u << 0)
#define HOST_CTL_IRQ_EN (1u << 1)
#define HOST_CTL_AHCI_EN (1u << 31)

/* Port registers, at 0x100 + port * 0x80. */
#define PORT_BASE 0x100
#define PORT_SIZE 0x80
#define PORT_LST_ADDR 0x00
#define PORT_LST_ADDR_HI 0x04
#define PORT_FIS_ADDR 0x08
#define PORT_FIS_ADDR_HI 0x0c
#define PORT_IRQ_STAT 0x10
#define PORT_IRQ_MASK 0x14
#define PORT_CMD 0x18
#define PORT_TFDATA 0x20
#define PORT_SIG 0x24
#define PORT_SCR_STAT 0x28
#define PORT_SCR_CTL 0x2c
#define PORT_SCR_ERR 0x30
#define PORT_SCR_ACT 0x34
#define PORT_CMD_ISSUE 0x38

#define PORT_CMD_START (1u << 0)
#define PORT_CMD_SPIN_UP (1u << 1)
#define PORT_CMD_POWER_ON (1u << 2)
#define PORT_CMD_CLO (1u << 3)
#define PORT_CMD_FIS_RX (1u << 4)
#define PORT_CMD_CCS_SHIFT 8
#define PORT_CMD_CCS_MASK (0x1fu << 8)
#define PORT_CMD_FIS_ON (1u << 14)
#define PORT_CMD_LIST_ON (1u << 15)

#define PORT_IRQ_D2H_REG_FIS (1u << 0)
#define PORT_IRQ_PIOS_FIS (1u << 1)
#define PORT_IRQ_DMAS_FIS (1u << 2)
#define PORT_IRQ_SDB_FIS (1u << 3)
#define PORT_IRQ_UNK_FIS (1u << 4)
#define PORT_IRQ_SG_DONE (1u << 5)
#define PORT_IRQ_OVERFLOW (1u << 24)
#define PORT_IRQ_IF_NONFATAL (1u << 26)
#define PORT_IRQ_IF_ERR (1u << 27)
#define PORT_IRQ_HBUS_DATA_ERR (1u << 28)
#define PORT_IRQ_HBUS_ERR (1u << 29)
#define PORT_IRQ_TF_ERR (1u << 30)
#define PORT_IRQ_FATAL \
	(PORT_IRQ_IF_ERR | PORT_IRQ_HBUS_DATA_ERR | PORT_IRQ_HBUS_ERR)
#define PORT_IRQ_ERROR                                          \
	(PORT_IRQ_FATAL | PORT_IRQ_TF_ERR | PORT_IRQ_OVERFLOW | \
	 PORT_IRQ_IF_NONFATAL | PORT_IRQ_UNK_FIS)
#define PORT_IRQ_DEFAULT                                             \
	(PORT_IRQ_ERROR | PORT_IRQ_D2H_REG_FIS | PORT_IRQ_PIOS_FIS | \
	 PORT_IRQ_DMAS_FIS | PORT_IRQ_SDB_FIS | PORT_IRQ_SG_DONE)

#define SSTS_DET_MASK 0xf
#define SSTS_DET_PRESENT 3 /* device present, phy up */
#define SCTL_DET_COMRESET 1

#define SATA_SIG_ATA 0x00000101
#define SATA_SIG_ATAPI 0xeb140101

#define AHCI_MAX_SLOTS 32
#define AHCI_MAX_PORTS 32
#define AHCI_MAX_PRDT 128 /* entries per command table */
#define AHCI_PRD_MAX_BYTES (4u << 20) /* one PRDT entry: <= 4 MiB */
#define AHCI_MAX_SECTORS 2048 /* 1 MiB per command */
#define AHCI_PRDBC_UNSTARTED 0xffffffffu

/* Command header: one of 32 in the command list. */
struct ahci_cmd_hdr {
	u32 opts; /* CFL, W, PRDTL, ... */
	u32 prdbc; /* bytes transferred, written by the HBA */
	u64 ctba; /* command table, 128-byte aligned */
	u32 rsvd[4];
};
#define AHCI_CMD_CFL(dwords) ((u32)(dwords)&0x1f)
#define AHCI_CMD_WRITE (1u << 6)
#define AHCI_CMD_CLR_BUSY (1u << 10)
#define AHCI_CMD_PRDTL(n) ((u32)(n) << 16)

struct ahci_prd {
	u64 dba;
	u32 rsvd;
	u32 dbc; /* byte count - 1 (bit 0 set), bit 31 IRQ */
};

struct ahci_cmd_table {
	u8 cfis[64];
	u8 acmd[16];
	u8 rsvd[48];
	struct ahci_prd prdt[AHCI_MAX_PRDT];
};

struct ahci_host;
struct request;
struct request_queue;
struct gendisk;
struct blk_sg;

/* Per-slot state of a request that needs two commands (flush, then data). */
enum ahci_stage { AHCI_STAGE_DATA, AHCI_STAGE_PREFLUSH };

struct ahci_port {
	struct ahci_host *host;
	int index;
	volatile u8 *mmio;
	spinlock_t lock;
	struct ahci_cmd_hdr *cmd_list; /* 32 headers, 1 KiB aligned */
	u8 *rx_fis; /* 256 bytes, 256-aligned */
	struct ahci_cmd_table *table[AHCI_MAX_SLOTS];
	struct request *slot_rq[AHCI_MAX_SLOTS];
	u32 slot_bytes[AHCI_MAX_SLOTS]; /* data bytes the command moves */
	u8 slot_stage[AHCI_MAX_SLOTS];
	u32 issued; /* slots on the HBA, ours to complete */
	struct blk_sg *sg; /* scratch for blk_rq_map_sg */
	u16 *identify; /* ATA_SECT_SIZE bytes */
	u64 sectors;
	char model[41];
	bool ncq; /* device supports NCQ (informational) */
	bool wcache; /* write cache enabled: writes need FLUSH to last */
	u8 flush_cmd; /* FLUSH CACHE EXT, or FLUSH CACHE without LBA48 */
	unsigned long errors; /* task-file errors seen */
	unsigned long recoveries; /* port restarts */
	struct request_queue *q;
	struct gendisk *disk;
};

struct ahci_host {
	volatile u8 *mmio;
	u32 cap;
	u32 ports_impl;
	int nr_slots;
	int vector;
	struct ahci_port *ports[AHCI_MAX_PORTS];
};

static inline volatile u8 *ahci_port_mmio(struct ahci_host *h, int port)
{
	return h->mmio + PORT_BASE + port * PORT_SIZE;
}

/* ahci_io.c: the request path, interrupt handling and error recovery. */
int ahci_queue_rq(struct request_queue *q, struct request *rq);
void ahci_port_irq(struct ahci_port *pp);
int ahci_port_stop(struct ahci_port *pp);
int ahci_comreset(struct ahci_port *pp);
void ahci_port_start(struct ahci_port *pp);
void ahci_fill_fis(struct ahci_cmd_table *t, u8 cmd, u64 lba, u32 count);
int ahci_fill_prdt(struct ahci_cmd_table *t, const struct blk_sg *sg, int n);

#endif
