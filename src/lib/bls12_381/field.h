/*
 * field.h - the BLS12-381 base field Fp and its tower Fp2, Fp6, Fp12
 * (private to src/lib/bls12_381/).
 *
 *   p    = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
 *   Fp2  = Fp[u]  / (u^2 + 1)
 *   Fp6  = Fp2[v] / (v^3 - (u + 1))
 *   Fp12 = Fp6[w] / (w^2 - v)
 *
 * An Fp element is six 64-bit limbs, least significant first, in
 * Montgomery form (a is stored as a * 2^384 mod p) and always fully
 * reduced (< p), so equality is limb equality.  Every function accepts
 * its output aliasing any input.
 *
 * Constant time: every function here runs the same instructions and
 * touches the same memory whatever the values, except where a comment
 * says "variable time" (those take public data only: exponents that are
 * constants, square roots and Legendre symbols of public values).  Flags
 * returned as int are 0 or 1 and computed without branches.
 */
#ifndef PARTIX_BLS_FIELD_H
#define PARTIX_BLS_FIELD_H

#include <stddef.h>
#include <stdint.h>

#define FP_LIMBS 6
#define FP_BYTES 48

typedef struct {
    uint64_t l[FP_LIMBS];
} fp;

typedef struct {
    fp c0, c1; /* c0 + c1 u */
} fp2;

typedef struct {
    fp2 c0, c1, c2; /* c0 + c1 v + c2 v^2 */
} fp6;

typedef struct {
    fp6 c0, c1; /* c0 + c1 w */
} fp12;

/* The modulus and a few constants (Montgomery form where they are field
 * elements; FP_MODULUS is the plain integer p). */
extern const fp FP_MODULUS;
extern const fp FP_ONE; /* 2^384 mod p */
extern const fp FP_R2;  /* 2^768 mod p: to_mont(a) = mont_mul(a, R2) */

/* ---- Fp (fp.c) ---- */
void fp_zero(fp *r);
void fp_one(fp *r);
/* r = a (the small integer a, into Montgomery form). */
void fp_set_u64(fp *r, uint64_t a);
void fp_copy(fp *r, const fp *a);
void fp_add(fp *r, const fp *a, const fp *b);
void fp_sub(fp *r, const fp *a, const fp *b);
void fp_neg(fp *r, const fp *a);
void fp_dbl(fp *r, const fp *a);
void fp_mul(fp *r, const fp *a, const fp *b);
void fp_sqr(fp *r, const fp *a);
/* r = a^-1; 0 for a = 0 (Fermat: a^(p-2), a fixed chain). */
void fp_inv(fp *r, const fp *a);
/* r = a^e for the public exponent e (n limbs, least significant first);
 * constant time in a, variable time in e. */
void fp_pow(fp *r, const fp *a, const uint64_t *e, size_t n);
/* r = a^((p+1)/4); returns 1 if r^2 = a (a is a square), else 0. */
int fp_sqrt(fp *r, const fp *a);
/* 1 if a is a nonzero square, -1 if not a square, 0 for zero (variable
 * time in the result only). */
int fp_legendre(const fp *a);
int fp_is_zero(const fp *a);
int fp_is_one(const fp *a);
int fp_eq(const fp *a, const fp *b);
/* r = flag ? a : r, flag 0 or 1, without a branch. */
void fp_cmov(fp *r, const fp *a, int flag);
/* The least significant bit of a's canonical value (RFC 9380 sgn0). */
int fp_sgn0(const fp *a);
/* 1 if a's canonical value is greater than (p-1)/2 (the ZCash sign bit). */
int fp_lexically_largest(const fp *a);
/* Big-endian canonical bytes; fp_from_bytes returns -1 (r untouched) if
 * the value is >= p. */
int fp_from_bytes(fp *r, const uint8_t in[FP_BYTES]);
void fp_to_bytes(uint8_t out[FP_BYTES], const fp *a);
/* r = the big-endian integer in[0..64) mod p (hash_to_field's reduction). */
void fp_from_bytes_wide(fp *r, const uint8_t in[64]);
/* Montgomery form in and out, for tests. */
void fp_from_mont(fp *r, const fp *a);
void fp_to_mont(fp *r, const fp *a);

