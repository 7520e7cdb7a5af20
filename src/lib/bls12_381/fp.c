/*
 * fp.c - the BLS12-381 base field: 6x64-bit limbs, Montgomery form
 * (R = 2^384), CIOS multiplication with unsigned __int128.
 *
 * Constant time: no branch and no memory index depends on a field value;
 * reductions are mask selections.  fp_pow's branches follow its exponent,
 * which is always a public constant; fp_legendre returns a value that
 * callers only use on public data.
 */
#include "field.h"

#include <string.h>

typedef unsigned __int128 u128;

const fp FP_MODULUS = {{0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
                        0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL}};
const fp FP_ONE = {{0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL,
                    0x77ce585370525745ULL, 0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL}};
const fp FP_R2 = {{0xf4df1f341c341746ULL, 0x0a76e6a609d104f1ULL, 0x8de5476c4c95b6d5ULL,
                   0x67eb88a9939d83c0ULL, 0x9a793e85b519952dULL, 0x11988fe592cae3aaULL}};
/* -p^-1 mod 2^64 */
static const uint64_t P_INV = 0x89f3fffcfffcfffdULL;

/* p - 2, (p + 1) / 4, (p - 1) / 2 */
static const uint64_t EXP_INV[FP_LIMBS] = {0xb9feffffffffaaa9ULL, 0x1eabfffeb153ffffULL,
                                           0x6730d2a0f6b0f624ULL, 0x64774b84f38512bfULL,
                                           0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL};
static const uint64_t EXP_SQRT[FP_LIMBS] = {0xee7fbfffffffeaabULL, 0x07aaffffac54ffffULL,
                                            0xd9cc34a83dac3d89ULL, 0xd91dd2e13ce144afULL,
                                            0x92c6e9ed90d2eb35ULL, 0x0680447a8e5ff9a6ULL};
static const uint64_t HALF_P[FP_LIMBS] = {0xdcff7fffffffd555ULL, 0x0f55ffff58a9ffffULL,
                                          0xb39869507b587b12ULL, 0xb23ba5c279c2895fULL,
                                          0x258dd3db21a5d66bULL, 0x0d0088f51cbff34dULL};

