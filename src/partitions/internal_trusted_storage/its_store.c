/*
 * its_store.c - the entries of Internal Trusted Storage as files of the
 * partition's storage directory (see its.h for the format and the write
 * protocol).  The index of every entry lives in memory; the files are read
 * when an entry is read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "durable_file.h"
#include "its.h"
#include "its_config.h"
#include "storage_shared.h"
#include "tfm_sp_log.h"

#define NAME_LEN 25 /* 8 hex digits, '-', 16 hex digits */

static const uint8_t magic[8] = {'P', 'X', 'I', 'T', 'S', 0, 0, 1};

static struct its_entry entries[ITS_MAX_ENTRIES];
static int dir_fd = -1;
static uint32_t n_entries, total_size;
static uint8_t check_buf[ITS_HEADER_SIZE + ITS_MAX_ASSET_SIZE + ITS_TRAILER_SIZE];

static void entry_name(char *out, int32_t owner, psa_storage_uid_t uid)
{
    snprintf(out, NAME_LEN + 1, "%08" PRIx32 "-%016" PRIx64, (uint32_t)owner, uid);
}

/* Reads and checks a whole entry file into buf: its header must name
 * (owner, uid), its length match the file's, its CRC hold.  The size, or -1. */
static long read_entry(const char *name, int32_t owner, psa_storage_uid_t uid, uint32_t *flags,
                       uint8_t *buf)
{
    ssize_t len = partix_file_read(dir_fd, name, buf, sizeof(check_buf));
    uint32_t size;

    if (len < (ssize_t)(ITS_HEADER_SIZE + ITS_TRAILER_SIZE))
        return -1;
    size = partix_get_le32(buf + 24);
    if (memcmp(buf, magic, sizeof(magic)) != 0 || (int32_t)partix_get_le32(buf + 8) != owner ||
        partix_get_le64(buf + 12) != uid || size > ITS_MAX_ASSET_SIZE ||
        (ssize_t)(ITS_HEADER_SIZE + size + ITS_TRAILER_SIZE) != len ||
        partix_crc32(buf, ITS_HEADER_SIZE + size) != partix_get_le32(buf + ITS_HEADER_SIZE + size))
        return -1;
    *flags = partix_get_le32(buf + 20);
    return size;
}

static struct its_entry *free_slot(void)
{
    for (size_t i = 0; i < ITS_MAX_ENTRIES; i++)
        if (!entries[i].used)
            return &entries[i];
    return NULL;
}

/* One name found in the directory at start. */
static void scan_one(const char *name, void *arg)
{
    size_t n = strlen(name);
    uint32_t owner, flags;
    uint64_t uid;
    struct its_entry *e;
    char canon[NAME_LEN + 1];
    long size;

    (void)arg;
    if (n != NAME_LEN || sscanf(name, "%8" SCNx32 "-%16" SCNx64, &owner, &uid) != 2)
        return;
    entry_name(canon, (int32_t)owner, uid);
    if (strcmp(canon, name) != 0 || uid == 0)
        return;
    size = read_entry(name, (int32_t)owner, uid, &flags, check_buf);
    if (size < 0) {
        LOG_ERRFMT("entry file %s fails its checks: ignored\n", name);
        return;
    }
    if ((e = free_slot()) == NULL || total_size + (uint32_t)size > ITS_MAX_TOTAL_SIZE) {
        LOG_ERRFMT("entry file %s is past the capacity: ignored\n", name);
        return;
    }
    *e = (struct its_entry){(int32_t)owner, uid, flags, (uint32_t)size, 1};
    n_entries++;
    total_size += (uint32_t)size;
}

int its_store_init(int dir)
{
    dir_fd = dir;
    n_entries = total_size = 0;
    memset(entries, 0, sizeof(entries));
    if (storage_dir_scan(dir, scan_one, NULL) < 0)
        return -1;
    LOG_INFFMT("%u entries, %u bytes (capacity %u entries, %u bytes; per user %u entries, %u "
               "bytes)\n",
               n_entries, total_size, (unsigned)ITS_MAX_ENTRIES, (unsigned)ITS_MAX_TOTAL_SIZE,
               (unsigned)ITS_USER_MAX_ENTRIES, (unsigned)ITS_USER_MAX_TOTAL_SIZE);
    return 0;
}

