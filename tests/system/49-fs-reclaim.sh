#!/bin/sh
# Reclaim: with 64 MiB of RAM, write a 128 MiB file (twice the memory)
# and read it back. The page cache cannot hold it, so writing has to
# write back and evict dirty pages, and reading has to evict clean ones
# in LRU order. The kernel's hash must equal the host's stream, the
# cache statistics must show pages reclaimed, and after power-off the
# file on disk must be the stream and the file system clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

len=134217728
seed=7
disk=$TMP/reclaim.img
truncate -s 200M "$disk"
mke2fs -q -t ext2 -b 4096 -F "$disk" || fail "mke2fs"
want=$(python3 scripts/stream.py $seed $len | sha256sum | cut -c1-64)

printf 'write /big 0 %s %s\nsha256 /big\ncachestat\n' $len $seed |
	boot "$TMP/out" --disk "$disk" --mem 64M
expect_rc 0
expect_no_grep "$TMP/out" '^error:'
expect_line "$TMP/out" "$want  /big"
reclaimed=$(sed -n 's/^cached .* reclaimed \([0-9]*\).*/\1/p' "$TMP/out")
# Every page of the file had to leave the cache at least once.
[ "${reclaimed:-0}" -ge $((len / 4096)) ] ||
	fail "reclaimed ${reclaimed:-none} pages, expected >= $((len / 4096))"
fs_fsck "$disk"
got=$(debugfs -R "cat /big" "$disk" 2>/dev/null | sha256sum | cut -c1-64)
[ "$got" = "$want" ] || fail "/big on disk is not stream $seed"
finish
