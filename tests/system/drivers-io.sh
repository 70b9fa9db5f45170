# drivers_io_test BUS PREFIX LSPCI-TEXT: the read/write checks on one bus
# (sourced by 30-virtio-io.sh and 31-ahci-io.sh).

drivers_io_test()
{
	bus=$1
	dev=${2}a
	img=$TMP/$bus.img
	make_stream_disk "$img" 7 32
	last=$((32 * 2048 - 16))
	cat >"$TMP/in" <<IN
lspci
lsblk
blkread $dev 0 8
blkread $dev 1 1
blkread $dev 12345 300
blkread $dev 40000 2048
blkread $dev $last 16
blkwrite $dev 20000 100 99
blkwrite $dev 30001 7 98
blkread $dev 20000 100
selftest drivers.*
IN
	boot "$TMP/out" --disk "$img" --bus "$bus" <"$TMP/in"
	expect_rc 0
	expect_grep "$TMP/out" "^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] $3\$"
	expect_grep "$TMP/out" "^$dev +$bus +65536 "
	for r in "0 8" "1 1" "12345 300" "40000 2048" "$last 16"; do
		# shellcheck disable=SC2086
		set -- $r
		expect_blkread "$TMP/out" "$img" "$dev" "$1" "$2"
	done
	expect_line "$TMP/out" "$(stream_sha 99 51200)  $dev 20000 100"
	expect_no_grep "$TMP/out" '^not ok '
	expect_grep "$TMP/out" '^ok [0-9]+ drivers\.read_scattered$'
	expect_grep "$TMP/out" '^ok [0-9]+ drivers\.write_scattered$'
	expect_grep "$TMP/out" '^ok [0-9]+ drivers\.flush$'
	# After power-off: the writes are exactly the streams, and the
	# sectors around them still hold the image's own stream.
	[ "$(host_sectors_sha "$img" 20000 100)" = "$(stream_sha 99 51200)" ] ||
		fail "sectors 20000+100 are not stream 99"
	[ "$(host_sectors_sha "$img" 30001 7)" = "$(stream_sha 98 3584)" ] ||
		fail "sectors 30001+7 are not stream 98"
	for r in "19999 1" "20100 1" "30000 1" "30008 1"; do
		# shellcheck disable=SC2086
		set -- $r
		want=$(python3 scripts/stream.py 7 512 --skip $(($1 * 512)) |
			sha256sum | cut -d' ' -f1)
		[ "$(host_sectors_sha "$img" "$1" 1)" = "$want" ] ||
			fail "sector $1 changed"
	done
}
