/*
 * pairing.h - the optimal ate pairing on BLS12-381 (private to
 * src/lib/bls12_381/).
 *
 * e(P, Q) = FE(f_{|x|,Q}(P))^conj, x = -0xd201000000010000, with the final
 * exponentiation FE(f) = f^(3 (p^12 - 1) / r): the hard part uses the
 * decomposition 3 (p^4 - p^2 + 1) / r = l0 + l1 p + l2 p^2 + l3 p^3 with
 * l3 = (x - 1)^2, l2 = l3 x, l1 = l2 x - l3, l0 = l1 x + 3 (Hayashida,
 * Hayasaka and Teruya, ePrint 2020/875), so the result is the cube of the
 * "reduced" Tate-style ate pairing.  Cubing is a bijection of the order-r
 * group GT (3 does not divide r): bilinearity, non-degeneracy and every
 * product-equals-one check are unchanged; only a literal GT value written
 * elsewhere for e(P, Q) with the exponent (p^12 - 1) / r would be our
 * value's cube root.  (zkcrypto's bls12_381 crate uses the same exponent:
 * its e(G1, G2) is ours, test_bls_pairing checks it.)
 *
 * Constant time: the Miller loop and the final exponentiation follow the
 * fixed bits of x and never branch on the points or field values; pairs
 * with an identity point are skipped (a branch on public inputs: the
 * pairing's callers only pair public keys, signatures and hashes of
 * public messages).
 */
#ifndef PARTIX_BLS_PAIRING_H
#define PARTIX_BLS_PAIRING_H

#include "ec.h"

/* f = prod_i f_{|x|,Q_i}(P_i), conjugated (x < 0); 1 if every pair has an
 * identity point. */
void pairing_miller_loop(fp12 *f, const g1 *p, const g2 *q, size_t n);
/* r = f^(3 (p^12 - 1) / r) */
void pairing_final_exp(fp12 *r, const fp12 *f);
/* r = e(p, q) */
void pairing(fp12 *r, const g1 *p, const g2 *q);
/* 1 if prod_i e(P_i, Q_i) = 1 (one shared final exponentiation). */
int pairing_product_is_one(const g1 *p, const g2 *q, size_t n);

#endif