/* ---- Fp2 (fp2.c) ---- */
void fp2_zero(fp2 *r);
void fp2_one(fp2 *r);
void fp2_add(fp2 *r, const fp2 *a, const fp2 *b);
void fp2_sub(fp2 *r, const fp2 *a, const fp2 *b);
void fp2_neg(fp2 *r, const fp2 *a);
void fp2_dbl(fp2 *r, const fp2 *a);
void fp2_conj(fp2 *r, const fp2 *a);
void fp2_mul(fp2 *r, const fp2 *a, const fp2 *b);
void fp2_mul_fp(fp2 *r, const fp2 *a, const fp *b);
void fp2_sqr(fp2 *r, const fp2 *a);
/* r = a * (u + 1) */
void fp2_mul_xi(fp2 *r, const fp2 *a);
void fp2_inv(fp2 *r, const fp2 *a);
/* r = a^e, e public (see fp_pow). */
void fp2_pow(fp2 *r, const fp2 *a, const uint64_t *e, size_t n);
/* Square root, variable time (public inputs only): returns 1 and a root
 * in r if a is a square, else 0 (r undefined). */
int fp2_sqrt(fp2 *r, const fp2 *a);
/* 1 if a is a square (zero included), else 0; variable time. */
int fp2_is_square(const fp2 *a);
int fp2_is_zero(const fp2 *a);
int fp2_eq(const fp2 *a, const fp2 *b);
void fp2_cmov(fp2 *r, const fp2 *a, int flag);
int fp2_sgn0(const fp2 *a);
/* ZCash sign: lexically largest comparing c1 first, then c0 if c1 = 0. */
int fp2_lexically_largest(const fp2 *a);

/* ---- Fp6 (fp6.c) ---- */
void fp6_zero(fp6 *r);
void fp6_one(fp6 *r);
void fp6_add(fp6 *r, const fp6 *a, const fp6 *b);
void fp6_sub(fp6 *r, const fp6 *a, const fp6 *b);
void fp6_neg(fp6 *r, const fp6 *a);
void fp6_mul(fp6 *r, const fp6 *a, const fp6 *b);
void fp6_sqr(fp6 *r, const fp6 *a);
/* r = a * v */
void fp6_mul_v(fp6 *r, const fp6 *a);
void fp6_inv(fp6 *r, const fp6 *a);
int fp6_is_zero(const fp6 *a);
int fp6_eq(const fp6 *a, const fp6 *b);
/* r = a^(p^k) for k = 1, 2, 3 */
void fp6_frobenius(fp6 *r, const fp6 *a, int k);

/* ---- Fp12 (fp12.c) ---- */
void fp12_one(fp12 *r);
void fp12_mul(fp12 *r, const fp12 *a, const fp12 *b);
void fp12_sqr(fp12 *r, const fp12 *a);
void fp12_inv(fp12 *r, const fp12 *a);
/* r = a^(p^6): the inverse of a unitary element. */
void fp12_conj(fp12 *r, const fp12 *a);
/* r = a^(p^k) for k = 1, 2, 3 */
void fp12_frobenius(fp12 *r, const fp12 *a, int k);
/* r = a * (l0 + l1 v + l4 v w): a pairing line (the sparse "014" form). */
void fp12_mul_line(fp12 *r, const fp12 *a, const fp2 *l0, const fp2 *l1, const fp2 *l4);
/* a^2 for a in the cyclotomic subgroup (a^(p^4 - p^2 + 1) = 1, as after the
 * final exponentiation's easy part), Granger-Scott; wrong for other a. */
void fp12_cyclotomic_sqr(fp12 *r, const fp12 *a);
int fp12_is_one(const fp12 *a);
int fp12_eq(const fp12 *a, const fp12 *b);

#endif
