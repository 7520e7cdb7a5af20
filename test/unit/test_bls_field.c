/*
 * test_bls_field.c - the BLS12-381 fields (src/lib/bls12_381/fp*.c):
 * Fp against Mbed TLS's bignum as a slow oracle on edge values and
 * pseudo-random values, the canonical encoding's x < p rule, square
 * roots; the tower Fp2/Fp6/Fp12 by field laws (inverses, squaring against
 * multiplication, distributivity), Frobenius maps against exponentiation
 * by p and the Frobenius constants recomputed, the sparse line product
 * and cyclotomic squaring against the general ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/bignum.h>

#include "field.h"
#include "frobenius.h"

#define ITER 500

static const char P_HEX[] =
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfff"
    "eb153ffffb9feffffffffaaab";

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    /* xorshift64*: reproducible inputs, nothing secret */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static void rand_bytes(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(rng() >> 56);
}

static mbedtls_mpi P;

static int setup(void **state)
{
    (void)state;
    mbedtls_mpi_init(&P);
    return mbedtls_mpi_read_string(&P, 16, P_HEX);
}

static int teardown(void **state)
{
    (void)state;
    mbedtls_mpi_free(&P);
    return 0;
}

/* A random field element, both as fp and as a bignum. */
static void rand_fp(fp *a, mbedtls_mpi *m)
{
    uint8_t b[FP_BYTES];
    rand_bytes(b, sizeof b);
    assert_int_equal(mbedtls_mpi_read_binary(m, b, sizeof b), 0);
    assert_int_equal(mbedtls_mpi_mod_mpi(m, m, &P), 0);
    assert_int_equal(mbedtls_mpi_write_binary(m, b, sizeof b), 0);
    assert_int_equal(fp_from_bytes(a, b), 0);
}

static void rand_fp2(fp2 *a)
{
    mbedtls_mpi m;
    mbedtls_mpi_init(&m);
    rand_fp(&a->c0, &m);
    rand_fp(&a->c1, &m);
    mbedtls_mpi_free(&m);
}

static void rand_fp6(fp6 *a)
{
    rand_fp2(&a->c0);
    rand_fp2(&a->c1);
    rand_fp2(&a->c2);
}

static void rand_fp12(fp12 *a)
{
    rand_fp6(&a->c0);
    rand_fp6(&a->c1);
}

static void assert_fp_is_mpi(const fp *a, const mbedtls_mpi *m)
{
    uint8_t x[FP_BYTES], y[FP_BYTES];
    fp_to_bytes(x, a);
    assert_int_equal(mbedtls_mpi_write_binary(m, y, sizeof y), 0);
    assert_memory_equal(x, y, FP_BYTES);
}

static void fp_from_mpi(fp *a, const mbedtls_mpi *m)
{
    uint8_t b[FP_BYTES];
    assert_int_equal(mbedtls_mpi_write_binary(m, b, sizeof b), 0);
    assert_int_equal(fp_from_bytes(a, b), 0);
}

static void mpi_modp(mbedtls_mpi *m)
{
    assert_int_equal(mbedtls_mpi_mod_mpi(m, m, &P), 0);
}

static void test_fp_constants(void **state)
{
    (void)state;
    fp one, t;
    uint8_t b[FP_BYTES] = {0}, out[FP_BYTES];

    b[FP_BYTES - 1] = 1;
    assert_int_equal(fp_from_bytes(&one, b), 0);
    assert_true(fp_eq(&one, &FP_ONE));
    /* R^2 is the Montgomery form of R */
    fp_from_mont(&t, &FP_R2);
    assert_memory_equal(t.l, FP_ONE.l, sizeof t.l);
    assert_int_equal(mbedtls_mpi_write_binary(&P, out, sizeof out), 0);
    /* p is stored plain, not in Montgomery form */
    for (int i = 0; i < FP_LIMBS; i++)
        for (int j = 0; j < 8; j++)
            assert_int_equal(out[(FP_LIMBS - 1 - i) * 8 + j],
                             (uint8_t)(FP_MODULUS.l[i] >> (56 - 8 * j)));
}

