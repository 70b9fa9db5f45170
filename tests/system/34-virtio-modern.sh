#!/bin/sh
# The modern-only virtio-blk (1af4:1042, disable-legacy=on) works the
# same way, and GET_ID returns the drive's serial.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/drivers-lib.sh"

img=$TMP/modern.img
make_stream_disk "$img" 11 8
printf 'lspci\nblkread vda 77 33\nselftest drivers.*\n' |
	boot "$TMP/out" -- -drive "if=none,id=m0,file=$img,format=raw" \
		-device virtio-blk-pci,drive=m0,disable-legacy=on,serial=DRVSERIAL42
expect_rc 0
expect_grep "$TMP/out" '^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] 1af4:1042 010000$'
expect_no_grep "$TMP/out" ' 1af4:1001 '
expect_blkread "$TMP/out" "$img" vda 77 33
expect_grep "$TMP/out" 'vda: GET_ID "DRVSERIAL42"'
expect_no_grep "$TMP/out" '^not ok '
finish
