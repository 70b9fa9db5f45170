/*
 * Queue limits: what a driver's hardware can take in one command. The
 * setters clamp nonsense (zero, a non-power-of-two block size) to a
 * safe value instead of letting it reach bio_add_page().
 */
#include "blk.h"
#include "bitops.h"
#include "mm.h"
#include "printk.h"

/* Conservative defaults every device handles (Linux 2.6 uses the same kind). */
static const struct queue_limits default_limits = {
	.max_sectors = 1024,
	.max_segments = 128,
	.max_segment_size = 65536,
	.logical_block_size = SECTOR_SIZE,
	.seg_boundary_mask = 0xffffffffUL,
};

void blk_set_default_limits(struct queue_limits *lim)
{
	*lim = default_limits;
}

/*
 * A queue some test or driver built by hand without limits would refuse
 * every page; treat all-zero limits as "use the defaults".
 */
const struct queue_limits *blk_limits(struct request_queue *q)
{
	if (!q || !q->limits.max_sectors || !q->limits.max_segments ||
	    !q->limits.max_segment_size || !q->limits.logical_block_size)
		return &default_limits;
	return &q->limits;
}

void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int sectors)
{
	unsigned int min_sectors = PAGE_SIZE >> SECTOR_SHIFT;

	if (sectors < min_sectors) {
		printk("blk: max_sectors %u too small, using %u\n", sectors,
		       min_sectors);
		sectors = min_sectors;
	}
	q->limits.max_sectors = sectors;
}

void blk_queue_max_segments(struct request_queue *q, unsigned short n)
{
	q->limits.max_segments = n ? n : 1;
}

/*
 * At least a page, as Linux 2.6 clamps it: mpage puts whole pages into
 * bios, and a segment smaller than a page would refuse every one of them
 * even to an empty bio.
 */
void blk_queue_max_segment_size(struct request_queue *q, unsigned int bytes)
{
	if (bytes < PAGE_SIZE) {
		printk("blk: max_segment_size %u too small, using %lu\n", bytes,
		       PAGE_SIZE);
		bytes = PAGE_SIZE;
	}
	q->limits.max_segment_size = bytes;
}

void blk_queue_write_cache(struct request_queue *q, bool enabled)
{
	q->write_cache = enabled;
}

void blk_queue_logical_block_size(struct request_queue *q, unsigned int bytes)
{
	if (bytes < SECTOR_SIZE || bytes > PAGE_SIZE || !is_power_of_2(bytes)) {
		printk("blk: logical block size %u unsupported, using %u\n",
		       bytes, SECTOR_SIZE);
		bytes = SECTOR_SIZE;
	}
	q->limits.logical_block_size = bytes;
}
