/*
 * crypto_pkeys.c - persistent keys.  A client names its persistent keys
 * itself, with ids of the PSA user range (PSA_KEY_ID_USER_MIN..MAX), in a
 * namespace of its own: two users' key 1 are two keys.  Mbed TLS stores key
 * K as ITS entry K of this partition (crypto_its.c); its K are drawn from a
 * pool, CP_ID_BASE + slot, never shown to a client.  The map (client, app
 * id) per slot is one more ITS entry, CP_MAP_UID (above every key's uid),
 * rewritten whole: ITS writes are atomic.
 *
 * The order of the writes, so that a crash anywhere leaves no key reachable
 * by the wrong user and no id that cannot be used again:
 *   create   Mbed TLS writes K, then the map gains the slot.  A crash in
 *            between leaves K stored and unmapped: an orphan no one reaches.
 *   destroy  the map loses the slot, then Mbed TLS removes K.  A crash in
 *            between leaves an orphan too, never a slot without its key.
 *   load     the first call that needs the map after a start reads it, then
 *            removes from ITS every pool id it leaves free: the orphans go
 *            before their ids are given out again (and cp_reserve() removes
 *            one more time the id it gives out).
 * So a slot is mapped only once its key is written, and its id is given out
 * only with no stored key behind it: a map entry never names a key written
 * for someone else.  A map write that fails may or may not have reached ITS:
 * the map in memory is then dropped, and the next call reads the stored one
 * and removes what it leaves free.  If the map itself is lost (ITS ignores
 * an entry that fails its checks), its keys are orphans and are removed:
 * no one could tell whose they were.
 */
#include <string.h>

#include "crypto_sp.h"
#include "tfm_sp_log.h"

#define CP_ID_BASE 0x3fff0000u                  /* user range: Mbed TLS stores only those */
#define CP_MAP_UID ((psa_storage_uid_t)1 << 32) /* above every key id */
#define CP_MAP_MAGIC 0x4d4b5850u                /* "PXKM" */
#define CP_MAP_VERSION 1u
#define CP_MAP_LEN (12 + 8 * CP_MAX_KEYS)

static struct {
    int32_t client;
    uint32_t app; /* 0: free */
} slots[CP_MAX_KEYS];

static bool loaded;
static uint8_t map_buf[CP_MAP_LEN + 1];

bool cp_is_app_id(uint32_t app)
{
    return app >= PSA_KEY_ID_USER_MIN && app <= PSA_KEY_ID_USER_MAX;
}

