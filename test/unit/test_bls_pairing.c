/*
 * test_bls_pairing.c - the optimal ate pairing (src/lib/bls12_381/pairing.c):
 * non-degeneracy, the order of e(G1, G2), bilinearity in each argument and
 * in both (e(aP, bQ) = e(P, Q)^(ab)), e(P, -Q) e(P, Q) = 1 through the
 * multi-pairing, identities, and the multi-pairing against the product of
 * single pairings, and a published value of e(G1, G2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/bignum.h>

#include "pairing.h"

static const char R_HEX[] = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

static uint64_t rng_state = 0x5555aaaa1234ffffULL;

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

/* r = a^k, k a 32-byte big-endian integer */
static void fp12_pow(fp12 *r, const fp12 *a, const uint8_t k[SCALAR_BYTES])
{
    fp12 acc;
    fp12_one(&acc);
    for (int i = 0; i < 8 * SCALAR_BYTES; i++) {
        fp12_sqr(&acc, &acc);
        if ((k[i / 8] >> (7 - i % 8)) & 1)
            fp12_mul(&acc, &acc, a);
    }
    *r = acc;
}

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

static void test_non_degenerate_order_r(void **state)
{
    (void)state;
    g1 p;
    g2 q;
    fp12 e, t;
    uint8_t r[SCALAR_BYTES];
    g1_generator(&p);
    g2_generator(&q);
    pairing(&e, &p, &q);
    assert_false(fp12_is_one(&e));
    /* e^r = 1: r's bytes */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++)
            r[(3 - i) * 8 + j] = (uint8_t)(BLS_R[i] >> (56 - 8 * j));
    fp12_pow(&t, &e, r);
    assert_true(fp12_is_one(&t));
    /* the result is unitary: e * conj(e) = 1 */
    fp12_conj(&t, &e);
    fp12_mul(&t, &t, &e);
    assert_true(fp12_is_one(&t));
}

static void test_bilinearity(void **state)
{
    (void)state;
    g1 p, ap;
    g2 q, bq;
    fp12 e, l, r;
    uint8_t a[SCALAR_BYTES], b[SCALAR_BYTES], ab[SCALAR_BYTES];
    g1_generator(&p);
    g2_generator(&q);
    pairing(&e, &p, &q);
    for (int i = 0; i < 3; i++) {
        rand_scalar(a);
        rand_scalar(b);
        g1_mul(&ap, &p, a);
        g2_mul(&bq, &q, b);
        /* e(aP, bQ) = e(P, Q)^(ab) */
        pairing(&l, &ap, &bq);
        scalar_mul_mod_r(ab, a, b);
        fp12_pow(&r, &e, ab);
        assert_true(fp12_eq(&l, &r));
        /* e(aP, Q) = e(P, aQ) */
        g2_mul(&bq, &q, a);
        pairing(&l, &ap, &q);
        pairing(&r, &p, &bq);
        assert_true(fp12_eq(&l, &r));
        /* e(P1 + P2, Q) = e(P1, Q) e(P2, Q) */
        g1 s;
        g1_add(&s, &ap, &p);
        pairing(&l, &s, &q);
        pairing(&r, &ap, &q);
        fp12_mul(&r, &r, &e);
        assert_true(fp12_eq(&l, &r));
    }
}

static void test_multi_pairing(void **state)
{
    (void)state;
    g1 p[20];
    g2 q[20];
    fp12 m, e, t;
    uint8_t k[SCALAR_BYTES];
    g1_generator(&p[0]);
    g2_generator(&q[0]);
    /* e(P, -Q) e(P, Q) = 1, and e(-P, Q) e(P, Q) = 1 */
    g2_neg(&q[1], &q[0]);
    p[1] = p[0];
    assert_true(pairing_product_is_one(p, q, 2));
    g1_neg(&p[1], &p[0]);
    q[1] = q[0];
    assert_true(pairing_product_is_one(p, q, 2));
    /* a wrong pair breaks it */
    g1_dbl(&p[1], &p[1]);
    assert_false(pairing_product_is_one(p, q, 2));
    /* identities contribute 1 */
    g1_identity(&p[1]);
    assert_false(pairing_product_is_one(p, q, 2));
    g2_identity(&q[0]);
    assert_true(pairing_product_is_one(p, q, 2));
    assert_true(pairing_product_is_one(p, q, 0));

    /* 20 pairs (more than one chunk) against the product of singles */
    fp12_one(&e);
    for (int i = 0; i < 20; i++) {
        rand_scalar(k);
        g1_generator(&p[i]);
        g1_mul(&p[i], &p[i], k);
        rand_scalar(k);
        g2_generator(&q[i]);
        g2_mul(&q[i], &q[i], k);
        if (i == 7)
            g1_identity(&p[i]);
        pairing(&t, &p[i], &q[i]);
        fp12_mul(&e, &e, &t);
    }
    pairing_miller_loop(&m, p, q, 20);
    pairing_final_exp(&m, &m);
    assert_true(fp12_eq(&m, &e));
}

