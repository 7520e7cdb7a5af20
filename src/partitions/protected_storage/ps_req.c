/*
 * ps_req.c - the Protected Storage service: TF-M's call types and vectors
 * (tfm_ps_defs.h), every size and offset checked before use, each caller's
 * objects apart from every other's (keyed by msg->client_id).
 */
#include <string.h>

#include "partix/storage.h"
#include "ps.h"
#include "ps_config.h"
#include "psa/service.h"
#include "psa_manifest/tfm_protected_storage.h"
#include "storage_shared.h"
#include "tfm_ps_defs.h"
#include "tfm_sp_log.h"

/* psa_ps_create() and psa_ps_set_extended() are offered. */
#define PS_SUPPORT PSA_STORAGE_SUPPORT_SET_EXTENDED

/* One object's data, in and out. */
static uint8_t data[PS_MAX_ASSET_SIZE];

static psa_status_t ps_set_req(const psa_msg_t *msg)
{
    psa_storage_create_flags_t flags;
    psa_storage_uid_t uid;
    struct ps_object *o;
    size_t size = msg->in_size[1];
    psa_status_t st = storage_read_uid(msg, 3, 0, &uid);

    if (st != PSA_SUCCESS)
        return st;
    if ((st = storage_read_flags(msg, &flags)) != PSA_SUCCESS)
        return st;
    if (ps_store_usable() != PSA_SUCCESS)
        return PSA_ERROR_STORAGE_FAILURE;
    o = ps_store_find(msg->client_id, uid);
    if (o != NULL && (o->flags & PSA_STORAGE_FLAG_WRITE_ONCE))
        return PSA_ERROR_NOT_PERMITTED;
    if (size > PS_MAX_ASSET_SIZE || ps_store_room(msg->client_id, o, (uint32_t)size) != PSA_SUCCESS)
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    if (psa_read(msg->handle, 1, data, size) != size)
        return PSA_ERROR_INVALID_ARGUMENT;
    /* a new asset, whatever it replaces: its capacity is its size */
    return ps_store_set(msg->client_id, uid, flags, data, (uint32_t)size, (uint32_t)size);
}

/* psa_ps_create(): an object of size 0 that reserves @p capacity bytes. */
static psa_status_t ps_create_req(const psa_msg_t *msg)
{
    psa_storage_create_flags_t flags;
    psa_storage_uid_t uid;
    uint64_t capacity;
    psa_status_t st = storage_read_uid(msg, 3, 0, &uid);

    if (st != PSA_SUCCESS || (st = storage_read_offset(msg, 1, &capacity)) != PSA_SUCCESS)
        return st;
    if ((st = storage_read_flags(msg, &flags)) != PSA_SUCCESS)
        return st;
    if (flags & PSA_STORAGE_FLAG_WRITE_ONCE) /* the API's rule: nothing could be written */
        return PSA_ERROR_NOT_SUPPORTED;
    if (ps_store_usable() != PSA_SUCCESS)
        return PSA_ERROR_STORAGE_FAILURE;
    if (ps_store_find(msg->client_id, uid) != NULL)
        return PSA_ERROR_ALREADY_EXISTS;
    if (capacity > PS_MAX_ASSET_SIZE ||
        ps_store_room(msg->client_id, NULL, (uint32_t)capacity) != PSA_SUCCESS)
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    return ps_store_set(msg->client_id, uid, flags, data, 0, (uint32_t)capacity);
}

/* psa_ps_set_extended(): writes bytes at an offset no further than the
 * size, up to the capacity; the object is rewritten whole as a set is. */
