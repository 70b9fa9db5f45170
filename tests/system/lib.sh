# Helpers for the system tests (sourced, not run). Each test boots the
# kernel through scripts/run-qemu and checks its output and exit status.
#
#	boot OUT [RUN-QEMU ARGS...] <input	run; OUT gets stdout, OUT.err
#						stderr (also in the log)
#	boot_through_qemu_crash OUT ...	the same, booting again if QEMU
#						itself crashed (blkdebug tests)
#	expect_rc N				status of the last boot
#	expect_line OUT TEXT, expect_grep OUT REGEX,
#	expect_no_grep OUT REGEX, fail MESSAGE

set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export BUILD
ISO=$BUILD/os.iso
DISK=$BUILD/disk.img
TMP=$(mktemp -d "${TMPDIR:-/tmp}/systest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0

fail()
{
	echo "FAIL: $*"
	failures=$((failures + 1))
}

boot()
{
	out=$1
	shift
	echo "+ run-qemu $*"
	rc=0
	${RUN_QEMU:-scripts/run-qemu} --iso "$ISO" --timeout "${QEMU_TIMEOUT:-120}" "$@" \
		>"$out" 2>"$out.err" || rc=$?
	sed 's/^/  | /' "$out"
	sed 's/^/  ! /' "$out.err"
	echo "+ exit status $rc"
	# `printf ... | boot` runs boot in a subshell: keep the status in a file.
	echo "$rc" >"$TMP/last.rc"
}

# boot, again while QEMU itself crashes (status 3). QEMU 7.2's AHCI
# emulation now and then dies in its own error path (ide_dma_error) when
# blkdebug fails a command (docs/drivers.md). Only status 3 is retried,
# never a kernel panic (2) or any other verdict; at most 8 tries, each in
# the log.
boot_through_qemu_crash()
{
	cat >"$TMP/boot.in"
	tries=1
	while :; do
		boot "$@" <"$TMP/boot.in"
		[ "$(last_rc)" = 3 ] && [ "$tries" -lt 8 ] || break
		echo "+ QEMU crashed (status 3): booting again (try $((tries + 1)) of 8)"
		tries=$((tries + 1))
	done
}

# Exit status of the last boot.
last_rc()
{
	cat "$TMP/last.rc" 2>/dev/null || echo none
}

expect_rc()
{
	rc=$(last_rc)
	[ "$rc" = "$1" ] || fail "exit status $rc, expected $1"
}

# TEXT is a whole line of the output.
expect_line()
{
	grep -qxF -- "$2" "$1" || fail "no line '$2'"
}

expect_grep()
{
	grep -qE -- "$2" "$1" || fail "nothing matches /$2/"
}

expect_no_grep()
{
	! grep -qE -- "$2" "$1" || fail "unexpected /$2/: $(grep -E -- "$2" "$1" | head -n 1)"
}

# Line number of the first line equal to TEXT (0 if none).
line_no()
{
	grep -nxF -- "$2" "$1" | head -n 1 | cut -d: -f1 | grep . || echo 0
}

# KTAP: a version line, a plan 1..N with N > 0, N results, no "not ok",
# and the closing "N passed, 0 failed".
expect_ktap_pass()
{
	expect_line "$1" "KTAP version 1"
	plan=$(grep -E '^1\.\.[0-9]+$' "$1" | head -n 1 | cut -d. -f3)
	if [ -z "$plan" ] || [ "$plan" -eq 0 ]; then
		fail "no KTAP plan with cases"
		return
	fi
	results=$(grep -cE '^(not )?ok [0-9]+ ' "$1")
	[ "$results" -eq "$plan" ] || fail "plan 1..$plan but $results results"
	expect_no_grep "$1" '^not ok '
	expect_line "$1" "$plan passed, 0 failed"
}

finish()
{
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}

[ -f "$ISO" ] || { echo "no $ISO: run make all"; exit 1; }
