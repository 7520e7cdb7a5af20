/*
 * client.c - the PSA client API inside a partition: calls to the services
 * its manifest lists in "dependencies", through the SPM, on the same
 * channel its own messages arrive on.  While it waits for a reply, messages
 * for its own services are queued as usual.  The SPM panics a partition for
 * any programmer error it makes as a client.  Calls above 64 KiB travel in
 * a sealed memfd, as libpsa-client's do; the SPM makes it (C_BUFFER).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "client_int.h"
#include "runtime.h"

static uint32_t seq;

/* Sends request @p m (with @p fd, or -1), then takes datagrams until its
 * reply is in: rt.reply, valid until the next rt_receive(). */
static const struct wire_msg *transact(struct wire_msg *m, int fd, uint16_t type)
{
    m->seq = ++seq;
    rt.have_reply = false;
    rt.reply_fd = rt.reply_fd2 = -1;
    rt_send(m, fd);
    rt_direct_calling(true);
    while (!rt.have_reply)
        rt_receive(true);
    rt_direct_calling(false);
    rt.have_reply = false;
    if (rt.reply.type != type || rt.reply.seq != seq)
        rt_panic("unexpected reply from the SPM");
    return &rt.reply;
}

/* A large call's vectors: a memfd the SPM makes (sealed against resizing),
 * holding the inputs with room for the outputs, and this partition's
 * mapping of it. */
