/*
 * hrot_defs.h - the HRoT service's interface: its call types and the
 * vectors of each, shared by the client API (src/client/services/hrot_api.c)
 * and the partition (hrot_sp.c).  Written by hand in the shape of an
 * interface description (one row per method: name, inputs, outputs,
 * errors) so that it converts directly to the interface compiler's format
 * (docs/hrot.md, "The interface").
 *
 *   method                             in_vec                   out_vec
 *   HROT_INIT                          -                        -
 *   HROT_TRNG_METHOD_GET_RANDOM_BYTES  u32 num_bytes_requested  buffer_cap (bytes_written)
 *   HROT_GENERATE_KEY                  u32 key type             struct hrot_wire_cap
 *   HROT_GET_PUBLIC_KEY                cap                      public key
 *   HROT_SIGN_DATA                     cap, data_to_sign        signature (r || s)
 *   HROT_DECRYPT_DATA                  cap, encrypted_data      decrypted_buffer
 *   HROT_GRANT                         cap, struct hrot_wire_grant  struct hrot_wire_cap
 *   HROT_REVOKE                        cap, u32 serial          -
 *   HROT_ATTEST_KEY                    cap, nonce               attestation (layout below)
 *   HROT_DESTROY_KEY                   cap                      -
 *
 * A cap is the 16 bytes of an hrot_cap_t.  Every field little-endian.
 */
#ifndef PARTIX_HROT_DEFS_H
#define PARTIX_HROT_DEFS_H

#include <stdint.h>

#include "partix/hrot.h"

#define HROT_INIT 1
#define HROT_TRNG_METHOD_GET_RANDOM_BYTES 2
#define HROT_GENERATE_KEY 3
#define HROT_GET_PUBLIC_KEY 4
#define HROT_SIGN_DATA 5
#define HROT_DECRYPT_DATA 6
#define HROT_GRANT 7
#define HROT_REVOKE 8
#define HROT_ATTEST_KEY 9
#define HROT_DESTROY_KEY 10

/* A capability as it comes back: the token and its serial. */
struct hrot_wire_cap {
    uint8_t token[HROT_CAP_SIZE];
    uint32_t serial;
};

/* HROT_GRANT's second input. */
struct hrot_wire_grant {
    int32_t grantee; /* a client id: -1 - uid for a Linux user, a partition id */
    uint32_t rights; /* HROT_RIGHT_*, a subset of the granting capability's */
};

/*
 * HROT_ATTEST_KEY's output: u16 n, then n bytes of TPMS_ATTEST (the TPM's
 * certifyInfo: it names the key by its TPM name and holds the nonce); the
 * signature r || s (64 bytes) of the attestation key over SHA-256 of those
 * n bytes; u16 m, then m bytes of the attestation key's TPMT_PUBLIC; u16 k,
 * then k bytes of the certified key's TPMT_PUBLIC (whose SHA-256, after
 * the two bytes 00 0B, is the name in the TPMS_ATTEST).
 */
#define HROT_MAX_NONCE 64

#endif /* PARTIX_HROT_DEFS_H */
