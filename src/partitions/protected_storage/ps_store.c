/*
 * ps_store.c - the objects of every client: the object table, in memory
 * and in file ps_table, the order of a set's and a remove's writes, and
 * what the start makes of the directory (ps.h gives the protocol).
 *
 * ps_table:
 *   0   magic "PXPSTBL" and format version 1     \
 *   8   the last generation given (u64)           | associated data
 *   16  count of objects (u32)                   /
 *   20  nonce (12 bytes)
 *   32  ciphertext: count records of 32 bytes (owner u32, uid u64, flags
 *       u32, size u32, generation u64, capacity u32), then the GCM tag (16)
 *
 * A capacity of 0 below the size is a table written before
 * psa_ps_create(), whose objects' capacity is their size.  The bytes the
 * bounds count are capacities: what psa_ps_create() reserved is held.
 *
 * Generations count every set of every object: a set gives the next one,
 * so no two files the service ever wrote share a generation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ps.h"
#include "ps_config.h"
#include "storage_shared.h"
#include "tfm_sp_log.h"

#define TABLE_NAME "ps_table"
#define TABLE_AD 20u
#define TABLE_HDR 32u
#define REC 32u
#define TABLE_MAX (TABLE_HDR + PS_MAX_OBJECTS * REC + PS_TAG_LEN)

static const uint8_t table_magic[8] = {'P', 'X', 'P', 'S', 'T', 'B', 'L', 1};

static struct ps_object objects[PS_MAX_OBJECTS];
static int dir_fd = -1;
static uint32_t n_objects, total_size;
static uint64_t last_gen;
static int broken; /* the table failed its checks at start */
static uint8_t table_buf[TABLE_MAX], table_plain[PS_MAX_OBJECTS * REC];
static uint8_t scratch[PS_MAX_ASSET_SIZE];

/* What the scan at start found beside the table. */
struct scan {
    uint8_t seen[PS_MAX_OBJECTS]; /* the object's file has the expected generation */
    struct ps_object pending;     /* a set cut short between its two writes */
    unsigned ahead;               /* authentic files newer than the table */
    char removed[PS_MAX_OBJECTS][PS_NAME_LEN + 1]; /* removed objects' files */
    unsigned n_removed;
};

static struct ps_object *free_slot(void)
{
    for (size_t i = 0; i < PS_MAX_OBJECTS; i++)
        if (!objects[i].used)
            return &objects[i];
    return NULL;
}

struct ps_object *ps_store_find(int32_t owner, psa_storage_uid_t uid)
{
    for (size_t i = 0; i < PS_MAX_OBJECTS; i++)
        if (objects[i].used && objects[i].owner == owner && objects[i].uid == uid)
            return &objects[i];
    return NULL;
}

/* Seals the table in memory as ps_table.  As storage_file_replace(). */
static int table_write(void)
{
    uint32_t n = 0;

    for (size_t i = 0; i < PS_MAX_OBJECTS; i++) {
        const struct ps_object *o = &objects[i];
        uint8_t *r = table_plain + n * REC;

        if (!o->used)
            continue;
        partix_put_le32(r, (uint32_t)o->owner);
        partix_put_le64(r + 4, o->uid);
        partix_put_le32(r + 12, o->flags);
        partix_put_le32(r + 16, o->size);
        partix_put_le64(r + 20, o->gen);
        partix_put_le32(r + 28, o->capacity);
        n++;
    }
    memcpy(table_buf, table_magic, sizeof(table_magic));
    partix_put_le64(table_buf + 8, last_gen);
    partix_put_le32(table_buf + 16, n);
    if (ps_seal(table_buf, TABLE_AD, table_plain, n * REC, table_buf + TABLE_AD,
                table_buf + TABLE_HDR) != PSA_SUCCESS)
        return -1;
    return storage_file_replace(dir_fd, TABLE_NAME, table_buf, TABLE_HDR + n * REC + PS_TAG_LEN);
}

