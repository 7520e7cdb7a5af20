/*
 * call.c - psa_call's marshalling, once: the request from the caller's
 * vectors, and the reply into them.  libpsa-client and the partition
 * runtime each add only their transport (a socket with a memfd they make,
 * or the partition's channel with a memfd the SPM makes).
 */
#include <string.h>
#include <unistd.h>

#include "client_int.h"
#include "wire.h"

psa_status_t partix_call_request(struct wire_call_req *req, psa_handle_t handle, int32_t type,
                                 const psa_invec *in_vec, size_t in_len, const psa_outvec *out_vec,
                                 size_t out_len)
{
    uint64_t total;
    size_t i;

    memset(req, 0, sizeof(*req));
    req->handle = handle;
    req->type = type;
    req->vecs.n_in = (uint8_t)in_len;
    req->vecs.n_out = (uint8_t)out_len;
    for (i = 0; i < in_len; i++) {
        req->vecs.in_len[i] = (uint32_t)in_vec[i].len;
        req->in[i] = in_vec[i].base;
    }
    for (i = 0; i < out_len; i++)
        req->vecs.out_len[i] = (uint32_t)out_vec[i].len;
    total = wire_vecs_in_total(&req->vecs) + wire_vecs_out_total(&req->vecs);
    if (total > WIRE_MAX_PAYLOAD)
        return PSA_ERROR_PROGRAMMER_ERROR;
    if (total > WIRE_INLINE_MAX)
        req->flags = WIRE_CALL_MEMFD;
    return PSA_SUCCESS;
}

size_t partix_call_reply_size(const struct wire_call_req *req)
{
    uint64_t n = WIRE_HEAD_MAX;

    if (!(req->flags & WIRE_CALL_MEMFD))
        n += wire_vecs_out_total(&req->vecs);
    return n < WIRE_MAX_MSG ? (size_t)n : WIRE_MAX_MSG;
}

int partix_call_outputs(const struct wire_call_req *req, const struct wire_call_rep *rep,
                        psa_outvec *out_vec, size_t out_len, const uint8_t *map, int memfd)
{
    bool in_memfd = (req->flags & WIRE_CALL_MEMFD) != 0;
    uint64_t off = wire_vecs_in_total(&req->vecs);
    size_t i;

    /* n_out 0: the call never reached a service, nothing was written */
    if (rep->n_out != 0 && (rep->n_out != out_len || out_len != req->vecs.n_out ||
                            in_memfd != ((rep->flags & WIRE_CALL_MEMFD) != 0)))
        goto fail;
    for (i = 0; i < rep->n_out; i++)
        if (rep->written[i] > req->vecs.out_len[i])
            goto fail;
    for (i = 0; i < rep->n_out; i++) {
        uint32_t n = rep->written[i];

        if (n > 0 && !in_memfd)
            memcpy(out_vec[i].base, rep->out[i], n);
        else if (n > 0 && map != NULL)
            memcpy(out_vec[i].base, map + off, n);
        else if (n > 0 && pread(memfd, out_vec[i].base, n, (off_t)off) != (ssize_t)n)
            goto fail;
        off += req->vecs.out_len[i];
    }
    for (i = 0; i < out_len; i++)
        out_vec[i].len = i < rep->n_out ? rep->written[i] : 0;
    return 0;
fail:
    for (i = 0; i < out_len; i++)
        out_vec[i].len = 0;
    return -1;
}
