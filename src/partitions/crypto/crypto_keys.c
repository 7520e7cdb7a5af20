/*
 * crypto_keys.c - key ids belong to a client.  Debian's Mbed TLS 2.28 is
 * built without MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER, so the partition
 * keeps the map itself: (client id, the client's key id) -> Mbed TLS's key
 * id.  A client's ids are numbered from PSA_KEY_ID_VENDOR_MIN in its own
 * namespace, lowest free first, so the ids a client gets say nothing of
 * other clients' keys; an id not in the caller's namespace is
 * PSA_ERROR_INVALID_HANDLE, as a key that never existed.  Ids of the user
 * range are the client's persistent keys, looked up in crypto_pkeys.c.
 */
#include <stdbool.h>

#include "crypto_sp.h"

static struct {
    bool used;
    int32_t client;
    uint32_t app, internal;
} keys[CK_MAX_KEYS];

psa_status_t ck_lookup(int32_t client, uint32_t app, uint32_t *internal)
{
    size_t i;

    if (app == 0) { /* PSA_KEY_ID_NULL: Mbed TLS answers for it */
        *internal = 0;
        return PSA_SUCCESS;
    }
    if (cp_is_app_id(app))
        return cp_lookup(client, app, internal);
    for (i = 0; i < CK_MAX_KEYS; i++) {
        if (keys[i].used && keys[i].client == client && keys[i].app == app) {
            *internal = keys[i].internal;
            return PSA_SUCCESS;
        }
    }
    return PSA_ERROR_INVALID_HANDLE;
}

psa_status_t ck_room(int32_t client)
{
    size_t i, free = 0, mine = 0;

    for (i = 0; i < CK_MAX_KEYS; i++) {
        if (!keys[i].used)
            free++;
        else if (keys[i].client == client)
            mine++;
    }
    return free > 0 && mine < CK_MAX_PER_CLIENT ? PSA_SUCCESS : PSA_ERROR_INSUFFICIENT_MEMORY;
}

static bool app_used(int32_t client, uint32_t app)
{
    uint32_t internal;

    return ck_lookup(client, app, &internal) == PSA_SUCCESS;
}

/* Only after ck_room() said yes. */
uint32_t ck_add(int32_t client, uint32_t internal)
{
    uint32_t app = PSA_KEY_ID_VENDOR_MIN;
    size_t i;

    while (app_used(client, app))
        app++;
    for (i = 0; i < CK_MAX_KEYS && keys[i].used; i++)
        ;
    keys[i].used = true;
    keys[i].client = client;
    keys[i].app = app;
    keys[i].internal = internal;
    return app;
}

void ck_remove(int32_t client, uint32_t app)
{
    size_t i;

    for (i = 0; i < CK_MAX_KEYS; i++)
        if (keys[i].used && keys[i].client == client && keys[i].app == app)
            keys[i].used = false;
}

uint32_t ck_app_id(int32_t client, uint32_t internal)
{
    size_t i;

    if (cp_is_internal(internal))
        return cp_app_id(client, internal);
    for (i = 0; i < CK_MAX_KEYS; i++)
        if (keys[i].used && keys[i].client == client && keys[i].internal == internal)
            return keys[i].app;
    return 0;
}
