#!/bin/sh
# virtio-blk: sectors of a stream-filled image read back with the host's
# SHA-256; blkwrite lands exactly (checked with dd after power-off); the
# in-kernel driver cases pass; lspci and lsblk show the device.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/drivers-lib.sh"
. "$(dirname "$0")/drivers-io.sh"

drivers_io_test virtio vd "1af4:1001 010000"
finish
