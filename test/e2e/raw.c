/* raw.c - see raw.h: the only place the tests build or read messages. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "raw.h"
#include "wire.h"

int raw_open(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {RAW_TIMEOUT_S, 0};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* the send timeout bounds connect() too, should the daemon stop accepting */
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

int raw_send_version(int fd, uint32_t seq, uint32_t sid)
{
    struct wire_out w;

    wire_begin(&w, WIRE_C_VERSION, seq);
    wire_put_u32(&w, sid);
    return wire_send(fd, &w, -1);
}

int raw_send_connect(int fd, uint32_t seq, uint32_t sid, uint32_t version)
{
    struct wire_out w;

    wire_begin(&w, WIRE_C_CONNECT, seq);
    wire_put_u32(&w, sid);
    wire_put_u32(&w, version);
    return wire_send(fd, &w, -1);
}

int raw_send_call(int fd, uint32_t seq, psa_handle_t handle, int32_t type, const psa_invec *in,
                  size_t n_in, const uint32_t *out_len, size_t n_out)
{
    struct iovec extra[WIRE_MAX_IOVEC];
    struct wire_vecs v = {0};
    struct wire_out w;
    size_t i;

    if (n_in + n_out > WIRE_MAX_IOVEC) {
        errno = EINVAL;
        return -1;
    }
    v.n_in = (uint8_t)n_in;
    v.n_out = (uint8_t)n_out;
    for (i = 0; i < n_in; i++) {
        v.in_len[i] = (uint32_t)in[i].len;
        extra[i].iov_base = (void *)(uintptr_t)in[i].base;
        extra[i].iov_len = in[i].len;
    }
    for (i = 0; i < n_out; i++)
        v.out_len[i] = out_len[i];
    if (wire_vecs_in_total(&v) + wire_vecs_out_total(&v) > WIRE_INLINE_MAX) {
        errno = EMSGSIZE;
        return -1;
    }
    wire_begin(&w, WIRE_C_CALL, seq);
    wire_put_i32(&w, handle);
    wire_put_i32(&w, type);
    wire_put_u8(&w, 0); /* inline: no memfd */
    wire_put_vecs(&w, &v);
    return wire_sendv(fd, &w, extra, (int)n_in, -1);
}

int raw_send_close(int fd, uint32_t seq, psa_handle_t handle)
{
    struct wire_out w;

    wire_begin(&w, WIRE_C_CLOSE, seq);
    wire_put_i32(&w, handle);
    return wire_send(fd, &w, -1);
}

/* R_CALL's outputs: checked for form, not kept. */
static int skip_outputs(struct wire_in *m)
{
    uint32_t written, sum = 0;
    const uint8_t *p;
    uint8_t n, i;

    if (wire_get_u8(m, &n) || n > WIRE_MAX_IOVEC)
        return -1;
    for (i = 0; i < n; i++) {
        if (wire_get_u32(m, &written))
            return -1;
        sum += written;
    }
    return wire_get_bytes(m, sum, &p);
}

int raw_recv(int fd, struct raw_reply *r)
{
    uint8_t buf[WIRE_MAX_MSG];
    struct wire_in m;
    int bad = 0, got_fd;
    long len;

    len = wire_recv(fd, buf, sizeof(buf), &got_fd);
    if (got_fd >= 0)
        close(got_fd);
    if (len <= 0)
        return len == 0 ? 0 : -1;
    if (got_fd >= 0 || wire_open(&m, buf, (size_t)len)) {
        errno = EBADMSG;
        return -1;
    }
    r->seq = m.seq;
    r->value = 0;
    switch (m.type) {
    case WIRE_R_VERSION:
        r->kind = RAW_VERSION;
        bad = wire_get_u32(&m, (uint32_t *)&r->value);
        break;
    case WIRE_R_CONNECT:
        r->kind = RAW_CONNECT;
        bad = wire_get_i32(&m, &r->value);
        break;
    case WIRE_R_CALL:
        r->kind = RAW_CALL;
        bad = wire_get_i32(&m, &r->value) || skip_outputs(&m);
        break;
    case WIRE_R_CLOSE:
        r->kind = RAW_CLOSE;
        bad = wire_get_i32(&m, &r->value);
        break;
    default:
        r->kind = RAW_OTHER;
        m.off = m.len; /* not ours to read */
        break;
    }
    if (bad || wire_end(&m)) {
        errno = EBADMSG;
        return -1;
    }
    return 1;
}
