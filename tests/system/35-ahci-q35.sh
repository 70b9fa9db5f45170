#!/bin/sh
# q35: its built-in AHCI (00:1f.2) holds the boot CD-ROM, an ATAPI
# device the driver must skip; the disk on the added AHCI is sda.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/drivers-lib.sh"

img=$TMP/q35.img
make_stream_disk "$img" 13 8
printf 'lspci\nlsblk\nblkread sda 1234 56\n' |
	boot "$TMP/out" --disk "$img" --bus ahci -- -M q35
expect_rc 0
expect_grep "$TMP/out" '^00:1f\.2 8086:2922 010601$'
expect_grep "$TMP/out" 'signature eb140101 \(ATAPI\), skipped'
expect_blkread "$TMP/out" "$img" sda 1234 56
expect_no_grep "$TMP/out" '^sdb '
finish
