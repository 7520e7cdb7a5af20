/*
 * storage_req.c - the vectors every storage call shares (TF-M's layout):
 * the uid first, and a get's offset in the caller's size_t.
 */
#include <string.h>

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

psa_status_t storage_read_flags(const psa_msg_t *msg, psa_storage_create_flags_t *flags)
{
    if (msg->in_size[2] != sizeof(*flags) ||
        psa_read(msg->handle, 2, flags, sizeof(*flags)) != sizeof(*flags))
        return PSA_ERROR_INVALID_ARGUMENT;
    return (*flags & ~STORAGE_KNOWN_FLAGS) ? PSA_ERROR_NOT_SUPPORTED : PSA_SUCCESS;
}

void storage_reply_data(const psa_msg_t *msg, const uint8_t *data, uint32_t size, uint64_t offset)
{
    size_t n = offset < size ? size - (size_t)offset : 0;

    if (n > msg->out_size[0])
        n = msg->out_size[0];
    psa_write(msg->handle, 0, data + (offset < size ? offset : size), n);
}

void storage_reply_info(const psa_msg_t *msg, uint32_t capacity, uint32_t size, uint32_t flags)
{
    struct psa_storage_info_t info;

    memset(&info, 0, sizeof(info));
    info.capacity = capacity;
    info.size = size;
    info.flags = flags;
    psa_write(msg->handle, 0, &info, sizeof(info));
}
