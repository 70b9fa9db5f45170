/*
 * The root file system: at boot, the first block device (whole disk or
 * MBR partition, in bdev_next() order) that a registered file system
 * accepts is mounted at "/"; at power-off it is synced and unmounted,
 * which is when ext2 marks itself clean. No file system is not an
 * error: the shell works without one and file commands say ENOENT.
 */
#include "blkdev.h"
#include "init.h"
#include "printk.h"
#include "reboot.h"
#include "vfs.h"

static int unmount_root(void)
{
	if (!vfs_root_sb())
		return 0;
	return vfs_umount_root();
}

static int mount_root(void)
{
	struct block_device *bdev = NULL;

	while ((bdev = bdev_next(bdev))) {
		if (vfs_mount_root(bdev, NULL))
			continue;
		printk("vfs: mounted %s on %s at /%s\n", vfs_root_sb()->s_type,
		       bdev->bd_name,
		       sb_rdonly(vfs_root_sb()) ? " (read-only)" : "");
		return register_poweroff_hook(unmount_root, "unmount /");
	}
	printk("vfs: no root file system\n");
	return 0;
}
late_initcall(mount_root);
