/*
 * test_bls_ec.c - the BLS12-381 groups (src/lib/bls12_381/g1.c, g2.c):
 * the generators' encodings, the group law (complete addition against
 * doubling, the identity, inverses), constant-time scalar multiplication
 * against the variable-time one and against scalar arithmetic mod r,
 * known multiples of G1 (Ethereum's consensus test keys), the ZCash
 * compressed form both ways, and the deserialization cases of
 * ethereum/bls12-381-tests (test/vectors/bls/deserialization/g{1,2}.yaml).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/bignum.h>

#include "bls_vectors.h"
#include "ec.h"

static const char R_HEX[] = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

static uint64_t rng_state = 0x0123456789abcdefULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static void rand_scalar(uint8_t k[SCALAR_BYTES])
{
    for (int i = 0; i < SCALAR_BYTES; i++)
        k[i] = (uint8_t)(rng() >> 56);
}

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = strlen(hex) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void to_limbs(uint64_t l[4], const uint8_t k[SCALAR_BYTES])
{
    for (int i = 0; i < 4; i++) {
        l[i] = 0;
        for (int j = 0; j < 8; j++)
            l[i] = (l[i] << 8) | k[(3 - i) * 8 + j];
    }
}

/* c = a * b mod r, all 32-byte big-endian */
static void scalar_mul_mod_r(uint8_t c[32], const uint8_t a[32], const uint8_t b[32])
{
    mbedtls_mpi ma, mb, mr;
    mbedtls_mpi_init(&ma);
    mbedtls_mpi_init(&mb);
    mbedtls_mpi_init(&mr);
    assert_int_equal(mbedtls_mpi_read_string(&mr, 16, R_HEX), 0);
    assert_int_equal(mbedtls_mpi_read_binary(&ma, a, 32), 0);
    assert_int_equal(mbedtls_mpi_read_binary(&mb, b, 32), 0);
    assert_int_equal(mbedtls_mpi_mul_mpi(&ma, &ma, &mb), 0);
    assert_int_equal(mbedtls_mpi_mod_mpi(&ma, &ma, &mr), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&ma, c, 32), 0);
    mbedtls_mpi_free(&ma);
    mbedtls_mpi_free(&mb);
    mbedtls_mpi_free(&mr);
}

static void test_generators(void **state)
{
    (void)state;
    uint8_t b1[G1_COMPRESSED], e1[G1_COMPRESSED], b2[G2_COMPRESSED], e2[G2_COMPRESSED];
    g1 p;
    g2 q;
    /* the compressed generators as the ZCash serialization spec gives them */
    unhex(e1, sizeof e1,
          "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af"
          "00adb22c6bb");
    unhex(e2, sizeof e2,
          "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7"
          "d055d042b7e024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a8"
          "05bbefd48056c8c121bdb8");
    g1_generator(&p);
    g2_generator(&q);
    assert_true(g1_is_on_curve(&p));
    assert_true(g2_is_on_curve(&q));
    assert_true(g1_in_subgroup(&p));
    assert_true(g2_in_subgroup(&q));
    g1_compress(b1, &p);
    g2_compress(b2, &q);
    assert_memory_equal(b1, e1, sizeof e1);
    assert_memory_equal(b2, e2, sizeof e2);
}

