/*
 * ps_object.c - one object's file:
 *
 *   0   magic "PXPSOBJ" and format version 2     \
 *   8   owner (client id, u32)                    |
 *   12  uid (u64)                                 | the associated data,
 *   20  flags (u32)                               | built from the table
 *   24  size (u32)                                | when the file is read
 *   28  generation (u64)                          |
 *   36  capacity (u32)                           /
 *   40  nonce (12 bytes)
 *   52  ciphertext (size bytes), then the GCM tag (16)
 *
 * Integers are little-endian.  The header is in clear so that the scan at
 * start can tell which object and generation a file claims to be; only the
 * tag says whether it is.  The capacity is in the file, not only in the
 * table, so that a set the start takes in (ps.h) keeps its capacity.
 * Version 1 files (written before psa_ps_create(): no capacity, the nonce
 * at 36, the data at 48) are still read, as objects whose capacity is their
 * size; every write makes a version 2 file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ps.h"
#include "ps_config.h"
#include "storage_shared.h"
#include "tfm_sp_log.h"

#define AD_LEN_V1 36u
#define AD_LEN 40u
#define HEADER_V1 48u
#define FILE_MAX (PS_OBJ_HEADER + PS_MAX_ASSET_SIZE + PS_TAG_LEN)

static const uint8_t magic[7] = {'P', 'X', 'P', 'S', 'O', 'B', 'J'};

/* One object's file, in and out (the partition's heap is Mbed TLS's). */
static uint8_t file_buf[FILE_MAX];

void ps_object_name(char *out, int32_t owner, psa_storage_uid_t uid)
{
    snprintf(out, PS_NAME_LEN + 1, "%08" PRIx32 "-%016" PRIx64, (uint32_t)owner, uid);
}

/* The format version of the file in @p h (whose magic was checked). */
static unsigned version(const uint8_t *h)
{
    return h[7];
}

/* The associated data of @p o as a file of format @p v has it: its length. */
static size_t put_identity(uint8_t *h, const struct ps_object *o, unsigned v)
{
    memcpy(h, magic, sizeof(magic));
    h[7] = (uint8_t)v;
    partix_put_le32(h + 8, (uint32_t)o->owner);
    partix_put_le64(h + 12, o->uid);
    partix_put_le32(h + 20, o->flags);
    partix_put_le32(h + 24, o->size);
    partix_put_le64(h + 28, o->gen);
    if (v == 1)
        return AD_LEN_V1;
    partix_put_le32(h + 36, o->capacity);
    return AD_LEN;
}

static void get_identity(const uint8_t *h, struct ps_object *o)
{
    o->owner = (int32_t)partix_get_le32(h + 8);
    o->uid = partix_get_le64(h + 12);
    o->flags = partix_get_le32(h + 20);
    o->size = partix_get_le32(h + 24);
    o->gen = partix_get_le64(h + 28);
    o->capacity = version(h) == 1 ? o->size : partix_get_le32(h + 36);
    o->used = 1;
}

int ps_object_write(int dir, const struct ps_object *o, const uint8_t *data)
{
    char name[PS_NAME_LEN + 1];

    put_identity(file_buf, o, 2);
    if (ps_seal(file_buf, AD_LEN, data, o->size, file_buf + AD_LEN, file_buf + PS_OBJ_HEADER) !=
        PSA_SUCCESS)
        return -1;
    ps_object_name(name, o->owner, o->uid);
    return storage_file_replace(dir, name, file_buf, PS_OBJ_HEADER + o->size + PS_TAG_LEN);
}

/* The file's length, if it is a whole object file as far as its header
 * goes; else -1 (errno EINVAL or EFBIG: not an object file; ENOENT: no
 * file; another: it cannot be read). */
