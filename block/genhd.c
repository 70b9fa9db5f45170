/*
 * Disks and their partitions as block devices. alloc_disk() names a disk
 * by its driver's prefix and the lowest free index (vda, vdb, ... vdz,
 * vdaa, as Linux does); add_disk() registers the whole disk and then the
 * MBR's partitions (vda1..vda4) on one list, in that order, which
 * lookup_bdev() and bdev_next() walk.
 */
#include "blk.h"
#include "errno.h"
#include "fs.h"
#include "printk.h"
#include "slab.h"
#include "sprintf.h"
#include "string.h"

static DEFINE_SPINLOCK(bdev_lock);
static LIST_HEAD(all_bdevs); /* registered, via bd_list */
static LIST_HEAD(all_disks); /* allocated, via disk_list */

/* "a".."z", "aa".."zz", ... for index 0, 1, ... */
static void disk_suffix(int index, char *buf, size_t size)
{
	char tmp[8];
	int n = 0;

	do {
		tmp[n++] = (char)('a' + index % 26);
		index = index / 26 - 1;
	} while (index >= 0 && n < (int)sizeof(tmp));
	for (int i = 0; i < n && (size_t)i + 1 < size; i++)
		buf[i] = tmp[n - 1 - i];
	buf[min_t(size_t, (size_t)n, size - 1)] = '\0';
}

static bool index_used(const char *prefix, int index)
{
	struct gendisk *d;
	size_t len = strlen(prefix);

	list_for_each_entry(d, &all_disks, disk_list)
		if (d->index == index && !strncmp(d->disk_name, prefix, len) &&
		    d->disk_name[len] >= 'a' && d->disk_name[len] <= 'z')
			return true;
	return false;
}

struct gendisk *alloc_disk(const char *prefix)
{
	struct gendisk *disk;
	char suffix[8];
	unsigned long flags;
	int index = 0;

	if (!prefix || !*prefix || strlen(prefix) > 16)
		return NULL;
	disk = kzalloc(sizeof(*disk), GFP_KERNEL);
	if (!disk)
		return NULL;
	spin_lock_irqsave(&bdev_lock, flags);
	while (index_used(prefix, index))
		index++;
	disk_suffix(index, suffix, sizeof(suffix));
	snprintf(disk->disk_name, sizeof(disk->disk_name), "%s%s", prefix,
		 suffix);
	disk->index = index;
	disk->bus = "unknown";
	list_add_tail(&disk->disk_list, &all_disks);
	spin_unlock_irqrestore(&bdev_lock, flags);
	return disk;
}

static struct block_device *bdev_alloc(struct gendisk *disk, int partno)
{
	struct block_device *bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);
	const char *sep = "";
	char name[48];
	size_t len = strlen(disk->disk_name);

	if (!bdev)
		return NULL;
	bdev->bd_disk = disk;
	bdev->bd_partno = partno;
	bdev->bd_block_size = blk_limits(disk->queue)->logical_block_size;
	INIT_LIST_HEAD(&bdev->bd_list);
	if (!partno) {
		strscpy(bdev->bd_name, disk->disk_name, sizeof(bdev->bd_name));
		return bdev;
	}
	/* "nvme0n1" + "p1", as Linux names partitions of digit-ended disks. */
	if (len && disk->disk_name[len - 1] >= '0' &&
	    disk->disk_name[len - 1] <= '9')
		sep = "p";
	snprintf(name, sizeof(name), "%s%s%d", disk->disk_name, sep, partno);
	strscpy(bdev->bd_name, name, sizeof(bdev->bd_name));
	return bdev;
}

static void bdev_register(struct block_device *bdev)
{
	unsigned long flags;

	spin_lock_irqsave(&bdev_lock, flags);
	list_add_tail(&bdev->bd_list, &all_bdevs);
	spin_unlock_irqrestore(&bdev_lock, flags);
}

