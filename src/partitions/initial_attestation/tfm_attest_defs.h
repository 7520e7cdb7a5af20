/*
 * tfm_attest_defs.h - the Initial Attestation service's call types, TF-M's
 * values, shared by the client API (src/client/services/attest_api.c) and
 * the partition.
 *
 * Vectors of each call (TF-M's layout):
 *   TFM_ATTEST_GET_TOKEN       in: challenge (32, 48 or 64 bytes)
 *                              out: token
 *   TFM_ATTEST_GET_TOKEN_SIZE  in: challenge size (the caller's size_t: 4 or 8 bytes)
 *                              out: token size (likewise)
 */
#ifndef TFM_ATTEST_DEFS_H
#define TFM_ATTEST_DEFS_H

#define TFM_ATTEST_GET_TOKEN 1001
#define TFM_ATTEST_GET_TOKEN_SIZE 1002

#endif /* TFM_ATTEST_DEFS_H */
