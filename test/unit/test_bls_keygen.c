/*
 * test_bls_keygen.c - KeyGen and EIP-2333 (src/lib/bls12_381/keygen.h):
 * every test case of test/vectors/bls/eip2333.yaml (master and child
 * keys, the compressed Lamport key of case 0), the seed and key limits,
 * and the constant-time reduction mod r against Mbed TLS's bignum as an
 * oracle (the oracle only here: the library never uses mbedtls_mpi).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/bignum.h>
#include <mbedtls/sha256.h>

#include "bls_vectors.h"
#include "keygen.h"

#define R_DEC "52435875175126190479447740508185965837690552500527637822603658699938581184513"

static const uint8_t r_be[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                                 0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                                 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};

/* The hex field @p key of @p t, exactly @p len bytes. */
static void field_hex(struct bv_doc *d, yaml_node_t *t, const char *key, uint8_t *out, size_t len)
{
    const char *s = bv_scalar(bv_map_get(d, t, key));
    size_t n;

    assert_non_null(s);
    assert_int_equal(bv_unhex(s, out, len, &n), 0);
    assert_int_equal(n, len);
}

/* The decimal field @p key of @p t equals the 32 bytes @p be. */
static void assert_decimal(struct bv_doc *d, yaml_node_t *t, const char *key, const uint8_t *be)
{
    const char *s = bv_scalar(bv_map_get(d, t, key));
    mbedtls_mpi a, b;

    assert_non_null(s);
    mbedtls_mpi_init(&a);
    mbedtls_mpi_init(&b);
    assert_int_equal(mbedtls_mpi_read_string(&a, 10, s), 0);
    assert_int_equal(mbedtls_mpi_read_binary(&b, be, 32), 0);
    assert_int_equal(mbedtls_mpi_cmp_mpi(&a, &b), 0);
    mbedtls_mpi_free(&a);
    mbedtls_mpi_free(&b);
}

static void test_eip2333(void **state)
{
    char path[512];
    struct bv_doc d;
    yaml_node_t *cases;
    size_t i;

    (void)state;
    assert_int_equal(bv_path(path, sizeof(path), "eip2333.yaml"), 0);
    assert_int_equal(bv_doc_load(&d, path), 0);
    cases = bv_map_get(&d, bv_doc_root(&d), "test_cases");
    assert_int_equal(bv_seq_len(cases), 4);
    for (i = 0; i < 4; i++) {
        yaml_node_t *t = bv_seq_at(&d, cases, i);
        const char *seed_hex = bv_scalar(bv_map_get(&d, t, "seed"));
        const char *index_s = bv_scalar(bv_map_get(&d, t, "child_index"));
        const char *lamport_hex = bv_scalar(bv_map_get(&d, t, "compressed_lamport_pk"));
        uint8_t seed[64], master[32], child[32], want_master[32], want_child[32], lamport[32];
        unsigned long long index;
        size_t seed_len;
        char *end;

        assert_non_null(seed_hex);
        assert_non_null(index_s);
        assert_int_equal(bv_unhex(seed_hex, seed, sizeof(seed), &seed_len), 0);
        index = strtoull(index_s, &end, 10);
        assert_true(*end == '\0' && index <= UINT32_MAX);
        field_hex(&d, t, "master_sk_hex", want_master, 32);
        field_hex(&d, t, "child_sk_hex", want_child, 32);
        assert_decimal(&d, t, "master_sk", want_master);
        assert_decimal(&d, t, "child_sk", want_child);

        assert_int_equal(bls_derive_master_sk(master, seed, seed_len), 0);
        assert_memory_equal(master, want_master, 32);
        assert_int_equal(bls_derive_child_sk(child, master, (uint32_t)index), 0);
        assert_memory_equal(child, want_child, 32);
        if (lamport_hex != NULL) {
            uint8_t want_lamport[32];

            field_hex(&d, t, "compressed_lamport_pk", want_lamport, 32);
            assert_int_equal(bls_parent_sk_to_lamport_pk(lamport, master, (uint32_t)index), 0);
            assert_memory_equal(lamport, want_lamport, 32);
        }
        /* in place, as keygen.h allows */
        assert_int_equal(bls_derive_child_sk(master, master, (uint32_t)index), 0);
        assert_memory_equal(master, want_child, 32);
    }
    bv_doc_free(&d);
}

/* EIP-2333 and KeyGen: a seed of at least 256 bits; key_info is bound. */
static void test_limits(void **state)
{
    uint8_t seed[BLS_KEYGEN_MIN_IKM], sk[32], sk2[32], info[BLS_KEYGEN_MAX_INFO + 1];

    (void)state;
    memset(seed, 0x31, sizeof(seed));
    memset(info, 'i', sizeof(info));
    memset(sk, 0xaa, sizeof(sk));
    assert_int_equal(bls_derive_master_sk(sk, seed, sizeof(seed) - 1), -1);
    assert_true(sk[0] == 0 && memcmp(sk, sk + 1, 31) == 0); /* zeroed */
    assert_int_equal(bls_derive_master_sk(sk, NULL, 32), -1);
    assert_int_equal(bls_derive_master_sk(sk, seed, sizeof(seed)), 0);
    assert_int_equal(bls_sk_is_valid(sk), 1);

    /* KeyGen with key_info "" is derive_master_SK; key_info changes it */
    assert_int_equal(bls_keygen(sk2, seed, sizeof(seed), info, 0), 0);
    assert_memory_equal(sk, sk2, 32);
    assert_int_equal(bls_keygen(sk2, seed, sizeof(seed), info, 1), 0);
    assert_memory_not_equal(sk, sk2, 32);
    assert_int_equal(bls_keygen(sk2, seed, sizeof(seed), info, BLS_KEYGEN_MAX_INFO), 0);
    assert_int_equal(bls_keygen(sk2, seed, sizeof(seed), info, BLS_KEYGEN_MAX_INFO + 1), -1);
    assert_int_equal(bls_keygen(sk2, seed, sizeof(seed), NULL, 1), -1);
}

