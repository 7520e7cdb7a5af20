/*
 * hrot_caps.c - keys and capabilities (hrot_caps.h).  A capability is 128
 * bits from the kernel's generator bound in this table to one client id,
 * one key and its rights: a value is worth something only to the client
 * it was minted for, and a guess has 2^-128 odds per try.  The table is
 * saved whole after every change (durable_file.c: the old file or the new
 * one after a crash, never a mix); a change that cannot be saved is undone.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "durable_file.h"
#include "hrot_caps.h"
#include "tfm_sp_log.h"

#define DB_NAME "hrot.db"
#define DB_MAGIC 0x31545248u /* "HRT1" */
#define DB_MAX (HROT_MAX_KEYS * (16u + HROT_PRIV_MAX + HROT_PUB_MAX) + HROT_MAX_CAPS * 36u + 32u)

static struct table {
    uint32_t next_key_id, next_serial;
    struct hrot_key keys[HROT_MAX_KEYS];
    struct hrot_cap caps[HROT_MAX_CAPS];
} tab, undo;

static int db_dir = -1;
static bool corrupt;
static uint8_t db_buf[DB_MAX];

/* ---- the file ---- */

struct wr {
    uint8_t *p;
    size_t len, cap;
    bool err;
};

static void w_put(struct wr *w, const void *p, size_t n)
{
    if (w->err || n > w->cap - w->len) {
        w->err = true;
        return;
    }
    memcpy(w->p + w->len, p, n);
    w->len += n;
}

static void w32(struct wr *w, uint32_t v)
{
    uint8_t b[4];

    partix_put_le32(b, v);
    w_put(w, b, 4);
}

static void w16(struct wr *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    w_put(w, b, 2);
}

size_t hrot_caps_encode(uint8_t *out, size_t cap)
{
    struct wr w = {out, 0, cap, false};
    uint32_t n_keys = 0, n_caps = 0;
    size_t i;

    for (i = 0; i < HROT_MAX_KEYS; i++)
        n_keys += tab.keys[i].used;
    for (i = 0; i < HROT_MAX_CAPS; i++)
        n_caps += tab.caps[i].used;
    w32(&w, DB_MAGIC);
    w32(&w, tab.next_key_id);
    w32(&w, tab.next_serial);
    w32(&w, n_keys);
    w32(&w, n_caps);
    for (i = 0; i < HROT_MAX_KEYS; i++) {
        const struct hrot_key *k = &tab.keys[i];

        if (!k->used)
            continue;
        w32(&w, k->id);
        w32(&w, (uint32_t)k->owner);
        w32(&w, k->type);
        w16(&w, k->priv_len);
        w16(&w, k->pub_len);
        w_put(&w, k->priv, k->priv_len);
        w_put(&w, k->pub, k->pub_len);
    }
    for (i = 0; i < HROT_MAX_CAPS; i++) {
        const struct hrot_cap *c = &tab.caps[i];

        if (!c->used)
            continue;
        w_put(&w, c->token, HROT_CAP_SIZE);
        w32(&w, c->key_id);
        w32(&w, (uint32_t)c->client);
        w32(&w, c->rights);
        w32(&w, c->serial);
        w32(&w, c->parent);
    }
    if (!w.err)
        w32(&w, partix_crc32(out, w.len));
    return w.err ? 0 : w.len;
}

struct rd {
    const uint8_t *p;
    size_t len, off;
    bool err;
};

static const uint8_t *r_take(struct rd *r, size_t n)
{
    const uint8_t *p;

    if (r->err || n > r->len - r->off) {
        r->err = true;
        return NULL;
    }
    p = r->p + r->off;
    r->off += n;
    return p;
}

static uint32_t r32(struct rd *r)
{
    const uint8_t *p = r_take(r, 4);

    return p ? partix_get_le32(p) : 0;
}

