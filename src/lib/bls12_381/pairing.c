/*
 * pairing.c - Miller loop and final exponentiation (see pairing.h).
 *
 * Lines.  E' is the M-type twist of E: (x', y') on E' maps to
 * (x' / w^2, y' / w^3) on E (w^6 = xi).  A line through points of the
 * image of E', evaluated at P = (xP, yP) in E(Fp) and scaled by w^3 and by
 * a factor in Fp2 (both vanish in the final exponentiation), is
 *
 *     l0 + l1 w^2 + l4 w^3 = l0 + l1 v + l4 v w
 *
 * with, for T = (X : Y : Z) homogeneous projective on E':
 *   tangent at T:         l0 = Y^2 - 3 b' Z^2,        l1 = -3 X^2 xP, l4 = 2 Y Z yP
 *   chord T, Q = (xQ, yQ): l0 = t xQ - d yQ,            l1 = -t xP,     l4 = d yP
 *                          t = Y - yQ Z, d = X - xQ Z.
 * (The tangent's constant uses Y^2 Z = X^3 + b' Z^3 to drop X^3.)  T itself
 * then moves with the complete formulas of ec_impl.h.
 */
#include "pairing.h"

/* A Miller loop runs over at most this many pairs at once; larger
 * products are chunked (the product of loops is the loop of products). */
#define PAIRS_CHUNK 16

struct pair {
    fp xp, yp;
    fp2 xq, yq;
    g2 t;
};

/* 3 b' = 12 xi */
static void mul_b3(fp2 *r, const fp2 *a)
{
    fp2 t;
    fp2_mul_xi(&t, a);
    fp2_dbl(&t, &t);
    fp2_dbl(&t, &t);
    fp2_dbl(r, &t);
    fp2_add(r, r, &t);
}

static void line_dbl(fp12 *f, struct pair *s)
{
    fp2 l0, l1, l4, t;
    const g2 *T = &s->t;
    fp2_sqr(&l0, &T->y);
    fp2_sqr(&t, &T->z);
    mul_b3(&t, &t);
    fp2_sub(&l0, &l0, &t);
    fp2_sqr(&t, &T->x);
    fp2_dbl(&l1, &t);
    fp2_add(&l1, &l1, &t);
    fp2_neg(&l1, &l1);
    fp2_mul_fp(&l1, &l1, &s->xp);
    fp2_mul(&l4, &T->y, &T->z);
    fp2_dbl(&l4, &l4);
    fp2_mul_fp(&l4, &l4, &s->yp);
    fp12_mul_line(f, f, &l0, &l1, &l4);
    g2_dbl(&s->t, &s->t);
}

static void line_add(fp12 *f, struct pair *s)
{
    fp2 th, d, l0, l1, l4, t;
    g2 q;
    const g2 *T = &s->t;
    fp2_mul(&th, &s->yq, &T->z);
    fp2_sub(&th, &T->y, &th);
    fp2_mul(&d, &s->xq, &T->z);
    fp2_sub(&d, &T->x, &d);
    fp2_mul(&l0, &th, &s->xq);
    fp2_mul(&t, &d, &s->yq);
    fp2_sub(&l0, &l0, &t);
    fp2_neg(&l1, &th);
    fp2_mul_fp(&l1, &l1, &s->xp);
    fp2_mul_fp(&l4, &d, &s->yp);
    fp12_mul_line(f, f, &l0, &l1, &l4);
    g2_from_affine(&q, &s->xq, &s->yq);
    g2_add(&s->t, &s->t, &q);
}

static void miller_chunk(fp12 *f, struct pair *s, size_t n)
{
    fp12_one(f);
    for (int b = 62; b >= 0; b--) {
        fp12_sqr(f, f);
        for (size_t i = 0; i < n; i++)
            line_dbl(f, &s[i]);
        if ((BLS_X_ABS >> b) & 1)
            for (size_t i = 0; i < n; i++)
                line_add(f, &s[i]);
    }
}

void pairing_miller_loop(fp12 *f, const g1 *p, const g2 *q, size_t n)
{
    struct pair s[PAIRS_CHUNK];
    fp12 g;
    size_t k = 0;
    fp12_one(f);
    for (size_t i = 0; i < n; i++) {
        if (g1_to_affine(&s[k].xp, &s[k].yp, &p[i]) < 0 ||
            g2_to_affine(&s[k].xq, &s[k].yq, &q[i]) < 0)
            continue; /* e(O, Q) = e(P, O) = 1 */
        g2_from_affine(&s[k].t, &s[k].xq, &s[k].yq);
        if (++k == PAIRS_CHUNK) {
            miller_chunk(&g, s, k);
            fp12_mul(f, f, &g);
            k = 0;
        }
    }
    if (k) {
        miller_chunk(&g, s, k);
        fp12_mul(f, f, &g);
    }
    fp12_conj(f, f); /* x < 0 */
}

/* r = a^x for a in the cyclotomic subgroup (x < 0: a conjugate at the end) */
static void exp_by_x(fp12 *r, const fp12 *a)
{
    fp12 acc = *a;
    for (int b = 62; b >= 0; b--) {
        fp12_cyclotomic_sqr(&acc, &acc);
        if ((BLS_X_ABS >> b) & 1)
            fp12_mul(&acc, &acc, a);
    }
    fp12_conj(r, &acc);
}

void pairing_final_exp(fp12 *r, const fp12 *f)
{
    fp12 a, t, y0, y1, y2, y3;
    /* easy part: a = f^((p^6 - 1)(p^2 + 1)) */
    fp12_inv(&t, f);
    fp12_conj(&a, f);
    fp12_mul(&a, &a, &t);
    fp12_frobenius(&t, &a, 2);
    fp12_mul(&a, &a, &t);
    /* hard part, 3 (p^4 - p^2 + 1) / r; conj is the inverse from here on */
    exp_by_x(&t, &a);
    fp12_conj(&y0, &a);
    fp12_mul(&t, &t, &y0); /* a^(x-1) */
    exp_by_x(&y3, &t);
    fp12_conj(&t, &t);
    fp12_mul(&y3, &y3, &t); /* a^((x-1)^2) = a^l3 */
    exp_by_x(&y2, &y3);     /* a^l2 */
    exp_by_x(&y1, &y2);
    fp12_conj(&t, &y3);
    fp12_mul(&y1, &y1, &t); /* a^l1 */
    exp_by_x(&y0, &y1);
    fp12_cyclotomic_sqr(&t, &a);
    fp12_mul(&t, &t, &a);
    fp12_mul(&y0, &y0, &t); /* a^l0 */
    fp12_frobenius(&y1, &y1, 1);
    fp12_frobenius(&y2, &y2, 2);
    fp12_frobenius(&y3, &y3, 3);
    fp12_mul(&y0, &y0, &y1);
    fp12_mul(&y0, &y0, &y2);
    fp12_mul(r, &y0, &y3);
}

void pairing(fp12 *r, const g1 *p, const g2 *q)
{
    fp12 f;
    pairing_miller_loop(&f, p, q, 1);
    pairing_final_exp(r, &f);
}

int pairing_product_is_one(const g1 *p, const g2 *q, size_t n)
{
    fp12 f;
    pairing_miller_loop(&f, p, q, n);
    pairing_final_exp(&f, &f);
    return fp12_is_one(&f);
}
