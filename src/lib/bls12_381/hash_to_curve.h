/*
 * hash_to_curve.h - RFC 9380 hash_to_curve for G2, suite
 * BLS12381G2_XMD:SHA-256_SSWU_RO_ (private to src/lib/bls12_381/).
 *
 * Constant time: no.  Every step here takes the message being hashed,
 * which BLS signing and verification treat as public (the signature and
 * the message are published together); the square roots and the
 * branches of the simplified SWU map depend on it.  Nothing secret
 * enters these functions.
 */
#ifndef PARTIX_BLS_HASH_TO_CURVE_H
#define PARTIX_BLS_HASH_TO_CURVE_H

#include "ec.h"

/* map_to_curve (RFC 9380 section 6.6.3): simplified SWU onto the
 * 3-isogenous curve E2': y^2 = x^3 + 240 I x + 1012 (1 + I), then the
 * 3-isogeny map of appendix E.3 onto E'.  The result is on E' but not
 * yet in G2. */
void map_to_g2(g2 *r, const fp2 *u);

/* clear_cofactor (RFC 9380 section 8.8.2): multiplication by h_eff,
 * computed with psi as appendix G.3 gives it (Budroni and Pintore). */
void g2_clear_cofactor(g2 *r, const g2 *p);

/* hash_to_field (RFC 9380 section 5.2) with count = 2, m = 2, L = 64 and
 * expand_message_xmd with SHA-256; -1 if expand_message_xmd refuses
 * (empty DST, ...). */
int hash_to_field_fp2(fp2 u[2], const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                      size_t dst_len);

/* hash_to_curve: map_to_g2 of both field elements, their sum, the
 * cofactor cleared.  0, or -1 as hash_to_field_fp2. */
int hash_to_g2(g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);

#endif
