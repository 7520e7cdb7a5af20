/*
 * its_config.h - the capacity of Internal Trusted Storage, fixed when the
 * partition is built (as TF-M's ITS_NUM_ASSETS and ITS_MAX_ASSET_SIZE):
 * make CFLAGS=-DITS_MAX_ENTRIES=128 ...  A set that would pass one of these
 * bounds gets PSA_ERROR_INSUFFICIENT_STORAGE.
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

#endif /* ITS_CONFIG_H */