static uint8_t *payload_memfd(const psa_invec *in_vec, size_t in_len, uint64_t total, int *fd)
{
    struct wire_msg m;
    const struct wire_msg *r;
    uint8_t *map;
    uint64_t off = 0;
    size_t i;

    m.type = WIRE_C_BUFFER;
    m.u.buffer_req.size = total;
    r = transact(&m, -1, WIRE_R_BUFFER);
    *fd = rt.reply_fd;
    rt.reply_fd = -1;
    if ((r->u.status_rep.status == PSA_SUCCESS) != (*fd >= 0))
        rt_panic("unexpected reply from the SPM");
    if (r->u.status_rep.status != PSA_SUCCESS)
        rt_panic("psa_call: the SPM has no memory for %llu bytes of vectors",
                 (unsigned long long)total);
    map = mmap(NULL, (size_t)total, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
    if (map == MAP_FAILED)
        rt_panic("psa_call: cannot map %llu bytes of vectors: %s", (unsigned long long)total,
                 strerror(errno));
    for (i = 0; i < in_len; i++) {
        if (in_vec[i].len > 0)
            memcpy(map + off, in_vec[i].base, in_vec[i].len);
        off += in_vec[i].len;
    }
    return map;
}

uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

uint32_t psa_version(uint32_t sid)
{
    struct wire_msg m;

    rt_stack_mark();

    m.type = WIRE_C_VERSION;
    m.u.version_req.sid = sid;
    return transact(&m, -1, WIRE_R_VERSION)->u.version_rep.version;
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    struct wire_msg m;
    psa_handle_t h;
    int fd, bell;

    rt_stack_mark();

    m.type = WIRE_C_CONNECT;
    m.u.connect_req.sid = sid;
    m.u.connect_req.version = version;
    h = transact(&m, -1, WIRE_R_CONNECT)->u.connect_rep.result;
    /* a direct connection: its area and doorbell came with the handle */
    fd = rt.reply_fd;
    bell = rt.reply_fd2;
    rt.reply_fd = rt.reply_fd2 = -1;
    if (fd >= 0 && bell >= 0 && h > 0 && rt_direct_client_add(h, fd, bell) == 0)
        return h;
    if (fd >= 0)
        close(fd);
    if (bell >= 0)
        close(bell);
    return h;
}

psa_status_t rt_stall(psa_handle_t h)
{
    struct wire_msg m;

    m.type = WIRE_C_STALL;
    m.u.stall_req.handle = h;
    return transact(&m, -1, WIRE_R_STALL)->u.status_rep.status;
}

void psa_close(psa_handle_t handle)
{
    struct wire_msg m;

    rt_stack_mark();

    if (handle == PSA_NULL_HANDLE)
        return;
    rt_direct_client_remove(handle);
    m.type = WIRE_C_CLOSE;
    m.u.close_req.handle = handle;
    (void)transact(&m, -1, WIRE_R_CLOSE);
}

/* FF-M: a secure caller's unreadable input, unwritable output, or vector
 * that wraps is its programmer error: the partition panics, naming it. */
static void check_vectors(const psa_invec *in_vec, size_t in_len, const psa_outvec *out_vec,
                          size_t out_len)
{
    size_t i;

    if (rt_probe(in_vec, in_len * sizeof(*in_vec), false) < 0)
        rt_panic("psa_call: in_vec (%p, %zu entries) is not readable", (const void *)in_vec,
                 in_len);
    if (rt_probe(out_vec, out_len * sizeof(*out_vec), true) < 0)
        rt_panic("psa_call: out_vec (%p, %zu entries) is not writable", (const void *)out_vec,
                 out_len);
    for (i = 0; i < in_len; i++)
        if (rt_probe(in_vec[i].base, in_vec[i].len, false) < 0)
            rt_panic("psa_call: in_vec[%zu] (%p, %zu bytes) is not readable%s", i, in_vec[i].base,
                     in_vec[i].len,
                     (uintptr_t)in_vec[i].base + in_vec[i].len < (uintptr_t)in_vec[i].base
                         ? ": it wraps around the address space"
                         : "");
    for (i = 0; i < out_len; i++)
        if (rt_probe(out_vec[i].base, out_vec[i].len, true) < 0)
            rt_panic("psa_call: out_vec[%zu] (%p, %zu bytes) is not writable%s", i, out_vec[i].base,
                     out_vec[i].len,
                     (uintptr_t)out_vec[i].base + out_vec[i].len < (uintptr_t)out_vec[i].base
                         ? ": it wraps around the address space"
                         : "");
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    struct wire_msg m;
    struct wire_call_req *req = &m.u.call_req;
    const struct wire_msg *r;
    uint64_t total;
    uint8_t *map = NULL;
    int fd = -1;

    rt_stack_mark();

    if (partix_check_vectors(type, in_vec, in_len, out_vec, out_len, false) != PSA_SUCCESS)
        rt_panic("psa_call: invalid type %d or vectors (%zu in, %zu out)", (int)type, in_len,
                 out_len);
    check_vectors(in_vec, in_len, out_vec, out_len);
    {
        bool done;
        psa_status_t st =
            rt_direct_client_call(handle, type, in_vec, in_len, out_vec, out_len, &done);

        /* FF-M: a secure caller's programmer error panics it */
        if (done && st == PSA_ERROR_PROGRAMMER_ERROR)
            rt_panic("psa_call on handle %d: the service answered PROGRAMMER_ERROR", (int)handle);
        if (done)
            return st;
    }
    m.type = WIRE_C_CALL;
    if (partix_call_request(req, handle, type, in_vec, in_len, out_vec, out_len) != PSA_SUCCESS)
        rt_panic(
            "psa_call: %llu bytes of vectors; a call carries at most %u",
            (unsigned long long)(wire_vecs_in_total(&req->vecs) + wire_vecs_out_total(&req->vecs)),
            WIRE_MAX_PAYLOAD);
    total = wire_vecs_in_total(&req->vecs) + wire_vecs_out_total(&req->vecs);
    /* as libpsa-client does: the vectors in a sealed memfd, the outputs
     * written there in place by the service; its own request comes first */
    if (req->flags & WIRE_CALL_MEMFD)
        map = payload_memfd(in_vec, in_len, total, &fd);
    r = transact(&m, fd, WIRE_R_CALL);
    if (fd >= 0)
        close(fd);
    if (partix_call_outputs(req, &r->u.call_rep, out_vec, out_len, map, -1) < 0)
        rt_panic("malformed reply from the SPM");
    if (map != NULL)
        munmap(map, (size_t)total);
    return r->u.call_rep.status;
}