static uint16_t r16(struct rd *r)
{
    const uint8_t *p = r_take(r, 2);

    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static struct hrot_key *key_by_id(struct table *t, uint32_t id)
{
    size_t i;

    for (i = 0; i < HROT_MAX_KEYS; i++)
        if (t->keys[i].used && t->keys[i].id == id)
            return &t->keys[i];
    return NULL;
}

int hrot_caps_decode(const uint8_t *in, size_t n)
{
    static struct table t;
    struct rd r = {in, n, 0, false};
    uint32_t n_keys, n_caps, i, j;

    memset(&t, 0, sizeof(t));
    if (n < 24 || partix_crc32(in, n - 4) != partix_get_le32(in + n - 4))
        return -1;
    r.len = n - 4;
    if (r32(&r) != DB_MAGIC)
        return -1;
    t.next_key_id = r32(&r);
    t.next_serial = r32(&r);
    n_keys = r32(&r);
    n_caps = r32(&r);
    if (r.err || n_keys > HROT_MAX_KEYS || n_caps > HROT_MAX_CAPS)
        return -1;
    for (i = 0; i < n_keys; i++) {
        struct hrot_key *k = &t.keys[i];
        const uint8_t *p;

        k->id = r32(&r);
        k->owner = (int32_t)r32(&r);
        k->type = r32(&r);
        k->priv_len = r16(&r);
        k->pub_len = r16(&r);
        if (r.err || k->priv_len > HROT_PRIV_MAX || k->pub_len > HROT_PUB_MAX || k->id == 0 ||
            k->id >= t.next_key_id || key_by_id(&t, k->id) != NULL ||
            (k->type != HROT_KEY_ECC_P256_SIGN && k->type != HROT_KEY_RSA2048_DECRYPT))
            return -1;
        if ((p = r_take(&r, k->priv_len)) != NULL)
            memcpy(k->priv, p, k->priv_len);
        if ((p = r_take(&r, k->pub_len)) != NULL)
            memcpy(k->pub, p, k->pub_len);
        k->used = true;
    }
    for (i = 0; i < n_caps; i++) {
        struct hrot_cap *c = &t.caps[i];
        const uint8_t *p = r_take(&r, HROT_CAP_SIZE);

        if (p != NULL)
            memcpy(c->token, p, HROT_CAP_SIZE);
        c->key_id = r32(&r);
        c->client = (int32_t)r32(&r);
        c->rights = r32(&r);
        c->serial = r32(&r);
        c->parent = r32(&r);
        if (r.err || key_by_id(&t, c->key_id) == NULL || (c->rights & ~HROT_RIGHTS_ALL) != 0 ||
            c->serial == 0 || c->serial >= t.next_serial)
            return -1;
        for (j = 0; j < i; j++)
            if (t.caps[j].serial == c->serial)
                return -1;
        c->used = true;
    }
    if (r.err || r.off != r.len)
        return -1;
    tab = t;
    return 0;
}

psa_status_t hrot_caps_load(int dir)
{
    long n;

    db_dir = dir;
    memset(&tab, 0, sizeof(tab));
    tab.next_key_id = 1;
    tab.next_serial = 1;
    if (dir < 0)
        return PSA_SUCCESS; /* no storage: keys last as long as the process */
    n = partix_file_read(dir, DB_NAME, db_buf, sizeof(db_buf));
    if (n < 0 && errno == ENOENT)
        return PSA_SUCCESS;
    if (n < 0 || hrot_caps_decode(db_buf, (size_t)n) < 0) {
        LOG_ERRFMT("[HROT] %s is damaged: no key can be used until it is repaired or removed\n",
                   DB_NAME);
        corrupt = true;
        return PSA_ERROR_DATA_CORRUPT;
    }
    return PSA_SUCCESS;
}

/* Saves the table; on failure puts back the one before the change. */
static psa_status_t commit(void)
{
    size_t n;

    if (db_dir < 0)
        return PSA_SUCCESS;
    n = hrot_caps_encode(db_buf, sizeof(db_buf));
    if (n == 0 || partix_file_replace(db_dir, DB_NAME, db_buf, n) == PARTIX_FILE_UNCHANGED) {
        tab = undo;
        return PSA_ERROR_STORAGE_FAILURE;
    }
    return PSA_SUCCESS;
}

/* ---- capabilities ---- */

psa_status_t hrot_caps_find(const uint8_t token[HROT_CAP_SIZE], int32_t client,
                            struct hrot_cap **cap, struct hrot_key **key)
{
    struct hrot_cap *found = NULL;
    size_t i, j;

    if (corrupt)
        return PSA_ERROR_DATA_CORRUPT;
    for (i = 0; i < HROT_MAX_CAPS; i++) {
        uint8_t diff = 0;

        for (j = 0; j < HROT_CAP_SIZE; j++)
            diff |= (uint8_t)(tab.caps[i].token[j] ^ token[j]);
        if (tab.caps[i].used && diff == 0)
            found = &tab.caps[i];
    }
    if (found == NULL || found->client != client)
        return PSA_ERROR_INVALID_HANDLE;
    *cap = found;
    *key = key_by_id(&tab, found->key_id);
    return *key != NULL ? PSA_SUCCESS : PSA_ERROR_INVALID_HANDLE;
}

/* A fresh capability of @p key_id for @p client: 0, or -1 if the table is full. */
static psa_status_t mint(uint32_t key_id, int32_t client, uint32_t rights, uint32_t parent,
                         uint8_t out_token[HROT_CAP_SIZE], uint32_t *serial)
{
    struct hrot_cap *c = NULL;
    size_t i, of_key = 0;

    for (i = 0; i < HROT_MAX_CAPS; i++) {
        if (!tab.caps[i].used && c == NULL)
            c = &tab.caps[i];
        of_key += tab.caps[i].used && tab.caps[i].key_id == key_id;
    }
    if (c == NULL || of_key >= HROT_KEY_MAX_CAPS || tab.next_serial == UINT32_MAX)
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    if (getrandom(c->token, HROT_CAP_SIZE, 0) != HROT_CAP_SIZE)
        return PSA_ERROR_INSUFFICIENT_ENTROPY;
    c->used = true;
    c->key_id = key_id;
    c->client = client;
    c->rights = rights;
    c->parent = parent;
    c->serial = tab.next_serial++;
    memcpy(out_token, c->token, HROT_CAP_SIZE);
    *serial = c->serial;
    return PSA_SUCCESS;
}

psa_status_t hrot_caps_add_key(int32_t owner, uint32_t type, const uint8_t *priv, size_t priv_len,
                               const uint8_t *pub, size_t pub_len, uint8_t out_token[HROT_CAP_SIZE],
                               uint32_t *serial)
{
    struct hrot_key *k = NULL;
    size_t i, owned = 0;
    psa_status_t st;

    if (corrupt)
        return PSA_ERROR_DATA_CORRUPT;
    if (priv_len > HROT_PRIV_MAX || pub_len > HROT_PUB_MAX)
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    for (i = 0; i < HROT_MAX_KEYS; i++) {
        if (!tab.keys[i].used && k == NULL)
            k = &tab.keys[i];
        owned += tab.keys[i].used && tab.keys[i].owner == owner;
    }
    if (k == NULL || owned >= HROT_USER_MAX_KEYS || tab.next_key_id == UINT32_MAX)
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    undo = tab;
    k->used = true;
    k->id = tab.next_key_id++;
    k->owner = owner;
    k->type = type;
    k->priv_len = (uint16_t)priv_len;
    k->pub_len = (uint16_t)pub_len;
    memcpy(k->priv, priv, priv_len);
    memcpy(k->pub, pub, pub_len);
    if ((st = mint(k->id, owner, HROT_RIGHTS_ALL, 0, out_token, serial)) != PSA_SUCCESS) {
        tab = undo;
        return st;
    }
    return commit();
}

psa_status_t hrot_caps_grant(const struct hrot_cap *from, int32_t grantee, uint32_t rights,
                             uint8_t out_token[HROT_CAP_SIZE], uint32_t *serial)
{
    psa_status_t st;

    if (!(from->rights & HROT_RIGHT_GRANT) || (rights & ~from->rights) != 0)
        return PSA_ERROR_NOT_PERMITTED;
    if (rights == 0 || (rights & ~HROT_RIGHTS_ALL) != 0)
        return PSA_ERROR_INVALID_ARGUMENT;
    undo = tab;
    st = mint(from->key_id, grantee, rights, from->serial, out_token, serial);
    if (st != PSA_SUCCESS) {
        tab = undo;
        return st;
    }
    return commit();
}

/* Whether capability @p c descends from serial @p root (or is it). */
static bool descends(const struct hrot_cap *c, uint32_t root)
{
    uint32_t s = c->serial;
    size_t hops, i;

    for (hops = 0; hops <= HROT_MAX_CAPS && s != 0; hops++) {
        const struct hrot_cap *at = NULL;

        if (s == root)
            return true;
        for (i = 0; i < HROT_MAX_CAPS; i++)
            if (tab.caps[i].used && tab.caps[i].serial == s)
                at = &tab.caps[i];
        s = at != NULL ? at->parent : 0;
    }
    return false;
}

psa_status_t hrot_caps_revoke(const struct hrot_cap *by, const struct hrot_key *key,
                              uint32_t serial)
{
    struct hrot_cap *target = NULL;
    bool gone[HROT_MAX_CAPS];
    size_t i;

    if (!(by->rights & HROT_RIGHT_GRANT))
        return PSA_ERROR_NOT_PERMITTED;
    for (i = 0; i < HROT_MAX_CAPS; i++)
        if (tab.caps[i].used && tab.caps[i].serial == serial && tab.caps[i].key_id == key->id)
            target = &tab.caps[i];
    if (target == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (target->parent == 0 || target == by)
        return PSA_ERROR_NOT_PERMITTED; /* the owner's: destroy the key instead */
    if (by->client != key->owner && target->parent != by->serial)
        return PSA_ERROR_NOT_PERMITTED;
    undo = tab;
    for (i = 0; i < HROT_MAX_CAPS; i++)
        gone[i] =
            tab.caps[i].used && tab.caps[i].key_id == key->id && descends(&tab.caps[i], serial);
    for (i = 0; i < HROT_MAX_CAPS; i++)
        if (gone[i])
            memset(&tab.caps[i], 0, sizeof(tab.caps[i]));
    return commit();
}

psa_status_t hrot_caps_destroy(const struct hrot_cap *by, const struct hrot_key *key)
{
    size_t i;
    uint32_t id = key->id;

    if (by->client != key->owner || by->parent != 0)
        return PSA_ERROR_NOT_PERMITTED;
    undo = tab;
    for (i = 0; i < HROT_MAX_CAPS; i++)
        if (tab.caps[i].used && tab.caps[i].key_id == id)
            memset(&tab.caps[i], 0, sizeof(tab.caps[i]));
    for (i = 0; i < HROT_MAX_KEYS; i++)
        if (tab.keys[i].used && tab.keys[i].id == id)
            memset(&tab.keys[i], 0, sizeof(tab.keys[i]));
    return commit();
}