static void test_fp_edges(void **state)
{
    (void)state;
    fp zero, one, pm1, t;
    uint8_t b[FP_BYTES];
    mbedtls_mpi m;
    mbedtls_mpi_init(&m);

    fp_zero(&zero);
    fp_one(&one);
    fp_sub(&pm1, &zero, &one);
    assert_int_equal(mbedtls_mpi_sub_int(&m, &P, 1), 0);
    assert_fp_is_mpi(&pm1, &m);
    /* (p-1)^2 = 1, (p-1) + 1 = 0, -(p-1) = 1, 1/(p-1) = p-1 */
    fp_sqr(&t, &pm1);
    assert_true(fp_is_one(&t));
    fp_add(&t, &pm1, &one);
    assert_true(fp_is_zero(&t));
    fp_neg(&t, &pm1);
    assert_true(fp_is_one(&t));
    fp_inv(&t, &pm1);
    assert_true(fp_eq(&t, &pm1));
    fp_neg(&t, &zero);
    assert_true(fp_is_zero(&t));
    fp_inv(&t, &zero);
    assert_true(fp_is_zero(&t));
    /* -1 is not a square (p = 3 mod 4); 4 is, and its root squares back */
    assert_int_equal(fp_legendre(&pm1), -1);
    assert_int_equal(fp_sqrt(&t, &pm1), 0);
    assert_int_equal(fp_legendre(&zero), 0);
    fp_set_u64(&t, 4);
    assert_int_equal(fp_legendre(&t), 1);
    assert_int_equal(fp_sqrt(&t, &t), 1);
    fp_sqr(&t, &t);
    fp_set_u64(&one, 4);
    assert_true(fp_eq(&t, &one));
    /* sign conventions at the boundary (p-1)/2 */
    assert_int_equal(fp_sgn0(&pm1), 0); /* p - 1 is even */
    assert_int_equal(fp_lexically_largest(&pm1), 1);
    fp_one(&one);
    assert_int_equal(fp_sgn0(&one), 1);
    assert_int_equal(fp_lexically_largest(&one), 0);
    assert_int_equal(mbedtls_mpi_sub_int(&m, &P, 1), 0);
    assert_int_equal(mbedtls_mpi_shift_r(&m, 1), 0); /* (p-1)/2 */
    fp_from_mpi(&t, &m);
    assert_int_equal(fp_lexically_largest(&t), 0);
    fp_add(&t, &t, &one);
    assert_int_equal(fp_lexically_largest(&t), 1);

    /* the encoding refuses p, p + 1 and 2^384 - 1, takes p - 1 */
    assert_int_equal(mbedtls_mpi_write_binary(&P, b, sizeof b), 0);
    assert_int_equal(fp_from_bytes(&t, b), -1);
    b[FP_BYTES - 1]++;
    assert_int_equal(fp_from_bytes(&t, b), -1);
    b[FP_BYTES - 1] -= 2;
    assert_int_equal(fp_from_bytes(&t, b), 0);
    assert_true(fp_eq(&t, &pm1));
    memset(b, 0xff, sizeof b);
    assert_int_equal(fp_from_bytes(&t, b), -1);
    mbedtls_mpi_free(&m);
}

