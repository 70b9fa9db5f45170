/* ATA commands, FIS layouts and IDENTIFY DEVICE words used by AHCI. */
#ifndef _ATA_H
#define _ATA_H

#include "types.h"

#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_FPDMA_READ 0x60
#define ATA_CMD_FPDMA_WRITE 0x61
#define ATA_CMD_FLUSH 0xe7
#define ATA_CMD_FLUSH_EXT 0xea
#define ATA_CMD_ID_ATA 0xec

/* Status and error bits (PxTFD low and high byte). */
#define ATA_BUSY 0x80
#define ATA_DRQ 0x08
#define ATA_ERR 0x01
#define ATA_ABORTED 0x04

#define ATA_LBA 0x40 /* device register: LBA addressing */

#define ATA_SECT_SIZE 512 /* IDENTIFY data, and sectors */
#define ATA_ID_WORDS (ATA_SECT_SIZE / 2)
#define ATA_ID_PROD 27 /* model, words 27..46 */
#define ATA_ID_PROD_LEN 40
#define ATA_ID_QUEUE_DEPTH 75
#define ATA_ID_SATA_CAPABILITY 76
#define ATA_ID_COMMAND_SET_2 83 /* bit 13: FLUSH CACHE EXT supported */
#define ATA_ID_CFS_ENABLE_1 85 /* bit 5: the write cache is enabled */
#define ATA_ID_FLUSH_EXT_BIT 13
#define ATA_ID_WCACHE_BIT 5
#define ATA_ID_LBA48_SECTORS 100 /* words 100..103 */
#define ATA_ID_LBA_SECTORS 60 /* words 60..61, LBA28 */

#define FIS_TYPE_REG_H2D 0x27
#define FIS_H2D_COMMAND 0x80 /* flags: this FIS carries a command */

/* Register host-to-device FIS: the command block, 20 bytes. */
struct fis_reg_h2d {
	u8 type;
	u8 flags; /* C bit, port multiplier */
	u8 command;
	u8 feature_lo;
	u8 lba0, lba1, lba2;
	u8 device;
	u8 lba3, lba4, lba5;
	u8 feature_hi;
	u8 count_lo, count_hi;
	u8 icc;
	u8 control;
	u8 rsvd[4];
};

/* Copy an IDENTIFY string (byte-swapped words), trimming spaces. */
void ata_id_string(const u16 *id, char *s, unsigned int word, unsigned int len);

#endif