/* Loads ps_table: 0, 1 when there is none, -1 when it fails its checks. */
static int table_read(void)
{
    ssize_t len = partix_file_read(dir_fd, TABLE_NAME, table_buf, sizeof(table_buf));
    uint32_t n;

    if (len < 0 && errno == ENOENT)
        return 1;
    if (len < 0) {
        LOG_ERRFMT("cannot read the object table %s: %s\n", TABLE_NAME, strerror(errno));
        return -1;
    }
    n = len >= (ssize_t)TABLE_HDR ? partix_get_le32(table_buf + 16) : 0;
    if (len < (ssize_t)(TABLE_HDR + PS_TAG_LEN) ||
        memcmp(table_buf, table_magic, sizeof(table_magic)) != 0 || n > PS_MAX_OBJECTS ||
        len != (ssize_t)(TABLE_HDR + n * REC + PS_TAG_LEN)) {
        LOG_ERRFMT("the object table %s is not a whole table (truncated or replaced)\n",
                   TABLE_NAME);
        return -1;
    }
    if (ps_open(table_buf, TABLE_AD, table_buf + TABLE_AD, table_buf + TABLE_HDR,
                n * REC + PS_TAG_LEN, table_plain) != PSA_SUCCESS) {
        LOG_ERRFMT("the object table %s fails authentication: changed behind the service's "
                   "back, or sealed with another device's key\n",
                   TABLE_NAME);
        return -1;
    }
    last_gen = partix_get_le64(table_buf + 8);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *r = table_plain + i * REC;
        struct ps_object o = {.owner = (int32_t)partix_get_le32(r),
                              .uid = partix_get_le64(r + 4),
                              .flags = partix_get_le32(r + 12),
                              .size = partix_get_le32(r + 16),
                              .gen = partix_get_le64(r + 20),
                              .capacity = partix_get_le32(r + 28),
                              .used = 1};

        if (o.capacity < o.size)
            o.capacity = o.size; /* a table of before psa_ps_create() */
        /* authentic, so written by this service: these fail only if it is
         * built with a smaller capacity than the table's */
        if (o.uid == 0 || o.capacity > PS_MAX_ASSET_SIZE || o.gen > last_gen ||
            o.capacity > PS_MAX_TOTAL_SIZE - total_size || ps_store_find(o.owner, o.uid) != NULL) {
            LOG_ERRFMT("the object table %s does not fit this build's capacity\n", TABLE_NAME);
            return -1;
        }
        objects[i] = o;
        n_objects++;
        total_size += o.capacity;
    }
    return 0;
}

/* One name found in the directory at start (the table is loaded). */
static void scan_one(const char *name, void *arg)
{
    struct scan *s = arg;
    struct ps_object hdr, *o;
    char canon[PS_NAME_LEN + 1];
    uint32_t owner;
    uint64_t uid;

    if (strcmp(name, TABLE_NAME) == 0)
        return;
    if (strlen(name) != PS_NAME_LEN || sscanf(name, "%8" SCNx32 "-%16" SCNx64, &owner, &uid) != 2)
        goto not_ours;
    ps_object_name(canon, (int32_t)owner, uid);
    if (strcmp(canon, name) != 0)
        goto not_ours;
    o = ps_store_find((int32_t)owner, uid);
    if (ps_object_peek(dir_fd, name, &hdr) < 0) {
        LOG_ERRFMT("object file %s: %s: ignored\n", name,
                   errno == EINVAL || errno == EFBIG ? "not a whole object file" : strerror(errno));
        return;
    }
    if (o != NULL && hdr.owner == o->owner && hdr.uid == o->uid && hdr.gen == o->gen) {
        s->seen[o - objects] = 1; /* as expected: authenticated when read */
        return;
    }
    /* anything else counts only if the service wrote it */
    if (hdr.capacity > PS_MAX_ASSET_SIZE ||
        ps_object_open(dir_fd, name, &hdr, scratch) != PSA_SUCCESS) {
        LOG_ERRFMT("object file %s fails its checks: ignored\n", name);
        return;
    }
    if (hdr.owner != (int32_t)owner || hdr.uid != uid) {
        LOG_ERRFMT("object file %s holds object %08" PRIx32 "-%016" PRIx64
                   " (renamed or copied): ignored\n",
                   name, (uint32_t)hdr.owner, hdr.uid);
        return;
    }
    if (hdr.gen == last_gen + 1 && !s->pending.used) {
        s->pending = hdr;
        return;
    }
    if (hdr.gen > last_gen) {
        LOG_ERRFMT("object file %s has generation %" PRIu64 ", newer than the object table's "
                   "%" PRIu64 ": the table was rolled back or removed\n",
                   name, hdr.gen, last_gen);
        s->ahead++;
        return;
    }
    if (o == NULL) {
        /* a remove cut short between its two writes, or a removed object's
         * file put back: removed once the whole directory is known good */
        if (s->n_removed < PS_MAX_OBJECTS)
            memcpy(s->removed[s->n_removed++], name, PS_NAME_LEN + 1);
        return;
    }
    LOG_ERRFMT("object file %s is generation %" PRIu64 " of the object, the table says %" PRIu64
               ": rolled back\n",
               name, hdr.gen, o->gen);
    return;
not_ours:
    LOG_ERRFMT("%s is not an object file: ignored\n", name);
}