static void test_fp_vs_bignum(void **state)
{
    (void)state;
    mbedtls_mpi ma, mb, mr;
    fp a, b, r;
    mbedtls_mpi_init(&ma);
    mbedtls_mpi_init(&mb);
    mbedtls_mpi_init(&mr);
    for (int i = 0; i < ITER; i++) {
        rand_fp(&a, &ma);
        rand_fp(&b, &mb);

        fp_add(&r, &a, &b);
        assert_int_equal(mbedtls_mpi_add_mpi(&mr, &ma, &mb), 0);
        mpi_modp(&mr);
        assert_fp_is_mpi(&r, &mr);

        fp_sub(&r, &a, &b);
        assert_int_equal(mbedtls_mpi_sub_mpi(&mr, &ma, &mb), 0);
        mpi_modp(&mr);
        assert_fp_is_mpi(&r, &mr);

        fp_mul(&r, &a, &b);
        assert_int_equal(mbedtls_mpi_mul_mpi(&mr, &ma, &mb), 0);
        mpi_modp(&mr);
        assert_fp_is_mpi(&r, &mr);

        fp_sqr(&r, &a);
        assert_int_equal(mbedtls_mpi_mul_mpi(&mr, &ma, &ma), 0);
        mpi_modp(&mr);
        assert_fp_is_mpi(&r, &mr);

        fp_neg(&r, &a);
        assert_int_equal(mbedtls_mpi_sub_mpi(&mr, &P, &ma), 0);
        mpi_modp(&mr);
        assert_fp_is_mpi(&r, &mr);

        if (i % 10 == 0) {
            fp_inv(&r, &a);
            assert_int_equal(mbedtls_mpi_inv_mod(&mr, &ma, &P), 0);
            assert_fp_is_mpi(&r, &mr);
            fp_mul(&r, &r, &a);
            assert_true(fp_is_one(&r));
        }

        /* aliasing: r = r * r */
        r = a;
        fp_mul(&r, &r, &r);
        fp_sqr(&b, &a);
        assert_true(fp_eq(&r, &b));

        /* sign bits against the bignum's */
        assert_int_equal(fp_sgn0(&a), mbedtls_mpi_get_bit(&ma, 0));
        assert_int_equal(mbedtls_mpi_mul_int(&mr, &ma, 2), 0);
        assert_int_equal(fp_lexically_largest(&a), mbedtls_mpi_cmp_mpi(&mr, &P) > 0);
    }
    mbedtls_mpi_free(&ma);
    mbedtls_mpi_free(&mb);
    mbedtls_mpi_free(&mr);
}

static void test_fp_wide_and_sqrt(void **state)
{
    (void)state;
    mbedtls_mpi m;
    uint8_t w[64];
    fp a, r, s;
    mbedtls_mpi_init(&m);
    for (int i = 0; i < ITER / 5; i++) {
        rand_bytes(w, sizeof w);
        if (i == 0)
            memset(w, 0xff, sizeof w);
        fp_from_bytes_wide(&a, w);
        assert_int_equal(mbedtls_mpi_read_binary(&m, w, sizeof w), 0);
        mpi_modp(&m);
        assert_fp_is_mpi(&a, &m);

        /* a^2 has the roots +-a; a square's Legendre symbol is 1 */
        fp_sqr(&s, &a);
        assert_int_equal(fp_sqrt(&r, &s), 1);
        fp_neg(&s, &a);
        assert_true(fp_eq(&r, &a) | fp_eq(&r, &s));
        fp_sqr(&s, &a);
        assert_int_equal(fp_legendre(&s), fp_is_zero(&s) ? 0 : 1);
        /* -a^2 is not a square */
        fp_neg(&s, &s);
        assert_int_equal(fp_sqrt(&r, &s), fp_is_zero(&s));
        assert_int_equal(fp_legendre(&s), fp_is_zero(&s) ? 0 : -1);
    }
    mbedtls_mpi_free(&m);
}

static void test_fp_cmov(void **state)
{
    (void)state;
    fp a, b, r;
    fp_set_u64(&a, 7);
    fp_set_u64(&b, 9);
    r = a;
    fp_cmov(&r, &b, 0);
    assert_true(fp_eq(&r, &a));
    fp_cmov(&r, &b, 1);
    assert_true(fp_eq(&r, &b));
}

