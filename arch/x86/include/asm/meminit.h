/* Boot-time memory setup from the Multiboot2 memory map (arch/x86/mm/meminit.c). */
#ifndef _MEMINIT_H
#define _MEMINIT_H

/* Map all RAM, place mem_map after the kernel, free the rest to mm. */
void meminit(void);

#endif
