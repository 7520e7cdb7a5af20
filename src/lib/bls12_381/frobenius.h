/*
 * frobenius.h - Frobenius coefficients of the tower (private).
 * Computed as powers of xi = u + 1 in Montgomery form; test_bls_field
 * recomputes each one with fp2_pow and compares.
 */
#ifndef PARTIX_BLS_FROBENIUS_H
#define PARTIX_BLS_FROBENIUS_H

#include "field.h"

/* FROB6_V[k-1] = xi^((p^k-1)/3), FROB6_V2[k-1] = xi^(2(p^k-1)/3) and
 * FROB12_W[k-1] = xi^((p^k-1)/6), for k = 1, 2, 3. */
extern const fp2 FROB6_V[3];
extern const fp2 FROB6_V2[3];
extern const fp2 FROB12_W[3];

#endif