static void test_fp2(void **state)
{
    (void)state;
    fp2 a, b, c, r, s, t;
    for (int i = 0; i < ITER / 5; i++) {
        rand_fp2(&a);
        rand_fp2(&b);
        rand_fp2(&c);
        /* schoolbook product: (a0 b0 - a1 b1) + (a0 b1 + a1 b0) u */
        fp x, y;
        fp_mul(&x, &a.c0, &b.c0);
        fp_mul(&y, &a.c1, &b.c1);
        fp_sub(&s.c0, &x, &y);
        fp_mul(&x, &a.c0, &b.c1);
        fp_mul(&y, &a.c1, &b.c0);
        fp_add(&s.c1, &x, &y);
        fp2_mul(&r, &a, &b);
        assert_true(fp2_eq(&r, &s));
        fp2_sqr(&r, &a);
        fp2_mul(&s, &a, &a);
        assert_true(fp2_eq(&r, &s));
        /* distributivity */
        fp2_add(&t, &b, &c);
        fp2_mul(&r, &a, &t);
        fp2_mul(&s, &a, &b);
        fp2_mul(&t, &a, &c);
        fp2_add(&s, &s, &t);
        assert_true(fp2_eq(&r, &s));
        /* inverse and xi = u + 1 */
        fp2_inv(&r, &a);
        fp2_mul(&r, &r, &a);
        fp2_one(&s);
        assert_true(fp2_eq(&r, &s));
        fp2_one(&t);
        fp_one(&t.c1);
        fp2_mul(&r, &a, &t);
        fp2_mul_xi(&s, &a);
        assert_true(fp2_eq(&r, &s));
        /* square roots: a^2 has one, xi a^2 has none (xi is not a square) */
        fp2_sqr(&s, &a);
        assert_int_equal(fp2_is_square(&s), 1);
        assert_int_equal(fp2_sqrt(&r, &s), 1);
        fp2_sqr(&r, &r);
        assert_true(fp2_eq(&r, &s));
        fp2_mul_xi(&s, &s);
        assert_int_equal(fp2_is_square(&s), 0);
        assert_int_equal(fp2_sqrt(&r, &s), 0);
        /* elements of Fp: every one is a square in Fp2 (c0^2 and -c0^2) */
        fp_zero(&a.c1);
        fp2_sqr(&s, &a);
        assert_int_equal(fp2_sqrt(&r, &s), 1);
        fp2_sqr(&r, &r);
        assert_true(fp2_eq(&r, &s));
        fp2_neg(&s, &s);
        assert_int_equal(fp2_sqrt(&r, &s), 1);
        fp2_sqr(&r, &r);
        assert_true(fp2_eq(&r, &s));
    }
    fp2_zero(&a);
    assert_int_equal(fp2_sqrt(&r, &a), 1);
    assert_true(fp2_is_zero(&r));
    /* u^2 = -1; sqrt(-1) = +-u */
    fp2_zero(&a);
    fp_one(&a.c1);
    fp2_sqr(&r, &a);
    fp2_one(&s);
    fp2_neg(&s, &s);
    assert_true(fp2_eq(&r, &s));
    assert_int_equal(fp2_sqrt(&r, &s), 1);
    fp2_neg(&t, &a);
    assert_true(fp2_eq(&r, &a) | fp2_eq(&r, &t));
    /* sgn0 (RFC 9380 4.1): c0 = 0 defers to c1's parity */
    fp2_zero(&a);
    fp_one(&a.c1);
    assert_int_equal(fp2_sgn0(&a), 1);
    fp_set_u64(&a.c1, 2);
    assert_int_equal(fp2_sgn0(&a), 0);
    fp_one(&a.c0);
    assert_int_equal(fp2_sgn0(&a), 1);
    /* ZCash sign: c1 decides unless zero */
    fp2_zero(&a);
    fp_one(&a.c0);
    fp_neg(&a.c0, &a.c0);
    assert_int_equal(fp2_lexically_largest(&a), 1);
    fp_one(&a.c1);
    assert_int_equal(fp2_lexically_largest(&a), 0);
}

