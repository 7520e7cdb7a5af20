/*
 * test_bls_expand.c - expand_message_xmd with SHA-256 (src/lib/bls12_381/
 * expand_xmd.h) against every SHA-256 vector of RFC 9380 Appendix K
 * (test/vectors/bls/hash_to_curve/expand_message_xmd_SHA256_{38,256}.json:
 * a 38-byte DST, and a 256-byte one that takes the oversize-DST rule),
 * and its argument limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bls_vectors.h"
#include "expand_xmd.h"

#define N_VECTORS 10 /* per file, as RFC 9380 Appendix K lists them */

/* Runs every vector of @p file; the DST's length must be @p dst_len.
 * DST_prime's bytes before its length byte are the DST the expander
 * really uses (the long one hashed), so the outputs must also come out
 * when that is passed as the DST. */
static void run_file(const char *file, size_t dst_len)
{
    char path[512];
    struct bv_doc d;
    yaml_node_t *root, *tests;
    const char *dst;
    size_t i;

    assert_int_equal(bv_path(path, sizeof(path), file), 0);
    assert_int_equal(bv_doc_load(&d, path), 0);
    root = bv_doc_root(&d);
    dst = bv_scalar(bv_map_get(&d, root, "DST"));
    assert_non_null(dst);
    assert_int_equal(strlen(dst), dst_len);
    assert_string_equal(bv_scalar(bv_map_get(&d, root, "hash")), "SHA256");
    assert_string_equal(bv_scalar(bv_map_get(&d, root, "name")), "expand_message_xmd");
    tests = bv_map_get(&d, root, "tests");
    assert_int_equal(bv_seq_len(tests), N_VECTORS);

    for (i = 0; i < N_VECTORS; i++) {
        yaml_node_t *t = bv_seq_at(&d, tests, i);
        const char *msg = bv_scalar(bv_map_get(&d, t, "msg"));
        const char *len_hex = bv_scalar(bv_map_get(&d, t, "len_in_bytes"));
        const char *ub_hex = bv_scalar(bv_map_get(&d, t, "uniform_bytes"));
        const char *dp_hex = bv_scalar(bv_map_get(&d, t, "DST_prime"));
        uint8_t want[256], got[256], dst_prime[256];
        size_t want_len, dp_len;
        unsigned long len;
        char *end;

        assert_non_null(msg);
        assert_non_null(len_hex);
        assert_non_null(ub_hex);
        assert_non_null(dp_hex);
        len = strtoul(len_hex, &end, 16);
        assert_true(*end == '\0' && len > 0);
        assert_int_equal(bv_unhex(ub_hex, want, sizeof(want), &want_len), 0);
        assert_int_equal(want_len, len);
        assert_int_equal(bv_unhex(dp_hex, dst_prime, sizeof(dst_prime), &dp_len), 0);
        assert_int_equal(dst_prime[dp_len - 1], dp_len - 1);

        memset(got, 0xee, sizeof(got));
        assert_int_equal(bls_expand_message_xmd(got, len, (const uint8_t *)msg, strlen(msg),
                                                (const uint8_t *)dst, strlen(dst)),
                         0);
        if (memcmp(got, want, len) != 0)
            fail_msg("%s vector %zu (msg \"%.20s\", %lu bytes): wrong output", file, i, msg, len);
        assert_int_equal(got[len], 0xee); /* nothing written past out_len */

        memset(got, 0, sizeof(got));
        assert_int_equal(bls_expand_message_xmd(got, len, (const uint8_t *)msg, strlen(msg),
                                                dst_prime, dp_len - 1),
                         0);
        assert_memory_equal(got, want, len);
    }
    bv_doc_free(&d);
}

static void test_dst_38(void **state)
{
    (void)state;
    run_file("hash_to_curve/expand_message_xmd_SHA256_38.json", 38);
}

static void test_dst_256(void **state)
{
    (void)state;
    run_file("hash_to_curve/expand_message_xmd_SHA256_256.json", 256);
}

/* RFC 9380 section 5.3.1's aborts (ell > 255), an empty output, an empty
 * DST (section 3.1), NULL with a length; out untouched by each. */
static void test_limits(void **state)
{
    static uint8_t out[BLS_XMD_MAX_OUT + 1];
    static uint8_t dst[BLS_XMD_MAX_DST + 2];
    const uint8_t msg[] = "abc";
    size_t i;

    (void)state;
    memset(dst, 'D', sizeof(dst));
    memset(out, 0x5a, sizeof(out));
    assert_int_equal(bls_expand_message_xmd(out, BLS_XMD_MAX_OUT + 1, msg, 3, dst, 8), -1);
    assert_int_equal(bls_expand_message_xmd(out, 0, msg, 3, dst, 8), -1);
    assert_int_equal(bls_expand_message_xmd(out, 32, msg, 3, dst, 0), -1);
    assert_int_equal(bls_expand_message_xmd(out, 32, NULL, 3, dst, 8), -1);
    assert_int_equal(bls_expand_message_xmd(out, 32, msg, 3, NULL, 8), -1);
    assert_int_equal(bls_expand_message_xmd(NULL, 32, msg, 3, dst, 8), -1);
    for (i = 0; i < sizeof(out); i++)
        assert_int_equal(out[i], 0x5a);

    /* the largest output fills every byte; an empty message is fine */
    assert_int_equal(bls_expand_message_xmd(out, BLS_XMD_MAX_OUT, NULL, 0, dst, 8), 0);
    assert_int_equal(out[BLS_XMD_MAX_OUT], 0x5a);
    /* 255 and 256 bytes of DST: the first used as is, the second hashed */
    assert_int_equal(bls_expand_message_xmd(out, 32, msg, 3, dst, BLS_XMD_MAX_DST), 0);
    assert_int_equal(bls_expand_message_xmd(out + 32, 32, msg, 3, dst, BLS_XMD_MAX_DST + 1), 0);
    assert_memory_not_equal(out, out + 32, 32);
}

/* The length is an input of b_0: a shorter output is not a prefix. */
static void test_length_bound(void **state)
{
    const uint8_t dst[] = "partix-test";
    uint8_t a[64], b[32];

    (void)state;
    assert_int_equal(bls_expand_message_xmd(a, 64, dst, 4, dst, sizeof(dst) - 1), 0);
    assert_int_equal(bls_expand_message_xmd(b, 32, dst, 4, dst, sizeof(dst) - 1), 0);
    assert_memory_not_equal(a, b, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dst_38),
        cmocka_unit_test(test_dst_256),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_length_bound),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
