#!/bin/sh
# Merging seen from the shell, on virtio and on AHCI: `blkread`/`blkwrite`
# with a BIO size cut a transfer into small bios under one plug; `blkstat`
# before and after shows them merged back into few requests (bios =
# requests + merges), and the data read and written is exactly right.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/drivers-lib.sh"

# Field N of DEV's line in the Kth blkstat block of OUT.
stat_field()
{
	grep -E "^$2 [0-9]+ " "$1" | sed -n "${3}p" | cut -d' ' -f"$4"
}

# delta OUT DEV FIELD: the field's growth from blkstat 1 to 2 (reads)
# or 2 to 3 (writes), by FROM TO.
delta()
{
	echo $(($(stat_field "$1" "$2" "$4" "$3") - $(stat_field "$1" "$2" "$5" "$3")))
}

merge_test()
{
	bus=$1
	dev=${2}a
	img=$TMP/$bus.img
	make_stream_disk "$img" 11 8
	cat >"$TMP/in" <<IN
blkstat
blkread $dev 1000 2048 1
blkstat
blkwrite $dev 9000 64 5 8
blkstat
IN
	boot "$TMP/out" --disk "$img" --bus "$bus" <"$TMP/in"
	expect_rc 0
	[ "$(grep -cE "^$dev [0-9]+ " "$TMP/out")" -eq 3 ] ||
		{ fail "$bus: expected three blkstat lines for $dev"; return; }
	# fields: 3 rd_merges, 7 wr_merges, 13/14 bios, 15/16 requests
	rb=$(delta "$TMP/out" "$dev" 13 2 1)
	rm=$(delta "$TMP/out" "$dev" 3 2 1)
	rr=$(delta "$TMP/out" "$dev" 15 2 1)
	wb=$(delta "$TMP/out" "$dev" 14 3 2)
	wm=$(delta "$TMP/out" "$dev" 7 3 2)
	wr=$(delta "$TMP/out" "$dev" 16 3 2)
	echo "note: $bus reads: $rb bios, $rr requests, $rm merges;" \
		"writes: $wb bios, $wr requests, $wm merges"
	[ "$rb" -eq 2048 ] || fail "$bus: $rb read bios, expected 2048"
	[ "$rm" -gt 0 ] || fail "$bus: no read merges"
	[ $((rr + rm)) -eq "$rb" ] || fail "$bus: read bios != requests + merges"
	# blkread moves 256 KiB (512 sectors) at a time: each chunk's 512
	# one-sector bios become a single request
	[ "$rr" -eq 4 ] || fail "$bus: $rr read requests, expected 4"
	[ "$wb" -eq 8 ] || fail "$bus: $wb write bios, expected 8"
	[ "$wm" -eq 7 ] && [ "$wr" -eq 1 ] ||
		fail "$bus: writes: $wr requests, $wm merges, expected 1 and 7"
	expect_blkread "$TMP/out" "$img" "$dev" 1000 2048
	[ "$(host_sectors_sha "$img" 9000 64)" = "$(stream_sha 5 32768)" ] ||
		fail "$bus: sectors 9000+64 are not stream 5"
}

merge_test virtio vd
merge_test ahci sd
finish