static void test_fp6(void **state)
{
    (void)state;
    fp6 a, b, c, r, s, t;
    for (int i = 0; i < ITER / 20; i++) {
        rand_fp6(&a);
        rand_fp6(&b);
        rand_fp6(&c);
        fp6_sqr(&r, &a);
        fp6_mul(&s, &a, &a);
        assert_true(fp6_eq(&r, &s));
        fp6_mul(&r, &a, &b);
        fp6_mul(&s, &b, &a);
        assert_true(fp6_eq(&r, &s));
        /* (ab)c = a(bc) */
        fp6_mul(&r, &r, &c);
        fp6_mul(&s, &b, &c);
        fp6_mul(&s, &a, &s);
        assert_true(fp6_eq(&r, &s));
        fp6_add(&t, &b, &c);
        fp6_mul(&r, &a, &t);
        fp6_mul(&s, &a, &b);
        fp6_mul(&t, &a, &c);
        fp6_add(&s, &s, &t);
        assert_true(fp6_eq(&r, &s));
        fp6_inv(&r, &a);
        fp6_mul(&r, &r, &a);
        fp6_one(&s);
        assert_true(fp6_eq(&r, &s));
        /* v^3 = xi */
        fp6_zero(&t);
        fp2_one(&t.c1);
        fp6_mul(&r, &a, &t);
        fp6_mul_v(&s, &a);
        assert_true(fp6_eq(&r, &s));
    }
}

/* r = a^p by square-and-multiply over p's bits */
static void fp12_pow_p(fp12 *r, const fp12 *a)
{
    fp12 acc;
    fp12_one(&acc);
    for (int i = FP_LIMBS * 64 - 1; i >= 0; i--) {
        fp12_sqr(&acc, &acc);
        if ((FP_MODULUS.l[i / 64] >> (i % 64)) & 1)
            fp12_mul(&acc, &acc, a);
    }
    *r = acc;
}

static void test_fp12(void **state)
{
    (void)state;
    fp12 a, b, c, r, s, t;
    for (int i = 0; i < 10; i++) {
        rand_fp12(&a);
        rand_fp12(&b);
        rand_fp12(&c);
        fp12_sqr(&r, &a);
        fp12_mul(&s, &a, &a);
        assert_true(fp12_eq(&r, &s));
        fp12_mul(&r, &a, &b);
        fp12_mul(&r, &r, &c);
        fp12_mul(&s, &b, &c);
        fp12_mul(&s, &s, &a);
        assert_true(fp12_eq(&r, &s));
        fp12_inv(&r, &a);
        fp12_mul(&r, &r, &a);
        assert_true(fp12_is_one(&r));
        /* w^2 = v */
        fp12 w;
        fp12_one(&w);
        fp6_zero(&w.c0);
        fp6_one(&w.c1);
        fp12_sqr(&r, &w);
        assert_true(fp2_is_zero(&r.c0.c0) && fp2_is_zero(&r.c0.c2) && fp6_is_zero(&r.c1));
        fp2_one(&t.c0.c0);
        assert_true(fp2_eq(&r.c0.c1, &t.c0.c0));
    }
    /* Frobenius: a^p, a^(p^2), a^(p^3) */
    rand_fp12(&a);
    fp12_pow_p(&r, &a);
    fp12_frobenius(&s, &a, 1);
    assert_true(fp12_eq(&r, &s));
    fp12_pow_p(&r, &r);
    fp12_frobenius(&s, &a, 2);
    assert_true(fp12_eq(&r, &s));
    fp12_pow_p(&r, &r);
    fp12_frobenius(&s, &a, 3);
    assert_true(fp12_eq(&r, &s));
    /* 12 times p is the identity; 6 times is conjugation */
    s = a;
    for (int i = 0; i < 6; i++)
        fp12_frobenius(&s, &s, 1);
    fp12_conj(&t, &a);
    assert_true(fp12_eq(&s, &t));
    fp12_frobenius(&s, &s, 3);
    fp12_frobenius(&s, &s, 3);
    assert_true(fp12_eq(&s, &a));
}

