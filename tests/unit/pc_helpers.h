/* Shared fixture helpers of the page-cache suites (sim_disk + testfs). */
#ifndef _PC_HELPERS_H
#define _PC_HELPERS_H

#include "buffer_head.h"
#include "mpage.h"
#include "pagemap.h"
#include "platform.h"
#include "sim_disk.h"
#include "string.h"
#include "testfs.h"
#include "unit.h"

#define PC_DISK_SECTORS 32768 /* 16 MiB */

/* One expected bio: direction, first sector, bytes. */
struct exp_bio {
	int rw;
	sector_t sector;
	unsigned int size;
};

static inline void pc_setup(void)
{
	host_mm_init(64 << 20);
	memset(&mpage_stats, 0, sizeof(mpage_stats));
}

/* The disk saw exactly these bios, in this order. */
#define expect_bios(sd, ...)                                                  \
	do {                                                                  \
		const struct exp_bio __e[] = { __VA_ARGS__ };                 \
		size_t __n = sizeof(__e) / sizeof(__e[0]);                    \
		ck_assert_uint_eq((sd)->nr_log, __n);                         \
		for (size_t __i = 0; __i < __n; __i++) {                      \
			ck_assert_msg(                                        \
				(sd)->log[__i].rw == __e[__i].rw &&           \
					(sd)->log[__i].sector ==              \
						__e[__i].sector &&            \
					(sd)->log[__i].size == __e[__i].size, \
				"bio %zu: got rw %d sector %llu size %u, "    \
				"want rw %d sector %llu size %u",             \
				__i, (sd)->log[__i].rw,                       \
				(unsigned long long)(sd)->log[__i].sector,    \
				(sd)->log[__i].size, __e[__i].rw,             \
				(unsigned long long)__e[__i].sector,          \
				__e[__i].size);                               \
		}                                                             \
	} while (0)

/* A cached page that must exist; the reference is dropped at once. */
static inline struct page *pc_page(struct testfs *fs, pgoff_t index)
{
	struct page *page = find_get_page(fs->inode->i_mapping, index);

	ck_assert_ptr_nonnull(page);
	put_page(page);
	return page;
}

#endif