struct its_entry *its_store_find(int32_t owner, psa_storage_uid_t uid)
{
    for (size_t i = 0; i < ITS_MAX_ENTRIES; i++)
        if (entries[i].used && entries[i].owner == owner && entries[i].uid == uid)
            return &entries[i];
    return NULL;
}

_Static_assert(ITS_USER_MAX_ENTRIES <= ITS_MAX_ENTRIES &&
                   ITS_USER_MAX_TOTAL_SIZE <= ITS_MAX_TOTAL_SIZE,
               "a user's quota is at most the capacity");

/* What @p owner holds, counted from the table: nothing to keep in step
 * through sets, removes, restarts and crashes. */
static struct storage_use owner_use(int32_t owner)
{
    struct storage_use u = {0, 0};

    for (size_t i = 0; i < ITS_MAX_ENTRIES; i++) {
        if (entries[i].used && entries[i].owner == owner) {
            u.entries++;
            u.bytes += entries[i].size;
        }
    }
    return u;
}

psa_status_t its_store_room(int32_t owner, const struct its_entry *old, uint32_t size)
{
    static const struct storage_use cap = {ITS_MAX_ENTRIES, ITS_MAX_TOTAL_SIZE};
    static const struct storage_use quota = {ITS_USER_MAX_ENTRIES, ITS_USER_MAX_TOTAL_SIZE};
    const struct storage_use all = {n_entries, total_size};
    const uint32_t *old_size = old != NULL ? &old->size : NULL;
    struct storage_use mine;

    if (size > ITS_MAX_ASSET_SIZE || !storage_fits(&all, &cap, old_size, size))
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    if (owner >= 0) /* a secure partition: see its_config.h */
        return PSA_SUCCESS;
    mine = owner_use(owner);
    return storage_fits(&mine, &quota, old_size, size) ? PSA_SUCCESS
                                                       : PSA_ERROR_INSUFFICIENT_STORAGE;
}

psa_status_t its_store_write(int32_t owner, psa_storage_uid_t uid, uint32_t flags, uint8_t *buf,
                             uint32_t size)
{
    char name[NAME_LEN + 1];
    struct its_entry *e = its_store_find(owner, uid);
    int rc;

    memset(buf, 0, ITS_HEADER_SIZE);
    memcpy(buf, magic, sizeof(magic));
    partix_put_le32(buf + 8, (uint32_t)owner);
    partix_put_le64(buf + 12, uid);
    partix_put_le32(buf + 20, flags);
    partix_put_le32(buf + 24, size);
    partix_put_le32(buf + ITS_HEADER_SIZE + size, partix_crc32(buf, ITS_HEADER_SIZE + size));
    entry_name(name, owner, uid);
    rc = storage_file_replace(dir_fd, name, buf, ITS_HEADER_SIZE + size + ITS_TRAILER_SIZE);
    if (rc < 0)
        return PSA_ERROR_STORAGE_FAILURE;
    if (e == NULL) {
        e = free_slot(); /* its_store_room() said there is one */
        *e = (struct its_entry){owner, uid, flags, 0, 1};
        n_entries++;
    }
    total_size = total_size - e->size + size;
    e->flags = flags;
    e->size = size;
    return rc == 0 ? PSA_SUCCESS : PSA_ERROR_STORAGE_FAILURE;
}

psa_status_t its_store_read(const struct its_entry *e, uint8_t *buf)
{
    char name[NAME_LEN + 1];
    uint32_t flags;

    entry_name(name, e->owner, e->uid);
    if (read_entry(name, e->owner, e->uid, &flags, buf) != (long)e->size || flags != e->flags) {
        LOG_ERRFMT("entry file %s fails its checks\n", name);
        return PSA_ERROR_DATA_CORRUPT;
    }
    return PSA_SUCCESS;
}

psa_status_t its_store_remove(struct its_entry *e)
{
    char name[NAME_LEN + 1];
    int rc;

    entry_name(name, e->owner, e->uid);
    rc = storage_file_remove(dir_fd, name);
    if (rc < 0)
        return PSA_ERROR_STORAGE_FAILURE;
    total_size -= e->size;
    n_entries--;
    memset(e, 0, sizeof(*e));
    return rc == 0 ? PSA_SUCCESS : PSA_ERROR_STORAGE_FAILURE;
}
