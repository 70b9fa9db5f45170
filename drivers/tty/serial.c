/*
 * 16550 UART on COM1, the console.
 *
 * Output is polled (printk must work from any context, even panic).
 * Input is interrupt-driven: IRQ4 through the IO-APIC fills a ring, and
 * serial_getc() sleeps on a wait queue. When the ring is full we stop
 * taking bytes and mask the receive interrupt; the bytes then wait in the
 * UART's FIFO and QEMU stops sending while that FIFO is full, so nothing
 * typed is ever dropped. A kernel timer also polls the receiver every
 * tick, as a backstop for an edge-triggered interrupt that the ring-full
 * case left high.
 *
 * The receive FIFO is never reset: bytes typed before the kernel started
 * are sitting in it and belong to the shell.
 *
 * Ctrl-C (0x03) is seen as it arrives, in the interrupt, not when the
 * shell next reads: like the INTR character of Linux's tty line
 * discipline, it is offered to the interrupt handler the upper layer
 * registered (the shell: "stop the running command"), and kept in the
 * ring for the reader only if the handler did not take it.
 */
#include "asm/apic.h"
#include "asm/cpu.h"
#include "errno.h"
#include "asm/idt.h"
#include "asm/io.h"
#include "ktime.h"
#include "printk.h"
#include "serial.h"
#include "timer.h"
#include "wait.h"

#define COM1 0x3f8
#define COM1_IRQ 4

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor latch, with LCR_DLAB */
#define UART_IER 1
#define UART_DLM 1
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define IER_RDI 0x01 /* interrupt when data received */
#define IIR_FIFO_MASK 0xc0 /* both set when the FIFOs are on */
#define FCR_ENABLE 0x01 /* no reset bits: keep what is queued */
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the IRQ line on a PC */
#define LSR_DR 0x01
#define LSR_THRE 0x20

#define RX_RING_SIZE 4096 /* power of two */
#define INTR_CHAR 0x03 /* Ctrl-C */

static u8 rx_ring[RX_RING_SIZE];
static unsigned int rx_head, rx_tail; /* free-running; head = writer */
static bool rx_irq_on; /* IRQ4 routed and enabled */
static bool rx_can_sleep; /* serial_irq_init() done: threads exist */
static bool rx_throttled; /* ring was full: RX interrupt masked */
static DECLARE_WAIT_QUEUE_HEAD(rx_wait);
static struct timer_list rx_poll_timer;
static bool (*intr_handler)(void);

static unsigned int rx_count(void)
{
	return rx_head - rx_tail;
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		cpu_relax();
	outb((u8)c, COM1 + UART_THR);
}

/* The console: the serial line wants CR LF, so '\n' becomes "\r\n". */
static void serial_console_write(struct console *con, const char *s, size_t n)
{
	(void)con;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static struct console serial_console = { .name = "ttyS0",
					 .write = serial_console_write };

/* Move received bytes into the ring; interrupts must be off. */
static void rx_drain(void)
{
	bool got = false;
	u8 c;

	if (rx_throttled)
		return;
	while (inb(COM1 + UART_LSR) & LSR_DR) {
		if (rx_count() == RX_RING_SIZE) {
			rx_throttled = true;
			outb(0, COM1 + UART_IER);
			break;
		}
		c = inb(COM1 + UART_RBR);
		if (c == INTR_CHAR && intr_handler && intr_handler())
			continue;
		rx_ring[rx_head++ % RX_RING_SIZE] = c;
		got = true;
	}
	if (got)
		wake_up(&rx_wait);
}

static void serial_poll(void)
{
	unsigned long flags;

	local_irq_save(flags);
	rx_drain();
	local_irq_restore(flags);
}

static void rx_poll_tick(struct timer_list *t)
{
	serial_poll();
	mod_timer(t, ktime_get_ns() + NSEC_PER_SEC / HZ);
}

void serial_init(void)
{
	outb(0, COM1 + UART_IER);
	outb(LCR_DLAB, COM1 + UART_LCR);
	outb(1, COM1 + UART_DLL); /* 115200 baud */
	outb(0, COM1 + UART_DLM);
	outb(LCR_8N1, COM1 + UART_LCR);
	outb(MCR_DTR_RTS_OUT2, COM1 + UART_MCR);
	/*
	 * Turning the FIFO on (or off) makes a 16550 empty it. GRUB leaves
	 * it on; if it is off, save the waiting byte before switching.
	 */
	if ((inb(COM1 + UART_IIR) & IIR_FIFO_MASK) != IIR_FIFO_MASK)
		rx_drain();
	outb(FCR_ENABLE, COM1 + UART_FCR);
	register_console(&serial_console);
}

static void serial_interrupt(void *data)
{
	(void)data;
	inb(COM1 + UART_IIR); /* acknowledge */
	rx_drain();
}

void serial_irq_init(void)
{
	int vector = irq_alloc_vector(serial_interrupt, NULL);
	unsigned long flags;

	rx_can_sleep = true;
	timer_setup(&rx_poll_timer, rx_poll_tick);
	rx_poll_tick(&rx_poll_timer);
	if (vector < 0 || ioapic_route_isa_irq(COM1_IRQ, vector) < 0) {
		printk("serial: no interrupt (%d), polling from the timer\n",
		       vector);
		return;
	}
	local_irq_save(flags);
	rx_irq_on = true;
	rx_drain();
	if (!rx_throttled)
		outb(IER_RDI, COM1 + UART_IER);
	local_irq_restore(flags);
}

/* Take a byte from the ring and, once there is room, let the UART talk again. */
static int rx_take(void)
{
	unsigned long flags;
	int c;

	local_irq_save(flags);
	c = rx_ring[rx_tail++ % RX_RING_SIZE];
	if (rx_throttled && rx_count() <= RX_RING_SIZE / 2) {
		rx_throttled = false;
		rx_drain();
		if (rx_irq_on && !rx_throttled)
			outb(IER_RDI, COM1 + UART_IER);
	}
	local_irq_restore(flags);
	return c;
}

void serial_set_intr_handler(bool (*fn)(void))
{
	unsigned long flags;

	local_irq_save(flags);
	intr_handler = fn;
	local_irq_restore(flags);
}

int serial_getc(void)
{
	if (!rx_can_sleep) {
		/* Before interrupts and threads exist: spin. */
		while (!rx_count()) {
			serial_poll();
			cpu_relax();
		}
		return rx_take();
	}
	wait_event(rx_wait, rx_count() > 0);
	return rx_take();
}
