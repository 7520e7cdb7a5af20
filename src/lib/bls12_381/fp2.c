/*
 * fp2.c - Fp2 = Fp[u] / (u^2 + 1).
 *
 * Constant time except fp2_pow (public exponent), fp2_sqrt and
 * fp2_is_square (used on public data only: point decompression and
 * hash_to_curve of a public message).
 */
#include "field.h"

/* (p - 3) / 4 and (p - 1) / 2 */
static const uint64_t EXP_P3D4[FP_LIMBS] = {0xee7fbfffffffeaaaULL, 0x07aaffffac54ffffULL,
                                            0xd9cc34a83dac3d89ULL, 0xd91dd2e13ce144afULL,
                                            0x92c6e9ed90d2eb35ULL, 0x0680447a8e5ff9a6ULL};
static const uint64_t EXP_PM1D2[FP_LIMBS] = {0xdcff7fffffffd555ULL, 0x0f55ffff58a9ffffULL,
                                             0xb39869507b587b12ULL, 0xb23ba5c279c2895fULL,
                                             0x258dd3db21a5d66bULL, 0x0d0088f51cbff34dULL};

void fp2_zero(fp2 *r)
{
    fp_zero(&r->c0);
    fp_zero(&r->c1);
}

void fp2_one(fp2 *r)
{
    fp_one(&r->c0);
    fp_zero(&r->c1);
}

void fp2_add(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp_add(&r->c0, &a->c0, &b->c0);
    fp_add(&r->c1, &a->c1, &b->c1);
}

void fp2_sub(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp_sub(&r->c0, &a->c0, &b->c0);
    fp_sub(&r->c1, &a->c1, &b->c1);
}

void fp2_neg(fp2 *r, const fp2 *a)
{
    fp_neg(&r->c0, &a->c0);
    fp_neg(&r->c1, &a->c1);
}

void fp2_dbl(fp2 *r, const fp2 *a)
{
    fp_dbl(&r->c0, &a->c0);
    fp_dbl(&r->c1, &a->c1);
}

void fp2_conj(fp2 *r, const fp2 *a)
{
    r->c0 = a->c0;
    fp_neg(&r->c1, &a->c1);
}

void fp2_mul(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp t0, t1, s0, s1;
    fp_mul(&t0, &a->c0, &b->c0);
    fp_mul(&t1, &a->c1, &b->c1);
    fp_add(&s0, &a->c0, &a->c1);
    fp_add(&s1, &b->c0, &b->c1);
    fp_mul(&s0, &s0, &s1);
    fp_sub(&r->c0, &t0, &t1);
    fp_sub(&s0, &s0, &t0);
    fp_sub(&r->c1, &s0, &t1);
}

void fp2_mul_fp(fp2 *r, const fp2 *a, const fp *b)
{
    fp_mul(&r->c0, &a->c0, b);
    fp_mul(&r->c1, &a->c1, b);
}

void fp2_sqr(fp2 *r, const fp2 *a)
{
    fp s, d, m;
    fp_add(&s, &a->c0, &a->c1);
    fp_sub(&d, &a->c0, &a->c1);
    fp_mul(&m, &a->c0, &a->c1);
    fp_mul(&r->c0, &s, &d);
    fp_dbl(&r->c1, &m);
}

void fp2_mul_xi(fp2 *r, const fp2 *a)
{
    fp t;
    fp_sub(&t, &a->c0, &a->c1);
    fp_add(&r->c1, &a->c0, &a->c1);
    r->c0 = t;
}

void fp2_inv(fp2 *r, const fp2 *a)
{
    fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    fp_inv(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_neg(&t, &a->c1);
    fp_mul(&r->c1, &t, &n);
}

void fp2_pow(fp2 *r, const fp2 *a, const uint64_t *e, size_t n)
{
    fp2 acc, base = *a;
    fp2_one(&acc);
    for (size_t i = n; i-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            fp2_sqr(&acc, &acc);
            if ((e[i] >> b) & 1)
                fp2_mul(&acc, &acc, &base);
        }
    }
    *r = acc;
}

/* Adj and Rodriguez-Henriquez, "Square root computation over even
 * extension fields" (2012), algorithm 9, for q = p = 3 mod 4; the root
 * is checked at the end, which also covers a = 0. */
int fp2_sqrt(fp2 *r, const fp2 *a)
{
    fp2 a1, alpha, x0, t, m1;
    fp2_pow(&a1, a, EXP_P3D4, FP_LIMBS);
    fp2_sqr(&alpha, &a1);
    fp2_mul(&alpha, &alpha, a);
    fp2_mul(&x0, &a1, a);
    fp2_one(&m1);
    fp2_neg(&m1, &m1);
    if (fp2_eq(&alpha, &m1)) {
        /* x = u * x0 */
        fp_neg(&t.c0, &x0.c1);
        t.c1 = x0.c0;
    } else {
        fp2_one(&t);
        fp2_add(&t, &t, &alpha);
        fp2_pow(&t, &t, EXP_PM1D2, FP_LIMBS);
        fp2_mul(&t, &t, &x0);
    }
    fp2_sqr(&x0, &t);
    int ok = fp2_eq(&x0, a);
    *r = t;
    return ok;
}

int fp2_is_square(const fp2 *a)
{
    fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    return fp_legendre(&n) >= 0;
}

int fp2_is_zero(const fp2 *a)
{
    return fp_is_zero(&a->c0) & fp_is_zero(&a->c1);
}

int fp2_eq(const fp2 *a, const fp2 *b)
{
    return fp_eq(&a->c0, &b->c0) & fp_eq(&a->c1, &b->c1);
}

void fp2_cmov(fp2 *r, const fp2 *a, int flag)
{
    fp_cmov(&r->c0, &a->c0, flag);
    fp_cmov(&r->c1, &a->c1, flag);
}

int fp2_sgn0(const fp2 *a)
{
    int sign0 = fp_sgn0(&a->c0);
    int zero0 = fp_is_zero(&a->c0);
    int sign1 = fp_sgn0(&a->c1);
    return sign0 | (zero0 & sign1);
}

int fp2_lexically_largest(const fp2 *a)
{
    int z1 = fp_is_zero(&a->c1);
    return (z1 & fp_lexically_largest(&a->c0)) | ((z1 ^ 1) & fp_lexically_largest(&a->c1));
}
