; Multiboot2 header: GRUB scans the first 32 KiB of the image for it, so
; the linker script puts .multiboot first. We ask for nothing special:
; GRUB loads the ELF by its program headers and hands us the memory map
; and command line in the boot information it always provides.

MB2_MAGIC	equ 0xe85250d6
MB2_ARCH_I386	equ 0

section .multiboot
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; end tag
	dw 0
	dw 0
	dd 8
mb2_header_end:
