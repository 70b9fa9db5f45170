#!/bin/sh
# A page fault in the kernel is reported (vector 14 and the faulting
# address in CR2) and ends the run with status 2.
. "$(dirname "$0")/lib.sh"

printf 'selftest harness.page_fault\necho unreachable\n' | boot "$TMP/out"
expect_rc 2
expect_grep "$TMP/out" '(vector|#PF|exception).*14|14.*[Pp]age [Ff]ault'
expect_grep "$TMP/out" '[Pp]age [Ff]ault'
expect_grep "$TMP/out" '[Cc][Rr]2[ =:]+(0x)?0*[dD][eE][aA][dD]0000000'
expect_no_grep "$TMP/out" '^unreachable$'
expect_no_grep "$TMP/out" '^poweroff: '
finish
