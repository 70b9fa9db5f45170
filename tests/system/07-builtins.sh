#!/bin/sh
# The shell's own commands print what docs/shell.md says.
. "$(dirname "$0")/lib.sh"

printf 'help\nmem\nuptime\necho\npoweroff\n' | boot "$TMP/out"
expect_rc 0
for cmd in help echo mem uptime selftest poweroff; do
	expect_grep "$TMP/out" "^$cmd( |\$)"
done
expect_grep "$TMP/out" '^total: [1-9][0-9]* pages, [0-9]+ MiB$'
expect_grep "$TMP/out" '^free: [1-9][0-9]* pages, [0-9]+ MiB$'
expect_grep "$TMP/out" '^uptime: [0-9]+\.[0-9]{3} s$'
expect_line "$TMP/out" "shell: ready"
expect_line "$TMP/out" "poweroff: pass"
finish
