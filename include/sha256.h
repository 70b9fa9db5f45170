/*
 * SHA-256 (FIPS 180-4), for checking file contents end to end: the
 * shell's sha256/verify commands print what the host's sha256sum does.
 */
#ifndef _SHA256_H
#define _SHA256_H

#include "types.h"

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
	u32 state[8];
	u64 bytes; /* message length so far */
	u8 block[SHA256_BLOCK_SIZE]; /* a partial block, bytes % 64 long */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Pads, writes the digest and wipes ctx (init again to reuse it). */
void sha256_final(struct sha256_ctx *ctx, u8 out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, u8 out[SHA256_DIGEST_SIZE]);
/* Lower-case hex, NUL-terminated, as sha256sum prints it. */
void sha256_hex(const u8 digest[SHA256_DIGEST_SIZE], char out[65]);

#endif
