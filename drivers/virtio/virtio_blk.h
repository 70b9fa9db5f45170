/* virtio-blk: the device's features, configuration and request format. */
#ifndef _VIRTIO_BLK_H
#define _VIRTIO_BLK_H

#include "types.h"

#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_GEOMETRY 4
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9

/* Offsets in the device configuration. */
#define VIRTIO_BLK_CFG_CAPACITY 0 /* le64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX 8 /* le32 */
#define VIRTIO_BLK_CFG_SEG_MAX 12 /* le32 */
#define VIRTIO_BLK_CFG_BLK_SIZE 20 /* le32 */

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_ID_BYTES 20

struct virtio_blk_outhdr {
	u32 type;
	u32 ioprio;
	u64 sector;
};

struct gendisk;
/* Issue GET_ID on a virtio disk and wait; 0 or -errno, id NUL-terminated. */
int virtblk_get_id(struct gendisk *disk, char id[VIRTIO_BLK_ID_BYTES + 1]);

#endif
