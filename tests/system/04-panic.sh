#!/bin/sh
# A page fault in the kernel is reported (vector 14 and the faulting
# address in CR2) and ends the run with status 2; a panic's backtrace
# names each frame's function (kallsyms), and scripts/decode-backtrace
# adds the file and line of each.
. "$(dirname "$0")/lib.sh"

printf 'selftest harness.page_fault\necho unreachable\n' | boot "$TMP/out"
expect_rc 2
expect_grep "$TMP/out" '(vector|#PF|exception).*14|14.*[Pp]age [Ff]ault'
expect_grep "$TMP/out" '[Pp]age [Ff]ault'
expect_grep "$TMP/out" '[Cc][Rr]2[ =:]+(0x)?0*[dD][eE][aA][dD]0000000'
expect_no_grep "$TMP/out" '^unreachable$'
expect_no_grep "$TMP/out" '^poweroff: '
expect_grep "$TMP/out" '^RIP: 0008:harness_page_fault_test\+0x[0-9a-f]+/0x[0-9a-f]+$'
# The faulting instruction, then its callers, by name.
frame1=$(grep -A1 '^Call trace' "$TMP/out" | tail -n 1)
echo "$frame1" | grep -qE '^ \[<[0-9a-f]{16}>\] harness_page_fault_test\+0x' ||
	fail "first frame is not harness_page_fault_test: $frame1"
expect_grep "$TMP/out" '^ \[<[0-9a-f]{16}>\] shell_run_line\+0x[0-9a-f]+/0x[0-9a-f]+$'

printf 'selftest harness.panic\n' | boot "$TMP/panic"
expect_rc 2
expect_line "$TMP/panic" "Kernel panic: deliberate panic from the harness.panic self-test"
expect_grep "$TMP/panic" '^ \[<[0-9a-f]{16}>\] harness_panic_test\+0x[0-9a-f]+/0x[0-9a-f]+$'
expect_grep "$TMP/panic" '^ \[<[0-9a-f]{16}>\] cmd_selftest\+0x'
expect_no_grep "$TMP/panic" '^ \[<[0-9a-f]{16}>\] 0x'
scripts/decode-backtrace --elf "$BUILD/kernel.elf" "$TMP/panic" >"$TMP/decoded" ||
	fail "decode-backtrace failed"
sed 's/^/  > /' "$TMP/decoded"
expect_grep "$TMP/decoded" '\] harness_panic_test\+0x[0-9a-f]+/0x[0-9a-f]+ tests/kernel/harness_test\.c:[0-9]+$'
expect_grep "$TMP/decoded" '\] cmd_selftest\+0x[0-9a-f]+/0x[0-9a-f]+ shell/builtin\.c:[0-9]+$'
finish
