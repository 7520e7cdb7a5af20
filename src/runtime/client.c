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

/* A large call's vectors: a memfd the SPM makes (sealed against resizing),
 * holding the inputs with room for the outputs, and this partition's
 * mapping of it. */
static uint8_t *payload_memfd(const psa_invec *in_vec, size_t in_len, uint64_t total, int *fd)
{
    static struct wire_out w;
    struct wire_in m;
    uint8_t *map;
    uint64_t off = 0;
    int32_t st;
    size_t i;

    wire_begin(&w, WIRE_C_BUFFER, ++seq);
    wire_put_u64(&w, total);
    rt.reply_len = 0;
    rt.reply_fd = -1;
    rt_send(&w, -1);
    while (rt.reply_len == 0)
        rt_receive(true);
    *fd = rt.reply_fd;
    rt.reply_fd = -1;
    if (wire_open(&m, rt.reply, rt.reply_len) || m.type != WIRE_R_BUFFER || m.seq != seq ||
        wire_get_i32(&m, &st) || wire_end(&m) || (st == PSA_SUCCESS) != (*fd >= 0))
        rt_panic("unexpected reply from the SPM");
    rt.reply_len = 0;
    if (st != PSA_SUCCESS)
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

/* Sends a request, then takes datagrams until its reply is in. */
static void transact(struct wire_out *w, const struct iovec *extra, int n, uint16_t type,
                     struct wire_in *m)
{
    rt.reply_len = 0;
    rt_sendv(w, extra, n);
    while (rt.reply_len == 0)
        rt_receive(true);
    if (wire_open(m, rt.reply, rt.reply_len) || m->type != type || m->seq != seq)
        rt_panic("unexpected reply from the SPM");
    rt.reply_len = 0;
}

uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

uint32_t psa_version(uint32_t sid)
{
    static struct wire_out w;
    struct wire_in m;
    uint32_t v;

    wire_begin(&w, WIRE_C_VERSION, ++seq);
    wire_put_u32(&w, sid);
    transact(&w, NULL, 0, WIRE_R_VERSION, &m);
    if (wire_get_u32(&m, &v) || wire_end(&m))
        rt_panic("malformed reply from the SPM");
    return v;
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    static struct wire_out w;
    struct wire_in m;
    int32_t r;

    wire_begin(&w, WIRE_C_CONNECT, ++seq);
    wire_put_u32(&w, sid);
    wire_put_u32(&w, version);
    transact(&w, NULL, 0, WIRE_R_CONNECT, &m);
    if (wire_get_i32(&m, &r) || wire_end(&m))
        rt_panic("malformed reply from the SPM");
    return r;
}

void psa_close(psa_handle_t handle)
{
    static struct wire_out w;
    struct wire_in m;

    if (handle == PSA_NULL_HANDLE)
        return;
    wire_begin(&w, WIRE_C_CLOSE, ++seq);
    wire_put_i32(&w, handle);
    transact(&w, NULL, 0, WIRE_R_CLOSE, &m);
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    static struct wire_out w;
    struct iovec extra[WIRE_MAX_IOVEC];
    struct wire_vecs v;
    struct wire_in m;
    const uint8_t *p;
    uint32_t written[WIRE_MAX_IOVEC] = {0};
    uint64_t total, off;
    uint8_t *map = NULL;
    int32_t status;
    uint8_t n;
    size_t i;
    int fd = -1;

    if (partix_check_vectors(type, in_vec, in_len, out_vec, out_len, false) != PSA_SUCCESS)
        rt_panic("psa_call: invalid type %d or vectors (%zu in, %zu out)", (int)type, in_len,
                 out_len);
    memset(&v, 0, sizeof(v));
    v.n_in = (uint8_t)in_len;
    v.n_out = (uint8_t)out_len;
    for (i = 0; i < in_len; i++) {
        v.in_len[i] = (uint32_t)in_vec[i].len;
        extra[i].iov_base = (void *)(uintptr_t)in_vec[i].base;
        extra[i].iov_len = in_vec[i].len;
    }
    for (i = 0; i < out_len; i++)
        v.out_len[i] = (uint32_t)out_vec[i].len;
    total = wire_vecs_in_total(&v) + wire_vecs_out_total(&v);
    if (total > WIRE_MAX_PAYLOAD)
        rt_panic("psa_call: %llu bytes of vectors; a call carries at most %u",
                 (unsigned long long)total, WIRE_MAX_PAYLOAD);
    if (total > WIRE_INLINE_MAX) /* its own request first: it takes a sequence number */
        map = payload_memfd(in_vec, in_len, total, &fd);
    wire_begin(&w, WIRE_C_CALL, ++seq);
    wire_put_i32(&w, handle);
    wire_put_i32(&w, type);
    if (map != NULL) {
        /* as libpsa-client does: the vectors in a sealed memfd, the outputs
         * written there in place by the service */
        wire_put_u8(&w, WIRE_CALL_MEMFD);
        wire_put_vecs(&w, &v);
        rt.reply_len = 0;
        rt_send(&w, fd);
        close(fd);
        while (rt.reply_len == 0)
            rt_receive(true);
        if (wire_open(&m, rt.reply, rt.reply_len) || m.type != WIRE_R_CALL || m.seq != seq)
            rt_panic("unexpected reply from the SPM");
        rt.reply_len = 0;
    } else {
        wire_put_u8(&w, 0);
        wire_put_vecs(&w, &v);
        transact(&w, extra, (int)in_len, WIRE_R_CALL, &m);
    }
    if (wire_get_i32(&m, &status) || wire_get_u8(&m, &n) || (n != 0 && n != out_len))
        rt_panic("malformed reply from the SPM");
    for (i = 0; i < n; i++)
        if (wire_get_u32(&m, &written[i]) || written[i] > v.out_len[i])
            rt_panic("malformed reply from the SPM");
    off = wire_vecs_in_total(&v);
    for (i = 0; i < out_len; i++) {
        if (map != NULL)
            p = map + off;
        else if (wire_get_bytes(&m, written[i], &p))
            rt_panic("malformed reply from the SPM");
        if (written[i] > 0)
            memcpy(out_vec[i].base, p, written[i]);
        out_vec[i].len = written[i];
        off += v.out_len[i];
    }
    if (map != NULL)
        munmap(map, (size_t)total);
    if (wire_end(&m))
        rt_panic("malformed reply from the SPM");
    return status;
}
