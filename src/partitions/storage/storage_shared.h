/*
 * storage_shared.h - what the two storage partitions (Internal Trusted Storage and
 * Protected Storage) share: their requests' common vectors (storage_req.c),
 * the budget of a set (storage_quota.c) and whole files of their storage
 * directory (storage_file.c), written atomically and durably.  Not a
 * partition: compiled into both.
 *
 * A file is replaced by writing <name>.tmp, fsync'ing it, renaming it over
 * <name>, then fsync'ing the directory: a crash leaves the old file or the
 * new one, and a replacement that returned 0 survives a crash.  Leftover
 * .tmp files are removed when the directory is scanned at start.
 */
#ifndef PARTIX_STORAGE_SHARED_H
#define PARTIX_STORAGE_SHARED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "psa/service.h"
#include "psa/storage_common.h"

#include "durable_file.h" /* partix_file_read, partix_put_le32 & co */

#define STORAGE_TMP_SUFFIX PARTIX_TMP_SUFFIX

/* A file name of at most this many characters, suffix included. */
#define STORAGE_NAME_MAX 40

/* Checks the vectors of a call: exactly @p n_in inputs and @p n_out outputs
 * (the rest empty), the first input a nonzero uid, read into @p uid.
 * PSA_SUCCESS or PSA_ERROR_INVALID_ARGUMENT. */
psa_status_t storage_read_uid(const psa_msg_t *msg, size_t n_in, size_t n_out,
                              psa_storage_uid_t *uid);

/* The creation flags both services know (PSA Storage API 1.0). */
#define STORAGE_KNOWN_FLAGS                                                                        \
    (PSA_STORAGE_FLAG_WRITE_ONCE | PSA_STORAGE_FLAG_NO_CONFIDENTIALITY |                           \
     PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION)

/* Reads a set's flags from input 2: PSA_SUCCESS, PSA_ERROR_INVALID_ARGUMENT
 * (not a psa_storage_create_flags_t) or PSA_ERROR_NOT_SUPPORTED (a flag
 * outside STORAGE_KNOWN_FLAGS). */
psa_status_t storage_read_flags(const psa_msg_t *msg, psa_storage_create_flags_t *flags);

/* Answers a get: the @p size bytes of @p data from @p offset (at most
 * @p size), as many as output 0 holds. */
void storage_reply_data(const psa_msg_t *msg, const uint8_t *data, uint32_t size, uint64_t offset);

/* Answers a get_info with an entry of @p capacity bytes, @p size of them
 * held, and @p flags (output 0 already checked to hold a
 * psa_storage_info_t). */
void storage_reply_info(const psa_msg_t *msg, uint32_t capacity, uint32_t size, uint32_t flags);

/* Reads input @p index as an offset: the caller's size_t, 8 bytes from a
 * 64-bit caller or 4 from a 32-bit one.  PSA_SUCCESS or
 * PSA_ERROR_INVALID_ARGUMENT. */
psa_status_t storage_read_offset(const psa_msg_t *msg, uint32_t index, uint64_t *offset);

/* Replaces (or creates) file @p name of @p dir with @p len bytes, as the
 * file comment says; logs what fails.  0: done and durable; -1: nothing changed
 * (the old file, if any, is intact); 1: the new file is in place but the
 * directory could not be synced. */
int storage_file_replace(int dir, const char *name, const uint8_t *buf, size_t len);

/* Removes file @p name of @p dir (gone already is fine) and syncs the
 * directory; logs what fails.  0: done and durable; -1: nothing changed;
 * 1: removed, but the directory could not be synced. */
int storage_file_remove(int dir, const char *name);

/* Calls @p fn for each name in @p dir but . and .., after removing the
 * leftover .tmp files of replacements that never completed; then syncs the
 * directory.  0, or -1 when the directory cannot be read. */
int storage_dir_scan(int dir, void (*fn)(const char *name, void *arg), void *arg);

/* What a set of clients holds, or may hold: entries and bytes of data. */
struct storage_use {
    uint32_t entries;
    uint32_t bytes;
};

/* Whether a set of @p size bytes fits budget @p max when @p use is held
 * now: a new entry (@p old_size NULL) needs a free entry and the bytes; a
 * replacement of an entry of *@p old_size bytes counts only the new size
 * (storage_quota.c). */
bool storage_fits(const struct storage_use *use, const struct storage_use *max,
                  const uint32_t *old_size, uint32_t size);

#endif /* PARTIX_STORAGE_SHARED_H */