_Static_assert(PS_USER_MAX_OBJECTS <= PS_MAX_OBJECTS && PS_USER_MAX_TOTAL_SIZE <= PS_MAX_TOTAL_SIZE,
               "a user's quota is at most the capacity");

/* Whether an object of @p capacity bytes fits the service's capacity,
 * replacing @p old (NULL: new). */
static bool fits_capacity(const struct ps_object *old, uint32_t capacity)
{
    static const struct storage_use cap = {PS_MAX_OBJECTS, PS_MAX_TOTAL_SIZE};
    const struct storage_use all = {n_objects, total_size};

    return capacity <= PS_MAX_ASSET_SIZE &&
           storage_fits(&all, &cap, old != NULL ? &old->capacity : NULL, capacity);
}

/* What @p owner holds, counted from the table: nothing to keep in step
 * through sets, removes, restarts and crashes. */
static struct storage_use owner_use(int32_t owner)
{
    struct storage_use u = {0, 0};

    for (size_t i = 0; i < PS_MAX_OBJECTS; i++) {
        if (objects[i].used && objects[i].owner == owner) {
            u.entries++;
            u.bytes += objects[i].capacity;
        }
    }
    return u;
}

/* Takes in the set a crash cut short, if it fits the capacity (its owner's
 * quota was checked before the set began): its slot, or NULL. */
static struct ps_object *take_pending(const struct ps_object *p)
{
    char name[PS_NAME_LEN + 1];
    struct ps_object *o = ps_store_find(p->owner, p->uid);

    ps_object_name(name, p->owner, p->uid);
    if (!fits_capacity(o, p->capacity)) {
        LOG_ERRFMT("object file %s is past the capacity: ignored\n", name);
        return NULL;
    }
    if (o == NULL) {
        o = free_slot();
        n_objects++;
    } else {
        total_size -= o->capacity;
    }
    *o = *p;
    total_size += p->capacity;
    last_gen = p->gen;
    LOG_INFFMT("object file %s: generation %" PRIu64 ", a set that a crash cut short, taken in\n",
               name, p->gen);
    if (table_write() != 0)
        LOG_ERRFMT("cannot record it in the object table\n");
    return o;
}

