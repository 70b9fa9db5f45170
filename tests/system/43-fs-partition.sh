#!/bin/sh
# The root file system on an MBR partition: a disk whose first primary
# partition (at sector 2048) holds the 1 KiB ext2 image. The kernel must
# find vda1, mount it at /, and every file must match the manifest.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

fs_images
disk=$TMP/part.img
fs=$(fs_copy ext2-1k)
sectors=$(($(stat -c %s "$fs") / 512))
truncate -s $(((2048 + sectors) * 512)) "$disk"
python3 - "$disk" $sectors <<'PY'
import struct, sys
mbr = bytearray(512)
mbr[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0",
                           2048, int(sys.argv[2]))
mbr[510:512] = b"\x55\xaa"
with open(sys.argv[1], "r+b") as f:
    f.write(mbr)
PY
dd if="$fs" of="$disk" bs=512 seek=2048 conv=notrunc status=none

printf 'mount\nverify -q /MANIFEST.sha256\n' | boot "$TMP/out" --disk "$disk"
expect_rc 0
expect_line "$TMP/out" "ext2 on vda1 at /"
expect_grep "$TMP/out" '^verify: [0-9]+ passed, 0 failed$'
# What the kernel wrote at unmount stays inside the partition.
dd if="$disk" of="$TMP/back.img" bs=512 skip=2048 status=none
fs_fsck "$TMP/back.img"
finish