/* The constants of frobenius.c are the powers of xi they claim to be. */
static void test_frobenius_constants(void **state)
{
    (void)state;
    mbedtls_mpi e, pk;
    uint64_t limbs[20];
    fp2 xi, r;
    mbedtls_mpi_init(&e);
    mbedtls_mpi_init(&pk);
    fp2_one(&xi);
    fp_one(&xi.c1);
    for (int k = 1; k <= 3; k++) {
        assert_int_equal(mbedtls_mpi_lset(&pk, 1), 0);
        for (int i = 0; i < k; i++)
            assert_int_equal(mbedtls_mpi_mul_mpi(&pk, &pk, &P), 0);
        assert_int_equal(mbedtls_mpi_sub_int(&pk, &pk, 1), 0);
        const struct {
            const fp2 *c;
            int num, den;
        } rows[] = {{&FROB6_V[k - 1], 1, 3}, {&FROB6_V2[k - 1], 2, 3}, {&FROB12_W[k - 1], 1, 6}};
        for (size_t j = 0; j < sizeof rows / sizeof rows[0]; j++) {
            mbedtls_mpi_uint rem;
            assert_int_equal(mbedtls_mpi_mul_int(&e, &pk, rows[j].num), 0);
            assert_int_equal(mbedtls_mpi_mod_int(&rem, &e, rows[j].den), 0);
            assert_int_equal(rem, 0);
            assert_int_equal(mbedtls_mpi_div_int(&e, NULL, &e, rows[j].den), 0);
            uint8_t be[160];
            assert_int_equal(mbedtls_mpi_write_binary(&e, be, sizeof be), 0);
            for (int l = 0; l < 20; l++) {
                limbs[l] = 0;
                for (int b = 0; b < 8; b++)
                    limbs[l] = (limbs[l] << 8) | be[(19 - l) * 8 + b];
            }
            fp2_pow(&r, &xi, limbs, 20);
            assert_true(fp2_eq(&r, rows[j].c));
        }
    }
    mbedtls_mpi_free(&e);
    mbedtls_mpi_free(&pk);
}

static void test_fp12_line_and_cyclotomic(void **state)
{
    (void)state;
    fp12 a, l, r, s, t;
    fp2 l0, l1, l4;
    for (int i = 0; i < 10; i++) {
        rand_fp12(&a);
        rand_fp2(&l0);
        rand_fp2(&l1);
        rand_fp2(&l4);
        memset(&l, 0, sizeof l);
        fp12_one(&l);
        l.c0.c0 = l0;
        l.c0.c1 = l1;
        l.c1.c1 = l4;
        fp12_mul(&r, &a, &l);
        fp12_mul_line(&s, &a, &l0, &l1, &l4);
        assert_true(fp12_eq(&r, &s));

        /* a^((p^6 - 1)(p^2 + 1)) is in the cyclotomic subgroup */
        fp12_inv(&t, &a);
        fp12_conj(&r, &a);
        fp12_mul(&r, &r, &t);
        fp12_frobenius(&t, &r, 2);
        fp12_mul(&r, &r, &t);
        fp12_sqr(&s, &r);
        fp12_cyclotomic_sqr(&t, &r);
        assert_true(fp12_eq(&s, &t));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fp_constants),
        cmocka_unit_test(test_fp_edges),
        cmocka_unit_test(test_fp_vs_bignum),
        cmocka_unit_test(test_fp_wide_and_sqrt),
        cmocka_unit_test(test_fp_cmov),
        cmocka_unit_test(test_fp2),
        cmocka_unit_test(test_fp6),
        cmocka_unit_test(test_fp12),
        cmocka_unit_test(test_frobenius_constants),
        cmocka_unit_test(test_fp12_line_and_cyclotomic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
