/*
 * ps_config.h - the capacity of Protected Storage and each user's quota of
 * it, fixed when the partition is built (as TF-M's PS_NUM_ASSETS and
 * PS_MAX_ASSET_SIZE): make CFLAGS=-DPS_MAX_OBJECTS=128 ...  A set that
 * would pass one of these bounds gets PSA_ERROR_INSUFFICIENT_STORAGE.
 *
 * A user is a non-secure client id (one Linux user); a secure partition is
 * charged no quota, as in Internal Trusted Storage (its_config.h).
 */
#ifndef PS_CONFIG_H
#define PS_CONFIG_H

/* Objects held at once, every client together. */
#ifndef PS_MAX_OBJECTS
#define PS_MAX_OBJECTS 64
#endif

/* Bytes of one object's data. */
#ifndef PS_MAX_ASSET_SIZE
#define PS_MAX_ASSET_SIZE 16384
#endif

/* Bytes of data held at once, every client together. */
#ifndef PS_MAX_TOTAL_SIZE
#define PS_MAX_TOTAL_SIZE (256 * 1024)
#endif

/* Objects one user holds at once: a quarter of the capacity. */
#ifndef PS_USER_MAX_OBJECTS
#define PS_USER_MAX_OBJECTS (PS_MAX_OBJECTS / 4)
#endif

/* Bytes of data one user holds at once: a quarter of the capacity. */
#ifndef PS_USER_MAX_TOTAL_SIZE
#define PS_USER_MAX_TOTAL_SIZE (PS_MAX_TOTAL_SIZE / 4)
#endif

#endif /* PS_CONFIG_H */
