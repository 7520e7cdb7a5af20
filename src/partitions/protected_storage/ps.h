/*
 * ps.h - Protected Storage inside its partition: the requests (ps_req.c)
 * over the store (ps_store.c: the object table and the write protocol),
 * the object files (ps_object.c) and the key (ps_crypto.c).
 *
 * Every object is one file of the partition's storage directory, named by
 * its owner (the caller's client id) and uid, encrypted and authenticated
 * with AES-256-GCM under the PS key (HKDF-SHA256 of the hardware unique
 * key), a fresh random nonce per write, and its identity (owner, uid,
 * flags, size, generation, capacity) as associated data.  The object table (file
 * ps_table, sealed the same way) holds every object's identity and the
 * generation its file must have: a file swapped, renamed, changed or
 * rolled back to an older copy of itself fails its checks.
 *
 * A set writes the object's file (generation = the last one given + 1),
 * then the table; so do psa_ps_create() (an empty file) and
 * psa_ps_set_extended() (the whole object, rewritten: a crash leaves the
 * old data or the new, never a mix).  A remove writes the table, then
 * unlinks the file.  Each file is replaced atomically and durably
 * (storage_shared.h).  At start,
 * a file one generation ahead of the table is a set that a crash cut short
 * between its two writes: it is authenticated and taken in.
 */
#ifndef PS_H
#define PS_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"
#include "psa/storage_common.h"

struct ps_object {
    int32_t owner; /* client id */
    psa_storage_uid_t uid;
    uint32_t flags;
    uint32_t size;
    uint64_t gen;      /* the generation of its file */
    uint32_t capacity; /* >= size: psa_ps_create()'s, else the size */
    int used;
};

/* ---- ps_crypto.c ---- */

#define PS_NONCE_LEN 12u
#define PS_TAG_LEN 16u

/* Starts Mbed TLS's PSA core and derives the PS key from the hardware
 * unique key (the OTP).  PSA_SUCCESS, or the failure (logged). */
psa_status_t ps_crypto_init(void);

/* Encrypts @p len bytes of @p in into @p out (@p len + PS_TAG_LEN bytes:
 * ciphertext, then tag) under a fresh random nonce, written to @p nonce,
 * authenticating @p ad too. */
psa_status_t ps_seal(const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t len,
                     uint8_t *nonce, uint8_t *out);

/* Decrypts @p len bytes of @p in (ciphertext, then tag: @p len includes
 * PS_TAG_LEN) into @p out.  PSA_ERROR_INVALID_SIGNATURE if the tag does not
 * match @p ad, the nonce and the ciphertext. */
psa_status_t ps_open(const uint8_t *ad, size_t ad_len, const uint8_t *nonce, const uint8_t *in,
                     size_t len, uint8_t *out);

/* ---- ps_object.c: one object's file ---- */

#define PS_NAME_LEN 25    /* 8 hex digits, '-', 16 hex digits */
#define PS_OBJ_HEADER 52u /* a version 2 file's (ps_object.c) */

/* The file name of (@p owner, @p uid): PS_NAME_LEN characters. */
void ps_object_name(char *out, int32_t owner, psa_storage_uid_t uid);

/* Seals @p o->size bytes of @p data as @p o's file (its identity and
 * generation in the header and the associated data), replacing it.  As
 * storage_file_replace(): 0, -1 (nothing changed), 1 (not synced). */
int ps_object_write(int dir, const struct ps_object *o, const uint8_t *data);

/* Reads file @p name's header into @p hdr (used set) if the file is a
 * whole object file (its magic, its length matching the size it gives);
 * nothing is authenticated yet.  0, or -1 (errno EINVAL or EFBIG: not an
 * object file). */
int ps_object_peek(int dir, const char *name, struct ps_object *hdr);

/* Reads, checks and decrypts the file of @p o into @p data (@p o->size
 * bytes): its header must be @p o's identity and generation, its tag must
 * hold.  PSA_SUCCESS, PSA_ERROR_INVALID_SIGNATURE (another object's file,
 * an older copy, a change), PSA_ERROR_DATA_CORRUPT (missing, truncated, not
 * an object file) or PSA_ERROR_STORAGE_FAILURE (it cannot be read); each
 * logged. */
psa_status_t ps_object_read(int dir, const struct ps_object *o, uint8_t *data);

/* ps_object_read() of file @p name, whatever its name says. */
psa_status_t ps_object_open(int dir, const char *name, const struct ps_object *o, uint8_t *data);

/* ---- ps_store.c: the objects of every client ---- */

/* Reads the table and the directory, takes in a set cut short by a crash.
 * 0, or -1 when the directory cannot be read. */
int ps_store_init(int dir);

/* PSA_SUCCESS, or PSA_ERROR_DATA_CORRUPT when the table failed its checks
 * at start: the store refuses every request (logged then). */
psa_status_t ps_store_usable(void);

/* The object (@p owner, @p uid), or NULL. */
struct ps_object *ps_store_find(int32_t owner, psa_storage_uid_t uid);

/* PSA_SUCCESS or PSA_ERROR_INSUFFICIENT_STORAGE: would an object of
 * @p capacity bytes of @p owner fit, replacing @p old (NULL: a new object),
 * in the service's capacity and, for a non-secure owner, in its quota
 * (ps_config.h)?  Counted from the objects stored, each by its capacity,
 * so a replacement counts its new capacity only. */
psa_status_t ps_store_room(int32_t owner, const struct ps_object *old, uint32_t capacity);

/* Creates or replaces an object of @p size bytes of @p data and @p capacity
 * (>= @p size; room checked before): its file, then the table, so a crash
 * leaves the old object or the new one whole.  PSA_SUCCESS, or
 * PSA_ERROR_STORAGE_FAILURE. */
psa_status_t ps_store_set(int32_t owner, psa_storage_uid_t uid, uint32_t flags, const uint8_t *data,
                          uint32_t size, uint32_t capacity);

/* Reads an object's data, checked (ps_object_read). */
psa_status_t ps_store_read(const struct ps_object *o, uint8_t *data);

/* Removes an object: from the table, then its file.  PSA_SUCCESS, or
 * PSA_ERROR_STORAGE_FAILURE (the object stays if the table could not be
 * written). */
psa_status_t ps_store_remove(struct ps_object *o);

#endif /* PS_H */