/* e(G1, G2) as zkcrypto's bls12_381 crate defines Gt::generator() (the
 * same tower; values read from neo-project/neo's port of it,
 * src/Neo.Cryptography.BLS12_381/GtConstants.cs, "pairing(&G1Affine.generator(),
 * &G2Affine.generator())", converted here from Montgomery limbs to
 * canonical hex), c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1.  That
 * crate's final exponentiation uses the same exponent 3 (p^12 - 1) / r as
 * ours (pairing.h), so the values agree exactly, and not up to a cube. */
static const char *const GT_GENERATOR[12] = {"1250ebd871fc0a92a7b2d83168d0d727272d441befa15c50"
                                             "3dd8e90ce98db3e7b6d194f60839c508a84305aaca1789b6",
                                             "089a1c5b46e5110b86750ec6a532348868a84045483c92b7"
                                             "af5af689452eafabf1a8943e50439f1d59882a98eaa0170f",
                                             "1368bb445c7c2d209703f239689ce34c0378a68e72a6b3b2"
                                             "16da0e22a5031b54ddff57309396b38c881c4c849ec23e87",
                                             "193502b86edb8857c273fa075a50512937e0794e1e65a761"
                                             "7c90d8bd66065b1fffe51d7a579973b1315021ec3c19934f",
                                             "01b2f522473d171391125ba84dc4007cfbf2f8da752f7c74"
                                             "185203fcca589ac719c34dffbbaad8431dad1c1fb597aaa5",
                                             "018107154f25a764bd3c79937a45b84546da634b8f6be14a"
                                             "8061e55cceba478b23f7dacaa35c8ca78beae9624045b4b6",
                                             "19f26337d205fb469cd6bd15c3d5a04dc88784fbb3d0b2db"
                                             "dea54d43b2b73f2cbb12d58386a8703e0f948226e47ee89d",
                                             "06fba23eb7c5af0d9f80940ca771b6ffd5857baaf222eb95"
                                             "a7d2809d61bfe02e1bfd1b68ff02f0b8102ae1c2d5d5ab1a",
                                             "11b8b424cd48bf38fcef68083b0b0ec5c81a93b330ee1a67"
                                             "7d0d15ff7b984e8978ef48881e32fac91b93b47333e2ba57",
                                             "03350f55a7aefcd3c31b4fcb6ce5771cc6a0e9786ab59733"
                                             "20c806ad360829107ba810c5a09ffdd9be2291a0c25a99a2",
                                             "04c581234d086a9902249b64728ffd21a189e87935a95405"
                                             "1c7cdba7b3872629a4fafc05066245cb9108f0242d0fe3ef",
                                             "0f41e58663bf08cf068672cbd01a7ec73baca4d72ca93544"
                                             "deff686bfd6df543d48eaa24afe47e1efde449383b676631"};

static void test_known_value(void **state)
{
    (void)state;
    fp12 known, e;
    fp *c = &known.c0.c0.c0;
    g1 p;
    g2 q;
    for (int i = 0; i < 12; i++) {
        uint8_t b[FP_BYTES];
        for (int j = 0; j < FP_BYTES; j++) {
            unsigned v;
            assert_int_equal(sscanf(GT_GENERATOR[i] + 2 * j, "%2x", &v), 1);
            b[j] = (uint8_t)v;
        }
        assert_int_equal(fp_from_bytes(&c[i], b), 0);
    }
    g1_generator(&p);
    g2_generator(&q);
    pairing(&e, &p, &q);
    assert_true(fp12_eq(&e, &known));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_non_degenerate_order_r),
        cmocka_unit_test(test_bilinearity),
        cmocka_unit_test(test_multi_pairing),
        cmocka_unit_test(test_known_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
