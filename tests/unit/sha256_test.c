/*
 * SHA-256 against the FIPS 180-2 example vectors, and incremental
 * updates (every split point, odd chunk sizes) against the one-shot hash.
 */
/* ISO C only: glibc's POSIX types (blkcnt_t ...) clash with types.h. */
#define _ISOC11_SOURCE 1
#include <string.h>

#include "sha256.h"
#include "unit.h"

static void check_hex(const void *msg, size_t len, const char *want)
{
	u8 d[SHA256_DIGEST_SIZE];
	char hex[65];

	sha256(msg, len, d);
	sha256_hex(d, hex);
	ck_assert_str_eq(hex, want);
}

START_TEST(fips_vectors)
{
	static const char two_block[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check_hex("abc", 3,
		  "ba7816bf8f01cfea414140de5dae2223"
		  "b00361a396177a9cb410ff61f20015ad");
	check_hex(two_block, strlen(two_block),
		  "248d6a61d20638b8e5c026930c3e6039"
		  "a33ce45964ff2167f6ecedd419db06c1");
	check_hex("", 0,
		  "e3b0c44298fc1c149afbf4c8996fb924"
		  "27ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(one_million_a)
{
	static u8 a[1000];
	struct sha256_ctx ctx;
	u8 d[SHA256_DIGEST_SIZE];
	char hex[65];

	memset(a, 'a', sizeof(a));
	sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		sha256_update(&ctx, a, sizeof(a));
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			      "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Lengths around the padding edges: 55, 56 and 64 bytes of 'a'. */
START_TEST(padding_boundaries)
{
	u8 a[64];

	memset(a, 'a', sizeof(a));
	check_hex(a, 55,
		  "9f4390f8d30c2dd92ec9f095b65e2b9a"
		  "e9b0a925a5258e241c9f1e910f734318");
	check_hex(a, 56,
		  "b35439a4ac6f0948b6d6f9e3c6af0f5f"
		  "590ce20f1bde7090ef7970686ec6738a");
	check_hex(a, 64,
		  "ffe054fe7ae0cb6dc65c3af9b61d5209"
		  "f439851db43d0ba5997337df154668eb");
}
END_TEST

START_TEST(split_updates_match_one_shot)
{
	u8 msg[200], want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)(i * 31 + 7);
	sha256(msg, sizeof(msg), want);
	for (size_t cut = 0; cut <= sizeof(msg); cut++) {
		sha256_init(&ctx);
		sha256_update(&ctx, msg, cut);
		sha256_update(&ctx, msg + cut, sizeof(msg) - cut);
		sha256_final(&ctx, got);
		ck_assert_msg(!memcmp(got, want, sizeof(want)), "cut %zu", cut);
	}
	/* Chunks of every size from 1 to 70, including empty updates. */
	for (size_t step = 1; step <= 70; step++) {
		sha256_init(&ctx);
		for (size_t off = 0; off < sizeof(msg); off += step) {
			sha256_update(&ctx, msg + off,
				      off + step > sizeof(msg) ?
					      sizeof(msg) - off :
					      step);
			sha256_update(&ctx, msg, 0);
		}
		sha256_final(&ctx, got);
		ck_assert_msg(!memcmp(got, want, sizeof(want)), "step %zu",
			      step);
	}
}
END_TEST

static Suite *sha256_suite(void)
{
	Suite *s = suite_create("lib_sha256");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fips_vectors);
	tcase_add_test(tc, one_million_a);
	tcase_add_test(tc, padding_boundaries);
	tcase_add_test(tc, split_updates_match_one_shot);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(sha256_suite)
