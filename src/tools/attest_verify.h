/* attest_verify.h - psa-attest's verifier: between its two files. */
#ifndef PARTIX_ATTEST_VERIFY_H
#define PARTIX_ATTEST_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Verifies the PSA attestation token @p token (@p len bytes): a strict
 * COSE_Sign1 whose ES256 signature verifies with the PEM public key
 * @p pem (NUL-terminated), whose claims are those of one profile,
 * tag:psacertified.org,2023:psa#tfm (RFC 9783) or PSA_IOT_PROFILE_1 (the
 * claim keys say which), with the types and sizes it requires, and whose
 * nonce is @p challenge if that is not NULL.  Prints the claims
 * to @p out.  0, or -1 with what is wrong in @p why.
 */
int attest_verify(const uint8_t *token, size_t len, const char *pem, const uint8_t *challenge,
                  size_t challenge_len, FILE *out, char *why, size_t why_size);

#endif /* PARTIX_ATTEST_VERIFY_H */
