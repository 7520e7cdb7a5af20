/*
 * its.h - Internal Trusted Storage inside its partition: the requests
 * (its_req.c) over the entry store (its_store.c).
 *
 * Each entry is one file of the partition's storage directory, named by its
 * owner (the caller's client id) and uid, holding a header, the data and a
 * CRC-32 of both, written by partix_file_replace() (durable_file.h): a
 * crash leaves the old file or the new one.  At start, temporary files are
 * removed and an entry that fails its checks is ignored (as absent).
 */
#ifndef ITS_H
#define ITS_H

#include <stdint.h>

#include "psa/error.h"
#include "psa/storage_common.h"

struct its_entry {
    int32_t owner; /* client id */
    psa_storage_uid_t uid;
    uint32_t flags;
    uint32_t size;
    int used;
};

/* Reads the directory: 0, or -1 when it cannot be read. */
int its_store_init(int dir);

/* The entry of (@p owner, @p uid), or NULL. */
struct its_entry *its_store_find(int32_t owner, psa_storage_uid_t uid);

/* PSA_SUCCESS or PSA_ERROR_INSUFFICIENT_STORAGE: would @p size bytes of
 * @p owner fit, replacing @p old (NULL: a new entry), in the capacity and,
 * for a non-secure owner, in its quota (its_config.h)?  Counted from the
 * entries stored, so a replacement counts its new size only. */
psa_status_t its_store_room(int32_t owner, const struct its_entry *old, uint32_t size);

/* Writes an entry atomically and durably.  @p buf holds the data at
 * ITS_HEADER_SIZE and room for the header before it and ITS_TRAILER_SIZE
 * after it. */
psa_status_t its_store_write(int32_t owner, psa_storage_uid_t uid, uint32_t flags, uint8_t *buf,
                             uint32_t size);

/* Reads the entry's data, checked, into @p buf (ITS_HEADER_SIZE + size +
 * ITS_TRAILER_SIZE bytes); its data starts at ITS_HEADER_SIZE. */
psa_status_t its_store_read(const struct its_entry *e, uint8_t *buf);

psa_status_t its_store_remove(struct its_entry *e);

#define ITS_HEADER_SIZE 32u
#define ITS_TRAILER_SIZE 4u

#endif /* ITS_H */
