# drivers_eio_test BUS PREFIX: blkdebug fails reads overlapping sector
# 5000 and writes overlapping sector 9000; exactly the commands touching
# them fail with EIO, the others (before and after) succeed, no panic;
# then drivers.eio sends bios around the bad sector all at once.

drivers_eio_test()
{
	bus=$1
	dev=${2}a
	img=$TMP/$bus.img
	make_stream_disk "$img" 7 16
	blkdebug_conf 5000 read >"$TMP/read.conf"
	blkdebug_conf 9000 write >>"$TMP/read.conf"
	cat >"$TMP/in" <<IN
blkread $dev 0 8
blkread $dev 4990 20
blkread $dev 4999 1
blkread $dev 5001 10
blkread $dev 5000 1
blkread $dev 4000 999
blkread $dev 3000 2048
blkwrite $dev 8990 20 5
blkwrite $dev 9001 8 6
blkread $dev 100 50
selftest drivers.eio
IN
	boot_through_qemu_crash "$TMP/out" --disk "blkdebug:$TMP/read.conf:$img" --bus "$bus" \
		<"$TMP/in"
	expect_rc 1
	errors=$(grep -c '^error: blkread\|^error: blkwrite' "$TMP/out")
	[ "$errors" -eq 4 ] || fail "$errors failed commands, expected 4"
	expect_grep "$TMP/out" '^error: blkread: .*\(EIO\)$'
	expect_grep "$TMP/out" '^error: blkwrite: .*\(EIO\)$'
	expect_blkread "$TMP/out" "$img" "$dev" 0 8
	expect_blkread "$TMP/out" "$img" "$dev" 4999 1
	expect_blkread "$TMP/out" "$img" "$dev" 5001 10
	expect_blkread "$TMP/out" "$img" "$dev" 4000 999
	expect_blkread "$TMP/out" "$img" "$dev" 100 50
	expect_no_grep "$TMP/out" "  $dev 4990 20\$"
	expect_no_grep "$TMP/out" "  $dev 5000 1\$"
	expect_no_grep "$TMP/out" "  $dev 3000 2048\$"
	expect_grep "$TMP/out" '^ok [0-9]+ drivers\.eio$'
	expect_no_grep "$TMP/out" 'Kernel panic|BUG'
	[ "$(host_sectors_sha "$img" 9001 8)" = "$(stream_sha 6 4096)" ] ||
		fail "the write after the failed one did not land"
}
