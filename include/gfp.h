/* Allocation flags. */
#ifndef _GFP_H
#define _GFP_H

#define GFP_KERNEL 0x00u /* may sleep, may reclaim page cache */
#define GFP_NOIO 0x01u /* may sleep, must not start I/O to reclaim */
#define GFP_ATOMIC 0x02u /* interrupt context: never sleeps */
#define __GFP_ZERO 0x100u /* return zeroed memory */
#define __GFP_NOWARN 0x200u

#endif
