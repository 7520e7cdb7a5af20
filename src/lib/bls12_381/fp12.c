/*
 * fp12.c - Fp12 = Fp6[w] / (w^2 - v).  Constant time.
 */
#include "field.h"

#include "frobenius.h"

void fp12_one(fp12 *r)
{
    fp6_one(&r->c0);
    fp6_zero(&r->c1);
}

void fp12_mul(fp12 *r, const fp12 *a, const fp12 *b)
{
    fp6 t0, t1, s, u;
    fp6_mul(&t0, &a->c0, &b->c0);
    fp6_mul(&t1, &a->c1, &b->c1);
    fp6_add(&s, &a->c0, &a->c1);
    fp6_add(&u, &b->c0, &b->c1);
    fp6_mul(&s, &s, &u);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&r->c1, &s, &t1);
    fp6_mul_v(&t1, &t1);
    fp6_add(&r->c0, &t0, &t1);
}

/* Complex squaring: (a0 + a1 w)^2 = (a0 + a1)(a0 + v a1) - t - v t + 2t w,
 * t = a0 a1. */
void fp12_sqr(fp12 *r, const fp12 *a)
{
    fp6 t, s, u;
    fp6_mul(&t, &a->c0, &a->c1);
    fp6_add(&s, &a->c0, &a->c1);
    fp6_mul_v(&u, &a->c1);
    fp6_add(&u, &u, &a->c0);
    fp6_mul(&s, &s, &u);
    fp6_sub(&s, &s, &t);
    fp6_mul_v(&u, &t);
    fp6_sub(&r->c0, &s, &u);
    fp6_add(&r->c1, &t, &t);
}

void fp12_inv(fp12 *r, const fp12 *a)
{
    fp6 t, s;
    fp6_sqr(&t, &a->c0);
    fp6_sqr(&s, &a->c1);
    fp6_mul_v(&s, &s);
    fp6_sub(&t, &t, &s);
    fp6_inv(&t, &t);
    fp6_mul(&r->c0, &a->c0, &t);
    fp6_mul(&r->c1, &a->c1, &t);
    fp6_neg(&r->c1, &r->c1);
}

void fp12_conj(fp12 *r, const fp12 *a)
{
    r->c0 = a->c0;
    fp6_neg(&r->c1, &a->c1);
}

void fp12_frobenius(fp12 *r, const fp12 *a, int k)
{
    fp6_frobenius(&r->c0, &a->c0, k);
    fp6_frobenius(&r->c1, &a->c1, k);
    fp2_mul(&r->c1.c0, &r->c1.c0, &FROB12_W[k - 1]);
    fp2_mul(&r->c1.c1, &r->c1.c1, &FROB12_W[k - 1]);
    fp2_mul(&r->c1.c2, &r->c1.c2, &FROB12_W[k - 1]);
}