int add_partition(struct gendisk *disk, int partno, sector_t start,
		  sector_t nr_sectors)
{
	struct block_device *bdev;

	if (partno < 1 || partno > (int)ARRAY_SIZE(disk->parts) ||
	    disk->parts[partno - 1])
		return -EINVAL;
	if (!nr_sectors || start >= disk->capacity ||
	    nr_sectors > disk->capacity - start)
		return -ERANGE;
	bdev = bdev_alloc(disk, partno);
	if (!bdev)
		return -ENOMEM;
	bdev->bd_contains = disk->part0;
	bdev->bd_start_sect = start;
	bdev->bd_nr_sectors = nr_sectors;
	disk->parts[partno - 1] = bdev;
	disk->nr_parts++;
	bdev_register(bdev);
	return 0;
}

int add_disk(struct gendisk *disk)
{
	struct block_device *bdev;
	int err;

	if (!disk || !disk->queue || disk->registered)
		return -EINVAL;
	bdev = bdev_alloc(disk, 0);
	if (!bdev)
		return -ENOMEM;
	bdev->bd_contains = bdev;
	bdev->bd_nr_sectors = disk->capacity;
	disk->part0 = bdev;
	disk->registered = true;
	bdev_register(bdev);
	/* Before the first read, so a trace shows the partition scan. */
	blk_trace_add_disk(disk);
	err = msdos_partition(disk);
	if (err)
		printk("%s: partition table unreadable (%s), whole disk only\n",
		       disk->disk_name, errno_name(-err));
	return 0;
}

static void bdev_unregister(struct block_device *bdev)
{
	unsigned long flags;

	if (!bdev)
		return;
	spin_lock_irqsave(&bdev_lock, flags);
	list_del(&bdev->bd_list);
	spin_unlock_irqrestore(&bdev_lock, flags);
	/* Its page cache and inode would outlive it otherwise. */
	if (bdev->bd_inode)
		bdev->bd_inode_release(bdev);
	kfree(bdev);
}

void del_gendisk(struct gendisk *disk)
{
	if (!disk || !disk->registered)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(disk->parts); i++) {
		bdev_unregister(disk->parts[i]);
		disk->parts[i] = NULL;
	}
	bdev_unregister(disk->part0);
	disk->part0 = NULL;
	disk->nr_parts = 0;
	disk->registered = false;
}

void put_disk(struct gendisk *disk)
{
	unsigned long flags;

	if (!disk)
		return;
	WARN_ON(disk->registered);
	spin_lock_irqsave(&bdev_lock, flags);
	list_del(&disk->disk_list);
	spin_unlock_irqrestore(&bdev_lock, flags);
	kfree(disk);
}

struct block_device *lookup_bdev(const char *name)
{
	struct block_device *bdev, *found = NULL;
	unsigned long flags;

	if (!name)
		return NULL;
	spin_lock_irqsave(&bdev_lock, flags);
	list_for_each_entry(bdev, &all_bdevs, bd_list) {
		if (!strcmp(bdev->bd_name, name)) {
			found = bdev;
			break;
		}
	}
	spin_unlock_irqrestore(&bdev_lock, flags);
	return found;
}

struct block_device *bdev_next(struct block_device *prev)
{
	struct list_head *next;
	unsigned long flags;

	spin_lock_irqsave(&bdev_lock, flags);
	next = prev ? prev->bd_list.next : all_bdevs.next;
	spin_unlock_irqrestore(&bdev_lock, flags);
	if (next == &all_bdevs)
		return NULL;
	return list_entry(next, struct block_device, bd_list);
}

struct gendisk *disk_next(struct gendisk *prev)
{
	struct list_head *pos = prev ? prev->disk_list.next : all_disks.next;

	for (; pos != &all_disks; pos = pos->next) {
		struct gendisk *d = list_entry(pos, struct gendisk, disk_list);

		if (d->registered)
			return d;
	}
	return NULL;
}
