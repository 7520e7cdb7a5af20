/* attest.h - between the files of the Initial Attestation partition. */
#ifndef PARTIX_ATTEST_H
#define PARTIX_ATTEST_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

/* attest_token.c: the device's identity from the OTP, its key imported
 * into Mbed TLS, the boot record checked.  PSA_SUCCESS, or an error
 * (logged) that leaves the partition unable to attest at all. */
psa_status_t attest_token_init(void);

/* The token for @p challenge (@p challenge_len bytes, 32, 48 or 64) and a
 * caller @p client_id: its size in *len, and, if @p out is not NULL, the
 * token itself in @p out (@p cap bytes).  PSA_ERROR_BUFFER_TOO_SMALL if it
 * does not fit; PSA_ERROR_GENERIC_ERROR if a claim is unavailable;
 * PSA_ERROR_NOT_SUPPORTED if the OTP names a profile this build does
 * not produce (the default build only: attest_token.c). */
psa_status_t attest_token(const uint8_t *challenge, size_t challenge_len, int32_t client_id,
                          uint8_t *out, size_t cap, size_t *len);

#endif /* PARTIX_ATTEST_H */
