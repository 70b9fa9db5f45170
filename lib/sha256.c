/*
 * SHA-256 as FIPS 180-4 specifies it: a 64-round compression of each
 * 512-bit block into eight 32-bit words, message padded with a 1 bit,
 * zeros and the bit length. Written for clarity over speed.
 */
#include "sha256.h"
#include "compiler.h"
#include "string.h"

/*
 * Round constants: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes ("nothing up my sleeve" numbers).
 */
static const u32 k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 ror32(u32 x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline u32 load_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void store_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static void sha256_block(u32 state[8], const u8 *block)
{
	u32 w[64], s[8];
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(block + 4 * i);
	for (i = 16; i < 64; i++) {
		u32 s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
			 (w[i - 15] >> 3);
		u32 s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
			 (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(s, state, sizeof(s));
	for (i = 0; i < 64; i++) {
		/* s[0..7] are a..h of the standard. */
		u32 e = s[4], a = s[0];
		u32 ch = (e & s[5]) ^ (~e & s[6]);
		u32 maj = (a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]);
		u32 t1 = s[7] + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
			 ch + k[i] + w[i];
		u32 t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + maj;

		s[7] = s[6];
		s[6] = s[5];
		s[5] = s[4];
		s[4] = s[3] + t1;
		s[3] = s[2];
		s[2] = s[1];
		s[1] = s[0];
		s[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		state[i] += s[i];
}

void sha256_init(struct sha256_ctx *ctx)
{
	/* Fractional parts of the square roots of the first 8 primes. */
	static const u32 h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(ctx->state, h0, sizeof(h0));
	ctx->bytes = 0;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const u8 *p = data;
	size_t used = ctx->bytes % SHA256_BLOCK_SIZE;

	ctx->bytes += len;
	if (used) {
		size_t take = min(len, SHA256_BLOCK_SIZE - used);

		memcpy(ctx->block + used, p, take);
		p += take;
		len -= take;
		if (used + take < SHA256_BLOCK_SIZE)
			return;
		sha256_block(ctx->state, ctx->block);
	}
	/* Whole blocks straight from the caller's buffer: no copy. */
	for (; len >= SHA256_BLOCK_SIZE; len -= SHA256_BLOCK_SIZE) {
		sha256_block(ctx->state, p);
		p += SHA256_BLOCK_SIZE;
	}
	if (len)
		memcpy(ctx->block, p, len);
}

void sha256_final(struct sha256_ctx *ctx, u8 out[SHA256_DIGEST_SIZE])
{
	u64 bits = ctx->bytes * 8;
	size_t used = ctx->bytes % SHA256_BLOCK_SIZE;
	int i;

	ctx->block[used++] = 0x80;
	/* No room for the 8-byte length: pad out this block, start another. */
	if (used > SHA256_BLOCK_SIZE - 8) {
		memset(ctx->block + used, 0, SHA256_BLOCK_SIZE - used);
		sha256_block(ctx->state, ctx->block);
		used = 0;
	}
	memset(ctx->block + used, 0, SHA256_BLOCK_SIZE - 8 - used);
	store_be32(ctx->block + 56, (u32)(bits >> 32));
	store_be32(ctx->block + 60, (u32)bits);
	sha256_block(ctx->state, ctx->block);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->state[i]);
	memset(ctx, 0, sizeof(*ctx));
}

void sha256(const void *data, size_t len, u8 out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}

void sha256_hex(const u8 digest[SHA256_DIGEST_SIZE], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}
