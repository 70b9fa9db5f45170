/*
 * The MBR (msdos) partition table: 0x55 0xAA at bytes 510-511 and four
 * 16-byte primary entries from byte 446, each a type byte (offset 4)
 * and little-endian 32-bit start and length in logical blocks (offsets 8
 * and 12). We register primary partitions only: extended containers
 * (types 0x05, 0x0f, 0x85) and GPT's protective entry (0xee) are named
 * in the log and skipped, and an entry that runs past the end of the
 * disk is rejected with a message rather than trusted.
 */
#include "blk.h"
#include "errno.h"
#include "printk.h"

#define MBR_TABLE 446
#define MBR_ENTRY_SIZE 16
#define MBR_ENTRIES 4

static u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static bool skipped_type(u8 type)
{
	return type == 0x05 || type == 0x0f || type == 0x85 || type == 0xee;
}

static void parse_entry(struct gendisk *disk, int partno, const u8 *e,
			unsigned int blk_sectors)
{
	u8 type = e[4];
	sector_t start = (sector_t)get_le32(e + 8) * blk_sectors;
	sector_t len = (sector_t)get_le32(e + 12) * blk_sectors;
	int err;

	if (!type || !len)
		return;
	if (skipped_type(type)) {
		printk("%s: partition %d type %#x (%s) not supported, skipped\n",
		       disk->disk_name, partno, type,
		       type == 0xee ? "GPT" : "extended");
		return;
	}
	if (!start) {
		printk("%s: partition %d starts on the MBR, rejected\n",
		       disk->disk_name, partno);
		return;
	}
	err = add_partition(disk, partno, start, len);
	if (err == -ERANGE)
		printk("%s: partition %d (sectors %llu+%llu) ends past the disk "
		       "(%llu sectors), rejected\n",
		       disk->disk_name, partno, (unsigned long long)start,
		       (unsigned long long)len,
		       (unsigned long long)disk->capacity);
	else if (err)
		printk("%s: partition %d not added (%s)\n", disk->disk_name,
		       partno, errno_name(-err));
}

int msdos_partition(struct gendisk *disk)
{
	unsigned int lbs = blk_limits(disk->queue)->logical_block_size;
	struct page *page;
	struct bio *bio;
	const u8 *mbr;
	int err;

	if (disk->capacity < lbs >> SECTOR_SHIFT)
		return 0;
	page = alloc_page(GFP_KERNEL);
	bio = bio_alloc(GFP_KERNEL, 1);
	err = -ENOMEM;
	if (!page || !bio)
		goto out;
	bio->bi_bdev = disk->part0;
	bio->bi_sector = 0;
	err = -EIO;
	if (bio_add_page(bio, page, lbs, 0) != (int)lbs)
		goto out;
	err = submit_bio_wait(READ, bio);
	if (err)
		goto out;
	mbr = page_address(page);
	if (mbr[510] == 0x55 && mbr[511] == 0xaa)
		for (int i = 0; i < MBR_ENTRIES; i++)
			parse_entry(disk, i + 1,
				    mbr + MBR_TABLE + i * MBR_ENTRY_SIZE,
				    lbs >> SECTOR_SHIFT);
out:
	if (bio)
		bio_put(bio);
	if (page)
		__free_page(page);
	return err;
}