#define GROUP_LAW_TEST(G, N)                                                                       \
    static void test_##G##_group_law(void **state)                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        G a, b, c, s, t, o;                                                                        \
        uint8_t k[SCALAR_BYTES], m[SCALAR_BYTES], km[SCALAR_BYTES];                                \
        uint64_t l[4];                                                                             \
        G##_generator(&a);                                                                         \
        G##_identity(&o);                                                                          \
        assert_true(G##_is_on_curve(&o));                                                          \
        /* P + P = 2P, P + O = P, O + O = O, 2 O = O, P - P = O */                                 \
        G##_add(&s, &a, &a);                                                                       \
        G##_dbl(&t, &a);                                                                           \
        assert_true(G##_eq(&s, &t));                                                               \
        assert_false(G##_eq(&s, &a));                                                              \
        G##_add(&s, &a, &o);                                                                       \
        assert_true(G##_eq(&s, &a));                                                               \
        G##_add(&s, &o, &a);                                                                       \
        assert_true(G##_eq(&s, &a));                                                               \
        G##_add(&s, &o, &o);                                                                       \
        assert_true(G##_is_identity(&s));                                                          \
        G##_dbl(&s, &o);                                                                           \
        assert_true(G##_is_identity(&s));                                                          \
        G##_neg(&b, &a);                                                                           \
        G##_add(&s, &a, &b);                                                                       \
        assert_true(G##_is_identity(&s));                                                          \
        assert_false(G##_eq(&a, &o));                                                              \
        /* (r - 1) P = -P, r P = O, with both multiplications */                                   \
        memcpy(l, BLS_R, sizeof l);                                                                \
        l[0]--;                                                                                    \
        G##_mul_vartime(&s, &a, l, 4);                                                             \
        assert_true(G##_eq(&s, &b));                                                               \
        for (int i = 0; i < 4; i++)                                                                \
            for (int j = 0; j < 8; j++)                                                            \
                k[(3 - i) * 8 + j] = (uint8_t)(l[i] >> (56 - 8 * j));                              \
        G##_mul(&s, &a, k);                                                                        \
        assert_true(G##_eq(&s, &b));                                                               \
        k[SCALAR_BYTES - 1]++;                                                                     \
        G##_mul(&s, &a, k);                                                                        \
        assert_true(G##_is_identity(&s));                                                          \
        memset(k, 0, sizeof k);                                                                    \
        G##_mul(&s, &a, k);                                                                        \
        assert_true(G##_is_identity(&s));                                                          \
        k[SCALAR_BYTES - 1] = 1;                                                                   \
        G##_mul(&s, &a, k);                                                                        \
        assert_true(G##_eq(&s, &a));                                                               \
        /* small multiples by repeated addition */                                                 \
        G##_identity(&t);                                                                          \
        for (unsigned n = 1; n < 40; n++) {                                                        \
            G##_add(&t, &t, &a);                                                                   \
            memset(k, 0, sizeof k);                                                                \
            k[SCALAR_BYTES - 1] = (uint8_t)n;                                                      \
            G##_mul(&s, &a, k);                                                                    \
            assert_true(G##_eq(&s, &t));                                                           \
            assert_true(G##_is_on_curve(&s));                                                      \
        }                                                                                          \
        /* random scalars: constant time = variable time; k (m P) = (k m mod r) P */               \
        for (int i = 0; i < N; i++) {                                                              \
            rand_scalar(k);                                                                        \
            rand_scalar(m);                                                                        \
            G##_mul(&s, &a, k);                                                                    \
            to_limbs(l, k);                                                                        \
            G##_mul_vartime(&t, &a, l, 4);                                                         \
            assert_true(G##_eq(&s, &t));                                                           \
            G##_mul(&c, &a, m);                                                                    \
            G##_mul(&c, &c, k);                                                                    \
            scalar_mul_mod_r(km, k, m);                                                            \
            G##_mul(&t, &a, km);                                                                   \
            assert_true(G##_eq(&c, &t));                                                           \
            /* distributivity over the group law: k (P + Q) = k P + k Q */                         \
            G##_add(&b, &a, &c);                                                                   \
            G##_mul(&b, &b, k);                                                                    \
            G##_add(&t, &s, &t);                                                                   \
            G##_mul(&c, &c, k);                                                                    \
            G##_add(&s, &s, &c);                                                                   \
            assert_true(G##_eq(&b, &s));                                                           \
        }                                                                                          \
    }

GROUP_LAW_TEST(g1, 8)
GROUP_LAW_TEST(g2, 4)

/* Ethereum's consensus-spec-tests keys (phase0/bls/sign, verify):
 * privkey -> compressed pubkey. */
static void test_g1_known_multiples(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3",
         "a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d067c061"
         "8f6e5a7f79a"},
        {"47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138",
         "b301803f8b5ac4a1133581fc676dfedc60d891dd5fa99028805e5ea5b08d3491af75d0707adab3b70c6a6"
         "a580217bf81"},
        {"328388aff0d4a5b7dc9205abd374e7e98f3cd9f3418edb4eafda5fb16473d216",
         "b53d21a4cfd562c469cc81514d4ce5a6b577d8403d32a394dc265dd190b47fa9f829fdd7963afdf972e5e"
         "77854051f6f"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        uint8_t k[SCALAR_BYTES], want[G1_COMPRESSED], got[G1_COMPRESSED];
        g1 g, p, q;
        unhex(k, sizeof k, pairs[i][0]);
        unhex(want, sizeof want, pairs[i][1]);
        g1_generator(&g);
        g1_mul(&p, &g, k);
        g1_compress(got, &p);
        assert_memory_equal(got, want, sizeof want);
        assert_int_equal(g1_decompress(&q, want, 1), 0);
        assert_true(g1_eq(&p, &q));
    }
}

static void test_compress_round_trip(void **state)
{
    (void)state;
    uint8_t k[SCALAR_BYTES], b1[G1_COMPRESSED], b2[G2_COMPRESSED];
    g1 a, p, q;
    g2 c, s, t;
    g1_generator(&a);
    g2_generator(&c);
    for (int i = 0; i < 6; i++) {
        rand_scalar(k);
        g1_mul(&p, &a, k);
        g1_compress(b1, &p);
        assert_int_equal(b1[0] & 0xc0, 0x80);
        assert_int_equal(g1_decompress(&q, b1, 1), 0);
        assert_true(g1_eq(&p, &q));
        /* the other root: the sort flag flipped gives -P */
        b1[0] ^= 0x20;
        assert_int_equal(g1_decompress(&q, b1, 1), 0);
        g1_neg(&q, &q);
        assert_true(g1_eq(&p, &q));

        g2_mul(&s, &c, k);
        g2_compress(b2, &s);
        assert_int_equal(g2_decompress(&t, b2, 1), 0);
        assert_true(g2_eq(&s, &t));
        b2[0] ^= 0x20;
        assert_int_equal(g2_decompress(&t, b2, 1), 0);
        g2_neg(&t, &t);
        assert_true(g2_eq(&s, &t));
    }
    g1_identity(&p);
    g1_compress(b1, &p);
    assert_int_equal(b1[0], 0xc0);
    assert_int_equal(g1_decompress(&q, b1, 1), 0);
    assert_true(g1_is_identity(&q));
    g2_identity(&s);
    g2_compress(b2, &s);
    assert_int_equal(b2[0], 0xc0);
    assert_int_equal(g2_decompress(&t, b2, 1), 0);
    assert_true(g2_is_identity(&t));
}

/* Each rejection of the format on its own, with the reason reported. */
static void test_decompress_reasons(void **state)
{
    (void)state;
    uint8_t b[G2_COMPRESSED];
    g1 p;
    g2 q;
    memset(b, 0, sizeof b);
    assert_int_equal(g1_decompress(&p, b, 1), EC_ERR_FLAGS); /* no compression flag */
    b[0] = 0xe0;                                             /* infinity with the sort flag */
    assert_int_equal(g1_decompress(&p, b, 1), EC_ERR_FLAGS);
    assert_int_equal(g2_decompress(&q, b, 1), EC_ERR_FLAGS);
    b[0] = 0xc0;
    b[G1_COMPRESSED - 1] = 1; /* infinity with x bits */
    assert_int_equal(g1_decompress(&p, b, 1), EC_ERR_FLAGS);
    b[G1_COMPRESSED - 1] = 0;
    b[G2_COMPRESSED - 1] = 1;
    assert_int_equal(g2_decompress(&q, b, 1), EC_ERR_FLAGS);
    /* x = p */
    memset(b, 0, sizeof b);
    unhex(b, sizeof b,
          "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9fef"
          "fffffffaaab");
    assert_int_equal(g1_decompress(&p, b, 1), EC_ERR_RANGE);
    assert_int_equal(g2_decompress(&q, b, 1), EC_ERR_RANGE);
    /* x = 0 then: 4 is a square in Fp (a point of order 3, not in G1) */
    memset(b, 0, sizeof b);
    b[0] = 0x80;
    assert_int_equal(g1_decompress(&p, b, 0), 0);
    assert_int_equal(g1_decompress(&p, b, 1), EC_ERR_SUBGROUP);
    /* x = 1: 5 is not a square mod p */
    b[G1_COMPRESSED - 1] = 1;
    assert_int_equal(g1_decompress(&p, b, 1), EC_ERR_CURVE);
}

/* Every case of test/vectors/bls/deserialization/<file>: cases[] of
 * {name, input: hex (of any length), valid: bool}. */
static void run_deser(const char *file, size_t len, int in_g2, size_t count)
{
    char path[512];
    struct bv_doc d;
    yaml_node_t *cases;
    assert_int_equal(bv_path(path, sizeof path, file), 0);
    assert_int_equal(bv_doc_load(&d, path), 0);
    cases = bv_map_get(&d, bv_doc_root(&d), "cases");
    assert_int_equal(bv_seq_len(cases), count);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *c = bv_seq_at(&d, cases, i);
        const char *name = bv_scalar(bv_map_get(&d, c, "name"));
        const char *valid = bv_scalar(bv_map_get(&d, c, "valid"));
        uint8_t b[G2_COMPRESSED + 8];
        size_t got;
        int ok, want;
        assert_non_null(name);
        assert_non_null(valid);
        assert_int_equal(bv_unhex(bv_scalar(bv_map_get(&d, c, "input")), b, sizeof b, &got), 0);
        want = strcmp(valid, "true") == 0;
        assert_true(want || strcmp(valid, "false") == 0);
        if (got != len) {
            ok = 0; /* a wrong length is refused before decoding */
        } else if (in_g2) {
            g2 q;
            ok = g2_decompress(&q, b, 1) == 0;
        } else {
            g1 p;
            ok = g1_decompress(&p, b, 1) == 0;
        }
        if (ok != want)
            fail_msg("%s %s: got %d, want %d", file, name, ok, want);
    }
    bv_doc_free(&d);
}

static void test_deserialization_vectors(void **state)
{
    (void)state;
    run_deser("deserialization/g1.yaml", G1_COMPRESSED, 0, 16);
    run_deser("deserialization/g2.yaml", G2_COMPRESSED, 1, 18);
}

/* A random point of the curve (random x until x^3 + b is a square),
 * almost surely not in the subgroup. */
static void rand_g1_point(g1 *p)
{
    uint8_t b[G1_COMPRESSED];
    do {
        for (int i = 0; i < G1_COMPRESSED; i++)
            b[i] = (uint8_t)(rng() >> 56);
        b[0] = (uint8_t)((b[0] & 0x1f) | 0x80) & 0x9f;
    } while (g1_decompress(p, b, 0) != 0);
}

static void rand_g2_point(g2 *p)
{
    uint8_t b[G2_COMPRESSED];
    do {
        for (int i = 0; i < G2_COMPRESSED; i++)
            b[i] = (uint8_t)(rng() >> 56);
        b[0] = (uint8_t)((b[0] & 0x1f) | 0x80) & 0x9f;
        b[FP_BYTES] &= 0x0f;
    } while (g2_decompress(p, b, 0) != 0);
}

/* The endomorphism membership tests agree with r P = O on points of G1
 * and G2, on random curve points, on pure cofactor-torsion points
 * T = r R and on P + T. */
#define SUBGROUP_TEST(G, N)                                                                        \
    static void test_##G##_subgroup_check(void **state)                                            \
    {                                                                                              \
        (void)state;                                                                               \
        G g, p, t, s;                                                                              \
        uint8_t k[SCALAR_BYTES];                                                                   \
        G##_generator(&g);                                                                         \
        for (int i = 0; i < N; i++) {                                                              \
            rand_scalar(k);                                                                        \
            G##_mul(&p, &g, k);                                                                    \
            assert_true(G##_in_subgroup(&p));                                                      \
            assert_true(G##_times_r_is_identity(&p));                                              \
            rand_##G##_point(&s);                                                                  \
            assert_false(G##_in_subgroup(&s));                                                     \
            assert_false(G##_times_r_is_identity(&s));                                             \
            G##_mul_vartime(&t, &s, BLS_R, 4);                                                     \
            assert_false(G##_is_identity(&t));                                                     \
            assert_true(G##_is_on_curve(&t));                                                      \
            assert_false(G##_in_subgroup(&t));                                                     \
            G##_add(&t, &t, &p);                                                                   \
            assert_false(G##_in_subgroup(&t));                                                     \
            assert_false(G##_times_r_is_identity(&t));                                             \
        }                                                                                          \
        G##_identity(&p);                                                                          \
        assert_true(G##_in_subgroup(&p));                                                          \
    }

SUBGROUP_TEST(g1, 40)
SUBGROUP_TEST(g2, 20)

/* psi acts on G2 as multiplication by p (mod r), and p = x (mod r) for
 * BLS12: psi(P) = x P with x = -0xd201000000010000. */
static void test_psi(void **state)
{
    (void)state;
    g2 a, s, t;
    uint64_t x = BLS_X_ABS;
    g2_generator(&a);
    g2_psi(&s, &a);
    assert_true(g2_is_on_curve(&s));
    g2_mul_vartime(&t, &a, &x, 1);
    g2_neg(&t, &t);
    assert_true(g2_eq(&s, &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generators),
        cmocka_unit_test(test_g1_group_law),
        cmocka_unit_test(test_g2_group_law),
        cmocka_unit_test(test_g1_known_multiples),
        cmocka_unit_test(test_compress_round_trip),
        cmocka_unit_test(test_decompress_reasons),
        cmocka_unit_test(test_deserialization_vectors),
        cmocka_unit_test(test_psi),
        cmocka_unit_test(test_g1_subgroup_check),
        cmocka_unit_test(test_g2_subgroup_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