static psa_status_t ps_set_extended_req(const psa_msg_t *msg)
{
    psa_storage_uid_t uid;
    const struct ps_object *o;
    uint64_t offset;
    size_t len = msg->in_size[2];
    uint32_t size;
    psa_status_t st = storage_read_uid(msg, 3, 0, &uid);

    if (st != PSA_SUCCESS || (st = storage_read_offset(msg, 1, &offset)) != PSA_SUCCESS)
        return st;
    if ((st = ps_store_usable()) != PSA_SUCCESS)
        return st;
    o = ps_store_find(msg->client_id, uid);
    if (o == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (o->flags & PSA_STORAGE_FLAG_WRITE_ONCE)
        return PSA_ERROR_NOT_PERMITTED;
    /* no gap, nothing past the capacity (offset <= size <= capacity) */
    if (offset > o->size || len > o->capacity - offset)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (len == 0)
        return PSA_SUCCESS;
    if ((st = ps_store_read(o, data)) != PSA_SUCCESS)
        return st;
    if (psa_read(msg->handle, 2, data + offset, len) != len)
        return PSA_ERROR_INVALID_ARGUMENT;
    size = offset + len > o->size ? (uint32_t)(offset + len) : o->size;
    return ps_store_set(msg->client_id, uid, o->flags, data, size, o->capacity);
}

static psa_status_t ps_get_req(const psa_msg_t *msg)
{
    psa_storage_uid_t uid;
    const struct ps_object *o;
    uint64_t offset = 0;
    psa_status_t st = storage_read_uid(msg, 2, 1, &uid);

    if (st != PSA_SUCCESS || (st = storage_read_offset(msg, 1, &offset)) != PSA_SUCCESS)
        return st;
    if ((st = ps_store_usable()) != PSA_SUCCESS)
        return st;
    o = ps_store_find(msg->client_id, uid);
    if (o == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (offset > o->size)
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = ps_store_read(o, data)) != PSA_SUCCESS)
        return st;
    storage_reply_data(msg, data, o->size, offset);
    return PSA_SUCCESS;
}

static psa_status_t ps_get_info_req(const psa_msg_t *msg)
{
    psa_storage_uid_t uid;
    const struct ps_object *o;
    psa_status_t st = storage_read_uid(msg, 1, 1, &uid);

    if (st != PSA_SUCCESS)
        return st;
    if (msg->out_size[0] < sizeof(struct psa_storage_info_t))
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = ps_store_usable()) != PSA_SUCCESS)
        return st;
    o = ps_store_find(msg->client_id, uid);
    if (o == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    /* from the authenticated table: the file is checked when it is read */
    storage_reply_info(msg, o->capacity, o->size, o->flags);
    return PSA_SUCCESS;
}

static psa_status_t ps_remove_req(const psa_msg_t *msg)
{
    psa_storage_uid_t uid;
    struct ps_object *o;
    psa_status_t st = storage_read_uid(msg, 1, 0, &uid);

    if (st != PSA_SUCCESS)
        return st;
    if (ps_store_usable() != PSA_SUCCESS)
        return PSA_ERROR_STORAGE_FAILURE;
    o = ps_store_find(msg->client_id, uid);
    if (o == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (o->flags & PSA_STORAGE_FLAG_WRITE_ONCE)
        return PSA_ERROR_NOT_PERMITTED;
    return ps_store_remove(o);
}

static psa_status_t ps_get_support_req(const psa_msg_t *msg)
{
    uint32_t support = PS_SUPPORT;

    for (size_t i = 0; i < PSA_MAX_IOVEC; i++)
        if (msg->in_size[i] != 0 || (i > 0 && msg->out_size[i] != 0))
            return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] != sizeof(support))
        return PSA_ERROR_INVALID_ARGUMENT;
    psa_write(msg->handle, 0, &support, sizeof(support));
    return PSA_SUCCESS;
}

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t tfm_ps_entry(void);
psa_status_t tfm_ps_entry(void)
{
    int dir = partix_storage_dir();
    psa_status_t st;

    if (dir < 0) {
        LOG_ERRFMT("no storage directory: cannot serve\n");
        return PSA_ERROR_STORAGE_FAILURE;
    }
    if ((st = ps_crypto_init()) != PSA_SUCCESS)
        return st;
    if (ps_store_init(dir) < 0) {
        LOG_ERRFMT("cannot read the storage directory: cannot serve\n");
        return PSA_ERROR_STORAGE_FAILURE;
    }
    return PSA_SUCCESS;
}

psa_status_t tfm_protected_storage_service_sfn(const psa_msg_t *msg)
{
    switch (msg->type) {
    case TFM_PS_SET:
        return ps_set_req(msg);
    case TFM_PS_GET:
        return ps_get_req(msg);
    case TFM_PS_GET_INFO:
        return ps_get_info_req(msg);
    case TFM_PS_REMOVE:
        return ps_remove_req(msg);
    case TFM_PS_GET_SUPPORT:
        return ps_get_support_req(msg);
    case PARTIX_PS_CREATE:
        return ps_create_req(msg);
    case PARTIX_PS_SET_EXTENDED:
        return ps_set_extended_req(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}