/* A child of something that is not a secret key: refused. */
static void test_child_of_invalid(void **state)
{
    uint8_t parent[32], child[32];

    (void)state;
    memset(parent, 0, sizeof(parent));
    assert_int_equal(bls_derive_child_sk(child, parent, 0), -1); /* 0 */
    memcpy(parent, r_be, 32);
    assert_int_equal(bls_derive_child_sk(child, parent, 0), -1); /* r */
    memset(parent, 0xff, sizeof(parent));
    assert_int_equal(bls_derive_child_sk(child, parent, 0), -1); /* 2^256 - 1 */
    assert_int_equal(bls_parent_sk_to_lamport_pk(child, parent, 0), -1);
    memcpy(parent, r_be, 32);
    parent[31] = 0; /* r - 1 */
    assert_int_equal(bls_derive_child_sk(child, parent, 0), 0);
    assert_int_equal(bls_sk_is_valid(child), 1);
}

static void test_sk_is_valid(void **state)
{
    uint8_t sk[32];

    (void)state;
    memset(sk, 0, sizeof(sk));
    assert_int_equal(bls_sk_is_valid(sk), 0);
    sk[31] = 1;
    assert_int_equal(bls_sk_is_valid(sk), 1);
    sk[31] = 0;
    sk[0] = 0x80;
    assert_int_equal(bls_sk_is_valid(sk), 0);
    memcpy(sk, r_be, 32);
    assert_int_equal(bls_sk_is_valid(sk), 0);
    sk[31] = 0; /* r - 1 */
    assert_int_equal(bls_sk_is_valid(sk), 1);
    sk[31] = 2; /* r + 1 */
    assert_int_equal(bls_sk_is_valid(sk), 0);
}

/* bls_mod_r_384(x) against mbedtls_mpi's x mod r. */
static void check_mod_r(const uint8_t in[48])
{
    mbedtls_mpi x, r, want;
    uint8_t got[32], want_be[32];

    mbedtls_mpi_init(&x);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&want);
    assert_int_equal(mbedtls_mpi_read_binary(&x, in, 48), 0);
    assert_int_equal(mbedtls_mpi_read_string(&r, 10, R_DEC), 0);
    assert_int_equal(mbedtls_mpi_mod_mpi(&want, &x, &r), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&want, want_be, 32), 0);
    bls_mod_r_384(got, in);
    assert_memory_equal(got, want_be, 32);
    mbedtls_mpi_free(&x);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&want);
}

/* k * r + delta as 48 big-endian bytes (k * r + delta must be in range). */
static void multiple_of_r(uint8_t out[48], unsigned k_shift, int delta)
{
    mbedtls_mpi v;

    mbedtls_mpi_init(&v);
    assert_int_equal(mbedtls_mpi_read_string(&v, 10, R_DEC), 0);
    assert_int_equal(mbedtls_mpi_shift_l(&v, k_shift), 0);
    assert_int_equal(mbedtls_mpi_add_int(&v, &v, delta), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&v, out, 48), 0);
    mbedtls_mpi_free(&v);
}

static void test_mod_r(void **state)
{
    uint8_t in[48], block[32];
    unsigned k, i;
    int delta;

    (void)state;
    memset(in, 0, sizeof(in));
    check_mod_r(in);
    memset(in, 0xff, sizeof(in));
    check_mod_r(in);
    /* r * 2^k - 1, r * 2^k, r * 2^k + 1 for every shift the loop uses */
    for (k = 0; k <= 129; k++)
        for (delta = -1; delta <= 1; delta++) {
            multiple_of_r(in, k, delta);
            check_mod_r(in);
        }
    /* a deterministic pseudo-random stream: SHA-256 of a counter */
    for (i = 0; i < 2000; i++) {
        uint8_t ctr[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};

        assert_int_equal(mbedtls_sha256_ret(ctr, 4, block, 0), 0);
        memcpy(in, block, 32);
        assert_int_equal(mbedtls_sha256_ret(block, 32, block, 0), 0);
        memcpy(in + 32, block, 16);
        if (i % 4 == 1)
            in[0] = 0; /* shorter values too */
        if (i % 4 == 2)
            memset(in, 0, 16);
        check_mod_r(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eip2333),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_child_of_invalid),
        cmocka_unit_test(test_sk_is_valid),
        cmocka_unit_test(test_mod_r),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
