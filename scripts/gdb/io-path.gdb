# docs/io-path.md, scripted: the stacks of `cat /README` from the shell to
# the virtqueue and back. For a run-qemu started with -- -gdb tcp::12399 -S:
#   gdb -q -batch -x scripts/gdb/io-path.gdb build/kernel.elf
target remote :12399
set pagination off
set print frame-arguments none
# Once at cmd_cat: the boot's own I/O is not this command's.
tbreak cmd_cat
continue
# The directory block, read through buffer heads while opening the file.
tbreak virtblk_queue_rq
continue
bt
# The file's data: readahead, mpage, the plug.
tbreak mpage_readpages
continue
tbreak ext2_get_block
continue
bt
tbreak submit_bio
continue
bt
tbreak virtblk_queue_rq
continue
bt
# The completion, in the interrupt.
tbreak mpage_end_io_read
continue
tbreak unlock_page
continue
bt 8
detach
