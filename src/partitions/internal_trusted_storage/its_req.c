/*
 * its_req.c - the Internal Trusted Storage service: TF-M's call types and
 * vectors (tfm_its_defs.h), every size and offset checked before use, each
 * caller's entries apart from every other's (keyed by msg->client_id).
 */
#include <string.h>

#include "its.h"
#include "its_config.h"
#include "partix/storage.h"
#include "psa/service.h"
#include "psa_manifest/tfm_internal_trusted_storage.h"
#include "storage_shared.h"
#include "tfm_its_defs.h"
#include "tfm_sp_log.h"

/* One entry's file, in and out (the partition has no heap). */
static uint8_t buf[ITS_HEADER_SIZE + ITS_MAX_ASSET_SIZE + ITS_TRAILER_SIZE];

static psa_status_t its_set_req(const psa_msg_t *msg)
{
    psa_storage_create_flags_t flags;
    psa_storage_uid_t uid;
    struct its_entry *e;
    size_t size = msg->in_size[1];
    psa_status_t st = storage_read_uid(msg, 3, 0, &uid);

    if (st != PSA_SUCCESS)
        return st;
    if ((st = storage_read_flags(msg, &flags)) != PSA_SUCCESS)
        return st;
    e = its_store_find(msg->client_id, uid);
    if (e != NULL && (e->flags & PSA_STORAGE_FLAG_WRITE_ONCE))
        return PSA_ERROR_NOT_PERMITTED;
    if (size > ITS_MAX_ASSET_SIZE ||
        its_store_room(msg->client_id, e, (uint32_t)size) != PSA_SUCCESS)
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    if (psa_read(msg->handle, 1, buf + ITS_HEADER_SIZE, size) != size)
        return PSA_ERROR_INVALID_ARGUMENT;
    return its_store_write(msg->client_id, uid, flags, buf, (uint32_t)size);
}

static psa_status_t its_get_req(const psa_msg_t *msg)
{
    psa_storage_uid_t uid;
    const struct its_entry *e;
    uint64_t offset = 0;
    psa_status_t st = storage_read_uid(msg, 2, 1, &uid);

    if (st != PSA_SUCCESS)
        return st;
    if ((st = storage_read_offset(msg, 1, &offset)) != PSA_SUCCESS)
        return st;
    e = its_store_find(msg->client_id, uid);
    if (e == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (offset > e->size)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = its_store_read(e, buf);
    if (st != PSA_SUCCESS)
        return st;
    storage_reply_data(msg, buf + ITS_HEADER_SIZE, e->size, offset);
    return PSA_SUCCESS;
}

static psa_status_t its_get_info_req(const psa_msg_t *msg)
{
    psa_storage_uid_t uid;
    const struct its_entry *e;
    psa_status_t st = storage_read_uid(msg, 1, 1, &uid);

    if (st != PSA_SUCCESS)
        return st;
    if (msg->out_size[0] < sizeof(struct psa_storage_info_t))
        return PSA_ERROR_INVALID_ARGUMENT;
    e = its_store_find(msg->client_id, uid);
    if (e == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    storage_reply_info(msg, e->size, e->size, e->flags);
    return PSA_SUCCESS;
}

static psa_status_t its_remove_req(const psa_msg_t *msg)
{
    psa_storage_uid_t uid;
    struct its_entry *e;
    psa_status_t st = storage_read_uid(msg, 1, 0, &uid);

    if (st != PSA_SUCCESS)
        return st;
    e = its_store_find(msg->client_id, uid);
    if (e == NULL)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (e->flags & PSA_STORAGE_FLAG_WRITE_ONCE)
        return PSA_ERROR_NOT_PERMITTED;
    return its_store_remove(e);
}

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t tfm_its_entry(void);
psa_status_t tfm_its_entry(void)
{
    int dir = partix_storage_dir();

    if (dir < 0 || its_store_init(dir) < 0) {
        LOG_ERRFMT("no readable storage directory: cannot serve\n");
        return PSA_ERROR_STORAGE_FAILURE;
    }
    return PSA_SUCCESS;
}

psa_status_t tfm_internal_trusted_storage_service_sfn(const psa_msg_t *msg)
{
    switch (msg->type) {
    case TFM_ITS_SET:
        return its_set_req(msg);
    case TFM_ITS_GET:
        return its_get_req(msg);
    case TFM_ITS_GET_INFO:
        return its_get_info_req(msg);
    case TFM_ITS_REMOVE:
        return its_remove_req(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}
