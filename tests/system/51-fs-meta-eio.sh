#!/bin/sh
# Metadata that cannot be written, and cache flushes that fail, on
# virtio and AHCI (docs/durability.md).
#
# Metadata: blkdebug fails every write of one block of the 1 KiB image:
# group 0's block bitmap, its inode bitmap, the root directory's block or
# the inode-table block that will hold the next new inode. Creating /a
# touches all four. The first sync reports EIO and the log says once
# "ext2: vda: write error on block N, remounting read-only"; every later
# sync reports EIO again (the block is still dirty, and still fails);
# changing commands fail with EROFS; reads go on, and see what memory
# holds (/a whole, in its directory) rather than the stale disk block.
# After the power-off, e2fsck -fy repairs the disk and leaves it clean.
#
# Flushes: blkdebug fails every cache flush. fsync and sync report EIO
# (their data reached the device, its cache did not say it is safe).
#
# QEMU 7.2's AHCI emulation sometimes dies in its own error path when
# blkdebug fails a command (docs/drivers.md): such boots (run-qemu
# status 3) are retried, as in 33-ahci-eio.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"
. "$(dirname "$0")/drivers-lib.sh"

fs_images
IMG=$IMAGES/ext2-1k.img
spb=2	# sectors in a 1 KiB block

group0()	# FIELD: "block bitmap", "inode bitmap" or "inode table"
{
	debugfs -R stats "$IMG" 2>/dev/null |
		sed -n "s/^ *Group  0: .*$1 at \([0-9]*\).*/\1/p"
}

bbitmap=$(group0 "block bitmap")
ibitmap=$(group0 "inode bitmap")
rootdir=$(debugfs -R "blocks /" "$IMG" 2>/dev/null | cut -d' ' -f1)
newino=$(debugfs -R ffi "$IMG" 2>/dev/null | sed -n 's/.*found: //p')
itable=$(debugfs -R "imap <$newino>" "$IMG" 2>/dev/null |
	sed -n 's/.*located at block \([0-9]*\),.*/\1/p')
for b in "$bbitmap" "$ibitmap" "$rootdir" "$itable"; do
	[ -n "$b" ] && [ "$b" -gt 0 ] || { echo "bad block '$b' from debugfs"; exit 1; }
done
echo "blocks: block bitmap $bbitmap, inode bitmap $ibitmap," \
	"root directory $rootdir, inode table $itable (inode $newino)"

sync_err="error: sync: writeback failed: input/output error (EIO)"

meta_case()	# BUS KIND BLOCK
{
	dev=vda
	[ "$1" = ahci ] && dev=sda
	disk=$(fs_copy ext2-1k)
	out=$TMP/meta-$1-$2
	blkdebug_conf $(($3 * spb)) write >"$TMP/meta.conf"
	cat >"$TMP/cmds" <<CMDS
write /a 0 5000 1
sync
sync
write /b 0 100 2
mkdir /c
rm /MANIFEST.sha256
sync
sha256 /a
stat /a
ls /
sha256 /sizes/s_4096
CMDS
	boot_through_qemu_crash "$out" --disk "blkdebug:$TMP/meta.conf:$disk" \
		--bus "$1" <"$TMP/cmds"
	expect_rc 1
	expect_no_grep "$out" 'Kernel panic|BUG|panic:'
	[ "$(grep -c "write error on" "$out")" -eq 1 ] ||
		fail "$1 $2: want one write error line"
	expect_line "$out" "ext2: $dev: write error on block $3, remounting read-only"
	[ "$(grep -cxF "$sync_err" "$out")" -ge 3 ] ||
		fail "$1 $2: want EIO from every sync"
	expect_line "$out" "error: write: /b: read-only file system (EROFS)"
	expect_line "$out" "error: mkdir: /c: read-only file system (EROFS)"
	expect_line "$out" "error: rm: /MANIFEST.sha256: read-only file system (EROFS)"
	expect_line "$out" "$(stream_sha 1 5000)  /a"
	expect_grep "$out" "^ino=$newino mode=0100644 links=1 size=5000 "
	expect_grep "$out" "^- 0644 5000 a$"
	expect_line "$out" "$(grep '  /sizes/s_4096$' "$IMAGES/ext2-1k.sha256")"
	e2fsck -fy "$disk" >"$TMP/fsck-y.out" 2>&1
	[ $? -le 1 ] || fail "$1 $2: e2fsck -fy: $(tail -n 3 "$TMP/fsck-y.out" | tr '\n' '|')"
	fs_fsck "$disk"
}

flush_case()	# BUS
{
	disk=$(fs_copy ext2-1k)
	out=$TMP/flush-$1
	cat >"$TMP/flush.conf" <<CONF
[inject-error]
event = "flush_to_disk"
iotype = "flush"
errno = "5"
CONF
	cat >"$TMP/cmds" <<CMDS
write /f 0 5000 3
fsync /f
write /g 0 5000 4
sync
sync
sha256 /f
CMDS
	boot_through_qemu_crash "$out" --disk "blkdebug:$TMP/flush.conf:$disk" \
		--bus "$1" <"$TMP/cmds"
	expect_rc 1
	expect_no_grep "$out" 'Kernel panic|BUG|panic:'
	expect_line "$out" "error: fsync: /f: input/output error (EIO)"
	[ "$(grep -cxF "$sync_err" "$out")" -eq 2 ] ||
		fail "$1: want EIO from both syncs"
	expect_line "$out" "$(stream_sha 3 5000)  /f"
	# The writes themselves went through: the disk has the files.
	fs_fsck "$disk"
	[ "$(debugfs -R "cat /f" "$disk" 2>/dev/null | sha256sum | cut -c1-64)" = \
		"$(stream_sha 3 5000)" ] || fail "$1: /f not on the disk"
}

for bus in virtio ahci; do
	meta_case $bus block-bitmap "$bbitmap"
	meta_case $bus inode-bitmap "$ibitmap"
	meta_case $bus directory "$rootdir"
	meta_case $bus inode-table "$itable"
	flush_case $bus
done
finish