static ssize_t load(int dir, const char *name)
{
    ssize_t len = partix_file_read(dir, name, file_buf, sizeof(file_buf));
    ssize_t hdr;

    if (len < 0)
        return -1;
    if (len < (ssize_t)(HEADER_V1 + PS_TAG_LEN) || memcmp(file_buf, magic, sizeof(magic)) != 0 ||
        (version(file_buf) != 1 && version(file_buf) != 2))
        goto not_ours;
    hdr = version(file_buf) == 1 ? (ssize_t)HEADER_V1 : (ssize_t)PS_OBJ_HEADER;
    if (hdr + (ssize_t)partix_get_le32(file_buf + 24) + (ssize_t)PS_TAG_LEN != len)
        goto not_ours;
    /* a capacity below the size is no file of this service's */
    if (version(file_buf) == 2 && partix_get_le32(file_buf + 36) < partix_get_le32(file_buf + 24))
        goto not_ours;
    return len;
not_ours:
    errno = EINVAL;
    return -1;
}

int ps_object_peek(int dir, const char *name, struct ps_object *hdr)
{
    if (load(dir, name) < 0)
        return -1;
    get_identity(file_buf, hdr);
    return 0;
}

/* Why a file's header is not the one the table expects (for the log). */
static const char *mismatch(const struct ps_object *want, const struct ps_object *got)
{
    if (got->owner != want->owner || got->uid != want->uid)
        return "holds another object's data (files swapped or renamed)";
    if (got->gen < want->gen)
        return "is an older copy of the object (rolled back)";
    if (got->gen > want->gen)
        return "is newer than the object table";
    return "has a header that does not match the object table (changed)";
}

psa_status_t ps_object_open(int dir, const char *name, const struct ps_object *o, uint8_t *data)
{
    uint8_t ad[AD_LEN];
    struct ps_object got;
    size_t ad_len, hdr;

    if (load(dir, name) < 0) {
        if (errno == ENOENT) {
            LOG_ERRFMT("object file %s is missing\n", name);
            return PSA_ERROR_DATA_CORRUPT;
        }
        if (errno == EINVAL || errno == EFBIG) {
            LOG_ERRFMT("object file %s is not a whole object file (truncated or replaced)\n", name);
            return PSA_ERROR_DATA_CORRUPT;
        }
        LOG_ERRFMT("cannot read object file %s: %s\n", name, strerror(errno));
        return PSA_ERROR_STORAGE_FAILURE;
    }
    get_identity(file_buf, &got);
    /* a version 1 file holds no capacity: it is its size */
    ad_len = version(file_buf) == 1 && o->capacity == o->size ? put_identity(ad, o, 1)
                                                              : put_identity(ad, o, 2);
    hdr = ad_len == AD_LEN_V1 ? HEADER_V1 : PS_OBJ_HEADER;
    if (version(file_buf) != ad[7] || memcmp(file_buf, ad, ad_len) != 0) {
        LOG_ERRFMT("object file %s %s: it claims %08" PRIx32 "-%016" PRIx64 " generation %" PRIu64
                   " flags 0x%" PRIx32 " size %" PRIu32 " capacity %" PRIu32
                   ", the table says generation %" PRIu64 " flags 0x%" PRIx32 " size %" PRIu32
                   " capacity %" PRIu32 "\n",
                   name, mismatch(o, &got), (uint32_t)got.owner, got.uid, got.gen, got.flags,
                   got.size, got.capacity, o->gen, o->flags, o->size, o->capacity);
        return PSA_ERROR_INVALID_SIGNATURE;
    }
    if (ps_open(ad, ad_len, file_buf + ad_len, file_buf + hdr, o->size + PS_TAG_LEN, data) !=
        PSA_SUCCESS) {
        LOG_ERRFMT("object file %s fails authentication: changed behind the service's back\n",
                   name);
        return PSA_ERROR_INVALID_SIGNATURE;
    }
    return PSA_SUCCESS;
}

psa_status_t ps_object_read(int dir, const struct ps_object *o, uint8_t *data)
{
    char name[PS_NAME_LEN + 1];

    ps_object_name(name, o->owner, o->uid);
    return ps_object_open(dir, name, o, data);
}
