/*
 * tfm_bls_hsm_api.h - client API of the BLS12-381 signing HSM partition
 * (SID 0x110, stateless handle 0x40000107, PID 447; docs/bls-hsm.md).
 *
 * BLS signatures as Ethereum uses them (ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_): 48-byte compressed G1
 * public keys, 96-byte compressed G2 signatures.  Secret keys are made in,
 * or imported into, the partition and never leave it.  A key is named by
 * its keystore index (0 .. TFM_BLS_HSM_KEYSTORE_SIZE - 1) and belongs to the
 * client (Linux user) that made it: for any other client, the index is
 * empty (PSA_ERROR_DOES_NOT_EXIST).  Keys persist in Internal Trusted
 * Storage across restarts.
 *
 * Every function is one psa_call.  Common errors: PSA_ERROR_INVALID_ARGUMENT
 * for a NULL pointer, an index out of range or a bad length;
 * PSA_ERROR_STORAGE_FAILURE if the partition cannot reach its storage;
 * PSA_ERROR_CONNECTION_REFUSED without an SPM.
 */
#ifndef TFM_BLS_HSM_API_H
#define TFM_BLS_HSM_API_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TFM_BLS_HSM_KEYSTORE_SIZE 16 /* keys the partition holds, all clients together */
#define TFM_BLS_HSM_MAX_MSG 4096     /* longest message tfm_bls_sign takes */
#define TFM_BLS_HSM_MAX_INFO 255     /* longest key_info of tfm_secure_keygen */
#define TFM_BLS_HSM_MIN_SEED 32      /* EIP-2333: a seed has at least 256 bits */
#define TFM_BLS_HSM_MAX_SEED 256     /* partix's bound on an imported seed */
#define TFM_BLS_HSM_SK_LEN 32        /* a secret key, big-endian, 1 <= SK < r */
#define TFM_BLS_HSM_PK_LEN 48        /* a public key: compressed G1 point */
#define TFM_BLS_HSM_SIG_LEN 96       /* a signature: compressed G2 point */

/**
 * The keystore's occupancy: *@p keys gets the number of keys the caller
 * owns, *@p free_slots the number of empty slots (shared by all clients).
 */
psa_status_t tfm_get_keystore_size(uint32_t *keys, uint32_t *free_slots);

/**
 * Makes a secret key in the partition: KeyGen(IKM, @p key_info) with 32
 * bytes of IKM from the platform's entropy (getrandom).  @p key_info (at
 * most TFM_BLS_HSM_MAX_INFO bytes) may be NULL when @p info_len is 0.
 * *@p index gets the new key's index.  PSA_ERROR_INSUFFICIENT_STORAGE if
 * the keystore is full.
 */
psa_status_t tfm_secure_keygen(const uint8_t *key_info, size_t info_len, uint32_t *index);

/**
 * The public key of the caller's key @p index into @p pk (48 bytes).
 * PSA_ERROR_DOES_NOT_EXIST if the slot is empty or another client's.
 */
psa_status_t tfm_get_key(uint32_t index, uint8_t pk[TFM_BLS_HSM_PK_LEN]);

/**
 * Signs @p msg_len bytes (0 .. TFM_BLS_HSM_MAX_MSG; an Ethereum signing
 * root is a 32-byte message) with the caller's key @p index: the
 * 96-byte signature into @p sig.  PSA_ERROR_DOES_NOT_EXIST as tfm_get_key.
 */
psa_status_t tfm_bls_sign(uint32_t index, const uint8_t *msg, size_t msg_len,
                          uint8_t sig[TFM_BLS_HSM_SIG_LEN]);

/**
 * Imports a 32-byte big-endian secret key @p sk (1 <= SK < r, else
 * PSA_ERROR_INVALID_ARGUMENT); *@p index gets its index.
 * PSA_ERROR_INSUFFICIENT_STORAGE if the keystore is full.
 */
psa_status_t tfm_bls_import_key(const uint8_t sk[TFM_BLS_HSM_SK_LEN], uint32_t *index);

/**
 * Imports the EIP-2333 master key of @p seed (TFM_BLS_HSM_MIN_SEED ..
 * TFM_BLS_HSM_MAX_SEED bytes): derive_master_SK(seed), made in the
 * partition; *@p index gets its index.  Errors as tfm_bls_import_key.
 */
psa_status_t tfm_bls_import_seed(const uint8_t *seed, size_t seed_len, uint32_t *index);

/**
 * Deletes the caller's key @p index, from memory and from storage.
 * PSA_ERROR_DOES_NOT_EXIST as tfm_get_key.
 */
psa_status_t tfm_bls_delete_key(uint32_t index);

#ifdef __cplusplus
}
#endif

#endif /* TFM_BLS_HSM_API_H */
