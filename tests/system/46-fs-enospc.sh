#!/bin/sh
# Filling ext2 to ENOSPC from the shell (virtio, 1 KiB blocks): the write
# fails with an ENOSPC error line, the file system stays usable (the file
# removed, another written and read back), and after power-off e2fsck
# finds it clean with the new file's data exact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

fs_images
disk=$(fs_copy ext2-1k)
out=$TMP/enospc
printf '%s\n' "write /fill 0 40000000 31" "df" "rm /fill" "df" \
	"write /after 0 2000000 32" "sync" "drop_caches" "sha256 /after" |
	QEMU_TIMEOUT=300 boot "$out" --disk "$disk"
expect_rc 1
expect_line "$out" "error: write: /fill: no space left on device (ENOSPC)"
[ "$(grep -c '^error:' "$out")" -eq 1 ] || fail "more than the one error line"
expect_line "$out" "$(python3 scripts/stream.py 32 2000000 | sha256sum | cut -c1-64)  /after"
# Space comes back: bfree after rm is more than 25 MiB of 1 KiB blocks.
bfree=$(sed -n 's/^df: .* bfree=\([0-9]*\) .*/\1/p' "$out" | tail -n 1)
[ -n "$bfree" ] && [ "$bfree" -gt 25000 ] || fail "bfree after rm: ${bfree:-none}"
fs_fsck "$disk"
python3 tests/system/fs-check-files.py "$disk" /fill=- /after=32:2000000 \
	>"$TMP/check" || fail "$(tr '\n' '|' <"$TMP/check")"
finish
