/*
 * crypto_config.h - each user's quota of the Crypto partition's keys, fixed
 * and multi-part operations, fixed when the partition is built:
 * make CFLAGS=-DCRYPTO_USER_MAX_VOLATILE_KEYS=4 ...  A user is a client id
 * (a Linux user, or a secure partition); the totals are in crypto_sp.h.
 */
#ifndef PARTIX_CRYPTO_CONFIG_H
#define PARTIX_CRYPTO_CONFIG_H

/* Volatile keys one user holds at once (of CK_MAX_KEYS, 28): past it,
 * PSA_ERROR_INSUFFICIENT_MEMORY, as when every key slot is taken. */
#ifndef CRYPTO_USER_MAX_VOLATILE_KEYS
#define CRYPTO_USER_MAX_VOLATILE_KEYS 8
#endif

/* Persistent keys one user holds (of CP_MAX_KEYS, 32): past it,
 * PSA_ERROR_INSUFFICIENT_STORAGE, as when the pool is used up.  Keys stored
 * before a build with a smaller quota stay usable. */
#ifndef CRYPTO_USER_MAX_PERSISTENT_KEYS
#define CRYPTO_USER_MAX_PERSISTENT_KEYS 8
#endif

/* Multi-part hash, MAC, cipher and key-derivation operations one user has
 * open at once, over all its processes (of CO_MAX_OPS, 32; a process holds
 * 8 of every kind): past it, PSA_ERROR_INSUFFICIENT_MEMORY, as when every
 * operation slot is taken.  AEAD operations have their own quota, below. */
#ifndef CRYPTO_USER_MAX_OPS
#define CRYPTO_USER_MAX_OPS 8
#endif

/* Multi-part AEAD operations one user has open at once, over all its
 * processes (of CO_MAX_OPS, 32, shared with hash, MAC, cipher and key
 * derivation operations): past it, PSA_ERROR_INSUFFICIENT_MEMORY. */
#ifndef CRYPTO_USER_MAX_AEAD_OPS
#define CRYPTO_USER_MAX_AEAD_OPS 4
#endif

#endif /* PARTIX_CRYPTO_CONFIG_H */
