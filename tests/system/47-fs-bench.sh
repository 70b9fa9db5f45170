#!/bin/sh
# `bench write` and `bench read [--no-mpage]` print their one-line format,
# the written file is stream seed 1, and reading without mpage takes at
# least as many bios as with it (one per block instead of one per run).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

fs_images
disk=$(fs_copy ext2-4k)
out=$TMP/bench
printf '%s\n' "bench write /b 2000000" "bench read /b" "bench read /b --no-mpage" \
	"sha256 /b" | boot "$out" --disk "$disk"
expect_rc 0
re='bytes [0-9]+ ms [0-9]+\.[0-9] MB/s [0-9]+ bios [0-9]+ requests [0-9]+\.[0-9] KiB/request$'
expect_grep "$out" "^bench write /b: 2000000 $re"
[ "$(grep -cE "^bench read /b: 2000000 $re" "$out")" -eq 2 ] ||
	fail "want two bench read lines"
mp=$(grep '^bench read /b:' "$out" | sed -n '1s/.* \([0-9]*\) bios .*/\1/p')
nomp=$(grep '^bench read /b:' "$out" | sed -n '2s/.* \([0-9]*\) bios .*/\1/p')
[ -n "$mp" ] && [ -n "$nomp" ] && [ "$mp" -gt 0 ] && [ "$nomp" -ge 489 ] && [ "$nomp" -gt "$mp" ] ||
	fail "bios: mpage ${mp:-?}, no mpage ${nomp:-?} (want >= 489, one a 4 KiB block)"
expect_line "$out" "$(python3 scripts/stream.py 1 2000000 | sha256sum | cut -c1-64)  /b"
fs_fsck "$disk"
finish
