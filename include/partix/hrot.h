/*
 * partix/hrot.h - the hardware root of trust service (PARTIX_SP_HROT): a
 * TPM 2.0 behind a PSA-RoT partition (docs/hrot.md).  Link libpsa-client.
 *
 * Keys are made inside the TPM and never leave it.  A key is reached only
 * through a capability: an unforgeable 16-byte value the partition mints
 * for one client (the caller's client id, which psa-spm takes from the
 * kernel: -1 - uid for a Linux user) with a set of rights.  A capability
 * held by another client does nothing: the partition answers as for a
 * value it never minted (PSA_ERROR_INVALID_HANDLE).  Every function returns
 * PSA_SUCCESS or a PSA status:
 *
 *   PSA_ERROR_INVALID_HANDLE      the capability is unknown, revoked, or another client's
 *   PSA_ERROR_NOT_PERMITTED       the capability lacks the right the call needs
 *   PSA_ERROR_INVALID_ARGUMENT    a bad argument, a length out of bounds
 *   PSA_ERROR_BUFFER_TOO_SMALL    an output buffer shorter than the result
 *   PSA_ERROR_INSUFFICIENT_STORAGE  too many keys or capabilities (per client, in all)
 *   PSA_ERROR_INVALID_PADDING     a ciphertext that does not decrypt under the key
 *   PSA_ERROR_HARDWARE_FAILURE    the TPM is absent, gone, or misbehaves
 *   PSA_ERROR_STORAGE_FAILURE     the partition could not save its key table
 */
#ifndef PARTIX_HROT_H
#define PARTIX_HROT_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HROT_CAP_SIZE 16

/* A capability: opaque bytes, as the partition minted them. */
typedef struct {
    uint8_t token[HROT_CAP_SIZE];
} hrot_cap_t;

/* Rights a capability carries. */
#define HROT_RIGHT_SIGN 0x1u       /* hrot_sign_data() (ECC keys) */
#define HROT_RIGHT_DECRYPT 0x2u    /* hrot_decrypt_data() (RSA keys) */
#define HROT_RIGHT_GET_PUBLIC 0x4u /* hrot_get_public_key(), hrot_attest_key() */
#define HROT_RIGHT_GRANT 0x8u      /* hrot_grant(), hrot_revoke() of what it granted */
#define HROT_RIGHTS_ALL 0xfu

/* Key types. */
#define HROT_KEY_ECC_P256_SIGN 1u   /* ECDSA with SHA-256 */
#define HROT_KEY_RSA2048_DECRYPT 2u /* RSA-OAEP with SHA-256, an empty label */

/* Sizes. */
#define HROT_ECC_PUBLIC_SIZE 65      /* 0x04 || X || Y */
#define HROT_RSA_PUBLIC_MAX 270      /* DER RSAPublicKey of a 2048-bit modulus */
#define HROT_SIGNATURE_SIZE 64       /* r || s, 32 bytes each */
#define HROT_RSA_CIPHERTEXT_SIZE 256 /* what hrot_decrypt_data() takes */
#define HROT_RSA_PLAINTEXT_MAX 190   /* OAEP with SHA-256 in a 2048-bit key */
#define HROT_MAX_SIGN_DATA 65536     /* bytes a message to sign may hold */
#define HROT_MAX_RANDOM_CALL 65536   /* bytes one call to the partition returns */
#define HROT_ATTEST_MAX 1024         /* hrot_attest_key()'s output at most */

/* The client id of Linux user @p uid, as the partition sees it. */
#define HROT_CLIENT_ID_OF_UID(uid) ((int32_t)(-1 - (int64_t)(uid)))

/* Starts the TPM (TPM2_Startup, a full self-test) if that is not done. */
psa_status_t hrot_init(void);

/*
 * HROT_TRNG_METHOD_GET_RANDOM_BYTES: @p num_bytes_requested bytes from the
 * TPM's random number generator into @p buffer (@p buffer_size bytes);
 * *bytes_written says how many (all of them on success).  Any length: the
 * library asks in calls of at most HROT_MAX_RANDOM_CALL bytes, the
 * partition the TPM in commands of at most 64.
 */
psa_status_t hrot_trng_get_random_bytes(size_t num_bytes_requested, uint8_t *buffer,
                                        size_t buffer_size, size_t *bytes_written);

/*
 * Makes a key of @p type (HROT_KEY_*) inside the TPM, under its storage
 * key; the TPM's wrapped blob is kept by the partition, so the key lasts
 * across restarts of psa-spm and of the TPM.  *cap is the caller's
 * capability with every right (HROT_RIGHTS_ALL): the caller owns the key.
 */
psa_status_t hrot_generate_key(uint32_t type, hrot_cap_t *cap);

/* The key's public key: 0x04 || X || Y for ECC, DER RSAPublicKey for RSA. */
psa_status_t hrot_get_public_key(const hrot_cap_t *cap, uint8_t *out, size_t out_size,
                                 size_t *out_len);

/*
 * HROT_SIGN_DATA: ECDSA (P-256) over SHA-256 of the @p data_len bytes of
 * @p data (at most HROT_MAX_SIGN_DATA), hashed by the partition, signed by
 * the TPM: r || s into @p signature (@p signature_size >= 64).
 */
psa_status_t hrot_sign_data(const hrot_cap_t *cap, const uint8_t *data, size_t data_len,
                            uint8_t *signature, size_t signature_size, size_t *signature_len);

/*
 * HROT_DECRYPT_DATA: RSA-OAEP (SHA-256, empty label) decryption by the TPM
 * of the HROT_RSA_CIPHERTEXT_SIZE bytes at @p encrypted.
 */
psa_status_t hrot_decrypt_data(const hrot_cap_t *cap, const uint8_t *encrypted,
                               size_t encrypted_len, uint8_t *decrypted, size_t decrypted_size,
                               size_t *decrypted_len);

/*
 * Mints a capability for client @p grantee (HROT_CLIENT_ID_OF_UID() of a
 * Linux user, or a partition id) with @p rights, which must be a subset of
 * @p cap's, and @p cap must hold HROT_RIGHT_GRANT.  *granted is the new
 * value, to hand to that client by any channel (it is useless to anyone
 * else); *serial names it for hrot_revoke().
 */
psa_status_t hrot_grant(const hrot_cap_t *cap, int32_t grantee, uint32_t rights,
                        hrot_cap_t *granted, uint32_t *serial);

/*
 * Revokes capability @p serial of the same key, and every capability
 * granted from it: @p cap must hold HROT_RIGHT_GRANT and be the key
 * owner's or the one that granted it.  The owner's own first capability
 * is not revoked (hrot_destroy_key() ends the key).
 */
psa_status_t hrot_revoke(const hrot_cap_t *cap, uint32_t serial);

/*
 * TPM2_Certify of the key by the TPM's attestation key over @p nonce (at
 * most 64 bytes): layout in docs/hrot.md.  Needs HROT_RIGHT_GET_PUBLIC.
 */
psa_status_t hrot_attest_key(const hrot_cap_t *cap, const uint8_t *nonce, size_t nonce_len,
                             uint8_t *out, size_t out_size, size_t *out_len);

/* Ends the key and every capability of it: the owner's capability only. */
psa_status_t hrot_destroy_key(const hrot_cap_t *cap);

#ifdef __cplusplus
}
#endif

#endif /* PARTIX_HROT_H */
