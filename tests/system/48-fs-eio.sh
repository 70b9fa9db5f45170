#!/bin/sh
# blkdebug EIO under ext2 reaches the shell, on virtio and AHCI.
#
# Reads (1 KiB blocks, so a page spans 4 blocks and a file reaches its
# indirect block early): one boot fails every read of a data block of
# /sizes/s_65536, the first block of /sizes/s_2049 (cat fails before it
# prints a byte, so its error line starts a line), the single indirect
# block of /indirect/dense and the inode-table block holding
# /sizes/s_1's inode. Each command that
# needs one of them prints `error: CMD: PATH: input/output error (EIO)`,
# again when repeated (a failed read leaves nothing up to date behind),
# and everything else works: the neighbouring inode-table block (/sizes),
# other files hash as on the host, ls lists. No panic: status 1, not 2.
#
# Writes: a data block of /sizes/s_65536 fails every write. Like Linux
# (errseq_t), each observer hears of a failed writeback once: the first
# fsync after it reports EIO and the next one nothing; `sync` reports it
# once too, and takes nothing from fsync, which still reports it after
# (docs/durability.md). The page cache keeps what was written until it
# is dropped, then the file reads as the disk holds it. The block on
# disk keeps its old bytes, another file written meanwhile lands whole,
# and e2fsck finds the file system clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"
. "$(dirname "$0")/drivers-lib.sh"

fs_images
IMG=$IMAGES/ext2-1k.img
bsize=$(debugfs -R stats "$IMG" 2>/dev/null | sed -n 's/^Block size: *//p')
[ -n "$bsize" ] || { echo "debugfs stats failed"; exit 1; }
spb=$((bsize / 512))

# Block numbers as debugfs sees them.
data_block()	# PATH LOGICAL-BLOCK
{
	debugfs -R "bmap $1 $2" "$IMG" 2>/dev/null | grep -E '^[0-9]+$'
}

ind_block()	# PATH: its single indirect block
{
	debugfs -R "stat $1" "$IMG" 2>/dev/null | grep -oE '\(IND\):[0-9]+' |
		head -n 1 | cut -d: -f2
}

