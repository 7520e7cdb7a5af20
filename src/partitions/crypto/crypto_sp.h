/* crypto_sp.h - between the files of the Crypto partition. */
#ifndef PARTIX_CRYPTO_SP_H
#define PARTIX_CRYPTO_SP_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto_aead.h"
#include "crypto_config.h"
#include "crypto_wire.h"

/* crypto_keys.c: each client's key ids, mapped to Mbed TLS's.  A key of
 * another client is, to a caller, a key that does not exist.  Ids in
 * PSA_KEY_ID_USER_MIN..MAX are persistent keys (crypto_pkeys.c); the
 * others are volatile keys, numbered by the partition. */
#define CK_SLOTS 32                /* Mbed TLS 2.28's key slots (MBEDTLS_PSA_KEY_SLOT_COUNT) */
#define CK_MAX_KEYS (CK_SLOTS - 4) /* volatile keys: 4 slots stay for persistent keys in use */
/* each user's share: CRYPTO_USER_MAX_VOLATILE_KEYS (crypto_config.h) */
#define CK_MAX_PER_CLIENT CRYPTO_USER_MAX_VOLATILE_KEYS
psa_status_t ck_lookup(int32_t client, uint32_t app, uint32_t *internal);
psa_status_t ck_room(int32_t client);
uint32_t ck_add(int32_t client, uint32_t internal);
void ck_remove(int32_t client, uint32_t app);
uint32_t ck_app_id(int32_t client, uint32_t internal);

/* crypto_pkeys.c: persistent keys, their ids chosen by the client, the map
 * kept in Internal Trusted Storage.  Quota: CP_MAX_PER_CLIENT each,
 * CP_MAX_KEYS in all (fixed: the stored map has that many slots); past it,
 * PSA_ERROR_INSUFFICIENT_STORAGE.  ITS charges these keys to this
 * partition, not to a user (its_config.h): the quota here is the user's. */
#define CP_MAX_KEYS 32
#define CP_MAX_PER_CLIENT CRYPTO_USER_MAX_PERSISTENT_KEYS
bool cp_is_app_id(uint32_t app);
bool cp_is_internal(uint32_t id);
psa_status_t cp_lookup(int32_t client, uint32_t app, uint32_t *internal);
/* An id for a new key (@p app of @p client): INVALID_ARGUMENT outside the
 * user range, ALREADY_EXISTS, INSUFFICIENT_STORAGE past the quota. */
psa_status_t cp_reserve(int32_t client, uint32_t app, uint32_t *internal);
/* After Mbed TLS stored key @p internal: maps it, durably. */
psa_status_t cp_commit(int32_t client, uint32_t app, uint32_t internal);
/* Before Mbed TLS destroys the key: unmaps it, durably. */
psa_status_t cp_unmap(int32_t client, uint32_t app);
/* The map in memory may differ from the one stored: read it again. */
void cp_forget(void);
uint32_t cp_app_id(int32_t client, uint32_t internal);

_Static_assert(CK_MAX_PER_CLIENT >= 1 && CK_MAX_PER_CLIENT <= CK_MAX_KEYS &&
                   CP_MAX_PER_CLIENT >= 1 && CP_MAX_PER_CLIENT <= CP_MAX_KEYS,
               "a user's quota of keys is 1 .. the total");

/* crypto_builtin.c: TF-M's built-in keys (tfm_builtin_key_ids.h).  The HUK
 * is the secret of a derivation only: cb_open() gives, for a call of
 * function @p fn, a volatile Mbed TLS key holding the caller's own secret
 * derived from it (PSA_ERROR_NOT_PERMITTED for any other function); the
 * call's end gives it to cb_close(). */
bool cb_is_builtin(uint32_t app);
psa_status_t cb_open(int32_t client, uint16_t fn, uint32_t app, uint32_t *internal);
void cb_close(uint32_t internal);

/* crypto_its.c: psa_its_* as Mbed TLS 2.28 calls them (library/
 * psa_crypto_its.h, which Debian does not install: 32-bit lengths and
 * offsets, a two-field info struct), as calls to the ITS partition. */
typedef uint64_t psa_storage_uid_t;
struct psa_storage_info_t {
    uint32_t size;
    uint32_t flags;
};
psa_status_t psa_its_set(psa_storage_uid_t uid, uint32_t data_length, const void *p_data,
                         uint32_t create_flags);
psa_status_t psa_its_get(psa_storage_uid_t uid, uint32_t data_offset, uint32_t data_length,
                         void *p_data, size_t *p_data_length);
psa_status_t psa_its_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info);
psa_status_t psa_its_remove(psa_storage_uid_t uid);
/* The first failure of ITS (other than DOES_NOT_EXIST) since the last
 * cits_reset(), or PSA_SUCCESS. */
void cits_reset(void);
psa_status_t cits_failure(void);

/* crypto_ops.c: multi-part operations, each owned by one connection. */
#define CO_MAX_CONNS 32
#define CO_MAX_OPS 32
#define CO_MAX_PER_CONN 8
/* each user's share of multi-part hash, MAC, cipher and key-derivation
 * operations, and of AEAD operations (crypto_config.h); past it, a setup is
 * PSA_ERROR_INSUFFICIENT_MEMORY */
#define CO_MAX_PER_USER CRYPTO_USER_MAX_OPS
#define CO_MAX_AEAD_PER_USER CRYPTO_USER_MAX_AEAD_OPS
_Static_assert(CO_MAX_PER_USER >= 1 && CO_MAX_PER_USER <= CO_MAX_OPS,
               "a user's quota of operations is 1 .. the total");
_Static_assert(CO_MAX_AEAD_PER_USER >= 1 && CO_MAX_AEAD_PER_USER <= CO_MAX_OPS,
               "a user's quota of AEAD operations is 1 .. the total");
struct co_conn;
struct co_conn *co_connect(int32_t client);
unsigned co_disconnect(struct co_conn *conn); /* the operations it freed */
void *co_new(struct co_conn *conn, uint8_t kind, uint32_t *handle);
void *co_find(struct co_conn *conn, uint32_t handle, uint8_t kind);
void co_free(struct co_conn *conn, uint32_t handle);

/* crypto_keybytes.c: starts multi-part AEAD operation @p op with key
 * @p key (Mbed TLS's id) after the checks of psa_aead_*_setup(): the
 * algorithm (INVALID_ARGUMENT), the key's usage and policy (NOT_PERMITTED). */
psa_status_t ckb_aead_setup(struct ca_op *op, bool encrypt, uint32_t key, psa_algorithm_t alg);

/* crypto_impl.c: the Mbed TLS function of each row, on decoded arguments. */
typedef psa_status_t (*crypto_impl_fn)(struct cw_arg *a);
crypto_impl_fn crypto_impl(uint16_t id);

#endif
