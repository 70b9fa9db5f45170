#!/bin/sh
# AHCI under blkdebug: task-file errors fail exactly the commands that
# touch the bad sectors; the port recovers and later commands work.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/drivers-lib.sh"
. "$(dirname "$0")/drivers-eio.sh"

drivers_eio_test ahci sd
finish
