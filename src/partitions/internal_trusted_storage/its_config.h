/*
 * its_config.h - the capacity of Internal Trusted Storage and each user's
 * quota of it, fixed when the partition is built (as TF-M's ITS_NUM_ASSETS
 * and ITS_MAX_ASSET_SIZE): make CFLAGS=-DITS_MAX_ENTRIES=128 ...  A set
 * that would pass one of these bounds gets PSA_ERROR_INSUFFICIENT_STORAGE.
 *
 * A user is a non-secure client id (one Linux user).  A secure partition
 * is charged no quota here: those that store for users (Crypto's persistent
 * keys, the BLS HSM's keys) count each user's keys against that user's
 * quota of their own, and their totals bound what they hold here.
 */
#ifndef ITS_CONFIG_H
#define ITS_CONFIG_H

/* Entries held at once, every client together. */
#ifndef ITS_MAX_ENTRIES
#define ITS_MAX_ENTRIES 64
#endif

/* Bytes of one entry's data. */
#ifndef ITS_MAX_ASSET_SIZE
#define ITS_MAX_ASSET_SIZE 16384
#endif

/* Bytes of data held at once, every client together. */
#ifndef ITS_MAX_TOTAL_SIZE
#define ITS_MAX_TOTAL_SIZE (256 * 1024)
#endif

/* Entries one user holds at once: a quarter of the capacity. */
#ifndef ITS_USER_MAX_ENTRIES
#define ITS_USER_MAX_ENTRIES (ITS_MAX_ENTRIES / 4)
#endif

/* Bytes of data one user holds at once: a quarter of the capacity. */
#ifndef ITS_USER_MAX_TOTAL_SIZE
#define ITS_USER_MAX_TOTAL_SIZE (ITS_MAX_TOTAL_SIZE / 4)
#endif

#endif /* ITS_CONFIG_H */
