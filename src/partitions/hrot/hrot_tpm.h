/*
 * hrot_tpm.h - the HRoT partition's TPM driver: one command at a time over
 * the channel psa-spm handed the partition (a swtpm datagram socket or the
 * host's /dev/tpmrm0), each with a timeout.  Every function returns a PSA
 * status: PSA_ERROR_HARDWARE_FAILURE when the device is absent, gone, late
 * or answers what is not a TPM 2.0 response (logged, and from then on the
 * device counts as gone: a half-read response cannot be resynchronised),
 * else the TPM's own response code mapped (hrot_tpm_status()).
 */
#ifndef PARTIX_HROT_TPM_H
#define PARTIX_HROT_TPM_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"
#include "tpm2_codec.h"

/* How long one command may take: RSA-2048 key generation in swtpm takes up
 * to a few seconds on a slow machine; psa-spm's watchdog is 60 s. */
#define HROT_TPM_TIMEOUT_MS 30000

/* Takes the device at @p fd (-1: none) and runs TPM2_Startup(CLEAR) and a
 * full self-test, then makes the storage primary key.  Safe to call again:
 * once up, it does nothing. */
psa_status_t hrot_tpm_init(int fd);

/* Whether the device works (init succeeded and nothing broke since). */
int hrot_tpm_up(void);

/* @p n random bytes from the TPM's generator, in commands of at most 64. */
psa_status_t hrot_tpm_random(uint8_t *out, size_t n);

/* A key of template @p t made under the storage primary key: its wrapped
 * private part and its public part, whole TPM2Bs, copied into @p priv and
 * @p pub (capacities in, lengths out). */
psa_status_t hrot_tpm_create(enum tpm2_template t, uint8_t *priv, size_t *priv_len, uint8_t *pub,
                             size_t *pub_len);

/* Loads a key made by hrot_tpm_create(): its transient handle (the driver
 * keeps one loaded key cached by @p id; the handle is valid until the next
 * load of another id). */
psa_status_t hrot_tpm_load(uint32_t id, const uint8_t *priv, size_t priv_len, const uint8_t *pub,
                           size_t pub_len, uint32_t *handle);

/* ECDSA (P-256, SHA-256) over @p digest: r || s. */
psa_status_t hrot_tpm_sign(uint32_t handle, const uint8_t digest[32], uint8_t rs[64]);

/* RSA-OAEP (SHA-256) decryption: the message into @p out (capacity in,
 * length out). */
psa_status_t hrot_tpm_decrypt(uint32_t handle, const uint8_t *ct, size_t ct_len, uint8_t *out,
                              size_t *out_len);

/* TPM2_Certify of @p handle by the TPM's attestation key (a primary key of
 * the endorsement hierarchy, made on first use) over @p nonce: the
 * TPMS_ATTEST into @p attest (capacity in, length out), its signature r || s,
 * and the attestation key's public part (whole TPM2B) into @p ak_pub. */
psa_status_t hrot_tpm_certify(uint32_t handle, const uint8_t *nonce, size_t nonce_len,
                              uint8_t *attest, size_t *attest_len, uint8_t rs[64], uint8_t *ak_pub,
                              size_t *ak_pub_len);

/* The status a TPM response code stands for. */
psa_status_t hrot_tpm_status(uint32_t rc);

#endif /* PARTIX_HROT_TPM_H */
