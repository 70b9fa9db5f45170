# The project's gdb setup. `make gdb` loads it; plain
# `gdb build/kernel.elf` in this directory loads it only if you allow it:
#     echo "add-auto-load-safe-path $PWD/.gdbinit" >>~/.gdbinit
# It connects to nothing: make gdb adds `target remote :1234`.
set pagination off
set confirm off
set print pretty on
# Storage-stack commands: lx-dmesg, lx-page, lx-bh, lx-bio, lx-rq,
# lx-disks, lx-pagecache (docs/debugging.md).
source scripts/gdb/storage.py
