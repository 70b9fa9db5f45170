#!/bin/sh
# Piped input of any length arrives whole and in order: 3000 commands
# (about 50 KiB, far more than the UART FIFO and the kernel's ring).
. "$(dirname "$0")/lib.sh"

seq 1 3000 | sed 's/^/echo line-/' >"$TMP/in"
seq 1 3000 | sed 's/^/line-/' >"$TMP/want"
boot "$TMP/out" <"$TMP/in" >"$TMP/boot.log"
tail -n 5 "$TMP/boot.log"
expect_rc 0
grep '^line-' "$TMP/out" >"$TMP/got"
cmp -s "$TMP/got" "$TMP/want" ||
	fail "output lines differ: $(diff "$TMP/want" "$TMP/got" | head -n 3)"
expect_line "$TMP/out" "poweroff: pass"
finish
