/*
 * bls_hsm.h - the BLS HSM's keystore: TFM_BLS_HSM_KEYSTORE_SIZE slots, each
 * a secret key, its public key and the client id that owns it.  The
 * partition (bls_hsm_sp.c) calls these with the caller's client id and an
 * Internal Trusted Storage backend (bls_hsm_its.c); examples/bls_hsm_ns.c
 * built with -DBLS_HSM_DIRECT calls them in-process, with no backend.
 *
 * Ownership: a slot used by another client reads as empty
 * (PSA_ERROR_DOES_NOT_EXIST), the same answer as a free slot.  An index
 * out of range is PSA_ERROR_INVALID_ARGUMENT.
 *
 * The keystore is read from the backend on the first call that needs it
 * (a partition cannot call another service from its init), and again
 * after a failed read.  Secret keys leave this module only towards the
 * backend; every temporary copy is wiped.  Not thread-safe (a partition
 * handles one message at a time).
 */
#ifndef BLS_HSM_H
#define BLS_HSM_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"
#include "tfm_bls_hsm_api.h"

/* One slot as the backend keeps it. */
struct bls_hsm_record {
    int32_t owner;
    uint8_t sk[TFM_BLS_HSM_SK_LEN];
};

/* Persistence.  load: PSA_SUCCESS with *rec filled, PSA_ERROR_DOES_NOT_EXIST
 * for a free slot, PSA_ERROR_DATA_CORRUPT for a record that is not one, any
 * other status when storage cannot be read.  save and remove: PSA_SUCCESS
 * once durable (remove of a missing record succeeds). */
struct bls_hsm_store {
    psa_status_t (*load)(uint32_t slot, struct bls_hsm_record *rec);
    psa_status_t (*save)(uint32_t slot, const struct bls_hsm_record *rec);
    psa_status_t (*remove)(uint32_t slot);
};

/* Empties the keystore (wiping it) and sets its backend; NULL keeps keys in
 * memory only. */
void bls_hsm_setup(const struct bls_hsm_store *store);

/* The number of keys @p client owns and of free slots. */
psa_status_t bls_hsm_get_keystore(int32_t client, uint32_t *keys, uint32_t *free_slots);

/* A new key from KeyGen(32 bytes of getrandom, @p info); its slot into
 * *@p index.  PSA_ERROR_INSUFFICIENT_STORAGE when full or when @p client
 * holds BLS_HSM_USER_MAX_KEYS keys (bls_hsm_config.h; the imports too),
 * PSA_ERROR_INSUFFICIENT_ENTROPY if getrandom fails. */
psa_status_t bls_hsm_secure_keygen(int32_t client, const uint8_t *info, size_t info_len,
                                   uint32_t *index);

/* The public key of @p client's key @p index. */
psa_status_t bls_hsm_get_key(int32_t client, uint32_t index, uint8_t pk[TFM_BLS_HSM_PK_LEN]);

/* BLS Sign of @p msg with @p client's key @p index. */
psa_status_t bls_hsm_sign(int32_t client, uint32_t index, const uint8_t *msg, size_t msg_len,
                          uint8_t sig[TFM_BLS_HSM_SIG_LEN]);

/* Stores secret key @p sk (1 <= SK < r, else PSA_ERROR_INVALID_ARGUMENT)
 * for @p client; its slot into *@p index. */
psa_status_t bls_hsm_import_key(int32_t client, const uint8_t sk[TFM_BLS_HSM_SK_LEN],
                                uint32_t *index);

/* Stores EIP-2333 derive_master_SK(@p seed) for @p client (a seed of
 * TFM_BLS_HSM_MIN_SEED .. TFM_BLS_HSM_MAX_SEED bytes). */
psa_status_t bls_hsm_import_seed(int32_t client, const uint8_t *seed, size_t seed_len,
                                 uint32_t *index);

/* Removes @p client's key @p index from the backend, then wipes it. */
psa_status_t bls_hsm_delete_key(int32_t client, uint32_t index);

/* The Internal Trusted Storage backend (bls_hsm_its.c; partition only). */
extern const struct bls_hsm_store bls_hsm_its_store;

#endif /* BLS_HSM_H */
