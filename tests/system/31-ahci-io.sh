#!/bin/sh
# AHCI: the same checks as 30-virtio-io.sh on an ICH9 AHCI disk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/drivers-lib.sh"
. "$(dirname "$0")/drivers-io.sh"

drivers_io_test ahci sd "8086:2922 010601"
finish
