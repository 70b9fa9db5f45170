#!/bin/sh
# A failing command prints one error line, the shell goes on, and the
# exit status says the session failed.
. "$(dirname "$0")/lib.sh"

printf 'nonsense\necho hi\npoweroff\necho unreachable\n' | boot "$TMP/err"
expect_rc 1
expect_line "$TMP/err" "error: nonsense: unknown command (ENOENT)"
expect_line "$TMP/err" "hi"
e=$(line_no "$TMP/err" "error: nonsense: unknown command (ENOENT)")
h=$(line_no "$TMP/err" "hi")
[ "$e" -gt 0 ] && [ "$h" -gt "$e" ] || fail "'hi' does not follow the error"
expect_line "$TMP/err" "poweroff: fail"
expect_no_grep "$TMP/err" '^unreachable$'

printf 'echo hi\n' | boot "$TMP/ok"
expect_rc 0
expect_line "$TMP/ok" '$ echo hi'
expect_line "$TMP/ok" "hi"
expect_line "$TMP/ok" "poweroff: pass"

# CR LF ends a line once; backspace edits; a long line is refused.
long=$(printf '%0300d' 0)
printf 'echo  a\tb\r\necho ax\bc\necho %s\nselftest no.such.case\nmem extra\n' \
	"$long" | boot "$TMP/edit"
expect_rc 1
expect_line "$TMP/edit" "a b"
expect_line "$TMP/edit" "ac"
expect_line "$TMP/edit" "error: line too long (E2BIG)"
expect_line "$TMP/edit" "error: selftest: no case matches 'no.such.case' (ENOENT)"
expect_line "$TMP/edit" "error: mem: usage: mem (EINVAL)"
[ "$(grep -c '^error: ' "$TMP/edit")" -eq 3 ] || fail "expected 3 error lines"
[ "$(grep -c '^\$ $' "$TMP/edit")" -eq 1 ] || fail "CR LF gave an empty line"
finish
