/*
 * cose.h - COSE_Sign1 (RFC 9052) as the PSA attestation token uses it: the
 * CBOR tag 18, the algorithm ES256 (-7) in the protected header, a key id
 * in the unprotected header if the signer puts one there, the payload
 * attached, and an ECDSA P-256 signature as r || s (64 bytes).
 *
 * Only the structure: the signer and the verifier bring their own
 * cryptography (Mbed TLS's PSA API, in the partition and in psa-attest).
 */
#ifndef PARTIX_COSE_H
#define PARTIX_COSE_H

#include <stddef.h>
#include <stdint.h>

#include "cbor.h"

#define COSE_TAG_SIGN1 18
#define COSE_HDR_ALG 1
#define COSE_HDR_CRIT 2
#define COSE_HDR_KID 4
#define COSE_ALG_ES256 (-7)
#define COSE_ES256_SIG_LEN 64

/* The protected header the signer writes: the map {1: -7}, encoded. */
extern const uint8_t cose_es256_protected[3];

/* Writes the Sig_structure that is signed, RFC 9052 section 4.4:
 * ["Signature1", protected, h'' (no external data), payload]. */
void cose_sig_structure(struct cbor_enc *e, const uint8_t *prot, size_t prot_len,
                        const uint8_t *payload, size_t payload_len);

/* Writes the tagged COSE_Sign1: protected, unprotected ({} or {4: kid}
 * when @p kid_len is not 0), payload, signature. */
void cose_sign1_encode(struct cbor_enc *e, const uint8_t *prot, size_t prot_len, const uint8_t *kid,
                       size_t kid_len, const uint8_t *payload, size_t payload_len,
                       const uint8_t *sig, size_t sig_len);

/* A decoded COSE_Sign1: pointers into the token. */
struct cose_sign1 {
    const uint8_t *prot; /* the protected header as signed (a bstr's content) */
    size_t prot_len;
    int64_t alg;
    const uint8_t *kid; /* NULL if none */
    size_t kid_len;
    const uint8_t *payload;
    size_t payload_len;
    const uint8_t *sig;
    size_t sig_len;
};

/* Decodes a tagged COSE_Sign1 whose protected header names ES256 and
 * nothing critical, with an attached payload and a 64-byte signature.
 * 0, or -1 with what is wrong in *why. */
int cose_sign1_decode(const uint8_t *buf, size_t len, struct cose_sign1 *out, const char **why);

#endif /* PARTIX_COSE_H */
