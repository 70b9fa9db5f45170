/*
 * Disk naming, MBR partitions as block devices, lookup and iteration,
 * and the partition remapping and range checks of submit_bio().
 */
#define _ISOC11_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "errno.h"
#include "mm.h"
#include "fixtures/platform.h"
#include "fixtures/sim_rq_disk.h"
#include "unit.h"

#define DISK_SECTORS 8192

static void put_le32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (u8)(v >> (8 * i));
}

static void mbr_entry(u8 *img, int i, u8 type, u32 start, u32 len)
{
	u8 *e = img + 446 + 16 * i;

	e[4] = type;
	put_le32(e + 8, start);
	put_le32(e + 12, len);
}

/* vda1 2048+2048, vda2 4096+1024, an extended entry, one past the end */
static u8 *mbr_image(void)
{
	u8 *img = calloc(DISK_SECTORS, SECTOR_SIZE);

	mbr_entry(img, 0, 0x83, 2048, 2048);
	mbr_entry(img, 1, 0x83, 4096, 1024);
	mbr_entry(img, 2, 0x05, 6000, 100);
	mbr_entry(img, 3, 0x83, 8000, 1000);
	img[510] = 0x55;
	img[511] = 0xaa;
	return img;
}

static void mm_setup(void)
{
	host_mm_init(64 << 20);
}

START_TEST(disks_are_named_in_order)
{
	struct gendisk *d[30];

	d[0] = alloc_disk("vd");
	d[1] = alloc_disk("vd");
	d[2] = alloc_disk("sd");
	d[3] = alloc_disk("vd");
	ck_assert_str_eq(d[0]->disk_name, "vda");
	ck_assert_str_eq(d[1]->disk_name, "vdb");
	ck_assert_str_eq(d[2]->disk_name, "sda");
	ck_assert_str_eq(d[3]->disk_name, "vdc");
	/* a freed name is reused first */
	put_disk(d[1]);
	d[1] = alloc_disk("vd");
	ck_assert_str_eq(d[1]->disk_name, "vdb");
	for (int i = 4; i < 30; i++)
		d[i] = alloc_disk("vd");
	ck_assert_str_eq(d[26]->disk_name, "vdz"); /* sda took d[2] */
	ck_assert_str_eq(d[27]->disk_name, "vdaa");
	ck_assert_str_eq(d[28]->disk_name, "vdab");
	ck_assert_ptr_null(alloc_disk(""));
	ck_assert_ptr_null(alloc_disk(NULL));
	for (int i = 0; i < 30; i++)
		put_disk(d[i]);
}
END_TEST

START_TEST(mbr_partitions_become_block_devices)
{
	u8 *img = mbr_image();
	struct sim_rq_disk *sd;
	struct block_device *b;

	host_printk_log_clear();
	sd = sim_rq_disk_create("vd", DISK_SECTORS, 8, NULL, img);
	b = lookup_bdev("vda1");
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->bd_start_sect, 2048);
	ck_assert_uint_eq(b->bd_nr_sectors, 2048);
	ck_assert_ptr_eq(b->bd_contains, sd->disk->part0);
	ck_assert_int_eq(b->bd_partno, 1);
	b = lookup_bdev("vda2");
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->bd_start_sect, 4096);
	ck_assert_uint_eq(b->bd_nr_sectors, 1024);
	ck_assert_ptr_null(lookup_bdev("vda3")); /* extended: skipped */
	ck_assert_ptr_null(lookup_bdev("vda4")); /* past the end */
	ck_assert_ptr_nonnull(strstr(host_printk_log(), "ends past the disk"));
	ck_assert_ptr_nonnull(strstr(host_printk_log(), "extended"));
	ck_assert_ptr_eq(lookup_bdev("vda"), sd->disk->part0);
	ck_assert_uint_eq(sd->disk->part0->bd_nr_sectors, DISK_SECTORS);

	/* iteration: the disk, then its partitions */
	b = bdev_next(NULL);
	ck_assert_str_eq(b->bd_name, "vda");
	b = bdev_next(b);
	ck_assert_str_eq(b->bd_name, "vda1");
	b = bdev_next(b);
	ck_assert_str_eq(b->bd_name, "vda2");
	ck_assert_ptr_null(bdev_next(b));
	ck_assert_ptr_eq(disk_next(NULL), sd->disk);
	ck_assert_ptr_null(disk_next(sd->disk));

	sim_rq_disk_destroy(sd);
	ck_assert_ptr_null(lookup_bdev("vda1"));
	ck_assert_ptr_null(bdev_next(NULL));
	free(img);
}
END_TEST