/* a * (l0 + l1 v) with a in Fp6: five Fp2 multiplications. */
static void fp6_mul_01(fp6 *r, const fp6 *a, const fp2 *l0, const fp2 *l1)
{
    fp2 t0, t1, s, u, c0, c1, c2;
    fp2_mul(&t0, &a->c0, l0);
    fp2_mul(&t1, &a->c1, l1);
    /* c0 = t0 + xi a2 l1 */
    fp2_mul(&s, &a->c2, l1);
    fp2_mul_xi(&s, &s);
    fp2_add(&c0, &s, &t0);
    /* c1 = (a0 + a1)(l0 + l1) - t0 - t1 */
    fp2_add(&s, &a->c0, &a->c1);
    fp2_add(&u, l0, l1);
    fp2_mul(&s, &s, &u);
    fp2_sub(&s, &s, &t0);
    fp2_sub(&c1, &s, &t1);
    /* c2 = a2 l0 + t1 */
    fp2_mul(&s, &a->c2, l0);
    fp2_add(&c2, &s, &t1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* a * (l v): three Fp2 multiplications. */
static void fp6_mul_1(fp6 *r, const fp6 *a, const fp2 *l)
{
    fp2 c0, c1, c2;
    fp2_mul(&c0, &a->c2, l);
    fp2_mul_xi(&c0, &c0);
    fp2_mul(&c1, &a->c0, l);
    fp2_mul(&c2, &a->c1, l);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void fp12_mul_line(fp12 *r, const fp12 *a, const fp2 *l0, const fp2 *l1, const fp2 *l4)
{
    /* (a0 + a1 w)(b0 + b1 w), b0 = l0 + l1 v, b1 = l4 v */
    fp6 t0, t1, s;
    fp2 m;
    fp6_mul_01(&t0, &a->c0, l0, l1);
    fp6_mul_1(&t1, &a->c1, l4);
    fp6_add(&s, &a->c0, &a->c1);
    fp2_add(&m, l1, l4);
    fp6_mul_01(&s, &s, l0, &m);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&r->c1, &s, &t1);
    fp6_mul_v(&t1, &t1);
    fp6_add(&r->c0, &t0, &t1);
}

/* (a + b t)^2 in Fp4 = Fp2[t] / (t^2 - xi) */
static void fp4_sqr(fp2 *ra, fp2 *rb, const fp2 *a, const fp2 *b)
{
    fp2 a2, b2, s;
    fp2_sqr(&a2, a);
    fp2_sqr(&b2, b);
    fp2_add(&s, a, b);
    fp2_sqr(&s, &s);
    fp2_sub(&s, &s, &a2);
    fp2_sub(rb, &s, &b2);
    fp2_mul_xi(&b2, &b2);
    fp2_add(ra, &a2, &b2);
}

/* r = 3 s - 2 c  (sign = -1) or 3 s + 2 c (sign = +1) */
static void three_two(fp2 *r, const fp2 *s, const fp2 *c, int plus)
{
    fp2 t;
    if (plus)
        fp2_add(&t, s, c);
    else
        fp2_sub(&t, s, c);
    fp2_dbl(&t, &t);
    fp2_add(r, &t, s);
}

/* Granger and Scott, "Faster squaring in the cyclotomic subgroup of sixth
 * degree extensions" (PKC 2010): f = A0 + A1 w + A2 w^2 over Fp4 = Fp2[t],
 * t = w^3, so A0 = (c0.c0, c1.c1), A1 = (c1.c0, c0.c2), A2 = (c0.c1, c1.c2);
 * then A0' = 3 A0^2 - 2 conj(A0), A1' = 3 t A2^2 + 2 conj(A1),
 * A2' = 3 A1^2 - 2 conj(A2).  Only valid for f in the cyclotomic subgroup. */
void fp12_cyclotomic_sqr(fp12 *r, const fp12 *f)
{
    fp2 a, b, t;
    fp12 o;

    fp4_sqr(&a, &b, &f->c0.c0, &f->c1.c1);
    three_two(&o.c0.c0, &a, &f->c0.c0, 0);
    three_two(&o.c1.c1, &b, &f->c1.c1, 1);

    fp4_sqr(&a, &b, &f->c0.c1, &f->c1.c2);
    /* t * (a + b t) = xi b + a t */
    fp2_mul_xi(&t, &b);
    three_two(&o.c1.c0, &t, &f->c1.c0, 1);
    three_two(&o.c0.c2, &a, &f->c0.c2, 0);

    fp4_sqr(&a, &b, &f->c1.c0, &f->c0.c2);
    three_two(&o.c0.c1, &a, &f->c0.c1, 0);
    three_two(&o.c1.c2, &b, &f->c1.c2, 1);
    *r = o;
}

int fp12_is_one(const fp12 *a)
{
    fp12 one;
    fp12_one(&one);
    return fp12_eq(a, &one);
}

int fp12_eq(const fp12 *a, const fp12 *b)
{
    return fp6_eq(&a->c0, &b->c0) & fp6_eq(&a->c1, &b->c1);
}