/* r = a - b over 384 bits; returns the borrow (0 or 1). */
static uint64_t sub_raw(uint64_t r[FP_LIMBS], const uint64_t a[FP_LIMBS],
                        const uint64_t b[FP_LIMBS])
{
    uint64_t borrow = 0;
    for (int i = 0; i < FP_LIMBS; i++) {
        u128 d = (u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

/* r = a - p if a >= p (a < 2p, with an extra top word hi), else a. */
static void reduce_once(fp *r, const uint64_t a[FP_LIMBS], uint64_t hi)
{
    uint64_t t[FP_LIMBS];
    uint64_t borrow = sub_raw(t, a, FP_MODULUS.l);
    /* keep a when the subtraction borrowed past the extra word */
    uint64_t keep = 0 - (borrow & (hi ^ 1));
    for (int i = 0; i < FP_LIMBS; i++)
        r->l[i] = (a[i] & keep) | (t[i] & ~keep);
}

void fp_zero(fp *r)
{
    memset(r, 0, sizeof *r);
}

void fp_one(fp *r)
{
    *r = FP_ONE;
}

void fp_copy(fp *r, const fp *a)
{
    *r = *a;
}

void fp_set_u64(fp *r, uint64_t a)
{
    fp t = {{a, 0, 0, 0, 0, 0}};
    fp_to_mont(r, &t);
}

void fp_add(fp *r, const fp *a, const fp *b)
{
    uint64_t t[FP_LIMBS], carry = 0;
    for (int i = 0; i < FP_LIMBS; i++) {
        u128 s = (u128)a->l[i] + b->l[i] + carry;
        t[i] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    reduce_once(r, t, carry);
}

void fp_dbl(fp *r, const fp *a)
{
    fp_add(r, a, a);
}

void fp_sub(fp *r, const fp *a, const fp *b)
{
    uint64_t t[FP_LIMBS];
    uint64_t mask = 0 - sub_raw(t, a->l, b->l);
    uint64_t carry = 0;
    /* add p back when the subtraction borrowed */
    for (int i = 0; i < FP_LIMBS; i++) {
        u128 s = (u128)t[i] + (FP_MODULUS.l[i] & mask) + carry;
        r->l[i] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
}

void fp_neg(fp *r, const fp *a)
{
    fp z;
    fp_zero(&z);
    fp_sub(r, &z, a);
}

/* CIOS Montgomery multiplication (Koc, Acar and Kaliski 1996) without
 * the two extra carry words: p's top limb is below 2^63 - 1, so each
 * round's carries A and C fit the top limb (the "no-carry" variant
 * gnark-crypto describes).  Unrolled: the loops have fixed bounds. */
void fp_mul(fp *r, const fp *a, const fp *b)
{
    uint64_t t[FP_LIMBS] = {0};
#pragma GCC unroll 6
    for (int i = 0; i < FP_LIMBS; i++) {
        u128 s = (u128)a->l[0] * b->l[i] + t[0];
        uint64_t A = (uint64_t)(s >> 64);
        uint64_t m = (uint64_t)s * P_INV;
        u128 c = (u128)m * FP_MODULUS.l[0] + (uint64_t)s;
        uint64_t C = (uint64_t)(c >> 64);
#pragma GCC unroll 6
        for (int j = 1; j < FP_LIMBS; j++) {
            s = (u128)a->l[j] * b->l[i] + t[j] + A;
            A = (uint64_t)(s >> 64);
            c = (u128)m * FP_MODULUS.l[j] + (uint64_t)s + C;
            C = (uint64_t)(c >> 64);
            t[j - 1] = (uint64_t)c;
        }
        t[FP_LIMBS - 1] = C + A;
    }
    reduce_once(r, t, 0);
}

void fp_sqr(fp *r, const fp *a)
{
    fp_mul(r, a, a);
}

void fp_to_mont(fp *r, const fp *a)
{
    fp_mul(r, a, &FP_R2);
}

void fp_from_mont(fp *r, const fp *a)
{
    fp one = {{1, 0, 0, 0, 0, 0}};
    fp_mul(r, a, &one);
}

void fp_pow(fp *r, const fp *a, const uint64_t *e, size_t n)
{
    fp acc = FP_ONE, base = *a;
    for (size_t i = n; i-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            fp_sqr(&acc, &acc);
            if ((e[i] >> b) & 1)
                fp_mul(&acc, &acc, &base);
        }
    }
    *r = acc;
}

void fp_inv(fp *r, const fp *a)
{
    fp_pow(r, a, EXP_INV, FP_LIMBS);
}

int fp_is_zero(const fp *a)
{
    uint64_t acc = 0;
    for (int i = 0; i < FP_LIMBS; i++)
        acc |= a->l[i];
    return (int)(((acc | (0 - acc)) >> 63) ^ 1);
}

int fp_eq(const fp *a, const fp *b)
{
    uint64_t acc = 0;
    for (int i = 0; i < FP_LIMBS; i++)
        acc |= a->l[i] ^ b->l[i];
    return (int)(((acc | (0 - acc)) >> 63) ^ 1);
}

int fp_is_one(const fp *a)
{
    return fp_eq(a, &FP_ONE);
}

void fp_cmov(fp *r, const fp *a, int flag)
{
    uint64_t mask = 0 - (uint64_t)(flag & 1);
    for (int i = 0; i < FP_LIMBS; i++)
        r->l[i] = (r->l[i] & ~mask) | (a->l[i] & mask);
}

int fp_sqrt(fp *r, const fp *a)
{
    fp s, c;
    fp_pow(&s, a, EXP_SQRT, FP_LIMBS);
    int ok;
    fp_sqr(&c, &s);
    ok = fp_eq(&c, a);
    *r = s;
    return ok;
}

int fp_legendre(const fp *a)
{
    fp t, m1;
    fp_pow(&t, a, HALF_P, FP_LIMBS);
    if (fp_is_zero(&t))
        return 0;
    fp_neg(&m1, &FP_ONE);
    return fp_eq(&t, &m1) ? -1 : 1;
}

int fp_sgn0(const fp *a)
{
    fp t;
    fp_from_mont(&t, a);
    return (int)(t.l[0] & 1);
}

int fp_lexically_largest(const fp *a)
{
    fp t;
    uint64_t d[FP_LIMBS];
    fp_from_mont(&t, a);
    /* (p-1)/2 - t borrows exactly when t > (p-1)/2 */
    return (int)sub_raw(d, HALF_P, t.l);
}

int fp_from_bytes(fp *r, const uint8_t in[FP_BYTES])
{
    fp t;
    uint64_t d[FP_LIMBS];
    for (int i = 0; i < FP_LIMBS; i++) {
        uint64_t w = 0;
        for (int j = 0; j < 8; j++)
            w = (w << 8) | in[(FP_LIMBS - 1 - i) * 8 + j];
        t.l[i] = w;
    }
    /* t - p borrows exactly when t < p */
    if (!sub_raw(d, t.l, FP_MODULUS.l))
        return -1;
    fp_to_mont(r, &t);
    return 0;
}

void fp_to_bytes(uint8_t out[FP_BYTES], const fp *a)
{
    fp t;
    fp_from_mont(&t, a);
    for (int i = 0; i < FP_LIMBS; i++)
        for (int j = 0; j < 8; j++)
            out[(FP_LIMBS - 1 - i) * 8 + j] = (uint8_t)(t.l[i] >> (56 - 8 * j));
}

/* r = a b / 2^384 mod p for any a < 2^384 (b < p): the textbook CIOS
 * with its extra carry words, which fp_mul's shortcut does not allow. */
static void mont_mul_any(fp *r, const uint64_t a[FP_LIMBS], const fp *b)
{
    uint64_t t[FP_LIMBS + 2] = {0};
    for (int i = 0; i < FP_LIMBS; i++) {
        uint64_t c = 0;
        for (int j = 0; j < FP_LIMBS; j++) {
            u128 s = (u128)a[j] * b->l[i] + t[j] + c;
            t[j] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        }
        u128 s = (u128)t[FP_LIMBS] + c;
        t[FP_LIMBS] = (uint64_t)s;
        t[FP_LIMBS + 1] = (uint64_t)(s >> 64);

        uint64_t m = t[0] * P_INV;
        s = (u128)m * FP_MODULUS.l[0] + t[0];
        c = (uint64_t)(s >> 64);
        for (int j = 1; j < FP_LIMBS; j++) {
            s = (u128)m * FP_MODULUS.l[j] + t[j] + c;
            t[j - 1] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        }
        s = (u128)t[FP_LIMBS] + c;
        t[FP_LIMBS - 1] = (uint64_t)s;
        t[FP_LIMBS] = t[FP_LIMBS + 1] + (uint64_t)(s >> 64);
    }
    reduce_once(r, t, t[FP_LIMBS]);
}

/* A 384-bit big-endian integer (any value below 2^384) into Montgomery
 * form: mont(t, R^2) = t R mod p, below 2p before the last subtraction
 * since R^2 mod p < p. */
static void raw384_to_mont(fp *r, const uint8_t in[FP_BYTES])
{
    uint64_t t[FP_LIMBS];
    for (int i = 0; i < FP_LIMBS; i++) {
        uint64_t w = 0;
        for (int j = 0; j < 8; j++)
            w = (w << 8) | in[(FP_LIMBS - 1 - i) * 8 + j];
        t[i] = w;
    }
    mont_mul_any(r, t, &FP_R2);
}

void fp_from_bytes_wide(fp *r, const uint8_t in[64])
{
    uint8_t hi[FP_BYTES] = {0};
    fp h, l;
    /* in = hi * 2^384 + lo with hi the first 16 bytes */
    memcpy(hi + FP_BYTES - 16, in, 16);
    raw384_to_mont(&h, hi);
    raw384_to_mont(&l, in + 16);
    fp_mul(&h, &h, &FP_R2); /* times 2^384 */
    fp_add(r, &h, &l);
}