START_TEST(no_signature_means_whole_disk_only)
{
	u8 *img = mbr_image();
	struct sim_rq_disk *sd;

	img[511] = 0;
	sd = sim_rq_disk_create("sd", DISK_SECTORS, 8, NULL, img);
	ck_assert_ptr_nonnull(lookup_bdev("sda"));
	ck_assert_ptr_null(lookup_bdev("sda1"));
	ck_assert_ptr_null(bdev_next(sd->disk->part0));
	sim_rq_disk_destroy(sd);
	free(img);
}
END_TEST

static int rw_one(struct block_device *bdev, int rw, sector_t sector,
		  struct page *page)
{
	struct bio *bio = bio_alloc(GFP_KERNEL, 1);
	int ret;

	bio->bi_bdev = bdev;
	bio->bi_sector = sector;
	ck_assert_int_eq(bio_add_page(bio, page, PAGE_SIZE, 0), PAGE_SIZE);
	ret = submit_bio_wait(rw, bio);
	bio_put(bio);
	return ret;
}

START_TEST(partition_bios_are_remapped)
{
	u8 *img = mbr_image();
	struct sim_rq_disk *sd =
		sim_rq_disk_create("vd", DISK_SECTORS, 8, NULL, img);
	struct block_device *p1 = lookup_bdev("vda1");
	struct page *page = alloc_page(GFP_KERNEL);
	u8 *mem = page_address(page);

	memset(mem, 0x5a, PAGE_SIZE);
	sd->nr_log = 0;
	ck_assert_int_eq(rw_one(p1, WRITE, 8, page), 0);
	ck_assert_uint_eq(sd->nr_log, 1);
	ck_assert_uint_eq(sd->log[0].sector, 2048 + 8);
	ck_assert_uint_eq(sd->data[(2048 + 8) * 512], 0x5a);
	ck_assert_uint_eq(sd->data[(2048 + 16) * 512 - 1], 0x5a);
	ck_assert_uint_eq(sd->data[(2048 + 16) * 512], 0);
	ck_assert_uint_eq(sd->data[(2048 + 8) * 512 - 1], 0);
	/* counted on the disk */
	ck_assert_uint_eq(sd->disk->stats.bios[WRITE], 1);

	/* the last page of vda1 is fine, one sector further is not */
	ck_assert_int_eq(rw_one(p1, READ, 2048 - 8, page), 0);
	ck_assert_int_eq(rw_one(p1, READ, 2048 - 7, page), -EIO);
	ck_assert_int_eq(rw_one(lookup_bdev("vda2"), WRITE, 1024, page), -EIO);
	ck_assert_uint_eq(sd->nr_log, 2);
	__free_page(page);
	sim_rq_disk_destroy(sd);
	free(img);
}
END_TEST

static Suite *genhd_suite(void)
{
	Suite *s = suite_create("genhd");
	TCase *tc = tcase_create("disks");

	tcase_add_checked_fixture(tc, mm_setup, NULL);
	tcase_add_test(tc, disks_are_named_in_order);
	tcase_add_test(tc, mbr_partitions_become_block_devices);
	tcase_add_test(tc, no_signature_means_whole_disk_only);
	tcase_add_test(tc, partition_bios_are_remapped);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(genhd_suite)
