/*
 * fp2.c - Fp2 = Fp[u] / (u^2 + 1).
 *
 * Constant time except fp2_pow (public exponent), fp2_sqrt and
 * fp2_is_square (used on public data only: point decompression and
 * hash_to_curve of a public message).
 */
#include "field.h"

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

/* 1/2, Montgomery form */
static const fp HALF = {{0x1804000000015554ULL, 0x855000053ab00001ULL, 0x633cb57c253c276fULL,
                         0x6e22d1ec31ebb502ULL, 0xd3916126f2d14ca2ULL, 0x17fbb8571a006596ULL}};

/* Through the norm, with Fp square roots only (three or four Fp
 * exponentiations instead of two in Fp2): for a = a0 + a1 u with a1 != 0,
 * a root is x0 + x1 u with x0^2 = (a0 +- sqrt(a0^2 + a1^2)) / 2 (the sign
 * that makes it a square) and x1 = a1 / (2 x0); for a1 = 0 it is
 * sqrt(a0), or sqrt(-a0) u (-1 is not a square in Fp).  The root found is
 * checked by squaring it. */
int fp2_sqrt(fp2 *r, const fp2 *a)
{
    fp n, s, t, x0, x1;
    fp2 c, out;
    int ok;
    if (fp_is_zero(&a->c1)) {
        fp_zero(&out.c1);
        if (!fp_sqrt(&out.c0, &a->c0)) {
            fp_neg(&t, &a->c0);
            fp_sqrt(&out.c1, &t);
            fp_zero(&out.c0);
        }
    } else {
        fp_sqr(&n, &a->c0);
        fp_sqr(&t, &a->c1);
        fp_add(&n, &n, &t);
        if (!fp_sqrt(&s, &n))
            return 0; /* the norm is not a square: neither is a */
        fp_add(&t, &a->c0, &s);
        fp_mul(&t, &t, &HALF);
        if (!fp_sqrt(&x0, &t)) {
            fp_sub(&t, &a->c0, &s);
            fp_mul(&t, &t, &HALF);
            if (!fp_sqrt(&x0, &t))
                return 0;
        }
        fp_dbl(&x1, &x0);
        fp_inv(&x1, &x1);
        fp_mul(&x1, &x1, &a->c1);
        out.c0 = x0;
        out.c1 = x1;
    }
    fp2_sqr(&c, &out);
    ok = fp2_eq(&c, a);
    *r = out;
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
