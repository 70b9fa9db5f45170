/*
 * struct bio: one I/O to a contiguous range of sectors, described as a
 * vector of (page, offset, length) segments. bio_add_page() grows a bio
 * only while the device's queue limits hold; the block layer merges bios
 * into requests and ends each with bio_endio() in interrupt context.
 */
#ifndef _BIO_H
#define _BIO_H

#include "gfp.h"
#include "types.h"

/* Direction, the low bit of bi_rw, as in Linux 2.6. */
#define READ 0
#define WRITE 1
#define RW_MASK 1
/* Extra request flags, or'ed into rw. */
#define REQ_FLUSH (1UL << 1) /* write back the device's volatile cache first */
#define REQ_SYNC (1UL << 2)
/*
 * Never merge this bio's request with another: the block layer sets it
 * on the bios of a failed merged request when it re-issues them one by
 * one, so each ends with its own status (see blk_end_request).
 */
#define REQ_NOMERGE (1UL << 3)
/* File system metadata (__bread): traces mark it M. */
#define REQ_META (1UL << 4)
/* Read ahead of need (mpage_readpages): traces mark it A. */
#define REQ_RAHEAD (1UL << 5)

struct page;
struct bio;
struct block_device;

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

typedef void(bio_end_io_t)(struct bio *bio);

struct bio {
	sector_t bi_sector; /* first sector, relative to bi_bdev */
	struct bio *bi_next; /* chain inside a request */
	struct block_device *bi_bdev;
	unsigned long bi_rw; /* READ/WRITE | REQ_* */
	unsigned short bi_vcnt; /* segments in use */
	unsigned short bi_max_vecs; /* segments allocated */
	unsigned int bi_size; /* bytes still to transfer */
	int bi_status; /* 0 or -errno once ended */
	int bi_cnt; /* references: bio_put frees at zero */
	bio_end_io_t *bi_end_io;
	void *bi_private;
	struct bio_vec *bi_io_vec;
	/*
	 * Physical segments (runs of contiguous memory the device may take
	 * as one scatter-gather entry) and the bytes of the first and last
	 * one: what merging needs to know without walking the vecs again.
	 * bio_add_page() keeps them; submit_bio() recounts them.
	 */
	unsigned short bi_phys_segments;
	unsigned int bi_seg_front_size;
	unsigned int bi_seg_back_size;
	unsigned short bi_flags; /* BIO_* */
	struct bio_vec bi_inline_vecs[];
};

#define BIO_MAX_PAGES 256

/*
 * bi_flags: the block layer queued this bio but no request will report
 * its end, so bio_endio() traces it (block_bio_complete).
 */
#define BIO_TRACE_COMPLETION (1U << 0)

static inline int bio_data_dir(const struct bio *bio)
{
	return (int)(bio->bi_rw & RW_MASK);
}

static inline sector_t bio_end_sector(const struct bio *bio)
{
	return bio->bi_sector + (bio->bi_size >> SECTOR_SHIFT);
}

#define bio_for_each_segment(bvl, bio, i) \
	for (i = 0, bvl = (bio)->bi_io_vec; i < (bio)->bi_vcnt; i++, bvl++)

/* NULL when memory is short; the caller may retry with fewer vecs. */
struct bio *bio_alloc(gfp_t gfp, unsigned int nr_iovecs);
void bio_put(struct bio *bio);

/*
 * Add len bytes at offset of page to the end of the bio. Returns len, or
 * 0 if that would break a limit of the bio's queue (segments, sectors,
 * segment size, logical block size, DMA boundary) or the bio is full.
 * bi_bdev must be set first.
 */
int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int offset);

/* Complete the bio with status error (0 or -errno); calls bi_end_io. */
void bio_endio(struct bio *bio, int error);

/*
 * Hand the bio to its device; completion arrives through bi_end_io.
 * A bio that ends past its device, has no device, or whose size is not
 * a multiple of the logical block size ends at once with -EIO. A
 * REQ_FLUSH bio must carry no data (else -EINVAL); on a device without
 * a volatile cache it ends at once, successfully.
 */
void submit_bio(int rw, struct bio *bio);
/* Submit and sleep until done; returns the bio's status. */
int submit_bio_wait(int rw, struct bio *bio);

#endif
