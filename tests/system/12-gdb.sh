#!/bin/sh
# The scripted gdb session of docs/debugging.md (scripts/gdb/lab1.gdb)
# stops where it says (submit_bio from __bread, mpage_readpages,
# mpage_end_io_read, never twice at cmd_cat), the project's gdb commands
# print a bio, a buffer_head ring, a page cache, a request queue and the
# printk log, and the fs/buffer.c lines the doc quotes are this tree's.
. "$(dirname "$0")/lib.sh"

command -v gdb >/dev/null || { echo "no gdb (make deps)"; exit 1; }
port=$((20000 + $$ % 20000))
cp "$DISK" "$TMP/disk.img"
sed "s/:12346/:$port/" scripts/gdb/lab1.gdb >"$TMP/lab1.gdb"
printf 'cat /README\n' | ${RUN_QEMU:-scripts/run-qemu} --iso "$ISO" \
	--disk "$TMP/disk.img" --timeout 100 -- -gdb "tcp::$port" -S \
	>"$TMP/qemu" 2>&1 &
qemu=$!
sleep 1
timeout 100 gdb -q -batch -iex "add-auto-load-safe-path $PWD/.gdbinit" \
	-x "$TMP/lab1.gdb" "$BUILD/kernel.elf" >"$TMP/gdb" 2>&1 ||
	fail "gdb exit status $?"
rc=0
wait "$qemu" || rc=$?
sed 's/^/  gdb| /' "$TMP/gdb"
sed 's/^/  qemu| /' "$TMP/qemu"
[ "$rc" = 0 ] || fail "run-qemu status $rc after detach"

out=$TMP/gdb
[ "$(grep -c '^Temporary breakpoint 1\.[0-9], cmd_cat' "$out")" -eq 1 ] ||
	fail "not one stop at cmd_cat"
expect_grep "$out" '^Breakpoint 2, submit_bio \('
expect_grep "$out" ' in submit_bh \(.*\) at fs/buffer\.c:[0-9]+$'
expect_grep "$out" ' in __bread \(.*\) at fs/buffer\.c:[0-9]+$'
expect_grep "$out" '^bio 0x[0-9a-f]+ READ sector [0-9]+ size 4096 vcnt 1/1 .* end_io end_bio_bh_io_sync'
expect_grep "$out" '^bh 0x[0-9a-f]+ block [0-9]+ size 4096 state 0x[0-9a-f]+ \[lock,req,mapped\] .* end_io end_buffer_read_sync$'
expect_grep "$out" '^Breakpoint 3, mpage_readpages \('
expect_grep "$out" '^Breakpoint 4, mpage_end_io_read \('
expect_grep "$out" '^bio 0x[0-9a-f]+ READ sector [0-9]+ .* end_io mpage_end_io_read '
expect_grep "$out" '^  vec\[0\] len 4096 offset 0 page .*\[locked,lru,mappedtodisk\].*\(ino 13\) index 0$'
expect_grep "$out" '^mapping 0x[0-9a-f]+ nrpages 1 '
expect_grep "$out" '^queue 0x[0-9a-f]+ depth [0-9]+ in_flight '
expect_line "$out" "vfs: mounted ext2 on vda at /"
expect_line "$out" '$ cat /README'
expect_no_grep "$out" 'Python Exception|Error in sourced'

# What docs/debugging.md quotes of fs/buffer.c is what gdb says today.
grep -oE 'at fs/buffer\.c:[0-9]+' docs/debugging.md | sort -u >"$TMP/doc"
[ -s "$TMP/doc" ] || fail "docs/debugging.md quotes no fs/buffer.c line"
while read -r where; do
	grep -qF -- "$where" "$out" || fail "docs/debugging.md says '$where'; gdb does not"
done <"$TMP/doc"
finish