int ps_store_init(int dir)
{
    static struct scan s;
    struct ps_object *taken;
    int t;

    dir_fd = dir;
    n_objects = total_size = 0;
    last_gen = 0;
    broken = 0;
    memset(objects, 0, sizeof(objects));
    memset(&s, 0, sizeof(s));
    t = table_read();
    if (t < 0) {
        broken = 1;
        LOG_ERRFMT("Protected Storage refuses every request; move %s away to start empty\n",
                   "<state-dir>/TFM_SP_PS");
        return 0;
    }
    if (storage_dir_scan(dir, scan_one, &s) < 0)
        return -1;
    if (s.ahead > 0) {
        broken = 1;
        LOG_ERRFMT("%u object file(s) newer than the object table: Protected Storage refuses "
                   "every request; move %s away to start empty\n",
                   s.ahead, "<state-dir>/TFM_SP_PS");
        return 0;
    }
    /* first: an object whose set was cut short has its file, the new one,
     * which is a recovery to report at level info, not a loss */
    if (s.pending.used && (taken = take_pending(&s.pending)) != NULL)
        s.seen[taken - objects] = 1;
    for (size_t i = 0; i < PS_MAX_OBJECTS; i++) {
        char name[PS_NAME_LEN + 1];

        if (!objects[i].used || s.seen[i])
            continue;
        ps_object_name(name, objects[i].owner, objects[i].uid);
        LOG_ERRFMT("object file %s is missing or fails its checks: reads of it fail\n", name);
    }
    for (unsigned i = 0; i < s.n_removed; i++) {
        LOG_INFFMT("object file %s belongs to a removed object: removed\n", s.removed[i]);
        storage_file_remove(dir_fd, s.removed[i]);
    }
    LOG_INFFMT("%u objects, %u bytes, generation %" PRIu64
               " (capacity %u objects, %u bytes; per user %u objects, %u bytes)\n",
               n_objects, total_size, last_gen, (unsigned)PS_MAX_OBJECTS,
               (unsigned)PS_MAX_TOTAL_SIZE, (unsigned)PS_USER_MAX_OBJECTS,
               (unsigned)PS_USER_MAX_TOTAL_SIZE);
    return 0;
}

psa_status_t ps_store_usable(void)
{
    return broken ? PSA_ERROR_DATA_CORRUPT : PSA_SUCCESS;
}

psa_status_t ps_store_room(int32_t owner, const struct ps_object *old, uint32_t capacity)
{
    static const struct storage_use quota = {PS_USER_MAX_OBJECTS, PS_USER_MAX_TOTAL_SIZE};
    const uint32_t *old_capacity = old != NULL ? &old->capacity : NULL;
    struct storage_use mine;

    if (!fits_capacity(old, capacity))
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    if (owner >= 0) /* a secure partition: see ps_config.h */
        return PSA_SUCCESS;
    mine = owner_use(owner);
    return storage_fits(&mine, &quota, old_capacity, capacity) ? PSA_SUCCESS
                                                               : PSA_ERROR_INSUFFICIENT_STORAGE;
}

psa_status_t ps_store_set(int32_t owner, psa_storage_uid_t uid, uint32_t flags, const uint8_t *data,
                          uint32_t size, uint32_t capacity)
{
    struct ps_object n = {.owner = owner,
                          .uid = uid,
                          .flags = flags,
                          .size = size,
                          .gen = last_gen + 1,
                          .capacity = capacity,
                          .used = 1};
    struct ps_object *o = ps_store_find(owner, uid);
    int rc, trc;

    /* the file first: until the table names its generation, a crash leaves
     * a file that the next start takes in (or the old one) */
    rc = ps_object_write(dir_fd, &n, data);
    if (rc < 0)
        return PSA_ERROR_STORAGE_FAILURE;
    if (o == NULL) {
        o = free_slot(); /* ps_store_room() said there is one */
        n_objects++;
    } else {
        total_size -= o->capacity;
    }
    total_size += capacity;
    *o = n;
    last_gen = n.gen;
    trc = table_write();
    return rc == 0 && trc == 0 ? PSA_SUCCESS : PSA_ERROR_STORAGE_FAILURE;
}

psa_status_t ps_store_read(const struct ps_object *o, uint8_t *data)
{
    return ps_object_read(dir_fd, o, data);
}

psa_status_t ps_store_remove(struct ps_object *o)
{
    char name[PS_NAME_LEN + 1];
    struct ps_object saved = *o;
    int trc;

    /* the table first: once it no longer names the object, its file is a
     * removed object's, which the next start removes */
    ps_object_name(name, o->owner, o->uid);
    memset(o, 0, sizeof(*o));
    n_objects--;
    total_size -= saved.capacity;
    trc = table_write();
    if (trc < 0) {
        *o = saved;
        n_objects++;
        total_size += saved.capacity;
        return PSA_ERROR_STORAGE_FAILURE;
    }
    storage_file_remove(dir_fd, name);
    return trc == 0 ? PSA_SUCCESS : PSA_ERROR_STORAGE_FAILURE;
}
