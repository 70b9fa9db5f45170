#!/bin/sh
# Every self-test passes, on virtio-blk and on AHCI (the disk attached).
. "$(dirname "$0")/lib.sh"

[ -f "$DISK" ] || scripts/mkdisk "$DISK"
for bus in virtio ahci; do
	printf 'selftest\n' | boot "$TMP/$bus" --disk "$DISK" --bus "$bus"
	expect_rc 0
	expect_ktap_pass "$TMP/$bus"
	expect_line "$TMP/$bus" "poweroff: pass"
done
finish