inode_sector()	# PATH: the sector holding its on-disk inode
{
	debugfs -R "imap $1" "$IMG" 2>/dev/null | python3 -c '
import re, sys
m = re.search(r"located at block (\d+), offset 0x([0-9a-f]+)", sys.stdin.read())
print((int(m.group(1)) * '"$bsize"' + int(m.group(2), 16)) // 512)'
}

host_sha()	# IMG PATH
{
	debugfs -R "cat $2" "$1" 2>/dev/null | sha256sum | cut -c1-64
}

manifest_sha()	# PATH
{
	grep "  $1\$" "$IMAGES/ext2-1k.sha256" | cut -c1-64
}

DATA=/sizes/s_65536
DATA_LBLK=19	# past the direct blocks: mpage reads it in a multi-page bio
CAT=/sizes/s_2049
IND=/indirect/dense
INO=/sizes/s_1

data_sec=$(($(data_block $DATA $DATA_LBLK) * spb))
cat_sec=$(($(data_block $CAT 0) * spb))
ind_sec=$(($(ind_block $IND) * spb))
ino_sec=$(inode_sector $INO)
for s in "$data_sec" "$cat_sec" "$ind_sec" "$ino_sec"; do
	[ "$s" -gt 0 ] || { echo "bad sector '$s' from debugfs"; exit 1; }
done
echo "sectors: data $data_sec and $cat_sec, indirect $ind_sec, inode $ino_sec"
{
	blkdebug_conf "$data_sec" read
	blkdebug_conf "$cat_sec" read
	blkdebug_conf "$ind_sec" read
	blkdebug_conf "$ino_sec" read
} >"$TMP/read.conf"

eio_line()	# CMD PATH
{
	echo "error: $1: $2: input/output error (EIO)"
}

read_case()	# BUS
{
	disk=$(fs_copy ext2-1k)
	out=$TMP/read-$1
	cat >"$TMP/cmds" <<CMDS
sha256 $DATA
sha256 $IND
stat $INO
sha256 /sizes/s_4096
stat /sizes
sha256 $DATA
sha256 $IND
cat $CAT
stat $INO
ls /
sha256 /frag/big
stat /sizes/s_4097
CMDS
	boot "$out" --disk "blkdebug:$TMP/read.conf:$disk" --bus "$1" \
		<"$TMP/cmds"
	expect_rc 1
	expect_no_grep "$out" 'Kernel panic|BUG|^poweroff: .*panic'
	[ "$(grep -cxF "$(eio_line sha256 $DATA)" "$out")" -eq 2 ] ||
		fail "$1: want two EIO lines for sha256 $DATA"
	[ "$(grep -cxF "$(eio_line sha256 $IND)" "$out")" -eq 2 ] ||
		fail "$1: want two EIO lines for sha256 $IND"
	expect_line "$out" "$(eio_line cat $CAT)"
	[ "$(grep -cxF "$(eio_line stat $INO)" "$out")" -eq 2 ] ||
		fail "$1: want two EIO lines for stat $INO"
	[ "$(grep -c '^error:' "$out")" -eq 7 ] ||
		fail "$1: $(grep -c '^error:' "$out") error lines, want 7"
	expect_line "$out" "$(manifest_sha /sizes/s_4096)  /sizes/s_4096"
	expect_line "$out" "$(manifest_sha /frag/big)  /frag/big"
	fs_expect_stat "$out" "$disk" /sizes
	fs_expect_stat "$out" "$disk" /sizes/s_4097
	fs_expect_ls "$out" "$disk" /
	# Reads only: nothing the kernel did may leave the image unclean.
	fs_fsck "$disk"
}

write_case()	# BUS
{
	disk=$(fs_copy ext2-1k)
	out=$TMP/write-$1
	blkdebug_conf "$data_sec" write >"$TMP/write.conf"
	cat >"$TMP/cmds" <<CMDS
write $DATA 0 65536 7
fsync $DATA
fsync $DATA
sha256 $DATA
write /new 0 100000 8
fsync /new
write $DATA 0 65536 9
sync
sync
fsync $DATA
fsync $DATA
sync
drop_caches
sha256 $DATA
sha256 /new
sha256 /sizes/s_4096
CMDS
	boot "$out" --disk "blkdebug:$TMP/write.conf:$disk" --bus "$1" \
		<"$TMP/cmds"
	expect_rc 1
	expect_no_grep "$out" 'Kernel panic|BUG'
	# fsync: EIO once per failed writeback; sync: once too, its own.
	[ "$(grep -cxF "$(eio_line fsync $DATA)" "$out")" -eq 2 ] ||
		fail "$1: want two fsync EIO lines (one per failed writeback)"
	sync_err="error: sync: writeback failed: input/output error (EIO)"
	[ "$(grep -cxF "$sync_err" "$out")" -eq 1 ] ||
		fail "$1: want one sync EIO line"
	[ "$(grep -c '^error:' "$out")" -eq 3 ] ||
		fail "$1: $(grep -c '^error:' "$out") error lines, want 3"
	# The order: error, nothing, ..., error, nothing, error, nothing, nothing.
	grep -E '^\$ (fsync|sync)|^error:' "$out" | tr '\n' '|' >"$TMP/seq"
	want="\$ fsync $DATA|$(eio_line fsync $DATA)|\$ fsync $DATA|\$ fsync /new|"
	want="$want\$ sync|$sync_err|\$ sync|"
	want="$want\$ fsync $DATA|$(eio_line fsync $DATA)|\$ fsync $DATA|\$ sync|"
	[ "$(cat "$TMP/seq")" = "$want" ] ||
		fail "$1: fsync/sync sequence: $(cat "$TMP/seq")"
	# Before drop_caches the cache holds what was written...
	new7=$(stream_sha 7 65536)
	expect_line "$out" "$new7  $DATA"
	# ...after it, what the disk holds (the failed block's old bytes).
	expect_line "$out" "$(host_sha "$disk" $DATA)  $DATA"
	[ "$(host_sha "$disk" $DATA)" != "$new7" ] ||
		fail "$1: the failed write is on disk"
	[ "$(host_sectors_sha "$disk" "$data_sec" "$spb")" = \
		"$(host_sectors_sha "$IMG" "$data_sec" "$spb")" ] ||
		fail "$1: the failing block changed on disk"
	expect_line "$out" "$(stream_sha 8 100000)  /new"
	[ "$(host_sha "$disk" /new)" = "$(stream_sha 8 100000)" ] ||
		fail "$1: /new on disk is not stream 8"
	expect_line "$out" "$(manifest_sha /sizes/s_4096)  /sizes/s_4096"
	fs_fsck "$disk"
}

for bus in virtio ahci; do
	read_case $bus
	write_case $bus
done
finish
