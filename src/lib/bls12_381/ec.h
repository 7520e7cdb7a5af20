/*
 * ec.h - the BLS12-381 groups (private to src/lib/bls12_381/):
 *
 *   G1 on E  : y^2 = x^3 + 4         over Fp  (g1.c)
 *   G2 on E' : y^2 = x^3 + 4(u + 1)  over Fp2 (g2.c, the M-type sextic twist)
 *
 * both of prime order r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001
 * within curves of cofactor h1, h2.
 *
 * Points are kept in homogeneous projective coordinates (x = X/Z,
 * y = Y/Z; the identity is (0 : 1 : 0)) and added with the complete
 * formulas of Renes, Costello and Batina ("Complete addition formulas for
 * prime order elliptic curves", EUROCRYPT 2016, algorithms 7 and 9 for
 * a = 0): one code path for every pair of points, doubling and the
 * identity included, so additions never branch on the points.  Neither
 * curve has a point of order 2 (both cofactors are odd), which is what
 * the formulas need to be complete.
 *
 * Constant time: everything except what is marked "variable time"
 * (the latter takes public inputs only: public scalars such as r and the
 * BLS parameter, encodings of public keys and signatures).
 */
#ifndef PARTIX_BLS_EC_H
#define PARTIX_BLS_EC_H

#include "field.h"

#define SCALAR_BYTES 32
#define G1_COMPRESSED 48
#define G2_COMPRESSED 96

typedef struct {
    fp x, y, z;
} g1;

typedef struct {
    fp2 x, y, z;
} g2;

/* Decompression results (0 is success). */
enum ec_decode_err {
    EC_ERR_FLAGS = -1,    /* compression flag clear, or infinity with other bits set */
    EC_ERR_RANGE = -2,    /* a coordinate >= p */
    EC_ERR_CURVE = -3,    /* x^3 + b has no square root */
    EC_ERR_SUBGROUP = -4, /* on the curve but not of order r */
};

/* The group order r (little-endian limbs) and |x|, x = -0xd201000000010000
 * the BLS parameter. */
extern const uint64_t BLS_R[4];
#define BLS_X_ABS 0xd201000000010000ULL

/* The same interface for both groups; g2_* mirror the g1_* below. */
void g1_identity(g1 *r);
void g1_generator(g1 *r);
int g1_is_identity(const g1 *a);
/* 1 if a and b are the same point (projective comparison). */
int g1_eq(const g1 *a, const g1 *b);
void g1_add(g1 *r, const g1 *a, const g1 *b);
void g1_dbl(g1 *r, const g1 *a);
void g1_neg(g1 *r, const g1 *a);
void g1_cmov(g1 *r, const g1 *a, int flag);
/* r = k a, k a 256-bit big-endian integer: constant time in k and a
 * (fixed 4-bit windows, every table entry read at every step). */
void g1_mul(g1 *r, const g1 *a, const uint8_t k[SCALAR_BYTES]);
/* r = k a for a public k (n limbs, little-endian); variable time. */
void g1_mul_vartime(g1 *r, const g1 *a, const uint64_t *k, size_t n);
int g1_is_on_curve(const g1 *a);
/* 1 if a is in G1: sigma(a) = -x^2 a, sigma(x, y) = (beta x, y) with beta
 * the cube root of unity whose eigenvalue on G1 is -x^2 (Scott, "A note
 * on group membership tests for G1, G2 and GT on BLS pairing-friendly
 * curves", ePrint 2021/1130); about 1/2 the cost of r a.  Variable time
 * (public points only). */
int g1_in_subgroup(const g1 *a);
/* 1 if r a = identity: membership by the definition, for tests. */
int g1_times_r_is_identity(const g1 *a);
/* Affine coordinates; returns -1 for the identity. */
int g1_to_affine(fp *x, fp *y, const g1 *a);
void g1_from_affine(g1 *r, const fp *x, const fp *y);
/* ZCash compressed form (48 bytes). */
void g1_compress(uint8_t out[G1_COMPRESSED], const g1 *a);
/* Every check of the ZCash format, then the curve equation and the
 * subgroup (when check_subgroup); returns 0 or an enum ec_decode_err.
 * Variable time: encodings are public. */
int g1_decompress(g1 *r, const uint8_t in[G1_COMPRESSED], int check_subgroup);

void g2_identity(g2 *r);
void g2_generator(g2 *r);
int g2_is_identity(const g2 *a);
int g2_eq(const g2 *a, const g2 *b);
void g2_add(g2 *r, const g2 *a, const g2 *b);
void g2_dbl(g2 *r, const g2 *a);
void g2_neg(g2 *r, const g2 *a);
void g2_cmov(g2 *r, const g2 *a, int flag);
void g2_mul(g2 *r, const g2 *a, const uint8_t k[SCALAR_BYTES]);
void g2_mul_vartime(g2 *r, const g2 *a, const uint64_t *k, size_t n);
int g2_is_on_curve(const g2 *a);
/* 1 if a is in G2: psi(a) = x a (the same note of Scott's). */
int g2_in_subgroup(const g2 *a);
int g2_times_r_is_identity(const g2 *a);
int g2_to_affine(fp2 *x, fp2 *y, const g2 *a);
void g2_from_affine(g2 *r, const fp2 *x, const fp2 *y);
/* ZCash compressed form (96 bytes: x.c1 with the flags, then x.c0). */
void g2_compress(uint8_t out[G2_COMPRESSED], const g2 *a);
int g2_decompress(g2 *r, const uint8_t in[G2_COMPRESSED], int check_subgroup);
/* The untwist-Frobenius-twist endomorphism psi (RFC 9380 appendix G.3):
 * psi(x, y) = (conj(x) c1, conj(y) c2), c1 = 1/xi^((p-1)/3),
 * c2 = 1/xi^((p-1)/2).  Constant time. */
void g2_psi(g2 *r, const g2 *a);

#endif
