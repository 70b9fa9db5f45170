#!/bin/sh
# virtio-blk under blkdebug: exactly the I/O touching the bad sectors
# fails with EIO; everything around it, before and after, works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/drivers-lib.sh"
. "$(dirname "$0")/drivers-eio.sh"

drivers_eio_test virtio vd
finish
