/* Fixed-width and kernel-style scalar types, shared by the kernel and host builds. */
#ifndef _TYPES_H
#define _TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef long ssize_t;
typedef u64 sector_t; /* 512-byte sector number on a disk */
#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1 << SECTOR_SHIFT)
typedef u64 blkcnt_t;
typedef unsigned long pgoff_t; /* page index inside an address_space */
typedef s64 loff_t; /* byte offset inside a file */
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;
typedef u32 umode_t;

#endif
