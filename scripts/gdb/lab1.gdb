# Lab 1 (docs/labs.md), scripted: follow `cat /README` from the shell to
# the interrupt. For a run-qemu started with -- -gdb tcp::12346 -S:
#   gdb -q -batch -iex "add-auto-load-safe-path $PWD/.gdbinit" \
#       -x scripts/gdb/lab1.gdb build/kernel.elf
target remote :12346
# cmd_cat has two locations (-O2 split it): a temporary breakpoint stops
# once. The I/O breakpoints are set only now: submit_bio also runs at boot.
tbreak cmd_cat
continue
break submit_bio
continue
bt 3
lx-bio bio
up
lx-bh bh
delete
break mpage_readpages
continue
info registers rip rsp rdi
delete
break mpage_end_io_read
continue
bt 4
lx-bio bio
lx-pagecache bio->bi_io_vec[0].bv_page->mapping
lx-rq vda
lx-dmesg
delete
detach
