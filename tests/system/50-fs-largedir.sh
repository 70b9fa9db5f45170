#!/bin/sh
# A large directory (virtio, 1 KiB blocks): /big of 3,000 entries, built
# by tests/images/build-largedir, is listed by `ls` exactly as debugfs
# lists it (names, types, modes, sizes, in disk order); 2,000 files
# created in one directory, a name removed and one renamed in /big, and
# the listing after that agree with debugfs and e2fsck after power-off.
# Timings are not tested here: `make bench` (scripts/bench dirs) has them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

img=$TMP/largedir.img
tests/images/build-largedir "$img" 3000 >"$TMP/build.out" 2>&1 ||
	{ fail "build-largedir: $(tail -n 3 "$TMP/build.out" | tr '\n' '|')"; finish; }
cp "$img" "$TMP/orig.img"
out=$TMP/largedir
printf '%s\n' "ls /big" "bench create /c 2000" "rm /big/f00010" \
	"mv /big/f00020 /big/renamed" "stat /big/f00020" "ls /big/" \
	"ls /c/c01999" |
	QEMU_TIMEOUT=300 boot "$out" --disk "$img"
expect_rc 1 # the stat of the renamed name fails
expect_line "$out" "error: stat: /big/f00020: no such file or directory (ENOENT)"
[ "$(grep -c '^error:' "$out")" -eq 1 ] || fail "more than the one error line"
expect_grep "$out" '^bench create /c: 2000 files '
expect_line "$out" "- 0644 0 /c/c01999"
fs_expect_ls "$out" "$TMP/orig.img" /big
fs_expect_ls "$out" "$img" /big/
fs_fsck "$img"
n=$(debugfs -R "ls -l /c" "$img" 2>/dev/null | grep -c ' c[0-9][0-9][0-9][0-9][0-9] *$')
[ "$n" -eq 2000 ] || fail "debugfs finds $n of the 2000 created files"
debugfs -R "ls -l /big" "$img" 2>/dev/null | grep -q ' f00010 *$' &&
	fail "debugfs still lists /big/f00010"
debugfs -R "stat /big/renamed" "$img" 2>/dev/null | grep -q 'Type: regular' ||
	fail "debugfs has no /big/renamed"
finish
