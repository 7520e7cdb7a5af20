/*
 * bls_hsm_config.h - each user's quota of the BLS HSM's keystore, fixed
 * when the partition is built: make CFLAGS=-DBLS_HSM_USER_MAX_KEYS=8 ...
 * A user is a client id (a Linux user, or a secure partition).  The
 * keystore's size, TFM_BLS_HSM_KEYSTORE_SIZE, is the public API's
 * (tfm_bls_hsm_api.h).
 */
#ifndef BLS_HSM_CONFIG_H
#define BLS_HSM_CONFIG_H

#include "tfm_bls_hsm_api.h"

/* Keys one user holds at once: a quarter of the keystore.  Past it, a new
 * key gets PSA_ERROR_INSUFFICIENT_STORAGE, as when the keystore is full.
 * The keys are stored in Internal Trusted Storage under this partition's
 * id, which ITS charges to no user: this is the user's quota. */
#ifndef BLS_HSM_USER_MAX_KEYS
#define BLS_HSM_USER_MAX_KEYS (TFM_BLS_HSM_KEYSTORE_SIZE / 4)
#endif

_Static_assert(BLS_HSM_USER_MAX_KEYS >= 1 && BLS_HSM_USER_MAX_KEYS <= TFM_BLS_HSM_KEYSTORE_SIZE,
               "a user's quota of keys is 1 .. the keystore's size");

#endif /* BLS_HSM_CONFIG_H */