bool cp_is_internal(uint32_t id)
{
    return id >= CP_ID_BASE && id - CP_ID_BASE < CP_MAX_KEYS;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int find(int32_t client, uint32_t app)
{
    for (int i = 0; i < CP_MAX_KEYS; i++)
        if (slots[i].app == app && slots[i].client == client)
            return i;
    return -1;
}

/* The stored map into slots[]: 0, or -1 if it is not one this code wrote. */
static int decode(const uint8_t *p, size_t len)
{
    uint32_t n, i;

    if (len < 12 || get32(p) != CP_MAP_MAGIC || get32(p + 4) != CP_MAP_VERSION)
        return -1;
    n = get32(p + 8);
    if (n > CP_MAX_KEYS || len != 12 + 8 * (size_t)n)
        return -1;
    for (i = 0; i < n; i++) {
        int32_t client = (int32_t)get32(p + 12 + 8 * i);
        uint32_t app = get32(p + 16 + 8 * i);

        if (app == 0 ? client != 0 : !cp_is_app_id(app) || find(client, app) >= 0)
            return -1;
        slots[i].client = client;
        slots[i].app = app;
    }
    return 0;
}

static psa_status_t write_map(void)
{
    put32(map_buf, CP_MAP_MAGIC);
    put32(map_buf + 4, CP_MAP_VERSION);
    put32(map_buf + 8, CP_MAX_KEYS);
    for (int i = 0; i < CP_MAX_KEYS; i++) {
        put32(map_buf + 12 + 8 * i, (uint32_t)slots[i].client);
        put32(map_buf + 16 + 8 * i, slots[i].app);
    }
    return psa_its_set(CP_MAP_UID, CP_MAP_LEN, map_buf, 0);
}

/* Removes a stored key no slot maps (and any copy Mbed TLS holds of it). */
static psa_status_t remove_orphan(uint32_t id)
{
    psa_status_t st;

    psa_purge_key(id);
    st = psa_its_remove(id);
    if (st == PSA_SUCCESS)
        LOG_INFFMT("[Crypto] removed orphaned persistent key 0x%08x (no client maps it)\n",
                   (unsigned)id);
    return st == PSA_ERROR_DOES_NOT_EXIST ? PSA_SUCCESS : st;
}

static psa_status_t load(void)
{
    size_t len = 0;
    psa_status_t st;

    if (loaded)
        return PSA_SUCCESS;
    memset(slots, 0, sizeof(slots));
    st = psa_its_get(CP_MAP_UID, 0, sizeof(map_buf), map_buf, &len);
    if (st == PSA_SUCCESS && decode(map_buf, len) != 0) {
        memset(slots, 0, sizeof(slots));
        LOG_ERRFMT("[Crypto] the persistent key map in ITS is not valid: persistent keys are "
                   "out of service\n");
        return PSA_ERROR_DATA_CORRUPT; /* its keys stay: better than removing live ones */
    }
    if (st != PSA_SUCCESS && st != PSA_ERROR_DOES_NOT_EXIST)
        return st;
    for (int i = 0; i < CP_MAX_KEYS; i++)
        if (slots[i].app == 0 && (st = remove_orphan(CP_ID_BASE + (uint32_t)i)) != PSA_SUCCESS)
            return st;
    loaded = true;
    return PSA_SUCCESS;
}

void cp_forget(void)
{
    loaded = false;
}

psa_status_t cp_lookup(int32_t client, uint32_t app, uint32_t *internal)
{
    psa_status_t st = load();
    int i;

    if (st != PSA_SUCCESS)
        return st;
    if ((i = find(client, app)) < 0)
        return PSA_ERROR_INVALID_HANDLE;
    *internal = CP_ID_BASE + (uint32_t)i;
    return PSA_SUCCESS;
}

psa_status_t cp_reserve(int32_t client, uint32_t app, uint32_t *internal)
{
    int i, mine = 0, free = -1;
    psa_status_t st;

    if (!cp_is_app_id(app))
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = load()) != PSA_SUCCESS)
        return st;
    if (find(client, app) >= 0)
        return PSA_ERROR_ALREADY_EXISTS;
    for (i = 0; i < CP_MAX_KEYS; i++) {
        if (slots[i].app != 0)
            mine += slots[i].client == client;
        else if (free < 0)
            free = i;
    }
    if (free < 0 || mine >= CP_MAX_PER_CLIENT)
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    *internal = CP_ID_BASE + (uint32_t)free;
    return remove_orphan(*internal);
}

psa_status_t cp_commit(int32_t client, uint32_t app, uint32_t internal)
{
    uint32_t i = internal - CP_ID_BASE;
    psa_status_t st;

    slots[i].client = client;
    slots[i].app = app;
    if ((st = write_map()) != PSA_SUCCESS) {
        slots[i].client = 0;
        slots[i].app = 0;
        psa_purge_key(internal);
        cp_forget();
    }
    return st;
}

psa_status_t cp_unmap(int32_t client, uint32_t app)
{
    int i = find(client, app);
    psa_status_t st;

    if (i < 0)
        return PSA_ERROR_INVALID_HANDLE;
    slots[i].client = 0;
    slots[i].app = 0;
    if ((st = write_map()) != PSA_SUCCESS)
        cp_forget();
    return st;
}

uint32_t cp_app_id(int32_t client, uint32_t internal)
{
    uint32_t i = internal - CP_ID_BASE;

    return cp_is_internal(internal) && loaded && slots[i].client == client ? slots[i].app : 0;
}
