/*
 * storage_req.c - the vectors every storage call shares (TF-M's layout):
 * the uid first, and a get's offset in the caller's size_t.
 */
#include "storage_shared.h"

psa_status_t storage_read_uid(const psa_msg_t *msg, size_t n_in, size_t n_out,
                              psa_storage_uid_t *uid)
{
    size_t i;

    for (i = n_in; i < PSA_MAX_IOVEC; i++)
        if (msg->in_size[i] != 0)
            return PSA_ERROR_INVALID_ARGUMENT;
    for (i = n_out; i < PSA_MAX_IOVEC; i++)
        if (msg->out_size[i] != 0)
            return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->in_size[0] != sizeof(*uid) ||
        psa_read(msg->handle, 0, uid, sizeof(*uid)) != sizeof(*uid) || *uid == 0)
        return PSA_ERROR_INVALID_ARGUMENT;
    return PSA_SUCCESS;
}

psa_status_t storage_read_offset(const psa_msg_t *msg, uint32_t index, uint64_t *offset)
{
    /* the caller's size_t: 8 bytes on the host, 4 from a 32-bit build */
    if (msg->in_size[index] == sizeof(uint32_t)) {
        uint32_t off32;

        if (psa_read(msg->handle, index, &off32, sizeof(off32)) != sizeof(off32))
            return PSA_ERROR_INVALID_ARGUMENT;
        *offset = off32;
        return PSA_SUCCESS;
    }
    if (msg->in_size[index] != sizeof(*offset) ||
        psa_read(msg->handle, index, offset, sizeof(*offset)) != sizeof(*offset))
        return PSA_ERROR_INVALID_ARGUMENT;
    return PSA_SUCCESS;
}
