/*
 * QEMU's debug console (-device isa-debugcon): every byte written to its
 * port goes to a host character device, a file for scripts/run-qemu
 * --blktrace. It carries binary trace data out of the machine exactly
 * (unlike the console, whose bytes the shell and the host both treat as
 * text) and fast: one rep outsb, no status register to poll.
 *
 * Found by its read-back byte: the device answers reads of its port
 * with a value chosen on QEMU's command line ('B' here, not QEMU's
 * default 0xe9, so SeaBIOS does not take it for its own log port); an
 * ISA port with nothing behind it reads 0xff.
 */
#include "asm/io.h"
#include "serial.h"

/* Must match scripts/run-qemu (BLKTRACE_DEBUGCON). */
#define DEBUGCON_PORT 0x4b8
#define DEBUGCON_READBACK 0x42

bool debugcon_present(void)
{
	return inb(DEBUGCON_PORT) == DEBUGCON_READBACK;
}

void debugcon_write(const void *buf, size_t len)
{
	outsb(DEBUGCON_PORT, buf, len);
}
