/*
 * psa/initial_attestation.h - the PSA Initial Attestation API (PSA
 * Certified Attestation API 1.0): a token, signed by the device's
 * attestation key, that tells a remote verifier which device this is, in
 * which lifecycle state, running which software, in answer to its
 * challenge.
 *
 * Under partix the token is the PSA attestation token of the profile the
 * simulated OTP names (tag:psacertified.org,2023:psa#tfm, RFC 9783): a
 * COSE_Sign1 signed with ES256 by the key in the OTP.  docs/services.md
 * lists its claims; "psa-attest verify" checks one.
 */
#ifndef PSA_INITIAL_ATTESTATION_H
#define PSA_INITIAL_ATTESTATION_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The version of the Attestation API this header describes (1.0). */
#define PSA_INITIAL_ATTEST_API_VERSION_MAJOR 1
#define PSA_INITIAL_ATTEST_API_VERSION_MINOR 0

/** The largest token partix's service returns, in bytes: a buffer this
 *  size always holds one. */
#define PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE (0x1000)

/** The challenge sizes the service accepts: 32, 48 or 64 bytes. */
#define PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32 (32u)
#define PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48 (48u)
#define PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64 (64u)

/**
 * Gets an attestation token that answers @p auth_challenge (a fresh
 * nonce from the verifier, @p challenge_size bytes) into @p token_buf;
 * *token_size says how many bytes it took.
 *
 * @return PSA_SUCCESS; PSA_ERROR_INVALID_ARGUMENT (a challenge size other
 *         than 32, 48 or 64, or @p token_size NULL);
 *         PSA_ERROR_BUFFER_TOO_SMALL (@p token_buf_size is less than the
 *         token: psa_initial_attest_get_token_size() says how much);
 *         PSA_ERROR_GENERIC_ERROR (a claim is unavailable, e.g. no boot
 *         record); PSA_ERROR_NOT_SUPPORTED (the OTP names a profile the
 *         service does not produce); PSA_ERROR_SERVICE_FAILURE.
 */
psa_status_t psa_initial_attest_get_token(const uint8_t *auth_challenge, size_t challenge_size,
                                          uint8_t *token_buf, size_t token_buf_size,
                                          size_t *token_size);

/**
 * Stores in *token_size the size of the token that
 * psa_initial_attest_get_token() returns to this caller for a challenge of
 * @p challenge_size bytes.
 *
 * @return PSA_SUCCESS; PSA_ERROR_INVALID_ARGUMENT (a challenge size other
 *         than 32, 48 or 64, or @p token_size NULL); otherwise as
 *         psa_initial_attest_get_token().
 */
psa_status_t psa_initial_attest_get_token_size(size_t challenge_size, size_t *token_size);

#ifdef __cplusplus
}
#endif

#endif /* PSA_INITIAL_ATTESTATION_H */
